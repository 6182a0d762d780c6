"""Findings of the second outside probe of issue 21, each reproduced before it was fixed."""

import re
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from elections.enums import CandidacyStatus, ElectionPhase
from elections.models import Ballot, Candidacy, Election, Voter
from elections.services.nominations import candidacy_set_approved
from elections.services.roll import roll_freeze
from elections.services.tick import elections_tick
from elections.services.voting import reminders_send
from elections.views import BALLOT_PAD_BLOCK
from gds_portal.models import OutboundEmail
from tests.elections.scripted import review_then_cast
from tests.elections.test_setup import _admin_form
from tests.factories.accounts import UserFactory
from tests.factories.elections import (
    CandidacyFactory,
    ContestFactory,
    ElectionFactory,
    OfficeFactory,
    election_with_slate,
)

pytestmark = pytest.mark.django_db


def _now(**delta):
    return timezone.now() + timedelta(**delta)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- F1: the size of a voting step's answer says nothing about the choices ---------------


@pytest.fixture
def names_of_every_length():
    election, contest, slate = election_with_slate(candidates=2, slug="sizes")
    for candidacy, name in zip(
        slate, ["Al", "Bartholomew Maximilian Featherstonehaugh-Smythe"], strict=True
    ):
        candidacy.user.full_name = name
        candidacy.user.save()
    roll_freeze(election=election)
    return election, contest, slate


def _sizes(response) -> tuple[int, int]:
    return int(response["Content-Length"]), len(response.content)


def test_review_and_cast_have_one_size_whatever_was_chosen(client_for, names_of_every_length):
    election, contest, slate = names_of_every_length
    field = f"c{contest.pk}"
    choices = [{field: [slate[0].pk]}, {field: [slate[1].pk]}, {}]  # short, long, abstain
    voters = [UserFactory() for _ in choices]
    Voter.objects.bulk_create(Voter(election=election, user=user) for user in voters)
    reviews, casts = set(), set()
    for user, data in zip(voters, choices, strict=True):
        client = client_for(user)
        reviews.add(_sizes(client.post(f"/elections/{election.slug}/ballot/", data)))
        cast = review_then_cast(client, election, data)
        assert 'data-testid="tracker"' in cast.content.decode()
        casts.add(_sizes(cast))
    assert reviews == {(BALLOT_PAD_BLOCK, BALLOT_PAD_BLOCK)}
    assert casts == {(BALLOT_PAD_BLOCK, BALLOT_PAD_BLOCK)}
    assert Ballot.objects.count() == 3


def test_the_ballot_is_padded_and_marked_not_to_be_compressed(
    client_for, personas, names_of_every_length
):
    election, _contest, _slate = names_of_every_length
    response = client_for(personas.member).get(f"/elections/{election.slug}/ballot/")
    assert _sizes(response) == (BALLOT_PAD_BLOCK, BALLOT_PAD_BLOCK)
    assert "no-store" in response["Cache-Control"]
    assert "no-transform" in response["Cache-Control"]
    assert response.content.rstrip().endswith(b"-->")
    # Nothing in the portal compresses pages (a proxy must not either: docs/deploy.md).
    assert not [m for m in settings.MIDDLEWARE if "gzip" in m.lower()]


def test_a_ballot_page_larger_than_a_block_is_padded_to_the_next_multiple(client_for, personas):
    election, _contest, slate = election_with_slate(candidates=30, slug="long")
    for candidacy in slate:
        candidacy.statement = "A long statement. " * 130
        candidacy.save()
    roll_freeze(election=election)
    response = client_for(personas.member).get(f"/elections/{election.slug}/ballot/")
    assert len(response.content) % BALLOT_PAD_BLOCK == 0
    assert len(response.content) > BALLOT_PAD_BLOCK


# --- F2: a self-nominee writes the statement (and a missing name) in the form -------------


@pytest.fixture
def nominations_open():
    election = ElectionFactory(
        slug="noms",
        nominations_open_at=_now(days=-1),
        nominations_close_at=_now(days=10),
        voting_open_at=_now(days=20),
        voting_close_at=_now(days=30),
    )
    return ContestFactory(election=election, office__name="Secretary")


