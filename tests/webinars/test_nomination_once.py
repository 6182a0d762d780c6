"""Webinar nominations are recorded once per form (issue 15, break 12).

Five parallel posts of one speaker nomination made five rows and ten mails (an
acknowledgement and a committee notice each). Every nomination form now carries a
one-time token (gds_portal.once): the first send records and mails, every other
send of that form is answered with the first nomination and writes nothing.
"""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from gds_portal.models import OutboundEmail
from tests.factories.accounts import UserFactory
from tests.live_posts import post_in_parallel
from webinars.models import FormToken, HostVolunteer, SpeakerNomination, TopicSuggestion
from webinars.services import nomination_submit

SPEAKER = {
    "nominee_name": "Grace Quantum",
    "affiliation": "University of Examples",
    "country": "KE",
    "email": "grace@example.org",
    "website": "https://example.org/grace",
    "proposed_title": "Learning from noisy detectors",
    "rationale": "Widely used work.",
}
FORMS = {
    "speaker": (SpeakerNomination, SPEAKER),
    "topic": (TopicSuggestion, {"title": "Symbolic regression", "description": "Laws"}),
    "host": (HostVolunteer, {"other_topics": "Detectors", "availability": "Fridays"}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(FORMS))
def test_the_same_nomination_form_sent_twice_records_and_mails_once(
    kind, personas, client_for, django_capture_on_commit_callbacks
):
    model, data = FORMS[kind]
    client = client_for(personas.member)
    data = {**data, "token": str(uuid.uuid4())}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/webinars/nominate/{kind}/", data)
        second = client.post(f"/webinars/nominate/{kind}/", data, follow=True)

    nomination = model.objects.get()
    assert first.url == second.redirect_chain[0][0] == nomination.get_absolute_url()
    assert "had already been sent" in second.content.decode()
    assert sorted(m.to[0] for m in OutboundEmail.objects.all()) == [
        "member@example.org",
        "webinar@example.org",
    ]


@pytest.mark.django_db
def test_a_nomination_form_without_its_token_is_refused_and_kept(personas, client_for):
    response = client_for(personas.member).post("/webinars/nominate/speaker/", SPEAKER)
    page = response.content.decode()
    assert "Please check it and send it again." in page
    assert 'value="Grace Quantum"' in page
    assert 'name="token" value="' in page
    assert (SpeakerNomination.objects.count(), OutboundEmail.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_someone_elses_token_creates_nothing_and_reveals_nothing(personas):
    token = uuid.uuid4()
    mine = nomination_submit(
        nomination=TopicSuggestion(title="A", description="B"), by=personas.member, token=token
    )
    theirs = nomination_submit(
        nomination=TopicSuggestion(title="C", description="D"),
        by=personas.other_member,
        token=token,
    )
    assert (theirs.nomination, theirs.replayed) == (None, True)
    assert list(TopicSuggestion.objects.all()) == [mine.nomination]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_five_parallel_posts_of_one_speaker_nomination_record_and_mail_once(live_server):
    member = UserFactory(email="member@example.org")
    url = f"{live_server.url}/webinars/nominate/speaker/"
    answers = post_in_parallel(url, {**SPEAKER, "token": str(uuid.uuid4())}, user=member, times=5)

    nomination = SpeakerNomination.objects.get()
    assert answers == [(302, nomination.get_absolute_url())] * 5
    assert FormToken.objects.get().made == nomination
    # Transactional tests empty the tables, the committee group's members too: the
    # acknowledgement is the one mail, and it is queued once.
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [["member@example.org"]]


@pytest.mark.django_db
def test_the_daily_purge_takes_old_webinar_tokens_and_keeps_the_nomination(personas):
    submitted = nomination_submit(
        nomination=TopicSuggestion(title="A", description="B"),
        by=personas.member,
        token=uuid.uuid4(),
    )
    FormToken.objects.update(created_at=timezone.now() - timedelta(days=31))
    out = StringIO()
    call_command("purge_form_tokens", stdout=out)
    assert out.getvalue() == "Deleted 1 form token(s) older than 30 days.\n"
    assert (FormToken.objects.count(), list(TopicSuggestion.objects.all())) == (
        0,
        [submitted.nomination],
    )
