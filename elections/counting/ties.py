"""Ties, which are never broken silently.

Every count takes a `TieBreak`: the published seed of the lot, and the rule - `LOT`
(draw at once) or `BACKWARDS_THEN_LOT` (first look back at earlier rounds, the Scottish
rules 49 and 51; draw only when the candidates were level in every round). The lot is a
recorded, reproducible draw: each tied candidate gets the ticket
SHA-256("<seed>:<draw number>:<candidate id>") in hexadecimal, and the tickets in
ascending order are the order of the draw. Anyone with the seed can redo it with
`sha256sum`; the draws, the candidates they were between and their tickets are recorded
in the rounds (`TieRecord`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class TieRule(StrEnum):
    # Draw lots at once (the only choice for a one-round count).
    LOT = "lot"
    # Compare the tied candidates at the most recent earlier round at which they
    # differed; draw lots only if they were level in every round.
    BACKWARDS_THEN_LOT = "backwards-then-lot"


@dataclass(frozen=True)
class TieBreak:
    """The election's stated tie rule, and the seed of its lot, published with the result.

    Fix the seed before the count and after the ballots are sealed (for example a phrase
    the committee reads out at the meeting that opens the count), so no one can pick a
    seed to suit an outcome they already know.
    """

    rule: TieRule
    seed: str

    def __post_init__(self) -> None:
        if not isinstance(self.rule, TieRule):
            raise ValueError(f"unknown tie rule {self.rule!r}")
        if not self.seed.strip():
            raise ValueError("the lot needs a non-empty seed, published with the result")

    def to_dict(self) -> dict[str, Any]:
        return {"rule": str(self.rule), "seed": self.seed}


def lot_ticket(seed: str, draw: int, candidate: str) -> str:
    """The ticket of one candidate in one draw: SHA-256 of "<seed>:<draw>:<candidate>".

    Lowest ticket is drawn first. To check by hand:
    `printf '%s' 'SEED:1:alice' | sha256sum`.
    """
    return hashlib.sha256(f"{seed}:{draw}:{candidate}".encode()).hexdigest()


@dataclass(frozen=True)
class TieRecord:
    """How one tie was resolved, in enough detail to redo it.

    `purpose` says what was decided: "exclude" (who is excluded), "elect" (who takes
    the last seats in a plurality count) or "order-of-election" (how candidates elected
    at the same stage with equal votes are listed, which in STV is also the order in
    which their equal surpluses are transferred). `earlier_round`
    is the round whose tallies decided or narrowed the tie when looking back; a lot
    then draws among `drawn_among`, with `tickets`, and `chosen` is the outcome.
    """

    purpose: str
    tied: tuple[str, ...]
    chosen: tuple[str, ...]
    earlier_round: int | None = None
    drawn_among: tuple[str, ...] = ()
    draw: int | None = None
    tickets: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "purpose": self.purpose,
            "tied": list(self.tied),
            "chosen": list(self.chosen),
            "earlier_round": self.earlier_round,
            "drawn_among": list(self.drawn_among),
            "draw": self.draw,
            "tickets": dict(self.tickets),
        }


class _Lot:
    """The election's draws, numbered in the order the count needs them."""

    def __init__(self, seed: str) -> None:
        self.seed = seed
        self.draws = 0

    def draw(self, among: Iterable[str]) -> tuple[int, list[str], dict[str, str]]:
        self.draws += 1
        tickets = {name: lot_ticket(self.seed, self.draws, name) for name in sorted(among)}
        order = sorted(tickets, key=lambda name: (tickets[name], name))
        return self.draws, order, tickets


class Ties:
    """Resolves ties by the election's `TieBreak` and records how."""

    def __init__(self, policy: TieBreak) -> None:
        self.policy = policy
        self.lot = _Lot(policy.seed)
        self.records: list[TieRecord] = []

    def take(self) -> tuple[TieRecord, ...]:
        """The records made since the last call: one round's worth."""
        taken = tuple(self.records)
        self.records.clear()
        return taken

    def pick(
        self,
        tied: Sequence[str],
        *,
        purpose: str,
        earlier: Sequence[Mapping[str, int]],
        lowest: bool,
    ) -> str:
        """One of `tied` (all level now): the lowest or highest by earlier rounds, else lot."""
        if len(tied) == 1:
            return tied[0]
        remaining, decided_by = sorted(tied), None
        if self.policy.rule is TieRule.BACKWARDS_THEN_LOT:
            remaining, decided_by = _look_back(remaining, earlier, lowest=lowest)
        if len(remaining) == 1:
            self.records.append(
                TieRecord(purpose, tuple(sorted(tied)), (remaining[0],), decided_by)
            )
            return remaining[0]
        draw, order, tickets = self.lot.draw(remaining)
        self.records.append(
            TieRecord(
                purpose,
                tuple(sorted(tied)),
                (order[0],),
                decided_by,
                tuple(remaining),
                draw,
                tickets,
            )
        )
        return order[0]

    def choose(self, tied: Sequence[str], count: int, *, purpose: str) -> list[str]:
        """`count` of `tied` by one draw: the first `count` tickets in ascending order."""
        draw, order, tickets = self.lot.draw(tied)
        chosen = order[:count]
        self.records.append(
            TieRecord(
                purpose,
                tuple(sorted(tied)),
                tuple(chosen),
                None,
                tuple(sorted(tied)),
                draw,
                tickets,
            )
        )
        return chosen

    def order(
        self,
        names: Iterable[str],
        votes: Mapping[str, int],
        *,
        earlier: Sequence[Mapping[str, int]],
    ) -> list[str]:
        """Candidates by votes, most first; equal votes by earlier rounds, then lot."""
        ordered: list[str] = []
        for level in sorted({votes[name] for name in names}, reverse=True):
            group = sorted(name for name in names if votes[name] == level)
            while group:
                first = self.pick(group, purpose="order-of-election", earlier=earlier, lowest=False)
                ordered.append(first)
                group.remove(first)
        return ordered


def _look_back(
    tied: list[str], earlier: Sequence[Mapping[str, int]], *, lowest: bool
) -> tuple[list[str], int | None]:
    """Narrow a tie by the most recent earlier round at which the candidates differed.

    Rules 49(2) and 51(2) compare the candidates "at the end of the most recent
    preceding stage ... at which they had unequal numbers of votes". With three or
    more tied candidates that stage may still leave two level at the bottom (or top);
    those two are then compared further back, and so on, as the rule is applied to
    the candidates it has not yet separated. Returns the survivors and the round that
    last narrowed them.
    """
    remaining, decided_by = tied, None
    for index in range(len(earlier) - 1, -1, -1):
        votes = {name: earlier[index].get(name, 0) for name in remaining}
        if len(set(votes.values())) > 1:
            target = min(votes.values()) if lowest else max(votes.values())
            remaining = [name for name in remaining if votes[name] == target]
            decided_by = index + 1
            if len(remaining) == 1:
                break
    return remaining, decided_by