def _nominate(client, contest, **data):
    form = {"contest": contest.pk, "token": str(uuid.uuid4()), **data}
    return client.post(f"/elections/{contest.election.slug}/nominate/", form)


def test_a_self_nomination_needs_a_statement(client_for, personas, nominations_open):
    response = _nominate(client_for(personas.member), nominations_open, myself="on")
    assert response.status_code == 200
    assert "please write your statement for the ballot" in response.content.decode()
    assert not Candidacy.objects.exists()
    _nominate(client_for(personas.member), nominations_open, myself="on", statement="I stand.")
    candidacy = Candidacy.objects.get()
    assert (candidacy.status, candidacy.statement) == (CandidacyStatus.ACCEPTED, "I stand.")


def test_a_nameless_self_nominee_gives_the_ballot_name(client_for, nominations_open):
    nameless = UserFactory(full_name="")
    client = client_for(nameless)
    page = client.get(f"/elections/{nominations_open.election.slug}/nominate/").content.decode()
    assert 'name="name"' in page
    refused = _nominate(client, nominations_open, myself="on", statement="I stand.")
    assert "Please give your name as voters should see it." in refused.content.decode()
    assert not Candidacy.objects.exists()
    _nominate(client, nominations_open, myself="on", statement="I stand.", name="Nia Named")
    nameless.refresh_from_db()
    assert nameless.full_name == "Nia Named"
    assert Candidacy.objects.get().name == "Nia Named"


def test_someone_elses_nomination_needs_no_statement(client_for, personas, nominations_open):
    _nominate(
        client_for(personas.other_member), nominations_open, nominee_email="member@example.org"
    )
    assert Candidacy.objects.get().status == CandidacyStatus.ASKED


def test_my_gds_tells_a_candidate_left_off_the_published_slate(client_for, personas):
    election = ElectionFactory(
        nominations_close_at=_now(days=-2),
        voting_open_at=_now(days=3),
        voting_close_at=_now(days=9),
    )
    contest = ContestFactory(election=election, office__name="Treasurer")
    CandidacyFactory(contest=contest, user=personas.member, is_approved=False)
    CandidacyFactory(contest=contest, user=personas.other_member)
    client = client_for(personas.member)
    assert 'data-testid="slate-status"' not in client.get("/my/").content.decode()
    Election.objects.update(slate_approved_at=_now())
    mine = client.get("/my/").content.decode()
    assert 'data-testid="slate-status">not on the slate the committee published<' in mine
    theirs = client_for(personas.other_member).get("/my/").content.decode()
    assert 'data-testid="slate-status">on the slate the committee published<' in theirs


# --- F3: once the roll is frozen the election is fixed; the tick counts it anyway ---------


def test_the_admin_refuses_any_change_once_the_roll_is_frozen(client_for, personas):
    election, _contest, _slate = election_with_slate(slug="frozen", title="Fall vote")
    roll_freeze(election=election)
    client = client_for(personas.executive)
    url = f"/admin/elections/election/{election.pk}/change/"
    page = client.get(url).content.decode()
    for name in ("title", "slug", "is_announced", "term_starts_on", "contests-0-seats"):
        assert f'name="{name}"' not in page
    assert "nothing of this election can be changed any more" in page
    data = _admin_form(OfficeFactory(), title="Renamed", slug="renamed", is_announced="")
    data.pop("is_announced")
    assert client.post(url, data).status_code == 403
    election.refresh_from_db()
    assert (election.title, election.slug, election.is_announced) == ("Fall vote", "frozen", True)


def test_a_frozen_election_hidden_since_is_still_sealed_and_counted():
    election, _contest, _slate = election_with_slate(slug="hidden")
    roll_freeze(election=election)
    Election.objects.filter(pk=election.pk).update(
        is_announced=False, voting_close_at=_now(seconds=-1)
    )
    assert elections_tick().done == ["hidden: ballots sealed", "hidden: counted"]
    election.refresh_from_db()
    assert election.counted_at is not None


