"""The machinery that instant-runoff and STV share: papers, piles and rounds.

Identical rankings travel together as parcels; a candidate's pile is the parcels they
hold. Votes are kept in integer units (one per ballot for instant-runoff, SCALE per
ballot for STV), so the arithmetic is exact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from elections.counting.results import Round, Tallies, Votes
from elections.counting.ties import Ties

# STV counts in integer hundred-thousandths of a vote: exact, and truncating a
# transfer value "to five decimal places (any remainder being ignored)" is then
# integer division. One ballot paper at full value is SCALE units.
SCALE = 100_000
PLACES = 5


@dataclass
class _Parcel:
    """Identical ballot papers that travel together: the ranking, value per paper, papers."""

    ranking: tuple[str, ...]
    value: int
    papers: int


class RankedCount:
    """Papers, piles and rounds of a ranked count, in integer vote units."""

    def __init__(
        self,
        names: tuple[str, ...],
        profile: Counter[tuple[str, ...]],
        unit: int,
        ties: Ties,
    ) -> None:
        self.names = names
        self.unit = unit
        self.ties = ties
        self.continuing = list(names)
        self.elected: list[str] = []
        self.votes: Tallies = dict.fromkeys(names, 0)
        self.piles: dict[str, list[_Parcel]] = {name: [] for name in names}
        self.exhausted = 0
        self.lost = 0
        self.history: list[Tallies] = []
        self.rounds: list[Round] = []
        for ranking, papers in sorted(profile.items()):
            self.piles[ranking[0]].append(_Parcel(ranking, unit, papers))
            self.votes[ranking[0]] += unit * papers

    def next_for(self, ranking: tuple[str, ...]) -> str | None:
        # The first continuing candidate in the ranking is the next available
        # preference: every candidate ranked before the current holder has already
        # been elected or excluded, and stays so.
        return next((name for name in ranking if name in self.continuing), None)

    def move(self, source: str, value_of: Callable[[int], int]) -> Tallies:
        """Move every paper `source` holds to its next preference at `value_of(value)`."""
        transfers: Tallies = {}
        for parcel in self.piles[source]:
            value = value_of(parcel.value)
            target = self.next_for(parcel.ranking)
            if target is None:
                self.exhausted += value * parcel.papers
                continue
            self.piles[target].append(_Parcel(parcel.ranking, value, parcel.papers))
            self.votes[target] += value * parcel.papers
            transfers[target] = transfers.get(target, 0) + value * parcel.papers
        self.piles[source] = []
        return {name: transfers[name] for name in self.names if name in transfers}

    def exclude_lowest(self) -> tuple[str, Tallies]:
        """Rule 50: exclude the continuing candidate with the fewest votes; papers move on."""
        low = min(self.votes[name] for name in self.continuing)
        tied = [name for name in self.continuing if self.votes[name] == low]
        loser = self.ties.pick(tied, purpose="exclude", earlier=self.history[:-1], lowest=True)
        self.continuing.remove(loser)
        transfers = self.move(loser, lambda value: value)
        self.votes[loser] = 0
        return loser, transfers

    def elect(self, names: Iterable[str], limit: int | None = None) -> list[str]:
        """Elect `names` together (at most `limit`), in order of votes; equal votes by
        earlier rounds, then lot."""
        order = self.ties.order(list(names), self.votes, earlier=self.history)[:limit]
        for name in order:
            self.continuing.remove(name)
            self.elected.append(name)
        return order

    def close_round(
        self,
        action: str,
        source: str | None,
        transfers: Tallies,
        elected: list[str],
        excluded: tuple[str, ...] = (),
        quota: int | None = None,
    ) -> None:
        standing = [name for name in self.names if name in self.continuing or name in self.elected]
        tallies = {name: self.votes[name] for name in standing}
        self.history.append(dict(self.votes))
        self.rounds.append(
            Round(
                len(self.rounds) + 1,
                action,
                {name: self.shown(v) for name, v in tallies.items()},
                source,
                {name: self.shown(v) for name, v in transfers.items()},
                self.shown(self.exhausted),
                self.shown(self.lost),
                None if quota is None else self.shown(quota),
                tuple(elected),
                excluded,
                self.ties.take(),
            )
        )

    def shown(self, units: int) -> Votes:
        """Votes as published: whole ballots, or Decimal to five places for STV."""
        return units if self.unit == 1 else Decimal(units).scaleb(-PLACES)
