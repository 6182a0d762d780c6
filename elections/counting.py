"""Counting rules for the society's elections: who wins, and how, round by round.

Pure Python on purpose (no Django): the portal counts with it when voting closes,
`manage.py verify_election` recounts a published audit bundle with it, and anyone can
read it beside docs/elections-counting.md and redo the count by hand.

Three rules, one function each:

* `count_plurality` - "vote for up to K" (plurality when K = 1, limited or block
  voting, approval when K is the number of candidates). Each ballot marks at most K
  candidates; every mark is one vote; the S candidates with the most votes win.
* `count_irv` - instant-runoff for one seat, on ranked ballots.
* `count_stv` - the single transferable vote for several seats, under the Scottish STV
  rules: the counting rules of the Scottish Local Government Elections Order 2007
  (SSI 2007/42, Schedule 1, rules 45-52), the Weighted Inclusive Gregory Method with
  the Droop quota and fixed-decimal arithmetic to five places. Scotland has used it
  for every council election since 2007 and publishes the ballots and the stage-by-
  stage results, so the implementation is checked against real published counts.

Ballots are validated first; a ballot that names an unknown candidate, marks or ranks
a candidate twice, or marks more than K candidates raises `InvalidBallot` (nothing is
counted then). An empty ballot is a blank: it is reported, and it is not a vote.

Ties are never broken silently. Every count takes a `TieBreak`: the published seed of
the lot, and the rule - `LOT` (draw at once) or `BACKWARDS_THEN_LOT` (first look back
at earlier rounds, the Scottish rules 49 and 51; draw only when the candidates were
level in every round). The lot is a recorded, reproducible draw: each tied candidate
gets the ticket SHA-256("<seed>:<draw number>:<candidate id>") in hexadecimal, and the
tickets in ascending order are the order of the draw. Anyone with the seed can redo it
with `sha256sum`; the draws, the candidates they were between and their tickets are
recorded in the rounds.

Every count returns a `CountResult`: the winners in the order elected and the rounds
(tallies, transfers, exhausted votes, elected, excluded, quota, tie-breaks). Its
`to_dict()` is plain JSON, so a result can be published, and a recount compared with
`==` against what was published.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

# Votes are whole ballots in plurality and instant-runoff counts; STV keeps them as
# Decimal with exactly five places (rule 48(3)).
Votes = int | Decimal
Tallies = dict[str, int]

# STV counts in integer hundred-thousandths of a vote: exact, and truncating a
# transfer value "to five decimal places (any remainder being ignored)" is then
# integer division. One ballot paper at full value is SCALE units.
SCALE = 100_000
PLACES = 5


class InvalidBallot(ValueError):
    """A ballot that the count must not guess about; nothing is counted."""

    def __init__(self, problem: str, *, index: int | None = None) -> None:
        where = f"ballot {index + 1}: " if index is not None else ""
        super().__init__(f"{where}{problem}")
        self.problem = problem
        self.index = index


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


# --- Validation --------------------------------------------------------------------


def _check_candidates(candidates: Sequence[str]) -> tuple[str, ...]:
    names = tuple(candidates)
    if not names:
        raise ValueError("a count needs at least one candidate")
    for name in names:
        if not isinstance(name, str) or not name:
            raise ValueError(f"candidate ids are non-empty strings, not {name!r}")
    if len(set(names)) != len(names):
        repeated = sorted(name for name, n in Counter(names).items() if n > 1)
        raise ValueError(f"candidate listed twice: {', '.join(repeated)}")
    return names


def _check_seats(seats: int, name: str = "seats") -> None:
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {seats!r}")


def _check_marks(ballot: Iterable[str], known: frozenset[str], index: int) -> list[str]:
    """The ballot's candidate ids in order, or InvalidBallot: unknown or repeated ids."""
    if isinstance(ballot, str):
        # A bare string would be read as a set of one-letter ids; say so instead.
        raise InvalidBallot("a ballot is a list of candidate ids, not one string", index=index)
    marks = list(ballot)
    for mark in marks:
        if mark not in known:
            raise InvalidBallot(f"unknown candidate {mark!r}", index=index)
    repeated = sorted(name for name, n in Counter(marks).items() if n > 1)
    if repeated:
        raise InvalidBallot(f"candidate marked more than once: {', '.join(repeated)}", index=index)
    return marks


