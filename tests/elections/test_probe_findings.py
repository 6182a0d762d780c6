"""Findings of the outside probe of issue 21, each reproduced before it was fixed."""

import logging
import re
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import dateformat, timezone

from community.models import Person
from elections.enums import CandidacyStatus, CountingRule, ElectionPhase
from elections.models import Ballot, Candidacy, Election, Voter
from elections.services.nominations import candidacy_answer, slate_publish
from elections.services.results import results_publish
from elections.services.roll import roll_freeze
from elections.services.tick import elections_tick
from gds_portal.models import OutboundEmail
from tests.elections.scripted import cast_through_the_page, close, review_then_cast
from tests.elections.test_setup import _admin_form
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.elections import (
    CandidacyFactory,
    ContestFactory,
    ElectionFactory,
    OfficeFactory,
    TermFactory,
    election_with_slate,
)

pytestmark = pytest.mark.django_db


def _now(**delta):
    return timezone.now() + timedelta(**delta)


# --- The scheduler goes on past an election that raises ---------------------------------


def _closed_pair():
    """Two closed elections; counting the first raises (a tie rule the code does not know,
    as a hand-edited row or a half-applied upgrade leaves it). The first is tick's first."""
    broken, _, _ = election_with_slate(slug="broken", rule=CountingRule.RANKED)
    good, _, _ = election_with_slate(slug="good", voting_open_at=_now(days=-2))
    for election in (broken, good):
        roll_freeze(election=election)
    Election.objects.update(voting_close_at=_now(seconds=-1))
    Election.objects.filter(pk=broken.pk).update(tie_rule="no-such-rule")
    return broken, good


def test_tick_counts_the_other_elections_when_one_raises(caplog):
    broken, good = _closed_pair()
    with caplog.at_level(logging.ERROR, logger="elections.services.tick"):
        report = elections_tick()
    assert report.failed == ["broken"]
    assert "good: counted" in report.done
    good.refresh_from_db()
    broken.refresh_from_db()
    assert (good.counted_at is not None, broken.counted_at) == (True, None)
    logged = [r for r in caplog.records if r.name == "elections.services.tick"]
    assert [(r.levelname, r.exc_info[0]) for r in logged] == [("ERROR", ValueError)]
    assert "broken" in logged[0].getMessage()


def test_election_tick_command_exits_non_zero_after_finishing_the_others():
    _broken, good = _closed_pair()
    out = StringIO()
    with pytest.raises(CommandError, match="broken"):
        call_command("election_tick", stdout=out, stderr=StringIO())
    assert "good: counted" in out.getvalue()
    good.refresh_from_db()
    assert good.counted_at is not None


# --- No gap between nominations and voting; voting on an unpublished slate --------------


def _windows(closes, opens) -> dict:
    return {
        "nominations_close_at_0": closes.strftime("%Y-%m-%d"),
        "nominations_close_at_1": closes.strftime("%H:%M:%S"),
        "voting_open_at_0": opens.strftime("%Y-%m-%d"),
        "voting_open_at_1": opens.strftime("%H:%M:%S"),
        "eligibility_cutoff": closes.strftime("%Y-%m-%d"),  # on or before voting opens
    }


def test_admin_refuses_voting_that_opens_less_than_a_day_after_nominations_close(
    client_for, personas
):
    client = client_for(personas.executive)
    office = OfficeFactory()
    closes = _now(days=20).replace(microsecond=0)
    for gap in (timedelta(0), timedelta(hours=-1), timedelta(hours=23, minutes=59)):
        data = _admin_form(office, **_windows(closes, closes + gap))
        response = client.post("/admin/elections/election/add/", data)
        assert response.status_code == 200
        assert "at least one day after nominations close" in response.content.decode()
    assert not Election.objects.exists()
    data = _admin_form(office, **_windows(closes, closes + timedelta(days=1)))
    assert client.post("/admin/elections/election/add/", data).status_code == 302
    assert Election.objects.count() == 1


def test_the_model_refuses_no_gap_between_nominations_and_voting():
    election = ElectionFactory.build(nominations_close_at=_now(days=5), voting_open_at=_now(days=5))
    with pytest.raises(ValidationError) as refused:
        election.full_clean()
    assert "voting_open_at" in refused.value.message_dict


def _unpublished(**kw):
    """Voting was due an hour ago; a candidate is approved but the slate never published."""
    election = ElectionFactory(slug="unpublished", voting_open_at=_now(hours=-1), **kw)
    CandidacyFactory(contest=ContestFactory(election=election))
    return election


