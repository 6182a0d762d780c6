"""Registering for a webinar in the browser (issue 17, item 1; issue 23 for the
keyboard journeys and the guest form's error summary)."""

import re
from urllib.parse import urlsplit

from icalendar import Calendar
from playwright.sync_api import expect

from gds_portal.models import OutboundEmail
from tests.e2e.conftest import assert_accessible, field
from tests.e2e.keyboard import fill_by_keyboard, follow, press, tab_to, type_text
from tests.e2e.test_error_summary import (
    assert_summary_focused_and_wired,
    follow_each_summary_link,
    submit_with,
)
from tests.e2e.test_keyboard_journeys import _sign_in
from tests.factories.accounts import UserFactory
from tests.factories.webinars import FUTURE, WebinarFactory
from webinars.models import Registration

JOIN = "https://meet.example.org/j/browser-room"
TITLE = "Registering in the browser"


def _webinar():
    return WebinarFactory(title=TITLE, slug="browser-webinar", start_at=FUTURE, join_url=JOIN)


def _mail(template: str) -> OutboundEmail:
    return OutboundEmail.objects.filter(template=template).latest("id")


def _link_in(mail: OutboundEmail, page, kind: str) -> str:
    match = re.search(rf"\S+/registration/{kind}/\S+/", mail.body_text)
    assert match, mail.body_text
    return page.live_url + urlsplit(match.group(0)).path


def _status() -> list[tuple[str, str]]:
    return list(Registration.objects.values_list("email", "status"))


def test_guest_registers_confirms_gets_the_ics_and_cancels(page):
    _webinar()
    page.goto(page.live_url + "/webinars/browser-webinar/")
    assert JOIN not in page.content()
    page.get_by_role("link", name="Register", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register for this webinar")
    assert_accessible(page)
    field(page, "Your name").fill("Gus Guest")
    field(page, "Email address").fill("gus@example.org")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)
    assert _status() == [("gus@example.org", "pending")]

    page.goto(_link_in(_mail("webinars/registration-confirm"), page, "confirm"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your registration")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my registration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are registered")
    assert_accessible(page)
    assert JOIN not in page.content()  # a guest's link travels by mail only
    assert _status() == [("gus@example.org", "confirmed")]

    confirmed = _mail("webinars/registration-confirmed")
    assert confirmed.to == ["gus@example.org"]
    [attachment] = confirmed.attachments
    event = Calendar.from_ical(attachment["content"]).walk("VEVENT")[0]
    assert (str(event["summary"]), str(event["location"])) == (TITLE, JOIN)
    assert event.decoded("dtstart") == FUTURE

    page.goto(_link_in(confirmed, page, "cancel"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your registration")
    assert_accessible(page)
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registration cancelled")
    assert_accessible(page)
    assert _status() == [("gus@example.org", "cancelled")]

    # The same link, tampered with, is refused with a clear message.
    page.goto(_link_in(confirmed, page, "cancel")[:-3] + "x/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    assert_accessible(page)


def test_member_registers_by_keyboard(page):
    _webinar()
    UserFactory(email="ada@example.org", full_name="Ada Lovelace")
    page.goto(page.live_url + "/webinars/browser-webinar/")
    _sign_in(page, "ada@example.org")
    page.goto(page.live_url + "/webinars/browser-webinar/")
    tab_to(page, "button", "Register")
    follow(page)
    expect(page.get_by_role("link", name="Join the webinar")).to_have_attribute("href", JOIN)
    assert _status() == [("ada@example.org", "confirmed")]
    assert_accessible(page)
    # The button on the page only asks; the confirm page's button cancels.
    tab_to(page, "link", "Cancel my registration")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your registration")
    assert _status() == [("ada@example.org", "confirmed")]
    assert_accessible(page)
    tab_to(page, "button", "Cancel my registration")
    follow(page)
    assert _status() == [("ada@example.org", "cancelled")]
    expect(page.get_by_role("link", name="Join the webinar")).to_have_count(0)
    press(page, "Tab")


def test_guest_registers_by_keyboard(page):
    _webinar()
    page.goto(page.live_url + "/webinars/browser-webinar/")
    tab_to(page, "link", "Register")
    follow(page)
    fill_by_keyboard(page, "textbox", re.compile("^Your name"), "Gus Guest")
    fill_by_keyboard(page, "textbox", re.compile("^Email address"), "gus@example.org")
    tab_to(page, "button", "Register")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    press(page, "Tab")
    page.goto(_link_in(_mail("webinars/registration-confirm"), page, "confirm"))
    tab_to(page, "button", "Confirm my registration")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("You are registered")
    assert _status() == [("gus@example.org", "confirmed")]


def test_guest_form_sent_empty_then_with_a_bad_address(page):
    _webinar()
    page.goto(page.live_url + "/webinars/browser-webinar/register/")
    submit_with(page, "Register")
    described = assert_summary_focused_and_wired(page)
    assert described == {
        "id_name": "Enter your name, as you would like to be addressed.",
        "id_email": "Enter your email address.",
    }
    assert follow_each_summary_link(page) == ["id_name", "id_email"]
    assert_accessible(page)

    # By keyboard alone, from the summary's last link (the email box) back to the name.
    tab_to(page, "textbox", re.compile("^Your name"), back=True)
    type_text(page, "Ada Guest")
    fill_by_keyboard(page, "textbox", re.compile("^Email address"), "ada@")
    submit_with(page, "Register")
    described = assert_summary_focused_and_wired(page)
    assert described == {"id_email": "Enter a complete email address, such as ada@example.org."}
    expect(field(page, "Your name")).to_have_value("Ada Guest")  # nothing typed is lost
    assert follow_each_summary_link(page) == ["id_email"]
    assert_accessible(page)
    assert _status() == []


def test_committee_reads_registrations_in_the_admin(page):
    from accounts.enums import Role
    from tests.e2e.conftest import login
    from tests.factories.accounts import PASSWORD
    from webinars.registration import registration_guest, registration_member

    webinar = _webinar()
    webinar.capacity = 1
    webinar.save()
    registration_member(webinar=webinar, user=UserFactory(email="ada@example.org"))
    registration_guest(webinar=webinar, name="Gus Guest", email="gus@example.org")
    UserFactory(email="chair@example.org", roles=[Role.WEBINAR_COMMITTEE])
    login(page, "chair@example.org", PASSWORD)

    page.goto(f"{page.live_url}/admin/webinars/webinar/{webinar.pk}/change/")
    table = page.get_by_role("table", name=re.compile("^Registrations"))
    expect(table.get_by_role("row")).to_have_count(3)
    assert_accessible(page)
    page.get_by_role("link", name="Filter or cancel registrations").click()
    expect(page.get_by_role("link", name="Gus Guest")).to_be_visible()
    assert_accessible(page)
