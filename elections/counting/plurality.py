""" "Vote for up to K": plurality when K = 1, limited or block voting, approval when K is
the number of candidates.

Each ballot marks at most K candidates; every mark is one vote; the S candidates with
the most votes win, in one round.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from elections.counting.ballots import InvalidBallot, check_candidates, check_marks, check_seats
from elections.counting.results import CountResult, Round, Tallies
from elections.counting.ties import TieBreak, TieRule, Ties


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
    names = check_candidates(candidates)
    check_seats(seats)
    check_seats(max_marks, "max_marks")
    if tie_break.rule is not TieRule.LOT:
        raise ValueError(
            "a plurality count has one round, nothing to look back on: use TieRule.LOT"
        )
    known = frozenset(names)
    votes: Tallies = dict.fromkeys(names, 0)
    valid = blank = 0
    for index, ballot in enumerate(ballots):
        marks = check_marks(ballot, known, index)
        if len(marks) > max_marks:
            raise InvalidBallot(f"{len(marks)} marks; at most {max_marks} allowed", index=index)
        for mark in marks:
            votes[mark] += 1
        valid += bool(marks)
        blank += not marks
    ties = Ties(tie_break)
    winners = _top(names, votes, seats, ties)
    only = Round(1, "count", votes, elected=tuple(winners), tie_breaks=ties.take())
    return CountResult("plurality", seats, names, valid, blank, tie_break, tuple(winners), (only,))


def _top(names: tuple[str, ...], votes: Tallies, seats: int, ties: Ties) -> list[str]:
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