def test_voting_does_not_open_without_a_published_slate(client_for, personas, client):
    election = _unpublished()
    report = elections_tick()
    assert report.held == ["unpublished: voting has not opened: the slate has not been published"]
    assert report.done == []
    election.refresh_from_db()
    assert (election.roll_frozen_at, Voter.objects.count()) == (None, 0)
    assert election.phase() == ElectionPhase.HELD
    # The member's ballot does not freeze the roll either, and says why.
    ballot = client_for(personas.member).get("/elections/unpublished/ballot/").content.decode()
    assert "Voting has not opened yet: the slate of candidates is not ready." in ballot
    assert 'name="review"' not in ballot
    page = client.get(election.get_absolute_url()).content.decode()
    assert 'data-testid="voting-held"' in page
    assert Voter.objects.count() == 0


def test_voting_does_not_open_on_a_published_slate_with_nobody_on_it():
    election = ElectionFactory(
        slug="empty", voting_open_at=_now(hours=-1), slate_approved_at=_now()
    )
    CandidacyFactory(contest=ContestFactory(election=election), is_approved=False)
    assert roll_freeze(election=election) is False
    assert elections_tick().held == ["empty: voting has not opened: no candidate is on the slate"]


def test_an_office_without_candidates_does_not_hold_up_the_others():
    election, _contest, _slate = election_with_slate(slug="partial")
    ContestFactory(election=election)  # nobody stood: counted with no winner
    assert roll_freeze(election=election) is True


def test_an_election_whose_voting_never_opened_is_never_counted():
    election = _unpublished()
    Election.objects.filter(pk=election.pk).update(voting_close_at=_now(seconds=-1))
    report = elections_tick()
    assert report.done == []
    assert report.held == ["unpublished: voting has not opened: the slate has not been published"]
    election.refresh_from_db()
    assert (election.sealed_at, election.counted_at) == (None, None)


def test_the_tick_command_prints_why_voting_did_not_open():
    _unpublished()
    out = StringIO()
    call_command("election_tick", stdout=out)
    assert "unpublished: voting has not opened: the slate has not been published" in out.getvalue()


def test_publishing_an_empty_slate_is_refused(personas):
    election = ElectionFactory(nominations_close_at=_now(hours=-1), voting_open_at=_now(days=2))
    CandidacyFactory(
        contest=ContestFactory(election=election), status=CandidacyStatus.ASKED, is_approved=False
    )
    with pytest.raises(ValidationError, match="no candidate is on the slate"):
        slate_publish(election=election, by=personas.executive)
    election.refresh_from_db()
    assert election.slate_approved_at is None


def test_the_election_admin_page_tells_the_committee_why_voting_will_not_open(client_for, personas):
    election = _unpublished()
    ContestFactory(election=election, office__name="Secretary")
    page = client_for(personas.executive).get(f"/admin/elections/election/{election.pk}/change/")
    text = page.content.decode()
    assert "but it will not open: the slate has not been published" in text
    assert "Nobody is on the slate for Secretary" in text


# --- A member with no full name is never shown blank --------------------------------


def test_a_candidate_without_a_full_name_is_named_everywhere(client, client_for, personas):
    election, contest, slate = election_with_slate(candidates=2, slug="names")
    nameless = slate[0].user
    nameless.email, nameless.full_name = "nameless.one@example.org", ""
    nameless.save()
    # A linked profile with no name falls back to its account's full name.
    profile_user = slate[1].user
    profile_user.full_name = "Paula Profile"
    profile_user.save()
    slate[1].person = PersonFactory(name="", user=profile_user)
    slate[1].save()
    page = client.get(election.get_absolute_url()).content.decode()
    assert f'id="candidate-{slate[0].pk}">nameless.one<' in page
    assert "Paula Profile</a>" in page
    roll_freeze(election=election)
    voter = client_for(personas.member)
    ballot = voter.get(f"/elections/{election.slug}/ballot/").content.decode()
    assert ballot.count("nameless.one") == 2 and ballot.count("Paula Profile") == 2  # card, box
    review = voter.post(f"/elections/{election.slug}/ballot/", {f"c{contest.pk}": [slate[0].pk]})
    assert "nameless.one" in review.content.decode()
    cast_through_the_page(voter, election, {f"c{contest.pk}": [str(slate[0].pk)]})
    close(election)
    committee = client_for(personas.executive)
    results = committee.get(f"/elections/{election.slug}/results/").content.decode()
    assert "Elected: <strong>nameless.one</strong>" in results
    assert '<th scope="row">Paula Profile</th>' in results
    candidacies = committee.get("/admin/elections/candidacy/").content.decode()
    assert "nameless.one" in candidacies and "Paula Profile" in candidacies
    results_publish(election=election, by=personas.executive)
    assert Person.objects.get(office_terms__isnull=False).name == "nameless.one"
    ballots = client.get(f"/elections/{election.slug}/ballots/").content.decode()
    assert "<td>nameless.one</td>" in ballots


