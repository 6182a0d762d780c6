"""An editor edits an article twice, compares the revisions and restores the first."""

import re

from playwright.sync_api import expect

from accounts.enums import Role
from newsletters.models import Article
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.keyboard import follow, tab_to
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.newsletters import ArticleFactory


def _save_edit(page, article: Article, field: str, text: str) -> None:
    page.goto(page.live_url + f"/admin/newsletters/article/{article.pk}/change/")
    page.locator(f"#id_{field}").fill(text)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")


def test_editor_compares_two_edits_and_restores_the_first_by_keyboard(page):
    editor = UserFactory(email="kyle@example.org", roles=[Role.NEWSLETTER_EDITORS])
    article = ArticleFactory(title="Notes on entropy", body="Entropy counts states.\nThe end.")
    login(page, editor.email, PASSWORD)
    _save_edit(page, article, "title", "Notes on entropy, revised")
    _save_edit(page, article, "body", "Entropy counts microstates.\nThe end.")

    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("link", name="Compare with the revision before")).to_have_count(3)
    assert_accessible(page)

    # The oldest against the newest: both edits, the body line by line.
    first, newest = article.history.earliest(), article.history.latest()
    page.goto(
        page.live_url + f"/admin/newsletters/article/{article.pk}/history/compare/"
        f"?old={first.history_id}&new={newest.history_id}"
    )
    expect(page.get_by_role("heading", name="Title")).to_be_visible()
    expect(page.locator("ins", has_text="Notes on entropy, revised")).to_be_visible()
    expect(page.locator("del", has_text="Entropy counts states.")).to_be_visible()
    expect(page.locator("ins", has_text="Entropy counts microstates.")).to_be_visible()
    assert_accessible(page)

    tab_to(page, "button", re.compile("^Restore the revision of"))
    follow(page)
    expect(page.locator(".messagelist")).to_contain_text("it is now the newest")
    assert_accessible(page)
    article.refresh_from_db()
    assert (article.title, article.body) == ("Notes on entropy", "Entropy counts states.\nThe end.")
