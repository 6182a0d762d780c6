"""A speaker nomination is recorded once per form (issue 15, break 12).

The same POST sent twice, or five times at once, made as many nominations. The
form now carries a one-time token (gds_portal.once, as the abstract form does):
the first send records the nomination, every other send of that form is answered
with it and writes nothing.
"""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import FormToken, SpeakerNomination
from meetings.services.errors import Refused
from meetings.services.nominations import NominationData, nomination_create
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory
from tests.live_posts import post_in_parallel

FORM = {
    "nominee_name": "Nadia Nominee",
    "nominee_affiliation": "Université Exemple",
    "nominee_email": "nadia@example.org",
    "talk_title": "Learning symmetries",
    "rationale": "Opened a new field.",
}


def _open_meeting():
    now = timezone.now()
    return MeetingFactory(
        nominations_open_at=now - timedelta(days=1), nominations_close_at=now + timedelta(days=5)
    )


@pytest.mark.django_db
def test_the_same_nomination_form_sent_twice_records_one(personas, client_for):
    meeting = _open_meeting()
    client = client_for(personas.member)
    url = reverse("meetings:nominate", args=[meeting.slug])
    data = {**FORM, "token": str(uuid.uuid4())}
    first, second = client.post(url, data), client.post(url, data, follow=True)

    assert first.url == second.redirect_chain[0][0] == reverse("meetings:my_nominations")
    assert list(SpeakerNomination.objects.values_list("nominee_name", "nominator")) == [
        ("Nadia Nominee", personas.member.pk)
    ]
    assert "had already been sent" in second.content.decode()


@pytest.mark.django_db
def test_a_nomination_form_without_its_token_is_refused_and_kept(personas, client_for):
    meeting = _open_meeting()
    response = client_for(personas.member).post(
        reverse("meetings:nominate", args=[meeting.slug]), FORM
    )
    page = response.content.decode()
    assert "Please check it and send it again." in page
    assert 'value="Opened a new field.' in page or "Opened a new field." in page
    assert 'name="token" value="' in page  # a fresh one, so sending again works
    assert SpeakerNomination.objects.count() == 0


@pytest.mark.django_db
def test_someone_elses_token_creates_nothing_and_reveals_nothing(personas):
    meeting, token = _open_meeting(), uuid.uuid4()
    data = NominationData(**FORM)
    mine = nomination_create(meeting=meeting, by=personas.member, data=data, token=token)
    theirs = nomination_create(meeting=meeting, by=personas.other_member, data=data, token=token)
    assert (theirs.nomination, theirs.replayed) == (None, True)
    assert list(SpeakerNomination.objects.all()) == [mine.nomination]


@pytest.mark.django_db
def test_a_refused_nomination_does_not_use_up_its_token(personas):
    meeting, token = _open_meeting(), uuid.uuid4()
    meeting.nominations_open_at = timezone.now() + timedelta(days=1)
    meeting.save()
    with pytest.raises(Refused):
        nomination_create(
            meeting=meeting, by=personas.member, data=NominationData(**FORM), token=token
        )
    assert FormToken.objects.filter(token=token).count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_five_parallel_posts_of_one_nomination_form_record_one(live_server):
    member = UserFactory(email="member@example.org")
    meeting = _open_meeting()
    url = f"{live_server.url}/meetings/{meeting.slug}/nominate/"
    answers = post_in_parallel(url, {**FORM, "token": str(uuid.uuid4())}, user=member, times=5)

    assert answers == [(302, "/meetings/my/nominations/")] * 5
    assert SpeakerNomination.objects.count() == 1
    assert FormToken.objects.get().nomination == SpeakerNomination.objects.get()
