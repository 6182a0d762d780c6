"""The Scottish STV count on a real council ward and on published worked examples.

The Renfrewshire test replays a real Scottish council ward, ballot for ballot, and checks
every stage of the official result sheet to the fifth decimal place; every other expected
number comes from a published count, cited beside it. No database.
"""

import json

from elections.counting.stv import count_stv
from tests.elections.counting_cases import (
    LOOK_BACK,
    SEED,
    WARD_11_CANDIDATES,
    ballots_from,
    dec,
    tallies_of,
    ward_11,
)

# --- STV: the Scottish rules on a real council ward -----------------------------------


def test_stv_renfrewshire_2017_ward_11_matches_every_official_stage():
    result = count_stv(
        candidates=WARD_11_CANDIDATES, ballots=ward_11(), seats=3, tie_break=LOOK_BACK
    )

    assert (result.ballots, result.quota) == (5613, dec("1404.00000"))
    assert result.winners == ("M", "D", "C")
    # The official sheet also lists Hoefer-Franz at 0 after her exclusion; the count
    # leaves an excluded candidate out of the tallies.
    assert [(one.action, one.source, one.elected, one.excluded) for one in result.rounds] == [
        ("first-preferences", None, ("M", "D"), ()),
        ("surplus", "M", (), ()),
        ("surplus", "D", (), ()),
        ("exclusion", "F", ("C",), ("F",)),
    ]
    assert tallies_of(result) == [
        {
            "D": dec("1783.00000"),
            "H": dec("212.00000"),
            "F": dec("170.00000"),
            "M": dec("2552.00000"),
            "C": dec("896.00000"),
        },
        {
            "D": dec("1783.00000"),
            "H": dec("537.68416"),
            "F": dec("230.72840"),
            "M": dec("1404.00000"),
            "C": dec("1212.68736"),
        },
        {
            "D": dec("1404.00000"),
            "H": dec("578.49568"),
            "F": dec("406.94064"),
            "M": dec("1404.00000"),
            "C": dec("1288.99640"),
        },
        {
            "D": dec("1404.00000"),
            "H": dec("733.70360"),
            "M": dec("1404.00000"),
            "C": dec("1407.34264"),
        },
    ]
    assert [dict(one.transfers) for one in result.rounds] == [
        {},
        {"H": dec("325.68416"), "F": dec("60.72840"), "C": dec("316.68736")},
        {"H": dec("40.81152"), "F": dec("176.21224"), "C": dec("76.30904")},
        {"H": dec("155.20792"), "C": dec("118.34624")},
    ]


def test_stv_renfrewshire_ward_11_accounts_for_every_vote_in_every_stage():
    result = count_stv(
        candidates=WARD_11_CANDIDATES, ballots=ward_11(), seats=3, tie_break=LOOK_BACK
    )

    # MacLaren's transfer value is 1148/2552 = 0.449843... truncated to 0.44984, so
    # each of her 2552 papers drops up to 0.00001: 0.00832 in all. Don's 379/1783
    # truncates to 0.21256, dropping 0.00552 more. Exhausted papers keep their value.
    assert [(one.exhausted, one.lost_to_rounding) for one in result.rounds] == [
        (dec("0.00000"), dec("0.00000")),
        (dec("444.89176"), dec("0.00832")),
        (dec("530.55344"), dec("0.01384")),
        (dec("663.93992"), dec("0.01384")),
    ]
    for one in result.rounds:
        assert sum(one.tallies.values()) + one.exhausted + one.lost_to_rounding == 5613


def test_stv_transfer_values_are_truncated_not_rounded():
    # Rule 48(3): the transfer value is calculated "to five decimal places (any
    # remainder being ignored)". By hand: 10 ballots, 3 seats, quota 10/4 + 1 = 3; D
    # has no votes, so three candidates continue for two seats and the surplus moves.
    # A's surplus is 9 - 3 = 6, so each of A's 9 papers moves at 6/9 = 0.666666...,
    # which is 0.66666 (rounding would give 0.66667): B gets 5.99994 and is elected,
    # and 0.00006 is set aside. B's surplus has nowhere to go; D is excluded and C,
    # the one continuing candidate left, takes the last seat (rule 52).
    result = count_stv(
        candidates=["A", "B", "C", "D"],
        ballots=ballots_from({"AB": 9, "C": 1}),
        seats=3,
        tie_break=LOOK_BACK,
    )

    assert result.rounds[1].tallies == {
        "A": dec("3.00000"),
        "B": dec("5.99994"),
        "C": dec("1.00000"),
        "D": dec("0.00000"),
    }
    assert (result.rounds[1].lost_to_rounding, result.rounds[1].elected) == (dec("0.00006"), ("B",))
    assert [(one.action, one.source) for one in result.rounds[2:]] == [
        ("surplus", "B"),
        ("exclusion", "D"),
    ]
    assert result.winners == ("A", "B", "C")


