"""Results: count at the close, review, publish, terms from winners, audit bundle, recount."""

import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from community.models import Person
from elections.audit import bundle, verify
from elections.models import Candidacy, ContestResult, Term
from elections.services.results import results_publish
from elections.services.roll import roll_freeze
from tests.elections.scripted import close, scripted_election
from tests.factories.community import PersonFactory
from tests.factories.elections import ContestFactory, election_with_slate

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(personas):
    election, voters, trackers, contests = scripted_election()
    assert close(election)[-1] == f"{election.slug}: counted"
    return election, voters, trackers, contests


def test_count_runs_at_the_close_and_is_idempotent(counted):
    election, _, _, _contests = counted
    assert election.sealed_at and election.counted_at
    assert election.ballot_count == 5
    assert ContestResult.objects.count() == 2
    assert close(election) == []  # a second tick changes nothing


def test_a_tie_is_drawn_by_the_recorded_lot_seeded_with_the_ballot_hash(counted):
    election, _, _, contests = counted
    plain = next(c for c in contests if not c.is_ranked)
    result = plain.result
    first, second, _ = contests[plain]
    assert result.rounds["rounds"][0]["tallies"] == {
        str(first.pk): 2,
        str(second.pk): 2,
        str(contests[plain][2].pk): 1,
    }
    tie = result.rounds["rounds"][0]["tie_breaks"][0]
    assert sorted(tie["tied"]) == sorted([str(first.pk), str(second.pk)])
    assert result.rounds["tie_break"] == {"rule": "lot", "seed": election.ballot_hash}
    assert result.winners == [int(tie["chosen"][0])]


def test_results_are_private_until_the_committee_publishes(client, client_for, personas, counted):
    election, *_ = counted
    url = f"/elections/{election.slug}/results/"
    assert client.get(url).status_code == 404
    assert client.get(f"/elections/{election.slug}/audit.json").status_code == 404
    preview = client_for(personas.executive).get(url)
    assert preview.status_code == 200
    assert "Not published" in preview.content.decode()
    assert client_for(personas.member).get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        results_publish(election=election, by=personas.member)


def test_publishing_creates_the_winners_terms_once(client, personas, counted):
    election, _, _, contests = counted
    terms = results_publish(election=election, by=personas.executive)
    winners = sorted(pk for c in contests for pk in c.result.winners)
    assert len(terms) == 3  # one seat, then two
    assert (
        sorted(
            Term.objects.filter(election=election).values_list("person__candidacies__pk", flat=True)
        )
        == winners
    )
    assert {(t.starts_on, t.ends_on) for t in terms} == {
        (election.term_starts_on, election.term_ends_on)
    }
    with pytest.raises(ValidationError, match="already published"):  # a second time
        results_publish(election=election, by=personas.executive)
    page = client.get(f"/elections/{election.slug}/results/").content.decode()
    assert 'data-testid="turnout">5 of' in page
    assert election.ballot_hash in page


def test_publish_before_the_count_is_refused(personas):
    election, *_ = scripted_election(voters=1)
    with pytest.raises((PermissionDenied, ValidationError)):
        results_publish(election=election, by=personas.executive)


def test_the_audit_bundle_recounts_to_the_published_result(client, personas, counted, tmp_path):
    election, *_ = counted
    results_publish(election=election, by=personas.executive)
    data = json.loads(client.get(f"/elections/{election.slug}/audit.json").content)
    assert data["ballot_hash"] == election.ballot_hash
    assert data["turnout"] == 5 and data["roll_size"] == election.roll_size
    assert verify(data) == []
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(data))
    out = StringIO()
    call_command("verify_election", str(path), stdout=out)
    assert "Verified: 5 ballots" in out.getvalue()


def test_a_tampered_bundle_does_not_verify(personas, counted, tmp_path):
    election, *_ = counted
    data = json.loads(json.dumps(bundle(election)))
    contest = data["contests"][0]
    winner = contest["winners"][0]
    loser = next(c["id"] for c in contest["candidates"] if c["id"] != winner)
    # Move one ballot's mark to a loser and fix the hash: the recount disagrees.
    for row in data["ballots"]:
        if row["marks"][str(contest["id"])] == [winner]:
            row["marks"][str(contest["id"])] = [loser]
    from elections.audit import ballot_hash

    data["ballot_hash"] = ballot_hash(data["ballots"])
    assert any("recount elects" in problem for problem in verify(data))
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError):
        call_command("verify_election", str(path), stdout=StringIO(), stderr=StringIO())
    data["ballots"].pop()
    assert any("hash" in problem for problem in verify(data))


def test_ballots_page_finds_a_tracker(client, personas, counted):
    election, _, trackers, _ = counted
    results_publish(election=election, by=personas.executive)
    url = f"/elections/{election.slug}/ballots/"
    found = client.post(url, {"tracker": trackers[3].lower()}).content.decode()
    assert 'data-testid="tracker-found"' in found
    missing = client.post(url, {"tracker": "AAAA-BBBB-CCCC-DDDD"}).content.decode()
    assert 'data-testid="tracker-missing"' in missing
    csv_text = client.get(f"/elections/{election.slug}/ballots.csv").content.decode()
    assert len(csv_text.strip().splitlines()) == 1 + 5 * 2


def test_a_winner_with_a_profile_keeps_it(personas, counted):
    # A winner named elsewhere already (a webinar speaker's profile with their address)
    # serves under that profile: the one find-or-create, not a second Person.
    election, _, _, contests = counted
    contest = next(iter(contests))
    winner = Candidacy.objects.get(pk=contest.result.winners[0])
    profile = PersonFactory(name=winner.user.full_name, email=winner.user.email)
    results_publish(election=election, by=personas.executive)
    term = Term.objects.get(election=election, office=contest.office)
    assert term.person == profile
    assert Person.objects.filter(email=winner.user.email).count() == 1


def test_an_office_nobody_stood_for_is_counted_with_no_winner(personas):
    # Outside probe: an election whose slate had no candidate for an office sealed,
    # then the count raised on every scheduler run and the election never got results.
    election, _, _ = election_with_slate(candidates=2)
    empty = ContestFactory(election=election, office__name="Secretary/Treasurer (demo)")
    roll_freeze(election=election)
    assert close(election)[-1] == f"{election.slug}: counted"
    assert ContestResult.objects.get(contest=empty).winners == []
    terms = results_publish(election=election, by=personas.executive)
    assert [term.office for term in terms] == [election.contests.exclude(pk=empty.pk).get().office]
    assert verify(json.loads(json.dumps(bundle(election)))) == []  # a recount agrees
