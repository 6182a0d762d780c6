"""Members on shared pages in the browser (issue 20): the page every signed-in member
shares, with this member's own parts — the Register button's CSRF token, the message
after registering, the account links and the Log out button — working as on any page."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.webinars import FUTURE, WebinarFactory
from webinars.models import Registration

JOIN = "https://meet.example.org/j/shared-room"


@pytest.fixture(autouse=True)
def _shared_pages_on(settings):
    # The test settings render every page afresh; production shares them (60 s).
    settings.PAGE_CACHE_SECONDS = 60


def test_a_member_registers_and_logs_out_from_pages_another_member_filled(page):
    webinar = WebinarFactory(
        title="Shared pages in the browser", slug="shared-webinar", start_at=FUTURE, join_url=JOIN
    )
    UserFactory(email="ada@example.org", full_name="Ada Lovelace")
    # Another member reads both pages first, at the live server's address (copies are
    # kept per host): Ada gets the copies they filled.
    other = Client(HTTP_HOST=urlsplit(page.live_url).netloc)
    other.force_login(UserFactory(email="bob@example.org"))
    for path in ("/", webinar.get_absolute_url()):
        assert other.get(path)["X-Page-Cache"] == "member-miss"

    login(page, "ada@example.org", PASSWORD)
    response = page.goto(page.live_url + webinar.get_absolute_url())
    assert response.headers["x-page-cache"] == "member-hit"
    expect(page.get_by_role("link", name="My GDS")).to_be_visible()
    assert JOIN not in page.content()
    assert_accessible(page)

    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("status")).to_contain_text("registered")
    expect(page.get_by_role("link", name="Join the webinar")).to_have_attribute("href", JOIN)
    assert list(Registration.objects.values_list("email", "status")) == [
        ("ada@example.org", "confirmed")
    ]
    assert_accessible(page)

    # Bob's next view of the page is still his: no join link, his own Register button.
    theirs = other.get(webinar.get_absolute_url()).content.decode()
    assert JOIN not in theirs and "You are registered" not in theirs

    response = page.goto(page.live_url + "/")
    assert response.headers["x-page-cache"] in {"member-hit", "member-miss"}
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    expect(page.get_by_role("link", name="My GDS")).to_have_count(0)
    assert_accessible(page)