def test_an_office_holder_whose_profile_has_no_name_is_named_on_the_officers_page(client):
    holder = UserFactory(full_name="Hana Holder")
    TermFactory(person=PersonFactory(name="", user=holder), office__name="Chair")
    page = client.get("/elections/officers/").content.decode()
    assert "Hana Holder</a>" in page


# --- A ballot is cast only from the review page, and only as the ballot has it -----------


@pytest.fixture
def open_vote():
    election, contest, slate = election_with_slate(candidates=3, slug="vote")
    roll_freeze(election=election)
    election.refresh_from_db()
    return election, contest, slate


def _nothing_cast(user) -> bool:
    return Ballot.objects.count() == 0 and not Voter.objects.get(user=user).has_voted


def _reviewed(response) -> str:
    return re.search(r'name="reviewed" value="([^"]+)"', response.content.decode())[1]


def test_a_cast_that_skips_the_review_is_refused(client_for, personas, open_vote):
    _election, contest, slate = open_vote
    response = client_for(personas.member).post(
        "/elections/vote/ballot/", {f"c{contest.pk}": [slate[0].pk], "cast": "1"}
    )
    page = response.content.decode()
    summary = page[page.index("data-error-summary") :]  # the form's error summary (an alert)
    assert "Your ballot was not cast: a ballot is cast only from the review" in summary
    assert 'name="review"' in page  # the ballot again, choices kept
    assert _nothing_cast(personas.member)


def test_a_review_marker_casts_only_its_own_choices_for_its_own_voter(
    client_for, personas, open_vote
):
    election, contest, slate = open_vote
    url, field = "/elections/vote/ballot/", f"c{contest.pk}"
    member, other = client_for(personas.member), client_for(personas.other_member)
    mine = _reviewed(member.post(url, {field: [slate[0].pk]}))
    theirs = _reviewed(other.post(url, {field: [slate[0].pk]}))
    for data in (
        {field: [slate[1].pk], "reviewed": mine},  # other choices than those reviewed
        {field: [slate[0].pk], "reviewed": theirs},  # another voter's review
        {field: [slate[0].pk], "reviewed": mine[:-3] + "abc"},  # forged
    ):
        page = member.post(url, {**data, "cast": "1"}).content.decode()
        assert "cast only from the review page" in page
    assert _nothing_cast(personas.member)
    cast = review_then_cast(member, election, {field: [slate[0].pk]}).content.decode()
    assert 'data-testid="tracker"' in cast  # the marker of the review itself casts


def test_an_office_that_is_not_on_the_ballot_is_refused_not_dropped(
    client_for, personas, open_vote
):
    _election, contest, slate = open_vote
    url, field = "/elections/vote/ballot/", f"c{contest.pk}"
    client = client_for(personas.member)
    # Alone, the unknown field used to be dropped and an abstention cast.
    for data in ({"c999999": [slate[0].pk]}, {field: [slate[0].pk], f"{field}_r1": slate[1].pk}):
        page = client.post(url, {**data, "review": "1"}).content.decode()
        assert "an office or a choice that is not on your ballot" in page
        assert 'data-testid="review"' not in page
    reviewed = _reviewed(client.post(url, {field: [slate[0].pk]}))
    data = {field: [slate[0].pk], "c999999": [slate[1].pk], "reviewed": reviewed, "cast": "1"}
    assert "not on your ballot" in client.post(url, data).content.decode()
    assert _nothing_cast(personas.member)


def test_a_candidate_of_another_office_is_refused(client_for, personas, open_vote):
    election, contest, _slate = open_vote
    elsewhere = CandidacyFactory(contest=ContestFactory(election=election))
    data = {f"c{contest.pk}": [elsewhere.pk], "review": "1"}
    page = client_for(personas.member).post("/elections/vote/ballot/", data).content.decode()
    assert "a choice is not a candidate for that office" in page
    assert 'data-testid="review"' not in page
    assert _nothing_cast(personas.member)


# --- The voter roll, said the same way everywhere; a refused cast says so -----------------


