"""What a count returns: the winners in the order elected and the rounds.

A `CountResult` holds the rounds (tallies, transfers, exhausted votes, elected,
excluded, quota, tie-breaks). Its `to_dict()` is plain JSON, so a result can be
published, and a recount compared with `==` against what was published.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from elections.counting.ties import TieBreak, TieRecord

# Votes are whole ballots in plurality and instant-runoff counts; STV keeps them as
# Decimal with exactly five places (rule 48(3)).
Votes = int | Decimal
Tallies = dict[str, int]


@dataclass(frozen=True)
class Round:
    """One round (a "stage" in the Scottish rules): what was done and where it left the count.

    `action` is "count" (plurality's single round), "first-preferences", "surplus" or
    "exclusion"; `source` is whose surplus or papers moved. `tallies` are the votes of
    every candidate still in the count (continuing or elected) at the end of the round;
    `transfers` the votes each received in this round. `exhausted` is the running total
    of votes on ballots with no further preference for a continuing candidate, and
    `lost_to_rounding` the running total that truncating transfer values to five places
    set aside; with them, tallies + exhausted + lost_to_rounding = the valid votes.
    `elected` are the candidates elected at the end of this round, in order.
    """

    number: int
    action: str
    tallies: Mapping[str, Votes]
    source: str | None = None
    transfers: Mapping[str, Votes] = field(default_factory=dict)
    exhausted: Votes = 0
    lost_to_rounding: Votes = 0
    quota: Votes | None = None
    elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    tie_breaks: tuple[TieRecord, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "action": self.action,
            "source": self.source,
            "tallies": {name: _json_votes(v) for name, v in self.tallies.items()},
            "transfers": {name: _json_votes(v) for name, v in self.transfers.items()},
            "exhausted": _json_votes(self.exhausted),
            "lost_to_rounding": _json_votes(self.lost_to_rounding),
            "quota": None if self.quota is None else _json_votes(self.quota),
            "elected": list(self.elected),
            "excluded": list(self.excluded),
            "tie_breaks": [record.to_dict() for record in self.tie_breaks],
        }


@dataclass(frozen=True)
class CountResult:
    """The outcome of one count: publishable as `to_dict()`, comparable with `==`.

    `ballots` counts the valid ballots that express a choice; `blank` the valid empty
    ones (recorded for turnout, never votes). `quota` is the STV quota, else None.
    """

    method: str
    seats: int
    candidates: tuple[str, ...]
    ballots: int
    blank: int
    tie_break: TieBreak
    winners: tuple[str, ...]
    rounds: tuple[Round, ...]
    quota: Votes | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "seats": self.seats,
            "candidates": list(self.candidates),
            "ballots": self.ballots,
            "blank": self.blank,
            "quota": None if self.quota is None else _json_votes(self.quota),
            "tie_break": self.tie_break.to_dict(),
            "winners": list(self.winners),
            "rounds": [one.to_dict() for one in self.rounds],
        }


def _json_votes(votes: Votes) -> int | str:
    # Decimals as strings keep every one of the five places exact in JSON.
    return str(votes) if isinstance(votes, Decimal) else votes
