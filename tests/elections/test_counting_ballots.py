"""Bad ballots and bad count settings are refused; ranks become rankings. No database."""

import re

import pytest

from elections.counting.ballots import InvalidBallot, ranking_from_marks
from elections.counting.irv import count_irv
from elections.counting.plurality import count_plurality
from elections.counting.stv import count_stv
from tests.elections.counting_cases import (
    LOOK_BACK,
    LOT,
)

# --- Invalid ballots and settings -------------------------------------------------------


@pytest.mark.parametrize(
    ("ballot", "message"),
    [
        (("A", "Z"), "ballot 2: unknown candidate 'Z'"),
        (("A", "B", "A"), "ballot 2: candidate marked more than once: A"),
        ("AB", "ballot 2: a ballot is a list of candidate ids, not one string"),
    ],
)
def test_invalid_ranked_ballot_is_rejected_with_its_number(ballot, message):
    for count in (count_irv, count_stv):
        extra = {"seats": 1} if count is count_stv else {}
        with pytest.raises(InvalidBallot, match=f"^{re.escape(message)}$") as error:
            count(candidates=["A", "B"], ballots=[("A",), ballot], tie_break=LOOK_BACK, **extra)
        assert error.value.index == 1


@pytest.mark.parametrize(
    ("marks", "message"),
    [
        ({"A": 1, "B": 2, "C": 2}, "duplicate rank 2"),
        ({"A": 1, "C": 3}, "ranks must run 1, 2, 3 ... without gaps; 2 is missing"),
        ({"A": 0}, "ranks are whole numbers from 1, not 0"),
    ],
)
def test_ranks_given_twice_or_with_gaps_are_rejected(marks, message):
    with pytest.raises(InvalidBallot, match=f"^{re.escape(message)}$"):
        ranking_from_marks(marks)


def test_ranks_become_the_ranking():
    assert ranking_from_marks({"B": 2, "C": 3, "A": 1}) == ("A", "B", "C")


def test_more_marks_than_allowed_is_rejected():
    with pytest.raises(InvalidBallot, match=r"^ballot 1: 3 marks; at most 2 allowed$"):
        count_plurality(
            candidates=["A", "B", "C"],
            ballots=[{"A", "B", "C"}],
            seats=1,
            max_marks=2,
            tie_break=LOT,
        )


def test_plurality_unknown_candidate_is_rejected():
    with pytest.raises(InvalidBallot, match=r"^ballot 1: unknown candidate 'Q'$"):
        count_plurality(candidates=["A"], ballots=[{"Q"}], seats=1, max_marks=1, tie_break=LOT)


@pytest.mark.parametrize(
    ("candidates", "seats", "message"),
    [
        (["A", "A"], 1, "candidate listed twice: A"),
        ([], 1, "at least one candidate"),
        (["A"], 0, "seats must be a whole number of at least 1"),
    ],
)
def test_bad_count_settings_are_refused(candidates, seats, message):
    with pytest.raises(ValueError, match=message):
        count_stv(candidates=candidates, ballots=[], seats=seats, tie_break=LOOK_BACK)
