"""An editor edits an article (or an issue) twice, compares the revisions and restores the first."""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from newsletters.enums import IssueStatus
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.keyboard import follow, tab_to
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.newsletters import ArticleFactory, IssueFactory


def _save_edit(page, obj, field: str, text: str) -> None:
    page.goto(page.live_url + f"/admin/newsletters/{obj._meta.model_name}/{obj.pk}/change/")
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


def test_editor_compares_two_issue_edits_and_restores_the_first(page):
    editor = UserFactory(email="kyle@example.org", roles=[Role.NEWSLETTER_EDITORS])
    issue = IssueFactory(
        title="Summer 2020",
        summary="The GDS newsletter.\nNews of the unit.",
        status=IssueStatus.SCHEDULED,
        published_at=timezone.now() + dt.timedelta(days=30),
    )
    login(page, editor.email, PASSWORD)
    _save_edit(page, issue, "title", "Summer 2020, corrected")
    _save_edit(page, issue, "summary", "The GDS newsletter.\nNews of the GDS unit.")
    # The form saved the publication time to the second: the first revision's differs,
    # and a restore must keep the time the issue has now.
    issue.refresh_from_db()
    status, published_at = issue.status, issue.published_at
    assert published_at != issue.history.earliest().published_at

    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("link", name="Compare with the revision before")).to_have_count(3)
    assert_accessible(page)

    first, newest = issue.history.earliest(), issue.history.latest()
    page.goto(
        page.live_url + f"/admin/newsletters/issue/{issue.pk}/history/compare/"
        f"?old={first.history_id}&new={newest.history_id}"
    )
    expect(page.locator("ins", has_text="Summer 2020, corrected")).to_be_visible()
    expect(page.locator("del", has_text="News of the unit.")).to_be_visible()
    expect(page.locator("ins", has_text="News of the GDS unit.")).to_be_visible()
    expect(page.get_by_text("never publishes, unpublishes or reschedules")).to_be_visible()
    assert_accessible(page)

    tab_to(page, "button", re.compile("^Restore the revision of"))
    follow(page)
    expect(page.locator(".messagelist")).to_contain_text("it is now the newest")
    assert_accessible(page)
    issue.refresh_from_db()
    assert issue.title == "Summer 2020"
    assert issue.summary == "The GDS newsletter.\nNews of the unit."
    assert (issue.status, issue.published_at) == (status, published_at)
