"""Instant-runoff on a published worked example, exhausted ballots and blanks. No database."""

from elections.counting.irv import count_irv
from tests.elections.counting_cases import (
    LOOK_BACK,
    TENNESSEE,
    ballots_from,
    tallies_of,
)

# --- Instant-runoff ---------------------------------------------------------------------


def test_irv_wikipedia_tennessee_example():
    # Chattanooga (15) is excluded, its voters go to Knoxville (32); then Nashville
    # (26), whose voters go to Knoxville too: Knoxville wins 58 to 42.
    result = count_irv(
        candidates=["M", "N", "C", "K"], ballots=ballots_from(TENNESSEE), tie_break=LOOK_BACK
    )

    assert result.winners == ("K",)
    assert tallies_of(result) == [
        {"M": 42, "N": 26, "C": 15, "K": 17},
        {"M": 42, "N": 26, "K": 32},
        {"M": 42, "K": 58},
    ]
    assert [(one.excluded, dict(one.transfers)) for one in result.rounds] == [
        ((), {}),
        (("C",), {"K": 15}),
        (("N",), {"K": 26}),
    ]
    assert [one.exhausted for one in result.rounds] == [0, 0, 0]


def test_irv_exhausted_ballots_leave_the_majority_and_are_recorded_per_round():
    # 12 rank W only; 7 X then Y; 6 Y only; V is first on 5 ballots, one going on to X;
    # Z on 2, going on to Y. 32 ballots, so a first-round winner needs 17.
    ballots = ballots_from({"W": 12, "XY": 7, "Y": 6, "VX": 1, "V": 4, "ZY": 2})
    result = count_irv(candidates=["W", "X", "Y", "V", "Z"], ballots=ballots, tie_break=LOOK_BACK)

    assert [one.exhausted for one in result.rounds] == [0, 0, 4, 5]
    # In the last round 27 ballots still count: Y's 15 of them are a majority though
    # 15 is less than half of the 32 cast.
    assert tallies_of(result)[-1] == {"W": 12, "Y": 15}
    assert result.winners == ("Y",)


def test_irv_blank_ballots_are_reported_and_are_not_votes():
    ballots = [("A",), ("A",), ("B",), (), ()]
    result = count_irv(candidates=["A", "B"], ballots=ballots, tie_break=LOOK_BACK)

    assert (result.ballots, result.blank, result.winners) == (3, 2, ("A",))
    assert result.rounds[0].exhausted == 0