def ranking_from_marks(marks: Mapping[str, int]) -> tuple[str, ...]:
    """Turn a ranked ballot given as {candidate: rank} into the candidates in order.

    Ranks are whole numbers 1, 2, 3 ... with no rank given twice and no gaps: a ballot
    with two candidates at rank 2 does not say which the voter prefers, so it is
    rejected rather than guessed at.
    """
    ranks = list(marks.values())
    for rank in ranks:
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
            raise InvalidBallot(f"ranks are whole numbers from 1, not {rank!r}")
    repeated = sorted(rank for rank, n in Counter(ranks).items() if n > 1)
    if repeated:
        raise InvalidBallot(f"duplicate rank {repeated[0]}")
    if sorted(ranks) != list(range(1, len(ranks) + 1)):
        missing = min(set(range(1, len(ranks) + 1)) - set(ranks))
        raise InvalidBallot(f"ranks must run 1, 2, 3 ... without gaps; {missing} is missing")
    return tuple(sorted(marks, key=lambda name: marks[name]))


def _ranked_ballots(
    ballots: Iterable[Sequence[str]], names: tuple[str, ...]
) -> tuple[Counter[tuple[str, ...]], int]:
    """Identical rankings grouped with their number of papers; and the number of blanks."""
    known = frozenset(names)
    profile: Counter[tuple[str, ...]] = Counter()
    blank = 0
    for index, ballot in enumerate(ballots):
        ranking = tuple(_check_marks(ballot, known, index))
        if ranking:
            profile[ranking] += 1
        else:
            blank += 1
    return profile, blank


# --- Ties ----------------------------------------------------------------------------


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


class _Ties:
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


# --- Plurality / "vote for up to K" -------------------------------------------------


def count_plurality(
    *,
    candidates: Sequence[str],
    ballots: Iterable[Collection[str]],
    seats: int,
    max_marks: int,
    tie_break: TieBreak,
) -> CountResult:
    """Plurality, block or approval voting: "vote for up to K", S seats.

    Each ballot is a set of at most `max_marks` (K) candidate ids; each mark is one
    vote for that candidate. The `seats` (S) candidates with the most votes are
    elected, most votes first. If candidates are level for the last seat(s), lots are
    drawn among exactly those candidates (one round, so `tie_break.rule` must be LOT).
    With fewer candidates than seats, every candidate is elected.
    """
    names = _check_candidates(candidates)
    _check_seats(seats)
    _check_seats(max_marks, "max_marks")
    if tie_break.rule is not TieRule.LOT:
        raise ValueError(
            "a plurality count has one round, nothing to look back on: use TieRule.LOT"
        )
    known = frozenset(names)
    votes: Tallies = dict.fromkeys(names, 0)
    valid = blank = 0
    for index, ballot in enumerate(ballots):
        marks = _check_marks(ballot, known, index)
        if len(marks) > max_marks:
            raise InvalidBallot(f"{len(marks)} marks; at most {max_marks} allowed", index=index)
        for mark in marks:
            votes[mark] += 1
        valid += bool(marks)
        blank += not marks
    ties = _Ties(tie_break)
    winners = _top(names, votes, seats, ties)
    only = Round(1, "count", votes, elected=tuple(winners), tie_breaks=ties.take())
    return CountResult("plurality", seats, names, valid, blank, tie_break, tuple(winners), (only,))


