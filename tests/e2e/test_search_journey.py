"""A reader searches as people type (issue 19): no accents, half a word, a typo."""

import re

from playwright.sync_api import expect

from newsletters.demo import DEMO_FOLDER
from newsletters.importer import import_issue
from tests.e2e.conftest import assert_accessible


def _search(page, words: str) -> None:
    box = page.get_by_role("searchbox", name="Search the site")
    box.fill(words)
    box.press("Enter")


def test_reader_finds_what_they_type(page):
    import_issue(folder=DEMO_FOLDER)
    page.goto(page.live_url + "/")

    # No accents: her person page, her article (by its byline) and the editor's message
    # that names her.
    _search(page, "kucukbenli")
    expect(page.get_by_role("status")).to_have_text(re.compile("^3 results for"))
    results = page.locator(".search-results")
    expect(results.get_by_role("link", name="Emine Küçükbenli")).to_be_visible()
    expect(results.get_by_role("link", name=re.compile("^Learning Machines"))).to_be_visible()
    expect(results.get_by_role("link", name="Message from the Editor")).to_be_visible()
    expect(results.locator("mark").first).to_have_text("Küçükbenli")
    assert_accessible(page)

    # Half a word, on the search page's own box: the Bayesian article, its snippet in
    # plain text (the evidence p(D), not $p(D)$ source).
    box = page.get_by_role("searchbox", name="Search words")
    box.fill("evidence bayes")
    box.press("Enter")
    article = results.locator("li").filter(has_text="Bayesian Inference")
    expect(article).to_have_count(1)
    snippet = article.locator("p").inner_text()
    assert "p(D)" in snippet and not re.search(r"[$*#<\\]", snippet), snippet
    assert_accessible(page)

    # A typo finds nothing, and offers the title it was meant to be.
    box = page.get_by_role("searchbox", name="Search words")
    box.fill("atomistik modeling")
    box.press("Enter")
    expect(page.get_by_role("status")).to_have_text(re.compile("^0 results for"))
    suggestions = page.get_by_test_id("search-suggestions")
    expect(suggestions).to_contain_text("Did you mean")
    assert_accessible(page)
    suggestions.get_by_role("link", name=re.compile("^Learning Machines")).click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^\d+ results? for"))
    expect(
        results.get_by_role("link", name=re.compile("^Learning Machines in Atomistic"))
    ).to_be_visible()
    assert_accessible(page)
