"""The speaker's path (issue 17 item 4): invitation, answer, recording release."""

import io
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gds_portal.models import OutboundEmail
from tests.factories.webinars import SpeakerNominationFactory
from webinars.enums import InvitationState, NominationStatus, ReleaseState
from webinars.models import SpeakerInvitation, Webinar
from webinars.services import webinar_create_from_nomination
from webinars.speakers import (
    INVITE_MAX_AGE,
    INVITE_SALT,
    invitation_release,
    invitation_respond,
    invitation_url,
    speaker_invite,
)

pytestmark = pytest.mark.django_db

PROPOSED = datetime(2099, 5, 6, 16, 0, tzinfo=UTC)


@pytest.fixture
def nomination(personas):
    nomination = SpeakerNominationFactory(
        nominator=personas.member,
        nominee_name="Sam Speaker",
        email="sam@example.org",
        proposed_title="Learning dynamics from data",
        status=NominationStatus.ACCEPTED,
    )
    webinar_create_from_nomination(nomination=nomination, by=personas.webinar_committee)
    nomination.refresh_from_db()
    return nomination


@pytest.fixture
def invitation(nomination, personas):
    return speaker_invite(
        nomination=nomination,
        by=personas.webinar_committee,
        proposed_start_at=PROPOSED,
        message="We would love to hear about <your> work.",
    )


def _path(invitation) -> str:
    return urlsplit(invitation_url(invitation)).path


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


def _accept(client, invitation, **extra):
    data = {
        "decision": "accept",
        "talk_title": "Dynamics, learned",
        "abstract": "We learn *equations* from data.",
        "bio": "Sam studies dynamical systems.",
        "date": "proposed",
        **extra,
    }
    return client.post(_path(invitation), data)


def test_inviting_mails_a_signed_link_and_records_who_invited(invitation, personas):
    mail = OutboundEmail.objects.get(template="webinars/speaker-invitation")
    assert mail.to == ["sam@example.org"]
    assert invitation_url(invitation).split("/speaker/")[0] in mail.body_text
    assert "Wed 6 May 2099, 16:00 UTC" in mail.body_text
    assert "We would love to hear about <your> work." in mail.body_text  # text part: as written
    assert "&lt;your&gt;" in mail.body_html
    assert invitation.invited_by == personas.webinar_committee
    assert invitation.state == InvitationState.INVITED
    assert invitation.release == ReleaseState.PENDING
    assert invitation.person.name == "Sam Speaker"  # the nominee, never the nominator


def test_only_an_accepted_nomination_with_a_draft_can_be_invited(personas):
    nomination = SpeakerNominationFactory(status=NominationStatus.ACCEPTED)
    with pytest.raises(ValidationError):
        speaker_invite(nomination=nomination, by=personas.webinar_committee)
    assert SpeakerInvitation.objects.count() == 0


