"""Instant-runoff (the alternative vote) for one seat, on ranked ballots."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from elections.counting.ballots import check_candidates, ranked_ballots
from elections.counting.ranked import RankedCount
from elections.counting.results import CountResult
from elections.counting.ties import TieBreak, Ties


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
    names = check_candidates(candidates)
    profile, blank = ranked_ballots(ballots, names)
    ties = Ties(tie_break)
    count = RankedCount(names, profile, 1, ties)
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


def _irv_winner(count: RankedCount, valid: int) -> list[str]:
    """Elect a candidate with a majority of the continuing ballots, or the last one left."""
    continuing_ballots = valid - count.exhausted
    majority = [name for name in count.continuing if 2 * count.votes[name] > continuing_ballots]
    if majority or len(count.continuing) == 1:
        return count.elect(majority or count.continuing)
    return []