# --- F4: a published slate with nobody on it holds voting, on every page -----------------


def test_a_slate_emptied_before_voting_holds_voting_everywhere(client, client_for, personas):
    election, _contest, _slate = election_with_slate(slug="emptied", voting_open_at=_now(hours=-1))
    Candidacy.objects.update(is_approved=False)
    assert elections_tick().held == ["emptied: voting has not opened: no candidate is on the slate"]
    election.refresh_from_db()
    assert election.phase() == ElectionPhase.HELD
    member = client_for(personas.member)
    for page in (client.get("/elections/emptied/"), member.get("/elections/emptied/")):
        text = page.content.decode()
        assert 'data-testid="phase">Voting not opened: the slate is not ready<' in text
        assert 'data-testid="voting-held"' in text
        assert "not on the voter roll" not in text
    my = member.get("/my/").content.decode()
    assert "voting has not opened yet (the slate is not ready)" in my
    assert "not on the voter roll" not in my


# --- F5: the slate is made after nominations close ---------------------------------------


def test_the_slate_cannot_be_made_while_nominations_are_open(client_for, personas):
    election = ElectionFactory(
        nominations_close_at=_now(days=2), voting_open_at=_now(days=5), voting_close_at=_now(days=9)
    )
    candidacy = CandidacyFactory(contest=ContestFactory(election=election), is_approved=False)
    with pytest.raises(ValidationError, match="nominations are still open"):
        candidacy_set_approved(candidacies=[candidacy], approved=True, by=personas.executive)
    response = client_for(personas.executive).post(
        "/admin/elections/candidacy/",
        {"action": "approve", "_selected_action": [candidacy.pk]},
        follow=True,
    )
    assert any("nominations are still open" in m for m in _messages(response))
    candidacy.refresh_from_db()
    assert candidacy.is_approved is False


# --- F6: every admin action says what it did ---------------------------------------------


@pytest.fixture
def slate_time():
    election = ElectionFactory(
        title="Spring vote",
        nominations_close_at=_now(days=-1),
        voting_open_at=_now(days=5),
        voting_close_at=_now(days=9),
    )
    contest = ContestFactory(election=election)
    return election, contest


def _action(client, model, action, pks):
    return client.post(
        f"/admin/elections/{model}/",
        {"action": action, "_selected_action": pks},
        follow=True,
    )


def test_slate_actions_report_what_they_did(client_for, personas, slate_time):
    election, contest = slate_time
    ready = CandidacyFactory(contest=contest, is_approved=False)
    declined = CandidacyFactory(
        contest=contest, status=CandidacyStatus.DECLINED, statement="", is_approved=False
    )
    asked = CandidacyFactory(contest=contest, status=CandidacyStatus.ASKED, is_approved=False)
    client = client_for(personas.executive)
    picked = [ready.pk, declined.pk, asked.pk]
    assert _messages(_action(client, "candidacy", "approve", picked)) == [
        "1 candidate put on the slate. 2 were not accepted candidates (declined or not "
        "answered) and were left alone."
    ]
    assert _messages(_action(client, "candidacy", "approve", [ready.pk])) == [
        "0 candidates put on the slate. 1 was on it already."
    ]
    assert _messages(_action(client, "election", "publish_slate", [election.pk])) == [
        "Spring vote: the slate is published; members see it on the election page."
    ]
    assert _messages(_action(client, "candidacy", "remove_from_slate", [ready.pk])) == [
        "1 candidate taken off the slate."
    ]


def test_publishing_uncounted_results_says_not_counted_yet(client_for, personas):
    election, _contest, _slate = election_with_slate(slug="uncounted", title="Open vote")
    said = _messages(
        _action(client_for(personas.executive), "election", "publish_results", [election.pk])
    )
    assert len(said) == 1 and said[0].startswith("Open vote: not counted yet.")
    election.refresh_from_db()
    assert election.results_published_at is None