def test_the_speaker_accepts_the_proposed_date_with_a_photo(client, invitation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = _accept(client, invitation, photo=_png())
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.ACCEPTED
    assert invitation.accepts_proposed_date is True
    assert invitation.talk_title == "Dynamics, learned"
    assert invitation.photo.name.startswith("speakers/")
    with invitation.photo.open("rb") as stored, Image.open(stored) as photo:
        assert max(photo.size) == 480  # the portal's image handling: resized, re-encoded
        assert not photo.getexif()
    webinar = Webinar.objects.get(pk=invitation.webinar_id)
    assert webinar.start_at == PROPOSED
    assert list(webinar.speaker_slots.values_list("talk_title", flat=True)) == ["Dynamics, learned"]
    told = OutboundEmail.objects.get(template="webinars/speaker-answered")
    assert told.to == ["webinar@example.org"]
    # Answering again is refused: the page now asks for the release instead.
    page = client.get(_path(invitation)).content.decode()
    assert "Recording release" in page
    assert 'name="decision"' not in page


def test_the_speaker_may_propose_another_date(client, invitation):
    response = _accept(client, invitation, date="other", start_at="2099-06-01T15:30")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.accepts_proposed_date is False
    assert invitation.speaker_start_at == datetime(2099, 6, 1, 15, 30, tzinfo=UTC)
    assert Webinar.objects.get(pk=invitation.webinar_id).start_at != PROPOSED


def test_accepting_needs_title_abstract_bio_and_a_date(client, invitation):
    response = client.post(_path(invitation), {"decision": "accept", "date": "other"})
    assert response.status_code == 200
    errors = response.context["answer_form"].errors
    assert set(errors) == {"talk_title", "abstract", "bio", "start_at"}
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.INVITED


def test_declining_closes_the_invitation(client, invitation):
    assert client.post(_path(invitation), {"decision": "decline"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.DECLINED
    page = client.get(_path(invitation)).content.decode()
    assert "You declined" in page
    assert client.post(_path(invitation), {"answer": "sign", "name": "Sam"}).status_code == 200
    invitation.refresh_from_db()
    assert invitation.release == ReleaseState.PENDING


def test_signing_the_release_records_who_when_and_the_text(client, invitation):
    _accept(client, invitation)
    Webinar.objects.filter(pk=invitation.webinar_id).update(release_text="Publish it, please.")
    response = client.post(_path(invitation), {"answer": "sign", "name": "  Sam   Speaker "})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.release == ReleaseState.SIGNED
    assert invitation.release_name == "Sam Speaker"
    assert invitation.release_text == "Publish it, please."
    assert invitation.release_answered_at is not None
    webinar = Webinar.objects.get(pk=invitation.webinar_id)
    assert webinar.replay_released_at is not None
    assert webinar.replay_release_note == "Signed by Sam Speaker"


def test_a_refused_release_can_be_signed_later_and_never_before_accepting(invitation):
    with pytest.raises(ValidationError):
        invitation_release(invitation=invitation, signed=True, name="Sam")
    invitation_respond(invitation=invitation, accept=True, talk_title="T", abstract="A", bio="B")
    invitation_release(invitation=invitation, signed=False, name="Sam")
    webinar = Webinar.objects.get(pk=invitation.webinar_id)
    assert webinar.replay_released_at is None
    invitation_release(invitation=invitation, signed=True, name="Sam")
    webinar.refresh_from_db()
    assert webinar.replay_released_at is not None
    invitation_release(invitation=invitation, signed=False, name="Sam")  # withdrawn again
    webinar.refresh_from_db()
    assert webinar.replay_released_at is None


@pytest.mark.parametrize("tamper", ["forged", "other-webinar", "expired", "old-address"])
def test_a_bad_link_changes_nothing(client, invitation, tamper, monkeypatch):
    path = _path(invitation)
    if tamper == "forged":
        path = re.sub(r"/speaker/[^/]+/", "/speaker/abc:def/", path)
    elif tamper == "other-webinar":
        path = path.replace(invitation.webinar.slug, "another-webinar")
    elif tamper == "expired":
        signed_at = (timezone.now() - INVITE_MAX_AGE - timedelta(minutes=1)).timestamp()
        with monkeypatch.context() as patch:
            patch.setattr(signing.time, "time", lambda: signed_at)
            data = {"i": invitation.pk, "e": invitation.email_key}
            token = signing.dumps(data, salt=INVITE_SALT)
        path = re.sub(r"/speaker/[^/]+/", f"/speaker/{token}/", path)
    elif tamper == "old-address":
        SpeakerInvitation.objects.filter(pk=invitation.pk).update(email_key="new@example.org")
    response = client.post(path, {"decision": "decline"})
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.INVITED


# --- Query budgets ---------------------------------------------------------------------


def _invitations(n: int, by) -> list[SpeakerInvitation]:
    made = []
    for i in range(n):
        nomination = SpeakerNominationFactory(
            nominee_name=f"Budget Speaker {i}", status=NominationStatus.ACCEPTED
        )
        webinar_create_from_nomination(nomination=nomination, by=by)
        nomination.refresh_from_db()
        made.append(speaker_invite(nomination=nomination, by=by, proposed_start_at=PROPOSED))
    return made


@pytest.mark.parametrize("n", [1, 3])
def test_invitation_list_query_budget(client_for, personas, django_assert_num_queries, n):
    client = client_for(personas.webinar_committee)
    _invitations(n, personas.webinar_committee)
    url = "/admin/webinars/speakerinvitation/"
    client.get(url)  # warm caches (content types, site settings)
    with django_assert_num_queries(7):
        client.get(url)


@pytest.mark.parametrize("n", [1, 3])
def test_speaker_page_query_budget(client, personas, django_assert_num_queries, n):
    # Other invitations (1 or 3) change nothing: the page reads its own.
    invitation = _invitations(n, personas.webinar_committee)[0]
    client.get(_path(invitation))
    with django_assert_num_queries(1):
        client.get(_path(invitation))
    _accept(client, invitation)
    client.get(_path(invitation))
    with django_assert_num_queries(1):
        client.get(_path(invitation))


def test_a_draft_has_no_date_until_the_speaker_takes_the_proposed_one(nomination, personas):
    webinar = Webinar.objects.get(pk=nomination.webinar_id)
    assert webinar.start_at is None  # no placeholder date
    assert not webinar.has_ended
    Webinar.objects.filter(pk=webinar.pk).update(is_published=False)
    webinar.is_published = True
    with pytest.raises(ValidationError, match="needs a date"):
        webinar.full_clean()
    invitation = speaker_invite(
        nomination=nomination, by=personas.webinar_committee, proposed_start_at=PROPOSED
    )
    invitation_respond(invitation=invitation, accept=True, talk_title="T", abstract="A", bio="B")
    webinar.refresh_from_db()
    assert webinar.start_at == PROPOSED


def test_the_committee_previews_an_undated_draft(nomination, personas, client_for):
    webinar = Webinar.objects.get(pk=nomination.webinar_id)
    page = client_for(personas.webinar_committee).get(webinar.get_absolute_url())
    assert "date not yet agreed" in page.content.decode()


def test_an_undated_draft_has_no_calendar_file(nomination, personas, client_for):
    webinar = Webinar.objects.get(pk=nomination.webinar_id)
    client = client_for(personas.webinar_committee)
    assert "calendar.ics" not in client.get(webinar.get_absolute_url()).content.decode()
    assert client.get(f"/webinars/{webinar.slug}/calendar.ics").status_code == 404


def test_only_the_committee_invites_and_an_answer_is_not_asked_again(nomination, personas, client):
    with pytest.raises(ValidationError):
        speaker_invite(nomination=nomination, by=personas.member)
    assert SpeakerInvitation.objects.count() == 0
    invitation = speaker_invite(nomination=nomination, by=personas.webinar_committee)
    speaker_invite(nomination=nomination, by=personas.webinar_committee)  # a fresh link
    assert SpeakerInvitation.objects.count() == 1
    assert OutboundEmail.objects.filter(template="webinars/speaker-invitation").count() == 2
    client.post(_path(invitation), {"decision": "decline"})
    with pytest.raises(ValidationError, match="already answered"):
        speaker_invite(nomination=nomination, by=personas.webinar_committee)
