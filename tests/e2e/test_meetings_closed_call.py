"""A closed call as a member meets it (issue 16, item 8): the meetings list puts the open
call under "Open calls", the closed call's page offers no submit link, and its form
shows no active button; axe on every page."""

from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory


def test_open_and_closed_calls_as_a_member_sees_them(page):
    now = timezone.now()
    MeetingFactory(name="Open Meeting", slug="open", starts_on=date.today() - timedelta(days=30))
    closed = MeetingFactory(
        name="Closed Meeting",
        slug="closed",
        call_opens_at=now - timedelta(days=30),
        call_closes_at=now - timedelta(days=1),
    )
    SortingCategoryFactory(meeting=closed, code="23.01.01", title="Big Data in Physics")
    UserFactory(email="mia@example.org")
    login(page, "mia@example.org", PASSWORD)

    page.goto(f"{page.live_url}/meetings/")
    expect(page.get_by_test_id("open-calls")).to_contain_text("Open Meeting")
    expect(page.get_by_test_id("past")).not_to_contain_text("Open Meeting")
    assert_accessible(page)

    page.goto(f"{page.live_url}/meetings/closed/call/")
    expect(page.get_by_test_id("call-state")).to_contain_text("The call has closed.")
    expect(page.get_by_role("link", name="Submit an abstract")).to_have_count(0)
    expect(page.get_by_role("link", name="Submit to 23.01.01 Big Data in Physics")).to_have_count(0)
    assert_accessible(page)

    page.goto(f"{page.live_url}/meetings/my/abstracts/new/closed/")
    expect(page.get_by_test_id("call-closed")).to_be_visible()
    buttons = page.locator("#abstract-form button[type=submit]")
    expect(buttons).to_have_count(4)
    for index in range(4):
        expect(buttons.nth(index)).to_be_disabled()
    assert_accessible(page)
