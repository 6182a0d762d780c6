"""Voting: review then cast, one vote per member under concurrency, trackers, reminders."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from elections.enums import CountingRule, TrackerPolicy
from elections.models import Ballot, CountedTracker, Voter
from elections.services.roll import roll_freeze
from elections.services.tick import elections_tick
from elections.services.voting import CastRefused, ballot_cast, reminders_send
from gds_portal.models import OutboundEmail
from tests.elections.scripted import review_then_cast
from tests.factories.accounts import UserFactory
from tests.factories.elections import election_with_slate

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(personas):
    election, contest, slate = election_with_slate(candidates=3, slug="fall-2030")
    roll_freeze(election=election)
    election.refresh_from_db()
    return election, contest, slate


def _ballot_url(election) -> str:
    return f"/elections/{election.slug}/ballot/"


def test_review_then_cast_shows_the_tracker_once(client_for, personas, election):
    election, contest, slate = election
    client = client_for(personas.member)
    page = client.get(_ballot_url(election)).content.decode()
    assert "I will serve the members." in page  # statements are on the ballot
    field = f"c{contest.pk}"
    review = client.post(_ballot_url(election), {field: [str(slate[1].pk)]})
    assert review.status_code == 200
    assert 'data-testid="review"' in review.content.decode()
    assert slate[1].name in review.content.decode()
    assert Ballot.objects.count() == 0  # nothing is cast by reviewing
    cast = review_then_cast(client, election, {field: [str(slate[1].pk)]})
    tracker = re.search(r'data-testid="tracker">([A-Z2-7-]+)<', cast.content.decode())[1]
    assert len(tracker) == 19
    assert "no-store" in cast["Cache-Control"]
    ballot = Ballot.objects.get()
    assert ballot.marks == {str(contest.pk): [slate[1].pk]}
    assert ballot.tracker is None  # LIST_ONLY: the tracker is kept apart
    assert list(CountedTracker.objects.values_list("tracker", flat=True)) == [tracker]
    assert Voter.objects.get(user=personas.member).has_voted is True
    # Shown once: the page afterwards says the member voted, and nothing else.
    again = client.get(_ballot_url(election)).content.decode()
    assert tracker not in again and 'data-testid="voted"' in again
    # A cast ballot cannot be changed, not even with the marker of a review made before.
    reviewed = re.search(r'name="reviewed" value="([^"]+)"', review.content.decode())[1]
    data = {field: [str(slate[1].pk)], "reviewed": reviewed, "cast": "1"}
    assert 'data-testid="voted"' in client.post(_ballot_url(election), data).content.decode()
    assert Ballot.objects.count() == 1


def test_change_my_choices_returns_to_the_ballot(client_for, personas, election):
    election, contest, slate = election
    client = client_for(personas.member)
    response = client.post(
        _ballot_url(election), {f"c{contest.pk}": [str(slate[0].pk)], "change": "1"}
    )
    assert "Review my choices" in response.content.decode()
    assert Ballot.objects.count() == 0


def test_receipt_mail_carries_the_tracker_only_when_ballots_do_not(personas, election):
    election, contest, slate = election
    tracker = ballot_cast(
        election=election, user=personas.member, marks={contest.pk: [slate[0].pk]}
    )
    mail = OutboundEmail.objects.get(template="elections/ballot-cast")
    assert tracker in mail.body_text and mail.sensitive
    election.tracker_policy = TrackerPolicy.ON_BALLOTS
    election.save()
    tracker = ballot_cast(
        election=election, user=personas.other_member, marks={contest.pk: [slate[0].pk]}
    )
    mail = OutboundEmail.objects.filter(template="elections/ballot-cast").latest("id")
    assert tracker not in mail.body_text and tracker not in mail.body_html
    assert Ballot.objects.filter(tracker=tracker).count() == 1
    for sent in OutboundEmail.objects.filter(template="elections/ballot-cast"):
        assert not any(c.name in sent.body_text or c.name in sent.body_html for c in slate)


def test_more_than_k_marks_unknown_or_unapproved_candidates_are_refused(personas, election):
    election, contest, slate = election
    slate[2].is_approved = False
    slate[2].save()
    for marks in ([slate[0].pk, slate[1].pk], [slate[2].pk], [slate[0].pk, slate[0].pk], [999999]):
        with pytest.raises(CastRefused):
            ballot_cast(election=election, user=personas.member, marks={contest.pk: marks})
    assert Ballot.objects.count() == 0
    assert Voter.objects.get(user=personas.member).has_voted is False


def test_ranked_ballot_needs_choices_in_order_without_repeats(client_for, personas):
    election, contest, slate = election_with_slate(rule=CountingRule.RANKED, slug="ranked")
    roll_freeze(election=election)
    client = client_for(personas.member)
    r = [f"c{contest.pk}_r{n}" for n in (1, 2, 3)]
    gap = client.post(_ballot_url(election), {r[0]: slate[0].pk, r[2]: slate[1].pk})
    assert "no gaps" in gap.content.decode()
    repeat = client.post(_ballot_url(election), {r[0]: slate[0].pk, r[1]: slate[0].pk})
    assert "at most once" in repeat.content.decode()
    data = {r[0]: slate[2].pk, r[1]: slate[0].pk}
    assert 'data-testid="tracker"' in review_then_cast(client, election, data).content.decode()
    assert Ballot.objects.get().marks == {str(contest.pk): [slate[2].pk, slate[0].pk]}


def test_member_made_ineligible_after_the_freeze_cannot_vote(personas, election):
    election, contest, slate = election
    personas.member.is_active = False
    personas.member.save()
    with pytest.raises(CastRefused):
        ballot_cast(election=election, user=personas.member, marks={contest.pk: [slate[0].pk]})
    assert Ballot.objects.count() == 0


def test_member_added_after_the_freeze_cannot_vote(client_for, election):
    election, contest, slate = election
    newcomer = UserFactory()
    with pytest.raises(CastRefused):
        ballot_cast(election=election, user=newcomer, marks={contest.pk: [slate[0].pk]})
    response = client_for(newcomer).post(
        _ballot_url(election), {f"c{contest.pk}": [slate[0].pk], "cast": "1"}
    )
    assert "not on the voter roll" in response.content.decode()
    assert Ballot.objects.count() == 0


def test_voting_closed_refuses(personas, election):
    election, contest, slate = election
    election.voting_close_at = timezone.now() - timedelta(minutes=1)
    election.voting_open_at = timezone.now() - timedelta(days=1)
    election.save()
    with pytest.raises(CastRefused):
        ballot_cast(election=election, user=personas.member, marks={contest.pk: [slate[0].pk]})


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_casts_by_one_member_make_one_ballot():
    voter = UserFactory()
    election, contest, slate = election_with_slate(slug="race")
    roll_freeze(election=election)
    election.refresh_from_db()
    start = threading.Barrier(20)
    outcomes: list[str] = []

    def attempt(n: int) -> None:
        try:
            start.wait()
            tracker = ballot_cast(
                election=election, user=voter, marks={contest.pk: [slate[n % 3].pk]}
            )
            outcomes.append(f"cast {tracker}")
        except CastRefused:
            outcomes.append("refused")
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o.split()[0] for o in outcomes) == ["cast"] + ["refused"] * 19
    assert Ballot.objects.filter(election=election).count() == 1
    assert CountedTracker.objects.filter(election=election).count() == 1
    assert Voter.objects.get(election=election, user=voter).has_voted is True


def test_at_most_two_reminders_to_those_who_have_not_voted(personas, election):
    election, contest, _slate = election
    ballot_cast(election=election, user=personas.other_member, marks={contest.pk: []})
    window = election.voting_close_at - election.voting_open_at
    at = [election.voting_open_at + window * f for f in (0.2, 0.4, 0.45, 0.7, 0.95)]
    sent = [reminders_send(election=election, now=moment) for moment in at]
    waiting = Voter.objects.filter(election=election, has_voted=False).count()
    assert sent == [0, waiting, 0, waiting, 0]
    reminded = OutboundEmail.objects.filter(template="elections/vote-reminder")
    recipients = [mail.to[0] for mail in reminded]
    assert personas.other_member.email not in recipients
    assert recipients.count(personas.member.email) == 2
    assert set(Voter.objects.values_list("reminders_sent", flat=True)) == {0, 2}
    assert elections_tick(now=at[-1]).done == []  # the scheduler sends nothing more either
