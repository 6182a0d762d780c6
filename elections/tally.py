"""The one place that calls the counting rules (the elections/counting package).

Everything else hands this module a contest as the audit bundle describes it
(`audit.contest_spec`) and the anonymous ballot rows; only this module knows the
counting module's names, so a change there is a change here alone.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from elections.counting.irv import count_irv
from elections.counting.plurality import count_plurality
from elections.counting.stv import count_stv
from elections.counting.ties import TieBreak, TieRule
from elections.enums import CountingRule


class Named(Protocol):
    """What the rounds table needs of a candidate (a Candidacy, for the pages)."""

    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class Outcome:
    winners: list[int]  # candidacy ids, in the order the rule elected them
    rounds: dict[str, Any]  # JSON-serialisable, as published and as the bundle carries it


def contest_ballots(spec: dict[str, Any], rows: list[dict[str, Any]]) -> list[list[int]]:
    """Each ballot's choices in this contest (abstentions included, as empty lists)."""
    key = str(spec["id"])
    return [list(row["marks"].get(key, [])) for row in rows]


def count_contest(spec: dict[str, Any], rows: list[dict[str, Any]], *, seed: str) -> Outcome:
    """Count one contest. Ties are broken by the election's stated rule (`spec["tie_rule"]`,
    looking back at earlier rounds first or not) and then by the counting rules' recorded
    lot, seeded with `seed` (the ballot-list hash: unknown before the close, the same for
    anyone who recounts)."""
    ballots = [[str(pk) for pk in chosen] for chosen in contest_ballots(spec, rows)]
    candidates = [str(c["id"]) for c in spec["candidates"]]
    if not candidates:
        # An office nobody stood for (no slate was approved for it): no winner, and the
        # rest of the election is still counted. The counting rules refuse an empty list.
        return Outcome(winners=[], rounds={"no_candidates": True, "rounds": []})
    seats = spec["seats"]
    if spec["rule"] == CountingRule.RANKED:
        tie_break = TieBreak(TieRule(spec["tie_rule"]), seed)
        if seats == 1:
            result = count_irv(candidates=candidates, ballots=ballots, tie_break=tie_break)
        else:
            result = count_stv(
                candidates=candidates, ballots=ballots, seats=seats, tie_break=tie_break
            )
    else:
        # One round: there is nothing to look back on, so a tie is drawn by lot at once.
        result = count_plurality(
            candidates=candidates,
            ballots=ballots,
            seats=seats,
            max_marks=spec["max_marks"],
            tie_break=TieBreak(TieRule.LOT, seed),
        )
    return Outcome(winners=[int(pk) for pk in result.winners], rounds=result.to_dict())


def round_table(rounds: dict[str, Any], names: Mapping[int, Named]) -> dict[str, Any]:
    """Published rounds as {"columns", "rows": [{"name", "values"}], "notes"} for the page."""
    steps = rounds.get("rounds", [])
    columns = [f"Round {step['number']}" for step in steps] if len(steps) > 1 else ["Votes"]

    def name(key: str) -> str:
        candidate = names.get(int(key))
        return candidate.name if candidate else key

    ids = []
    for step in steps:
        ids += [key for key in step.get("tallies", {}) if key not in ids]
    rows = [
        {"name": name(key), "values": [str(step["tallies"].get(key, "—")) for step in steps]}
        for key in ids
    ]
    notes = []
    for step in steps:
        said = []
        if step.get("excluded"):
            said.append("excluded " + ", ".join(name(k) for k in step["excluded"]))
        if step.get("elected"):
            said.append("elected " + ", ".join(name(k) for k in step["elected"]))
        for tie in step.get("tie_breaks", []):
            how = "by lot" if tie.get("draw") else f"by round {tie.get('earlier_round')}"
            said.append(
                f"tie between {', '.join(name(k) for k in tie['tied'])} decided {how}: "
                + ", ".join(name(k) for k in tie["chosen"])
            )
        if said:
            notes.append(f"Round {step['number']}: " + "; ".join(said) + ".")
    if rounds.get("tie_break"):
        rule = rounds["tie_break"]
        notes.append(f"Tie rule: {rule['rule']}; seed of the lot: {rule['seed']}.")
    return {"columns": columns, "rows": rows, "notes": notes}
