"""Nominations sent twice count once, in Chromium (issue 15, break 12).

A member fills in a nomination; the same form is sent twice in the background (as
a double click or a flaky connection's retry would) and then once more by the
button. One nomination is recorded (and, for webinars, one pair of mails); the
page says the form had already been sent.
"""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from gds_portal.models import OutboundEmail
from meetings.models import SpeakerNomination as MeetingNomination
from tests.e2e.conftest import assert_accessible, field, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.meetings import MeetingFactory
from webinars.models import SpeakerNomination as WebinarNomination

# The page's own form, posted twice with everything in it (its one-time token too).
SEND_TWICE = """async () => {
  const form = document.querySelector("main form[method=post]");
  for (const _ of [1, 2]) {
    await fetch(form.action || location.href, {method: "POST", body: new FormData(form)});
  }
}"""


def test_a_meeting_nomination_sent_three_times_is_recorded_once(page):
    now = timezone.now()
    MeetingFactory(
        name="APS March Meeting 2021",
        slug="march-2021",
        nominations_open_at=now - timedelta(days=1),
        nominations_close_at=now + timedelta(days=9),
    )
    UserFactory(email="mia@example.org", full_name="Mia Member")
    login(page, "mia@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/march-2021/nominate/")
    field(page, "Nominee's name").fill("Nadia Nominee")
    field(page, "Nominee's affiliation").fill("Université Exemple")
    field(page, "Nominee's email").fill("nadia@example.org")
    field(page, "Proposed talk title").fill("Learning symmetries from data")
    field(page, "Rationale").fill("She opened up a new field.")
    page.evaluate(SEND_TWICE)
    page.get_by_role("button", name="Send nomination").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My speaker nominations")
    expect(page.get_by_text("This nomination had already been sent")).to_be_visible()
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text("Nadia Nominee")
    assert list(MeetingNomination.objects.values_list("nominee_name", flat=True)) == [
        "Nadia Nominee"
    ]


def test_a_webinar_nomination_sent_three_times_is_recorded_and_mailed_once(page):
    UserFactory(email="nina@example.org", full_name="Nina Nominator")
    login(page, "nina@example.org", PASSWORD)
    page.goto(f"{page.live_url}/webinars/nominate/speaker/")
    field(page, "Nominee's name").fill("Carla Classroom")
    field(page, "Nominee's website").fill("https://example.org/carla")
    field(page, "Proposed talk title").fill("Notebooks in the physics lab course")
    field(page, "Why this speaker?").fill("She has taught hundreds of students with them.")
    page.evaluate(SEND_TWICE)
    page.get_by_role("button", name="Send nomination").click()

    expect(page.get_by_text("This form had already been sent")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Speaker nomination")
    expect(page.locator("main")).to_contain_text("Carla Classroom")
    assert_accessible(page)
    assert list(WebinarNomination.objects.values_list("nominee_name", flat=True)) == [
        "Carla Classroom"
    ]
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [["nina@example.org"]]