def test_an_off_roll_members_cast_shows_the_error(client_for, open_vote):
    _election, contest, slate = open_vote
    newcomer = UserFactory()  # joined after the freeze
    data = {f"c{contest.pk}": [slate[0].pk], "cast": "1"}
    page = client_for(newcomer).post("/elections/vote/ballot/", data).content.decode()
    assert (
        'role="alert" data-testid="not-cast">Your ballot was not cast. '
        "You are not on the voter roll of this election.</div>"
    ) in page
    assert Ballot.objects.count() == 0
    # Only a refused cast alarms; looking at the page does not.
    looked = client_for(newcomer).get("/elections/vote/ballot/").content.decode()
    assert "You are not on the voter roll" in looked and 'data-testid="not-cast"' not in looked


def test_the_roll_is_said_frozen_at_its_time_in_the_site_time_zone(client, client_for):
    election, _contest, _slate = election_with_slate(slug="roll")
    frozen = election.voting_open_at + timedelta(minutes=3)  # the scheduler's next run
    roll_freeze(election=election, now=frozen)
    when = dateformat.format(timezone.localtime(frozen), "j F Y, H:i e")
    said = f'The voter roll was frozen on <span data-testid="roll-frozen-at">{when}</span>'
    assert when.endswith(" UTC")  # settings.TIME_ZONE
    newcomer = client_for(UserFactory())  # off the roll
    pages = [
        client.get("/elections/roll/"),
        newcomer.get("/elections/roll/"),
        newcomer.get("/elections/roll/ballot/"),
    ]
    for page in (response.content.decode() for response in pages):
        assert said in page
        assert "existed on" not in page


# --- The nomination window is fixed once the roll is frozen -----------------------------


def test_the_nomination_window_is_read_only_once_the_roll_is_frozen(client_for, personas):
    election, _contest, _slate = election_with_slate(slug="fixed")
    roll_freeze(election=election)
    election.refresh_from_db()
    client = client_for(personas.executive)
    url = f"/admin/elections/election/{election.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="nominations_open_at_0"' not in page
    assert 'name="nominations_close_at_0"' not in page
    assert "Fixed once the voter roll is frozen" in page
    reopened = _now(days=3)
    data = {
        "title": election.title,
        "slug": election.slug,
        "description": "Changed",
        "is_announced": "on",
        "term_starts_on": "2031-04-01",
        "term_ends_on": "2032-03-31",
        "nominations_close_at_0": reopened.strftime("%Y-%m-%d"),
        "nominations_close_at_1": "09:00:00",
        "_save": "Save",
    }
    # Since the second probe (F3) no field changes once the roll is frozen: refused whole.
    assert client.post(url, data).status_code == 403
    before = (election.description, election.nominations_close_at)
    election.refresh_from_db()
    assert (election.description, election.nominations_close_at) == before


# --- A self-nomination is accepted at once -------------------------------------------


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


def test_a_self_nomination_is_accepted_at_once_and_the_statement_stays_editable(
    client, client_for, personas, nominations_open
):
    _nominate(client_for(personas.member), nominations_open, myself="on", statement="Draft.")
    candidacy = Candidacy.objects.get()
    assert (candidacy.user, candidacy.status) == (personas.member, CandidacyStatus.ACCEPTED)
    assert candidacy.answered_at is not None
    mail = OutboundEmail.objects.get(template="elections/nominee-ask")
    assert "accept" not in (mail.subject + mail.body_text).lower()
    assert "We have your statement for the ballot" in mail.body_text
    link = re.search(r"https?://[^/\s]+(/elections/\S+/answer/\S+/)", mail.body_text)[1]
    page = client_for(personas.member).get(link).content.decode()
    assert 'data-testid="answer-status">Accepted<' in page
    client_for(personas.member).post(link, {"decision": "accept", "statement": "I stand."})
    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.statement) == (CandidacyStatus.ACCEPTED, "I stand.")


def test_nominating_yourself_after_declining_stands_again(client_for, personas, nominations_open):
    _nominate(
        client_for(personas.other_member), nominations_open, nominee_email="member@example.org"
    )
    candidacy = Candidacy.objects.get()
    candidacy_answer(candidacy=candidacy, accept=False)
    _nominate(client_for(personas.member), nominations_open, myself="on", statement="I stand.")
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.ACCEPTED
    asked = OutboundEmail.objects.filter(template="elections/nominee-ask").order_by("pk")
    assert ["yourself" in mail.body_text for mail in asked] == [False, True]


def test_someone_elses_nomination_still_asks(client_for, personas, nominations_open):
    _nominate(
        client_for(personas.other_member), nominations_open, nominee_email="member@example.org"
    )
    assert Candidacy.objects.get().status == CandidacyStatus.ASKED
