"""Feedback in the browser (issue 17, item 6): an attendee rates a webinar, the Webinar
committee approves the comment, the speaker reads it; announcements opt-in (item 7)."""

import re

from playwright.sync_api import expect

from accounts.enums import Role
from tests.e2e.conftest import assert_accessible, field, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.community import PersonFactory
from tests.factories.webinars import (
    FeedbackFactory,
    RegistrationFactory,
    feedback_closed,
    recently_held,
)
from webinars.enums import CommentStatus
from webinars.models import AnnouncementSubscription, Feedback, Webinar

TITLE = "Notebooks for the physics lab"
COMMENT = "The live notebook was the best part."


def _log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()


def test_attendee_rates_committee_approves_speaker_reads(page):
    speaker = UserFactory(email="sam@example.org", full_name="Sam Speaker")
    webinar = recently_held(
        title=TITLE, slug="lab-notebooks", speakers=[PersonFactory(user=speaker)]
    )
    ada = UserFactory(email="ada@example.org", full_name="Ada Lovelace")
    RegistrationFactory(webinar=webinar, user=ada, email=ada.email, attended=True)
    for rating in (5, 3):  # two earlier guests: with Ada's, enough ratings to show
        FeedbackFactory(registration__webinar=webinar, rating=rating)
    UserFactory(email="wendy@example.org", roles=[Role.WEBINAR_COMMITTEE])

    # The attendee: from the webinar page to the form.
    login(page, "ada@example.org", PASSWORD)
    page.goto(page.live_url + "/webinars/lab-notebooks/")
    page.get_by_role("link", name="Tell us what you thought").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your feedback")
    assert_accessible(page)
    page.get_by_role("button", name="Send feedback").click()  # no rating: told so
    expect(page.get_by_text("Choose a rating from 1 to 5.").first).to_be_visible()
    assert_accessible(page)
    group = page.get_by_role("group", name=re.compile("How would you rate this webinar"))
    group.get_by_label("4 — good").check()
    field(page, "Comment (optional)").fill(COMMENT)
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Thank you for your feedback.")).to_be_visible()
    feedback = Feedback.objects.get(registration__user=ada)
    assert (feedback.rating, feedback.comment, feedback.comment_status) == (
        4,
        COMMENT,
        CommentStatus.PENDING,
    )
    _log_out(page)

    # The speaker sees no ratings while they can still change, and no comment yet.
    login(page, "sam@example.org", PASSWORD)
    page.get_by_role("link", name=f"Feedback on {TITLE}").click()
    expect(page.get_by_test_id("ratings-summary")).to_contain_text(
        "The ratings are shown here once that window has closed"
    )
    expect(page.get_by_text(COMMENT)).to_have_count(0)
    assert_accessible(page)
    _log_out(page)

    # The committee approves the comment in the admin.
    login(page, "wendy@example.org", PASSWORD)
    page.goto(page.live_url + "/admin/webinars/feedback/")
    assert_accessible(page)
    row = page.get_by_role("row", name=re.compile("The live notebook"))
    row.get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option(value="approve_selected")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment(s) approved")
    feedback.refresh_from_db()
    assert feedback.comment_status == CommentStatus.APPROVED
    _log_out(page)
    # The feedback window closes: nothing changes any more.
    Webinar.objects.filter(pk=webinar.pk).update(start_at=feedback_closed().start_at)

    # The speaker reads it, with the table and chart of the ratings.
    login(page, "sam@example.org", PASSWORD)
    page.get_by_role("link", name=f"Feedback on {TITLE}").click()
    expect(page.get_by_test_id("approved-comment")).to_have_text(COMMENT)
    expect(page.get_by_test_id("ratings-summary")).to_have_text(
        "3 ratings, 4.0 out of 5 on average."
    )
    table = page.get_by_test_id("ratings-table")
    expect(table.get_by_role("row", name="4 of 5 1")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Bar chart of the ratings"))).to_be_visible()
    assert_accessible(page)


def test_member_turns_announcements_on_and_off(page):
    UserFactory(email="ada@example.org", full_name="Ada Lovelace")
    login(page, "ada@example.org", PASSWORD)
    page.get_by_role("link", name="Email me about new webinars").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webinar announcements")
    assert_accessible(page)
    page.get_by_label("Email me when a new webinar is scheduled").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("announcements-state")).to_have_text("subscribed")
    assert AnnouncementSubscription.objects.filter(user__email="ada@example.org").exists()
    page.get_by_label("Email me when a new webinar is scheduled").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("announcements-state")).to_have_text("not subscribed")
    assert not AnnouncementSubscription.objects.exists()