def test_the_committee_results_preview_links_nothing_that_404s(client_for, personas):
    election, _contest, _slate = election_with_slate(slug="review")
    roll_freeze(election=election)
    Election.objects.filter(pk=election.pk).update(voting_close_at=_now(seconds=-1))
    elections_tick()
    page = client_for(personas.executive).get("/elections/review/results/").content.decode()
    assert "Not published" in page
    for link in ("/elections/review/ballots/", "/elections/review/audit.json", "ballots.csv"):
        assert link not in page
    assert 'data-testid="links-after-publication"' in page


# --- F7 / F8d: the self-nominee is told the truth and finds their page in My GDS -----------


def test_a_self_nomination_after_anothers_says_no_mail_and_my_gds_links_the_page(
    client_for, personas, nominations_open
):
    _nominate(
        client_for(personas.other_member), nominations_open, nominee_email="member@example.org"
    )
    mails = OutboundEmail.objects.count()
    client = client_for(personas.member)
    response = _nominate(client, nominations_open, myself="on", statement="I stand.")
    said = _messages(client.get(response.url))
    assert len(said) == 1 and "mailed" not in said[0] and "My GDS" in said[0]
    assert OutboundEmail.objects.count() == mails  # and none was claimed
    candidacy = Candidacy.objects.get()
    assert (candidacy.status, candidacy.statement) == (CandidacyStatus.ACCEPTED, "I stand.")
    my = client.get("/my/").content.decode()
    link = re.search(r'href="(/elections/noms/answer/[^"]+/)">Your nomination page<', my)[1]
    page = client.get(link).content.decode()
    assert 'data-testid="answer-status">Accepted<' in page and "I stand." in page


def test_my_gds_gives_no_nomination_link_after_nominations_close(
    client_for, personas, nominations_open
):
    _nominate(client_for(personas.member), nominations_open, myself="on", statement="I stand.")
    Election.objects.update(nominations_close_at=_now(seconds=-1))
    assert "Your nomination page" not in client_for(personas.member).get("/my/").content.decode()


# --- F8: duplicate marks, a late cut-off, reminders minutes apart -------------------------


def test_a_candidate_marked_twice_is_refused_at_review(client_for, personas):
    election, contest, slate = election_with_slate(slug="twice", seats=2)
    roll_freeze(election=election)
    data = {f"c{contest.pk}": [slate[0].pk, slate[0].pk], "review": "1"}
    page = client_for(personas.member).post("/elections/twice/ballot/", data).content.decode()
    assert "A candidate was marked more than once." in page
    assert 'data-testid="review"' not in page
    assert Ballot.objects.count() == 0


def test_the_admin_refuses_a_cut_off_after_voting_opens(client_for, personas):
    client = client_for(personas.executive)
    opens = _now(days=30)
    late = _admin_form(OfficeFactory(), eligibility_cutoff=(opens + timedelta(days=1)).date())
    response = client.post("/admin/elections/election/add/", late)
    assert "must be on or before the day voting opens" in response.content.decode()
    assert not Election.objects.exists()
    same_day = _admin_form(OfficeFactory(slug="other"), eligibility_cutoff=opens.date())
    assert client.post("/admin/elections/election/add/", same_day).status_code == 302


def test_the_second_reminder_waits_a_sixth_of_the_window(personas):
    election, _contest, _slate = election_with_slate(
        slug="remind", voting_open_at=_now(days=-1), voting_close_at=_now(days=5)
    )
    roll_freeze(election=election)
    voters = Voter.objects.count()
    # The scheduler first runs in the last third, then again five minutes later.
    late = election.voting_open_at + timedelta(days=4, hours=1)
    assert reminders_send(election=election, now=late) == voters
    election.refresh_from_db()
    assert reminders_send(election=election, now=late + timedelta(minutes=5)) == 0
    assert set(Voter.objects.values_list("reminders_sent", flat=True)) == {1}
    # A sixth of the six-day window (a day) after the first, the second goes.
    assert reminders_send(election=election, now=late + timedelta(days=1, minutes=1)) == voters
    assert set(Voter.objects.values_list("reminders_sent", flat=True)) == {2}
