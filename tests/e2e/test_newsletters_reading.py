"""Reading an issue like the printed newsletter (issue 19 item 2): reference markers and
their way back, citation downloads, the issue's contents beside each article, long words
that wrap on a phone, and a clean print."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from newsletters.demo import DEMO_FOLDER
from newsletters.importer import import_issue
from tests.e2e.conftest import assert_accessible
from tests.e2e.keyboard import press, tab_to
from tests.factories.community import PersonFactory
from tests.factories.newsletters import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    ReferenceFactory,
)
from tests.factories.webinars import TopicFactory, WebinarFactory

DESGRANGES_BIBTEX = """\
@article{Desgranges2020,
  author = {Desgranges, Caroline and Delhommelle, Jerome},
  journal = {J. Phys. Chem. C},
  volume = {124},
  pages = {1907},
  year = {2020},
  doi = {10.1021/acs.jpcc.9b07936}
}
"""


def test_reader_follows_a_reference_cites_it_and_moves_through_the_issue(page):
    import_issue(folder=DEMO_FOLDER)
    page.goto(page.live_url + "/newsletters/")
    # The demo issue has no uploaded cover: one set in type, hidden beside its title.
    cover = page.locator(".generated-cover").first
    expect(cover).to_contain_text("Summer")
    # Set to the card's size: the year takes most of the cover's width, not a corner of it.
    year_width = cover.locator(".cover-year").evaluate("e => e.getBoundingClientRect().width")
    assert year_width > 0.5 * cover.evaluate("e => e.getBoundingClientRect().width")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Summer 2020")).click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Machine Learned Partition Functions")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Machine Learned Partition")

    # The right column is the issue's contents, this article marked as the current page.
    contents = page.get_by_role("navigation", name="In this issue")
    current = contents.locator('[aria-current="page"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Machine Learned Partition Functions")
    expect(contents.get_by_role("link")).to_have_count(11)  # the issue link and ten articles
    assert_accessible(page)

    # [1] in the text goes to reference 1, which leads back to the text.
    page.locator(".article-body").get_by_role("link", name="Reference [1]").click()
    expect(page).to_have_url(re.compile("#ref-1$"))
    reference = page.locator("#ref-1")
    expect(reference).to_contain_text("J. Phys. Chem. C 124, 1907 (2020)")
    expect(reference.get_by_role("link", name="doi:10.1021/acs.jpcc.9b07936")).to_have_attribute(
        "href", "https://doi.org/10.1021/acs.jpcc.9b07936"
    )
    reference.get_by_role("link", name="Back to where the text cites reference 1").click()
    expect(page).to_have_url(re.compile("#cite-1$"))

    with page.expect_download() as download_info:
        reference.get_by_role("link", name="BibTeX of reference 1").click()
    download = download_info.value
    assert download.suggested_filename == "Desgranges2020.bib"
    assert Path(download.path()).read_text(encoding="utf-8") == DESGRANGES_BIBTEX
    with page.expect_download() as download_info:
        reference.get_by_role("link", name="RIS of reference 1").click()
    assert download_info.value.suggested_filename == "Desgranges2020.ris"
    assert_accessible(page)

    contents.get_by_role("link", name=re.compile("^Bayesian Inference")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bayesian Inference")
    expect(
        page.get_by_role("navigation", name="In this issue").locator('[aria-current="page"]')
    ).to_contain_text("Bayesian Inference")
    assert_accessible(page)


WORD = "Supercalifragilistic" * 15  # 300 letters, no break opportunity
URL = "https://example.org/" + "a" * 280


@pytest.mark.parametrize("width", [390, 1280])
def test_long_words_and_urls_wrap_at_phone_and_desktop_width(browser, live_server, width):
    person = PersonFactory(name="Word " + WORD[:100], slug="long-words")
    issue = IssueFactory(year=2020, season="summer", title="Summer 2020", summary=WORD)
    article = ArticleFactory(
        issue=issue,
        title=WORD[:250],  # the longest title an article can have
        slug="long",
        standfirst=WORD,
        body=f"{WORD} [1]\n\n<{URL}>\n\n| {WORD} | x |\n|---|---|\n| {URL} | y |",
    )
    AuthorshipFactory(article=article, person=person, role=WORD[:250])
    ReferenceFactory(article=article, citation=WORD, doi=f"10.1000/{WORD[:180]}")
    ReferenceFactory(article=article, citation=f"{WORD} {WORD}", doi="", url=URL[:500])
    # Other apps' pages share the rule (it is site-wide): a webinar and its topic.
    topic = TopicFactory(name=WORD[:120], slug="long-topic", description=WORD)
    webinar = WebinarFactory(title=WORD[:250], description=f"{WORD} {URL}", topics=[topic])
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    pages = [
        article.get_absolute_url(),
        issue.get_absolute_url(),
        "/newsletters/",
        person.get_absolute_url(),
        webinar.get_absolute_url(),
        topic.get_absolute_url(),
    ]
    for path in pages:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{path} is {scroll_width} px wide"
    context.close()


def test_article_prints_without_site_navigation_and_with_its_references(page):
    issue = IssueFactory(year=2020, season="summer", title="Summer 2020")
    article = ArticleFactory(
        issue=issue, body="See [the data](https://example.org/data) and [1].", slug="printed"
    )
    ArticleFactory(issue=issue, title="Another article")
    ReferenceFactory(article=article, citation="Paper one.")
    page.goto(page.live_url + article.get_absolute_url())
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    expect(page.locator(".issue-contents")).to_be_hidden()
    expect(page.locator(".reference-cite")).to_be_hidden()
    expect(page.locator("#ref-1")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # A link's address is printed after it.
    after = page.evaluate(
        """() => getComputedStyle(
            document.querySelector('.article-body a[href^="http"]'), '::after').content"""
    )
    assert after == '" (https://example.org/data)"'
    # Without the contents column the article has the page's whole width.
    widths = page.evaluate(
        """() => [document.querySelector('.article-column').getBoundingClientRect().width,
                  document.querySelector('main .row').getBoundingClientRect().width]"""
    )
    assert widths[0] >= widths[1] - 1


def test_reader_follows_a_marker_and_returns_by_keyboard(page):
    import_issue(folder=DEMO_FOLDER)
    page.goto(page.live_url + "/newsletters/2020/summer/machine-learned-partition-functions/")
    press(page, "Tab")  # into the page
    tab_to(page, "link", "Reference [1]")
    press(page, "Enter")
    expect(page).to_have_url(re.compile("#ref-1$"))
    expect(page.locator("#ref-1")).to_be_focused()  # the focus moved with the view
    press(page, "Tab")
    expect(page.locator("#ref-1 a").first).to_be_focused()
    tab_to(page, "link", "Back to where the text cites reference 1")
    press(page, "Enter")
    expect(page).to_have_url(re.compile("#cite-1$"))
    expect(page.locator("#cite-1")).to_be_focused()  # back at the marker, reading on
    assert_accessible(page)
