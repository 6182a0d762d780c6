"""The speaker's path in the browser (issue 17, item 4): the committee invites from the
admin, the speaker accepts on their signed link and signs the recording release."""

import io
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from PIL import Image
from playwright.sync_api import expect

from accounts.enums import Role
from gds_portal.models import OutboundEmail
from tests.e2e.conftest import assert_accessible, field, login
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.webinars import SpeakerNominationFactory
from webinars.enums import InvitationState, NominationStatus, ReleaseState
from webinars.models import SpeakerInvitation, Webinar
from webinars.services import webinar_create_from_nomination


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def test_committee_invites_and_the_speaker_accepts_and_signs_the_release(page):
    committee = UserFactory(email="chair@example.org", roles=[Role.WEBINAR_COMMITTEE])
    nomination = SpeakerNominationFactory(
        nominee_name="Sofia Speaker",
        email="sofia@example.org",
        proposed_title="Symmetries learned from data",
        status=NominationStatus.ACCEPTED,
    )
    webinar = webinar_create_from_nomination(nomination=nomination, by=committee)

    # The committee invites, from the admin's "Add speaker invitation" form.
    login(page, committee.email, PASSWORD)
    page.goto(page.live_url + "/admin/webinars/speakerinvitation/add/")
    assert_accessible(page)
    page.get_by_label("Nomination:").select_option(label=str(nomination))
    page.get_by_label("Message to the speaker:").fill("We would be glad to hear you.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    invitation = SpeakerInvitation.objects.get()
    mail = OutboundEmail.objects.get(template="webinars/speaker-invitation")
    assert mail.to == ["sofia@example.org"]
    link = re.search(r"\S+/speaker/\S+/", mail.body_text).group(0)
    page.context.clear_cookies()  # the speaker has no account: the link is the key

    # The speaker accepts, with the talk's details, a date of their own and a photo.
    page.goto(page.live_url + urlsplit(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your invitation to speak")
    assert_accessible(page)
    page.get_by_label("I accept the invitation").check()
    field(page, "Talk title").fill("Symmetries, learned")
    field(page, "Abstract").fill("Finding conserved quantities with neural networks.")
    field(page, "Short biography").fill("Sofia works on machine learning for physics.")
    field(page, "Photo (optional)").set_input_files(
        {"name": "sofia.png", "mimeType": "image/png", "buffer": _png()}
    )
    field(page, "Your proposed start (UTC)").fill("2099-04-01T15:00")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert"))).to_contain_text(
        "the Webinar committee has your answer"
    )
    expect(page.get_by_test_id("release-text")).to_be_visible()
    assert_accessible(page)

    # …and signs the recording release with their name.
    page.get_by_label("I agree: the replay may be published").check()
    field(page, "Your full name").fill("Sofia Speaker")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_test_id("release-state")).to_contain_text("You agreed")
    assert_accessible(page)

    invitation.refresh_from_db()
    assert (invitation.state, invitation.release, invitation.release_name) == (
        InvitationState.ACCEPTED,
        ReleaseState.SIGNED,
        "Sofia Speaker",
    )
    assert invitation.speaker_start_at == datetime(2099, 4, 1, 15, 0, tzinfo=UTC)
    assert invitation.photo
    assert Webinar.objects.get(pk=webinar.pk).replay_released_at is not None

    # The speaker's page shows the accepted title, and a way to withdraw, saying what follows.
    expect(page.get_by_test_id("talk-title")).to_have_text("Symmetries, learned")
    expect(page.get_by_test_id("withdraw-consequence")).to_contain_text(
        "taken off the site at once"
    )
    field(page, "Your full name").fill("sofia speaker")
    page.get_by_role("button", name="Withdraw my agreement").click()
    expect(page.get_by_test_id("release-state")).to_contain_text("You did not agree")
    assert_accessible(page)
    invitation.refresh_from_db()
    assert invitation.release == ReleaseState.REFUSED
    assert Webinar.objects.get(pk=webinar.pk).replay_released_at is None
