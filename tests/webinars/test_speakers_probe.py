"""The outside tester's findings on the speaker's path (issue 17 item 4), one test each."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tests.factories.community import PersonFactory
from tests.factories.webinars import FUTURE, SpeakerNominationFactory, WebinarFactory
from webinars.enums import InvitationState, NominationStatus, ReleaseState
from webinars.models import SpeakerInvitation, Webinar
from webinars.services import webinar_create_from_nomination
from webinars.speakers import (
    invitation_release,
    invitation_respond,
    invitation_url,
    signature_matches,
    speaker_invite,
    webinar_update_release,
)

pytestmark = pytest.mark.django_db

ANSWER = {
    "decision": "accept",
    "talk_title": "Chaos, accepted",
    "abstract": "An abstract.",
    "bio": "A biography.",
    "date": "proposed",
}


def _invite(personas, name="Émile Durand", email="emile@example.org", title="Proposed title"):
    nomination = SpeakerNominationFactory(
        nominee_name=name,
        email=email,
        proposed_title=title,
        status=NominationStatus.ACCEPTED,
    )
    webinar_create_from_nomination(nomination=nomination, by=personas.webinar_committee)
    nomination.refresh_from_db()
    return speaker_invite(
        nomination=nomination, by=personas.webinar_committee, proposed_start_at=FUTURE
    )


@pytest.fixture
def invitation(personas):
    return _invite(personas)


def _path(invitation) -> str:
    return urlsplit(invitation_url(invitation)).path


def _accept_and_sign(client, invitation):
    assert client.post(_path(invitation), ANSWER).status_code == 302
    response = client.post(_path(invitation), {"answer": "sign", "name": "emile  DURAND"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.release == ReleaseState.SIGNED


# 1. The signed text is the one shown, and it cannot change once signed.


def test_the_speaker_sees_the_text_they_signed_and_the_committee_cannot_change_it(
    client, invitation, personas, client_for
):
    Webinar.objects.filter(pk=invitation.webinar_id).update(release_text="The signed words.")
    _accept_and_sign(client, invitation)
    # Changed behind the form (a shell, an import): the page still shows what was signed.
    Webinar.objects.filter(pk=invitation.webinar_id).update(release_text="Other words.")
    page = client.get(_path(invitation)).content.decode()
    assert "The signed words." in page
    assert "Other words." not in page

    admin = client_for(personas.webinar_committee)
    url = f"/admin/webinars/webinar/{invitation.webinar_id}/change/"
    form = admin.get(url).context["adminform"].form
    assert form.fields["release_text"].disabled
    assert "a speaker has signed this text" in admin.get(url).content.decode()
    data = {**form.initial, "release_text": "Sneaked in."}
    bound = type(form)(data=data, instance=form.instance)
    bound.is_valid()
    assert bound.cleaned_data.get("release_text") != "Sneaked in."


def test_after_a_withdrawal_the_text_can_change_again(client, invitation, personas, client_for):
    _accept_and_sign(client, invitation)
    invitation_release(invitation=invitation, signed=False, name="Émile Durand")
    admin = client_for(personas.webinar_committee)
    url = f"/admin/webinars/webinar/{invitation.webinar_id}/change/"
    assert not admin.get(url).context["adminform"].form.fields["release_text"].disabled


# 2. A second "Send my answer" is no error.


def test_a_double_click_on_send_my_answer_keeps_the_first_answer(client, invitation):
    assert client.post(_path(invitation), ANSWER).status_code == 302
    again = client.post(_path(invitation), {**ANSWER, "talk_title": "Second"}, follow=True)
    assert again.status_code == 200
    assert "Your answer was already recorded" in again.content.decode()
    invitation.refresh_from_db()
    assert invitation.talk_title == "Chaos, accepted"


def test_an_answer_raced_past_the_page_check_is_no_error(client, invitation, monkeypatch):
    # Two requests both saw the invitation unanswered; the second loses in the service.
    invitation_respond(invitation=invitation, accept=False)
    SpeakerInvitation.objects.filter(pk=invitation.pk).update(state=InvitationState.INVITED)
    real = invitation_respond

    def answered_meanwhile(**kwargs):
        SpeakerInvitation.objects.filter(pk=invitation.pk).update(state=InvitationState.DECLINED)
        return real(**kwargs)

    monkeypatch.setattr("webinars.views.invitation_respond", answered_meanwhile)
    response = client.post(_path(invitation), ANSWER, follow=True)
    assert response.status_code == 200
    assert "Your answer was already recorded" in response.content.decode()


# 3. A signed release can be withdrawn from the page.


def test_a_signed_release_is_withdrawn_from_the_page(client, invitation):
    _accept_and_sign(client, invitation)
    Webinar.objects.filter(pk=invitation.webinar_id).update(
        replay_url="https://youtu.be/abcdefghijk"
    )
    page = client.get(_path(invitation)).content.decode()
    assert "Withdraw my agreement" in page
    assert "taken off the site at once" in page
    response = client.post(_path(invitation), {"answer": "refuse", "name": "Emile Durand"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.release == ReleaseState.REFUSED
    assert Webinar.objects.get(pk=invitation.webinar_id).replay_released_at is None


def test_the_withdraw_form_only_withdraws(client, invitation):
    _accept_and_sign(client, invitation)
    # A signed release shows only the withdraw form: whatever answer is posted, it refuses.
    response = client.post(_path(invitation), {"answer": "sign", "name": "Emile Durand"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.release == ReleaseState.REFUSED


def test_withdrawing_needs_the_speakers_name_too(client, invitation):
    _accept_and_sign(client, invitation)
    response = client.post(_path(invitation), {"answer": "refuse", "name": "Mallory"})
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.release == ReleaseState.SIGNED


# 4. Only the invited speaker's name signs.


@pytest.mark.parametrize(
    ("typed", "matches"),
    [
        ("Émile Durand", True),
        ("emile durand", True),
        ("  EMILE   Durand ", True),
        ("Mallory, not the speaker", False),
        ("Emile", False),
        ("", False),
    ],
)
def test_signature_matching_ignores_case_spaces_and_accents(typed, matches):
    assert signature_matches(typed, "Émile Durand") is matches


def test_a_name_other_than_the_speakers_does_not_sign(client, invitation):
    client.post(_path(invitation), ANSWER)
    response = client.post(
        _path(invitation), {"answer": "sign", "name": "Mallory, not the speaker"}
    )
    assert response.status_code == 200
    assert "Sign with the name this invitation is for: Émile Durand" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.release == ReleaseState.PENDING
    assert Webinar.objects.get(pk=invitation.webinar_id).replay_released_at is None


# 5. Declined invitations do not hold the replay back.


def test_a_declined_invitation_does_not_block_the_release(personas):
    accepted = _invite(personas)
    other = PersonFactory(name="Dora Declines", email="dora@example.org")
    declined = SpeakerInvitation.objects.create(
        webinar=accepted.webinar, person=other, email=other.email, state=InvitationState.DECLINED
    )
    invitation_respond(invitation=accepted, accept=True, talk_title="T", abstract="A", bio="B")
    invitation_release(invitation=accepted, signed=True, name="Émile Durand")
    webinar = Webinar.objects.get(pk=accepted.webinar_id)
    assert webinar.replay_released_at is not None
    assert webinar.replay_release_note == "Signed by Émile Durand"
    # It still fails when an accepted speaker has not signed (so the test can fail).
    SpeakerInvitation.objects.filter(pk=declined.pk).update(state=InvitationState.ACCEPTED)
    webinar_update_release(webinar=webinar)
    assert Webinar.objects.get(pk=accepted.webinar_id).replay_released_at is None


# 6. Wording.


def test_an_undated_run_sheet_says_so_and_offers_no_sending(personas, client_for):
    webinar = WebinarFactory(slug="undated-run-sheet", start_at=None, is_published=False)
    page = client_for(personas.webinar_committee).get(
        f"/webinars/committee/{webinar.slug}/run-sheet/"
    )
    text = page.content.decode()
    assert "date not agreed yet" in text
    assert ", UTC" not in text
    assert "When: UTC" not in text
    assert "Send the run sheet</button>" not in text


def test_a_run_sheet_after_the_event_is_not_offered(personas, client_for):
    webinar = WebinarFactory(
        slug="past-run-sheet",
        start_at=timezone.now() - timedelta(days=2),
        join_url="https://x.org/j",
    )
    text = (
        client_for(personas.webinar_committee)
        .get(f"/webinars/committee/{webinar.slug}/run-sheet/")
        .content.decode()
    )
    assert "Send the run sheet</button>" not in text
    assert "cancelled or over" in text


def test_the_speaker_page_shows_the_accepted_title(client, invitation):
    client.post(_path(invitation), ANSWER)
    page = client.get(_path(invitation)).content.decode()
    assert "you accepted to speak in the GDS webinar series: <strong" in page
    assert "Chaos, accepted" in page
    assert "Proposed title</strong>" not in page


def test_the_admin_says_exactly_whether_the_replay_is_public(
    client, invitation, personas, client_for
):
    _accept_and_sign(client, invitation)
    admin = client_for(personas.webinar_committee)
    url = f"/admin/webinars/webinar/{invitation.webinar_id}/change/"
    assert "there is no replay address" in admin.get(url).content.decode()
    Webinar.objects.filter(pk=invitation.webinar_id).update(
        replay_url="https://youtu.be/abcdefghijk", is_published=True
    )
    page = admin.get(url).content.decode()
    assert "Yes: release recorded (Signed by emile DURAND" in page
    assert "once there is a replay" not in page