# --- STV: worked examples from Wikipedia ------------------------------------------------


def test_stv_wikipedia_food_example():
    # Wikipedia, "Single transferable vote", the worked example: 20 guests choose 3
    # foods, Droop quota 20/(3+1) + 1 = 6. Chocolate (12) is elected and its surplus of
    # 6 moves at 6/12 = 0.5 a paper: 4 to strawberry, 2 to bonbon. Pear is excluded and
    # orange reaches 6; bonbon is excluded and strawberry, the last one standing, takes
    # the third seat. Winners: chocolate, orange, strawberry.
    ballots = ballots_from({"O": 4, "PO": 2, "CS": 8, "CB": 4, "S": 1, "B": 1})
    result = count_stv(
        candidates=["O", "P", "C", "S", "B"], ballots=ballots, seats=3, tie_break=LOOK_BACK
    )

    assert result.quota == dec("6.00000")
    assert result.winners == ("C", "O", "S")
    assert [(one.action, one.source, one.elected) for one in result.rounds] == [
        ("first-preferences", None, ("C",)),
        ("surplus", "C", ()),
        ("exclusion", "P", ("O",)),
        ("exclusion", "B", ("S",)),
    ]
    assert [{k: str(v) for k, v in one.tallies.items()} for one in result.rounds] == [
        {"O": "4.00000", "P": "2.00000", "C": "12.00000", "S": "1.00000", "B": "1.00000"},
        {"O": "4.00000", "P": "2.00000", "C": "6.00000", "S": "5.00000", "B": "3.00000"},
        {"O": "6.00000", "C": "6.00000", "S": "5.00000", "B": "3.00000"},
        {"O": "6.00000", "C": "6.00000", "S": "5.00000"},
    ]
    # Bonbon's own paper and the four from chocolate at 0.5 have nowhere to go.
    assert result.rounds[-1].exhausted == dec("3.00000")


def test_stv_wikipedia_droop_quota_example():
    # Wikipedia, "Counting single transferable votes", Droop quota example: 57 voters,
    # 2 seats, quota 57/(2+1) + 1 = 20. Andrea has 40 first preferences and Delilah 17;
    # Andrea's surplus of 20 goes 12 to Carter and 8 to Brad; Brad, lowest, is excluded,
    # his votes go on to Carter, who reaches 20 and takes the second seat. (The article
    # gives the totals; these rankings are the ones that produce them.)
    ballots = ballots_from({"ABC": 16, "ACB": 24, "D": 17})
    result = count_stv(
        candidates=["A", "B", "C", "D"], ballots=ballots, seats=2, tie_break=LOOK_BACK
    )

    assert result.quota == dec("20.00000")
    assert result.winners == ("A", "C")
    assert tallies_of(result) == [
        {"A": 40, "B": 0, "C": 0, "D": 17},
        {"A": 20, "B": 8, "C": 12, "D": 17},
        {"A": 20, "C": 20, "D": 17},
    ]
    assert result.rounds[2].excluded == ("B",)


# --- Publishing and recounting -----------------------------------------------------------


def test_result_is_json_and_a_recount_compares_equal():
    result = count_stv(
        candidates=WARD_11_CANDIDATES, ballots=ward_11(), seats=3, tie_break=LOOK_BACK
    )
    published = json.loads(json.dumps(result.to_dict()))

    assert published == result.to_dict()
    recount = count_stv(
        candidates=WARD_11_CANDIDATES,
        ballots=list(reversed(ward_11())),
        seats=3,
        tie_break=LOOK_BACK,
    )
    assert recount.to_dict() == published
    assert published["quota"] == "1404.00000"
    assert published["rounds"][1]["tallies"]["H"] == "537.68416"
    assert published["tie_break"] == {"rule": "backwards-then-lot", "seed": SEED}
