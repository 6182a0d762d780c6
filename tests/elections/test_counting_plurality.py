""" "Vote for up to K" (plurality, block, approval) on published examples. No database."""

from elections.counting.plurality import count_plurality
from tests.elections.counting_cases import (
    LOT,
    TENNESSEE,
    WARD_11_CANDIDATES,
    ballots_from,
    tallies_of,
    ward_11,
)

# --- Plurality / "vote for up to K" --------------------------------------------------


def test_plurality_wikipedia_tennessee_example_elects_memphis():
    # Wikipedia, "First-past-the-post voting": with one mark each, Memphis wins on 42%
    # although 58% rank it last.
    ballots = [{ranking[0]} for ranking in ballots_from(TENNESSEE)]
    result = count_plurality(
        candidates=["M", "N", "C", "K"], ballots=ballots, seats=1, max_marks=1, tie_break=LOT
    )

    assert result.winners == ("M",)
    assert tallies_of(result) == [{"M": 42, "N": 26, "C": 15, "K": 17}]


def test_plurality_one_mark_three_seats_counts_the_official_first_preferences():
    # The Renfrewshire ward above counted as "vote for one, three seats": the tallies are
    # the official first preferences (Don 1783, Harrison 212, Hoefer-Franz 170,
    # MacLaren 2552, McCulloch 896), the three highest win, most votes first.
    ballots = [{ranking[0]} for ranking in ward_11()]
    result = count_plurality(
        candidates=WARD_11_CANDIDATES, ballots=ballots, seats=3, max_marks=1, tie_break=LOT
    )

    assert tallies_of(result) == [{"D": 1783, "H": 212, "F": 170, "M": 2552, "C": 896}]
    assert result.winners == ("M", "D", "C")


def test_plurality_vote_for_up_to_two_with_two_seats():
    # By hand: A 4 + 2 = 6, B 4, C 3 + 2 = 5; the blank ballot is reported, not counted.
    ballots = [{"A", "B"}] * 4 + [{"C"}] * 3 + [{"A", "C"}] * 2 + [set()]
    result = count_plurality(
        candidates=["A", "B", "C"], ballots=ballots, seats=2, max_marks=2, tie_break=LOT
    )

    assert tallies_of(result) == [{"A": 6, "B": 4, "C": 5}]
    assert (result.winners, result.ballots, result.blank) == (("A", "C"), 9, 1)


def test_approval_marks_every_candidate_a_voter_accepts():
    ballots = [{"A", "B", "C"}, {"B"}, {"B", "C"}, {"A"}]
    result = count_plurality(
        candidates=["A", "B", "C"], ballots=ballots, seats=1, max_marks=3, tie_break=LOT
    )

    assert (tallies_of(result), result.winners) == ([{"A": 2, "B": 3, "C": 2}], ("B",))
