"""Counting rules for the society's elections: who wins, and how, round by round.

Pure Python on purpose (no Django): the portal counts with it when voting closes,
`manage.py verify_election` recounts a published audit bundle with it, and anyone can
read it beside docs/elections-counting.md and redo the count by hand.

Three rules, one function each, one module each:

* `count_plurality` (plurality.py) - "vote for up to K" (plurality when K = 1, limited
  or block voting, approval when K is the number of candidates). Each ballot marks at
  most K candidates; every mark is one vote; the S candidates with the most votes win.
* `count_irv` (irv.py) - instant-runoff for one seat, on ranked ballots.
* `count_stv` (stv.py) - the single transferable vote for several seats, under the
  Scottish STV rules: the counting rules of the Scottish Local Government Elections
  Order 2007 (SSI 2007/42, Schedule 1, rules 45-52), the Weighted Inclusive Gregory
  Method with the Droop quota and fixed-decimal arithmetic to five places. Scotland has
  used it for every council election since 2007 and publishes the ballots and the
  stage-by-stage results, so the implementation is checked against real published counts.

The two ranked rules share their papers, piles and rounds (ranked.py).

Ballots are validated first (ballots.py); a ballot that names an unknown candidate,
marks or ranks a candidate twice, or marks more than K candidates raises
`InvalidBallot` (nothing is counted then). An empty ballot is a blank: it is reported,
and it is not a vote.

Ties are never broken silently (ties.py). Every count takes a `TieBreak`: the published
seed of the lot, and the rule - `LOT` (draw at once) or `BACKWARDS_THEN_LOT` (first look
back at earlier rounds, the Scottish rules 49 and 51; draw only when the candidates were
level in every round). The lot is a recorded, reproducible draw: each tied candidate
gets the ticket SHA-256("<seed>:<draw number>:<candidate id>") in hexadecimal, and the
tickets in ascending order are the order of the draw. Anyone with the seed can redo it
with `sha256sum`; the draws, the candidates they were between and their tickets are
recorded in the rounds.

Every count returns a `CountResult` (results.py): the winners in the order elected and
the rounds (tallies, transfers, exhausted votes, elected, excluded, quota, tie-breaks).
Its `to_dict()` is plain JSON, so a result can be published, and a recount compared with
`==` against what was published.

The names below are the package's public face, for a reader who recounts by hand
(`from elections.counting import count_stv`); the portal's own code imports them from
the module that holds them. Names in the modules that are not listed here are the
package's own machinery.
"""

from elections.counting.ballots import InvalidBallot, ranking_from_marks
from elections.counting.irv import count_irv
from elections.counting.plurality import count_plurality
from elections.counting.results import CountResult, Round, Votes
from elections.counting.stv import count_stv
from elections.counting.ties import TieBreak, TieRecord, TieRule, lot_ticket

__all__ = [
    "CountResult",
    "InvalidBallot",
    "Round",
    "TieBreak",
    "TieRecord",
    "TieRule",
    "Votes",
    "count_irv",
    "count_plurality",
    "count_stv",
    "lot_ticket",
    "ranking_from_marks",
]