def _top(names: tuple[str, ...], votes: Tallies, seats: int, ties: _Ties) -> list[str]:
    """The `seats` highest, most votes first (equal votes in ballot order); lot among
    those level for the last seats, listed in the order drawn."""
    winners: list[str] = []
    for level in sorted(set(votes.values()), reverse=True):
        group = [name for name in names if votes[name] == level]
        room = seats - len(winners)
        if room <= 0:
            break
        if len(group) <= room:
            winners.extend(group)
        else:
            winners.extend(ties.choose(group, room, purpose="elect"))
    return winners


# --- Ranked ballots: shared machinery ------------------------------------------------


@dataclass
class _Parcel:
    """Identical ballot papers that travel together: the ranking, value per paper, papers."""

    ranking: tuple[str, ...]
    value: int
    papers: int


class _RankedCount:
    """Papers, piles and rounds of a ranked count, in integer vote units."""

    def __init__(
        self,
        names: tuple[str, ...],
        profile: Counter[tuple[str, ...]],
        unit: int,
        ties: _Ties,
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


# --- Instant-runoff -------------------------------------------------------------------


def count_irv(
    *,
    candidates: Sequence[str],
    ballots: Iterable[Sequence[str]],
    tie_break: TieBreak,
) -> CountResult:
    """Instant-runoff voting (the alternative vote) for one seat.

    Each ballot ranks candidates, first choice first; it need not rank them all. Each
    round, every ballot counts for its highest-ranked candidate still in the count. A
    candidate with more than half of those continuing ballots is elected. Otherwise the
    candidate with the fewest votes is excluded and their ballots pass to each ballot's
    next choice still in the count; a ballot with no such choice is exhausted (recorded
    per round) and no longer counts toward the majority. A last candidate standing is
    elected.

    Ties for exclusion follow `tie_break`: with BACKWARDS_THEN_LOT (the Scottish rule
    51 - the same as `count_stv` with one seat, which always elects the same winner)
    the candidate with fewer votes at the most recent earlier round at which they
    differed is excluded, and lots are drawn only if they were level in every round.
    """
    names = _check_candidates(candidates)
    profile, blank = _ranked_ballots(ballots, names)
    ties = _Ties(tie_break)
    count = _RankedCount(names, profile, 1, ties)
    valid = sum(profile.values())
    elected = _irv_winner(count, valid)
    count.close_round("first-preferences", None, {}, elected)
    while not count.elected:
        loser, transfers = count.exclude_lowest()
        elected = _irv_winner(count, valid)
        count.close_round("exclusion", loser, transfers, elected, (loser,))
    return CountResult(
        "irv", 1, names, valid, blank, tie_break, tuple(count.elected), tuple(count.rounds)
    )


def _irv_winner(count: _RankedCount, valid: int) -> list[str]:
    """Elect a candidate with a majority of the continuing ballots, or the last one left."""
    continuing_ballots = valid - count.exhausted
    majority = [name for name in count.continuing if 2 * count.votes[name] > continuing_ballots]
    if majority or len(count.continuing) == 1:
        return count.elect(majority or count.continuing)
    return []


# --- Single transferable vote: the Scottish rules -------------------------------------


def count_stv(
    *,
    candidates: Sequence[str],
    ballots: Iterable[Sequence[str]],
    seats: int,
    tie_break: TieBreak,
) -> CountResult:
    """Single transferable vote under the Scottish STV rules (SSI 2007/42, rules 45-52).

    * Quota (rule 46): valid ballots divided by (seats + 1), decimals dropped, plus one
      (the Droop quota). It stays fixed for the whole count.
    * Stage 1 (rule 45): each ballot is one vote for its first preference.
    * Election (rule 47): a candidate whose votes reach the quota is elected, and gets
      no further papers.
    * Surpluses (rules 48, 49): while seats remain, the largest surplus (votes above the
      quota) is transferred first, one per stage. Every paper the elected candidate
      holds moves to its next preference for a continuing candidate at the transfer
      value = surplus x (the paper's value) / (the candidate's votes), truncated to five
      decimal places; the candidate keeps the quota. Papers with no next preference are
      non-transferable (exhausted) at that value. Equal surpluses: the candidate who had
      more votes at the most recent earlier stage at which they differed goes first,
      then lot - which is the order of election (see `_stv_surplus`).
    * Exclusion (rules 50, 51): with no surplus left to transfer, the continuing
      candidate with the fewest votes is excluded, and all their papers move at the
      value each had. Ties: the candidate with fewer votes at the most recent earlier
      stage at which they differed is excluded, then lot.
    * Last vacancies (rule 52): once the continuing candidates are no more than the
      seats left, they are all elected and the count stops.

    Fixed-decimal arithmetic is exact here (integer units of 0.00001 vote); what
    truncation drops is reported per round as `lost_to_rounding`. The order of election
    lists candidates elected at the same stage by votes, most first (equal votes by
    earlier stages, then lot). The rule requires `TieRule.BACKWARDS_THEN_LOT`.
    """
    names = _check_candidates(candidates)
    _check_seats(seats)
    if tie_break.rule is not TieRule.BACKWARDS_THEN_LOT:
        raise ValueError(
            "Scottish STV compares earlier stages before drawing lots (rules 49 and 51): "
            "use TieRule.BACKWARDS_THEN_LOT"
        )
    profile, blank = _ranked_ballots(ballots, names)
    valid = sum(profile.values())
    quota = (valid // (seats + 1) + 1) * SCALE
    count = _RankedCount(names, profile, SCALE, _Ties(tie_break))
    pending: list[str] = []
    elected = _stv_elect(count, seats, quota, pending)
    count.close_round("first-preferences", None, {}, elected, quota=quota)
    while len(count.elected) < seats and count.continuing:
        excluded: tuple[str, ...] = ()
        if pending:
            source, transfers = _stv_surplus(count, quota, pending)
            action = "surplus"
        else:
            source, transfers = count.exclude_lowest()
            action, excluded = "exclusion", (source,)
        elected = _stv_elect(count, seats, quota, pending)
        count.close_round(action, source, transfers, elected, excluded, quota)
    return CountResult(
        "stv-scottish",
        seats,
        names,
        valid,
        blank,
        tie_break,
        tuple(count.elected),
        tuple(count.rounds),
        count.shown(quota),
    )


def _stv_elect(count: _RankedCount, seats: int, quota: int, pending: list[str]) -> list[str]:
    """Rules 47 and 52 at the end of a stage: elect by quota, then fill the last seats."""
    reached = [name for name in count.continuing if count.votes[name] >= quota]
    # The Droop quota lets at most `seats` candidates reach it (seats + 1 of them would
    # need more votes than there are); the limit keeps to the seats all the same.
    elected = count.elect(reached, limit=seats - len(count.elected))
    pending.extend(name for name in elected if count.votes[name] > quota)
    room = seats - len(count.elected)
    if room and len(count.continuing) <= room:
        elected += count.elect(count.continuing)
    return elected


def _stv_surplus(count: _RankedCount, quota: int, pending: list[str]) -> tuple[str, Tallies]:
    """Rules 48 and 49: transfer the largest surplus first.

    Equal surpluses go in order of election (`pending` keeps it; `max` returns the
    first of equals). That is rule 49(2)-(3): a candidate elected at an earlier stage
    had more votes than the other at the stages in between, the most recent at which
    they differed; candidates elected at the same stage were put in order by the same
    look-back over earlier stages, and failing that by the lot, when they were elected.
    One draw thus settles both the listing and the transfer order.
    """
    source = max(pending, key=lambda name: count.votes[name])
    pending.remove(source)
    total = count.votes[source]
    surplus = total - quota
    moved_before = count.exhausted + sum(count.votes.values())
    # Integer division truncates: "calculated to five decimal places (any remainder
    # being ignored)", rule 48(3).
    transfers = count.move(source, lambda value: surplus * value // total)
    count.votes[source] = quota
    count.lost += moved_before - count.exhausted - sum(count.votes.values())
    return source, transfers
