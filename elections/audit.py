"""The audit bundle: what anyone needs to recount an election, and the recount itself.

The bundle is JSON (the anonymous ballots, each contest's candidates, rule and
published rounds, the voter-roll size and turnout) plus a SHA-256 hash of the
ballot list in one canonical form, so two people who download it can tell they
hold the same ballots. `manage.py verify_election` recounts from a bundle alone.
"""

import hashlib
import json

from elections import tally
from elections.models import Ballot, Contest, CountedTracker, Election

BUNDLE_VERSION = 1


def ballot_rows(election: Election) -> list[dict]:
    """Every ballot as {"id", "tracker", "marks"}, ordered by its random id."""
    rows = Ballot.objects.filter(election=election).order_by("id")
    return [
        {"id": str(row["id"]), "tracker": row["tracker"], "marks": row["marks"]}
        for row in rows.values("id", "tracker", "marks")
    ]


def canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def ballot_hash(rows: list[dict]) -> str:
    """SHA-256 of the ballot list, sorted by id, in canonical JSON; hex."""
    ordered = sorted(rows, key=lambda row: row["id"])
    return hashlib.sha256(canonical_json(ordered)).hexdigest()


def contest_spec(contest: Contest) -> dict:
    """What a recount needs to know about one contest."""
    candidates = contest.candidacies.on_ballot().select_related("user", "person")
    return {
        "id": contest.pk,
        "office": contest.office.name,
        "seats": contest.seats,
        "rule": contest.rule,
        "max_marks": contest.marks_allowed,
        "tie_rule": contest.election.tie_rule,
        "candidates": [{"id": c.pk, "name": c.name} for c in candidates.order_by("pk")],
    }


def bundle(election: Election) -> dict:
    """The whole audit bundle of a counted election."""
    rows = ballot_rows(election)
    contests = []
    for contest in election.contests.select_related("office", "result"):
        spec = contest_spec(contest)
        result = getattr(contest, "result", None)
        spec["winners"] = result.winners if result else []
        spec["rounds"] = result.rounds if result else {}
        contests.append(spec)
    trackers = CountedTracker.objects.filter(election=election).order_by("tracker")
    return {
        "version": BUNDLE_VERSION,
        "election": election.title,
        "slug": election.slug,
        "tracker_policy": election.tracker_policy,
        "roll_size": election.roll_size,
        "turnout": len(rows),
        "ballot_hash": ballot_hash(rows),
        "contests": contests,
        "ballots": rows,
        "counted_trackers": list(trackers.values_list("tracker", flat=True)),
    }


# Member-written text (names, titles) reaches the bundle; escaped like Django's
# json_script, so no browser that sniffs or mis-serves it ever reads markup in it.
JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def bundle_json(election: Election) -> str:
    """The bundle as the download serves it: the same data, markup characters escaped."""
    return json.dumps(bundle(election), indent=1, ensure_ascii=False).translate(JSON_ESCAPES)


def verify(data: dict) -> list[str]:
    """Recount a bundle; the list of disagreements (empty: it verifies)."""
    problems = []
    rows = data.get("ballots", [])
    digest = ballot_hash(rows)
    if digest != data.get("ballot_hash"):
        problems.append(f"ballot hash is {digest}, the bundle says {data.get('ballot_hash')}")
    if data.get("turnout") != len(rows):
        problems.append(f"{len(rows)} ballots, the bundle says turnout {data.get('turnout')}")
    for spec in data.get("contests", []):
        outcome = tally.count_contest(spec, rows, seed=digest)
        if outcome.winners != spec.get("winners"):
            problems.append(
                f"{spec['office']}: recount elects {outcome.winners}, "
                f"the bundle says {spec.get('winners')}"
            )
        elif canonical_json(outcome.rounds) != canonical_json(spec.get("rounds")):
            problems.append(f"{spec['office']}: the recount's rounds differ from the bundle's")
    return problems
