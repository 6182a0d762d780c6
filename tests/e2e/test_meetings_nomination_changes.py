"""A nominator edits, then withdraws, their invited-speaker nomination (issue 16, item 8):
once with the mouse, once by keyboard alone (tests/e2e/keyboard.py); axe on every page."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from meetings.enums import NominationStatus
from meetings.models import SpeakerNomination
from tests.e2e.conftest import assert_accessible, field, login
from tests.e2e.keyboard import fill_by_keyboard, follow, press, tab_to
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.meetings import MeetingFactory


def _nomination() -> SpeakerNomination:
    now = timezone.now()
    meeting = MeetingFactory(
        name="APS March Meeting 2021",
        slug="march-2021",
        nominations_open_at=now - timedelta(days=1),
        nominations_close_at=now + timedelta(days=9),
    )
    return SpeakerNomination.objects.create(
        meeting=meeting,
        nominator=UserFactory(email="mia@example.org", full_name="Mia Member"),
        nominee_name="Nadia Nominee",
        nominee_affiliation="Université Exemple",
        nominee_email="nadia@example.org",
        talk_title="Learning symmetries",
        rationale="She opened up a new field.",
        nominee_outside_us=True,
    )


def test_a_nominator_edits_then_withdraws_a_nomination(page):
    nomination = _nomination()
    login(page, "mia@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/my/nominations/")
    assert_accessible(page)
    page.get_by_role("link", name="Edit the nomination of Nadia Nominee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Edit your nomination for APS March Meeting 2021"
    )
    assert_accessible(page)
    # A mistake first: the page says what is missing and keeps the rest.
    field(page, "Proposed talk title").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert").first).to_contain_text("Proposed talk title")
    assert_accessible(page)
    field(page, "Proposed talk title").fill("Learning symmetries from data")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My speaker nominations")
    expect(page.get_by_test_id("my-nomination")).to_contain_text("Learning symmetries from data")
    assert_accessible(page)

    page.get_by_role("link", name="Withdraw… the nomination of Nadia Nominee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Withdraw your nomination of Nadia Nominee?"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Yes, withdraw it").click()
    expect(page.get_by_test_id("my-nomination")).to_contain_text("Withdrawn")
    expect(page.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)
    assert_accessible(page)
    nomination.refresh_from_db()
    assert (nomination.talk_title, nomination.status, nomination.nominee_outside_us) == (
        "Learning symmetries from data",
        NominationStatus.WITHDRAWN,
        True,
    )


def test_a_nominator_edits_then_withdraws_by_keyboard(page):
    nomination = _nomination()
    login(page, "mia@example.org", PASSWORD)
    page.goto(f"{page.live_url}/meetings/my/nominations/")
    tab_to(page, "link", "Edit the nomination of Nadia Nominee")
    follow(page)
    fill_by_keyboard(page, "textbox", "Proposed talk title", "Symmetries, by keyboard")
    tab_to(page, "button", "Save changes")
    follow(page)
    expect(page.get_by_test_id("my-nomination")).to_contain_text("Symmetries, by keyboard")
    press(page, "Tab")
    tab_to(page, "link", "Withdraw… the nomination of Nadia Nominee")
    follow(page)
    tab_to(page, "button", "Yes, withdraw it")
    follow(page)
    expect(page.get_by_test_id("my-nomination")).to_contain_text("Withdrawn")
    assert_accessible(page)
    nomination.refresh_from_db()
    assert (nomination.talk_title, nomination.status) == (
        "Symmetries, by keyboard",
        NominationStatus.WITHDRAWN,
    )
