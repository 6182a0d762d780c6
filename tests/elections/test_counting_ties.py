"""Ties: the recorded lot, looking back at earlier rounds, and each rule's stated tie rule.
No database.
"""

import pytest

from elections.counting.irv import count_irv
from elections.counting.plurality import count_plurality
from elections.counting.results import CountResult
from elections.counting.stv import count_stv
from elections.counting.ties import TieBreak, TieRule, lot_ticket
from tests.elections.counting_cases import (
    LOOK_BACK,
    LOT,
    SEED,
    SEEDS,
    ballots_from,
    dec,
)

# --- Ties -------------------------------------------------------------------------------


def test_plurality_tie_for_the_last_seat_is_drawn_by_lot_and_recorded():
    ballots = [{"A"}] * 3 + [{"B"}] * 2 + [{"C"}] * 2
    result = count_plurality(
        candidates=["A", "B", "C"], ballots=ballots, seats=2, max_marks=1, tie_break=LOT
    )

    tickets = {name: lot_ticket(SEED, 1, name) for name in ("B", "C")}
    drawn = min(tickets, key=tickets.__getitem__)
    assert result.winners == ("A", drawn)
    assert [record.to_dict() for record in result.rounds[0].tie_breaks] == [
        {
            "purpose": "elect",
            "tied": ["B", "C"],
            "chosen": [drawn],
            "earlier_round": None,
            "drawn_among": ["B", "C"],
            "draw": 1,
            "tickets": tickets,
        }
    ]


def test_lot_is_reproducible_from_the_seed_and_differs_between_seeds():
    ballots = [{"A"}] * 3 + [{"B"}] * 2 + [{"C"}] * 2

    def count(seed: str) -> CountResult:
        policy = TieBreak(TieRule.LOT, seed)
        return count_plurality(
            candidates=["A", "B", "C"], ballots=ballots, seats=2, max_marks=1, tie_break=policy
        )

    assert count(SEED).to_dict() == count(SEED).to_dict()
    assert {count(seed).winners for seed in SEEDS} == {("A", "B"), ("A", "C")}


def test_lot_ticket_is_the_sha256_anyone_can_recompute():
    # printf '%s' 'abc:1:alice' | sha256sum
    assert lot_ticket("abc", 1, "alice") == (
        "deda96265271efca7477977803976dd2c6e3986a86b23d50cbad66cab89e7ca5"
    )


def test_ranked_exclusion_tie_looks_back_to_the_most_recent_round_that_differs():
    # Round 1: W 12, X 7, Y 6, V 5, Z 2. Z goes, to Y: X 7, Y 8. V goes, one ballot
    # to X: X 8, Y 8 at round 3. The most recent earlier round at which they differed
    # is round 2 (X 7 < Y 8), so X is excluded - looking at round 1 instead (X 7 > Y 6)
    # would exclude Y and elect X. X's ballots then carry Y past W.
    ballots = ballots_from({"W": 12, "XY": 7, "Y": 6, "VX": 1, "V": 4, "ZY": 2})
    candidates = ["W", "X", "Y", "V", "Z"]
    irv = count_irv(candidates=candidates, ballots=ballots, tie_break=LOOK_BACK)
    stv = count_stv(candidates=candidates, ballots=ballots, seats=1, tie_break=LOOK_BACK)

    assert [one.excluded for one in irv.rounds] == [(), ("Z",), ("V",), ("X",)]
    assert [record.to_dict() for record in irv.rounds[3].tie_breaks] == [
        {
            "purpose": "exclude",
            "tied": ["X", "Y"],
            "chosen": ["X"],
            "earlier_round": 2,
            "drawn_among": [],
            "draw": None,
            "tickets": {},
        }
    ]
    assert irv.winners == stv.winners == ("Y",)
    assert stv.rounds[3].excluded == ("X",)


def test_ranked_tie_level_in_every_round_is_drawn_by_lot():
    # A 2 of 4 is no majority; B and C are level in round 1, the only earlier round.
    ballots = ballots_from({"A": 2, "BA": 1, "CA": 1})

    def count(seed: str) -> CountResult:
        policy = TieBreak(TieRule.BACKWARDS_THEN_LOT, seed)
        return count_irv(candidates=["A", "B", "C"], ballots=ballots, tie_break=policy)

    (record,) = count(SEED).rounds[1].tie_breaks
    tickets = {name: lot_ticket(SEED, 1, name) for name in ("B", "C")}
    assert (record.drawn_among, record.draw, dict(record.tickets)) == (("B", "C"), 1, tickets)
    assert record.chosen == (min(tickets, key=tickets.__getitem__),)
    assert count(SEED) == count(SEED)
    assert {count(seed).rounds[1].excluded for seed in SEEDS} == {("B",), ("C",)}


def test_irv_lot_rule_draws_without_looking_back():
    ballots = ballots_from({"W": 12, "XY": 7, "Y": 6, "VX": 1, "V": 4, "ZY": 2})
    result = count_irv(candidates=["W", "X", "Y", "V", "Z"], ballots=ballots, tie_break=LOT)

    (record,) = result.rounds[3].tie_breaks
    assert (record.earlier_round, record.drawn_among, record.draw) == (None, ("X", "Y"), 1)


def test_stv_equal_surpluses_go_in_the_order_the_lot_put_their_election():
    # Quota 19/(3+1) + 1 = 5. A and B both have 7 at stage 1, level everywhere, so a
    # lot orders their election, and so their equal surpluses of 2 (rule 49(3)). Each
    # moves at 2/7 = 0.28571 a paper, 1.99997 in all: to C from A, to D from B. E is
    # excluded; C and D are then level for the last seat, and rule 51 looks back to the
    # stage after the first surplus - whoever's voters were transferred first wins.
    ballots = ballots_from({"AC": 7, "BD": 7, "C": 2, "D": 2, "E": 1})
    elected_third = set()
    for seed in SEEDS:
        policy = TieBreak(TieRule.BACKWARDS_THEN_LOT, seed)
        result = count_stv(
            candidates=["A", "B", "C", "D", "E"], ballots=ballots, seats=3, tie_break=policy
        )
        first = result.winners[0]
        assert [record.purpose for record in result.rounds[0].tie_breaks] == ["order-of-election"]
        assert result.rounds[0].tie_breaks[0].drawn_among == ("A", "B")
        assert [one.source for one in result.rounds[1:3]] == [first, result.winners[1]]
        assert result.rounds[1].lost_to_rounding == dec("0.00003")
        assert result.rounds[4].tie_breaks[0].earlier_round == 2
        assert result.winners[2] == {"A": "C", "B": "D"}[first]
        elected_third.add(result.winners[2])
    assert elected_third == {"C", "D"}


@pytest.mark.parametrize(
    ("count", "policy", "message"),
    [
        (count_stv, LOT, "Scottish STV compares earlier stages"),
        (count_plurality, LOOK_BACK, "a plurality count has one round"),
    ],
)
def test_each_rule_takes_only_its_stated_tie_rule(count, policy, message):
    extra = {"max_marks": 1} if count is count_plurality else {}
    with pytest.raises(ValueError, match=message):
        count(candidates=["A", "B"], ballots=[], seats=1, tie_break=policy, **extra)


def test_tie_break_needs_a_seed():
    with pytest.raises(ValueError, match="non-empty seed"):
        TieBreak(TieRule.LOT, "  ")
