"""The single transferable vote for several seats, under the Scottish STV rules.

The counting rules of the Scottish Local Government Elections Order 2007 (SSI 2007/42,
Schedule 1, rules 45-52): the Weighted Inclusive Gregory Method with the Droop quota and
fixed-decimal arithmetic to five places. Scotland has used it for every council
election since 2007 and publishes the ballots and the stage-by-stage results, so the
implementation is checked against real published counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from elections.counting.ballots import check_candidates, check_seats, ranked_ballots
from elections.counting.ranked import SCALE, RankedCount
from elections.counting.results import CountResult, Tallies
from elections.counting.ties import TieBreak, TieRule, Ties


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
    names = check_candidates(candidates)
    check_seats(seats)
    if tie_break.rule is not TieRule.BACKWARDS_THEN_LOT:
        raise ValueError(
            "Scottish STV compares earlier stages before drawing lots (rules 49 and 51): "
            "use TieRule.BACKWARDS_THEN_LOT"
        )
    profile, blank = ranked_ballots(ballots, names)
    valid = sum(profile.values())
    quota = (valid // (seats + 1) + 1) * SCALE
    count = RankedCount(names, profile, SCALE, Ties(tie_break))
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


def _stv_elect(count: RankedCount, seats: int, quota: int, pending: list[str]) -> list[str]:
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


def _stv_surplus(count: RankedCount, quota: int, pending: list[str]) -> tuple[str, Tallies]:
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
