"""The counting rules on published worked examples, on ties, on bad ballots, and as properties.

Every expected number in the example tests comes from a published count, cited beside
it; the STV test replays a real Scottish council ward, ballot for ballot, and checks
every stage of the official result sheet to the fifth decimal place. No database.
"""

import json
import os
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elections.counting import (
    CountResult,
    InvalidBallot,
    TieBreak,
    TieRule,
    count_irv,
    count_plurality,
    count_stv,
    lot_ticket,
    ranking_from_marks,
)

SEED = "GDS fall 2020 count, read out by the chair"
LOT = TieBreak(TieRule.LOT, SEED)
LOOK_BACK = TieBreak(TieRule.BACKWARDS_THEN_LOT, SEED)
SEEDS = [f"seed {n}" for n in range(24)]


def _ballots(profile: dict[str, int]) -> list[tuple[str, ...]]:
    """{"ABC": 3} -> three ballots ranking A, then B, then C (one letter per candidate)."""
    return [tuple(ranking) for ranking, papers in profile.items() for _ in range(papers)]


def _tallies(result: CountResult) -> list[dict[str, object]]:
    return [dict(one.tallies) for one in result.rounds]


def _d(value: str) -> Decimal:
    return Decimal(value)


# --- STV: the Scottish rules on a real council ward -----------------------------------

# Renfrewshire Council, Scottish local government election of 4 May 2017, Ward 11
# (Bishopton, Bridge of Weir and Langbank), 3 seats, counted under the Scottish Local
# Government Elections Order 2011, whose STV counting rules are those of the 2007 Order.
# Ballots: the council's published preference profile (every sequence of preferences and
# how many voters marked it, published since 2012 under rule 56(c)(va) of that Order);
# the copy used is mggg/scot-elex 5_cands/renfrewshire_2017_ward11.csv. Expected stages:
# the council's official result sheet (valid poll 5613, quota 1404), as transcribed in
# gerrymulvenna/council17 2017/SCO/renfrewshire/S13003085/ResultsJson.json.
# Letters: D Natalie Don, H Elliot Alexander Harrison, F Ellen Hoefer-Franz,
# M James MacLaren, C Colin McCulloch. "372 D" = 372 ballots ranking Don only.
WARD_11 = """
    372 D  23 DH  36 DHF  1 DHFM  12 DHFMC  2 DHFC  32 DHFCM  11 DHM  1 DHMF  5 DHMFC
    2 DHMC  2 DHMCF  13 DHC  3 DHCF  13 DHCFM  3 DHCMF  276 DF  97 DFH  21 DFHMC  25 DFHC
    156 DFHCM  19 DFM  2 DFMH  11 DFMHC  5 DFMCH  95 DFC  12 DFCH  88 DFCHM  6 DFCMH  31 DM
    13 DMH  2 DMHF  8 DMHFC  10 DMHCF  11 DMF  4 DMFHC  1 DMFCH  19 DMC  1 DMCH  9 DMCHF
    8 DMCFH  68 DC  27 DCH  8 DCHF  32 DCHFM  6 DCHMF  72 DCF  9 DCFH  56 DCFHM  6 DCFMH
    26 DCM  3 DCMH  4 DCMHF  5 DCMFH  35 H  2 HD  5 HDF  1 HDFM  1 HDFMC  1 HDFC
    4 HDFCM  2 HDM  1 HDMCF  3 HDC  1 HDCF  2 HDCFM  2 HDCMF  10 HF  6 HFD  1 HFDMC
    2 HFDCM  3 HFM  2 HFMC  3 HFMCD  8 HFC  1 HFCD  1 HFCDM  3 HFCMD  7 HM  2 HMD
    1 HMDCF  10 HMF  3 HMFDC  1 HMFCD  19 HMC  2 HMCDF  7 HMCFD  16 HC  4 HCD  1 HCDFM
    7 HCF  1 HCFD  3 HCFDM  1 HCFM  5 HCFMD  12 HCM  1 HCMDF  2 HCMF  7 HCMFD  21 F
    20 FD  11 FDH  1 FDHC  10 FDHCM  3 FDM  2 FDMHC  1 FDMCH  14 FDC  6 FDCH  9 FDCHM
    2 FDCMH  3 FH  6 FHD  4 FHDCM  1 FHM  3 FHMDC  2 FHMCD  4 FHC  1 FHCD  3 FHCDM
    4 FHCMD  1 FM  4 FMD  1 FMDCH  2 FMH  2 FMC  1 FMCDH  2 FMCHD  1 FC  6 FCD
    1 FCDH  3 FCDHM  2 FCDMH  5 FCH  3 FCHDM  3 FCHMD  2 FCM  948 M  41 MD  24 MDH
    1 MDHF  5 MDHFC  11 MDHCF  13 MDF  2 MDFH  8 MDFHC  4 MDFCH  28 MDC  18 MDCHF  5 MDCFH
    187 MH  21 MHD  6 MHDFC  8 MHDCF  75 MHF  9 MHFDC  1 MHFC  42 MHFCD  237 MHC  3 MHCD
    12 MHCDF  8 MHCF  74 MHCFD  19 MF  11 MFD  2 MFDHC  1 MFDCH  29 MFH  6 MFHDC  4 MFHC
    18 MFHCD  8 MFC  2 MFCH  8 MFCHD  169 MC  24 MCD  17 MCDHF  1 MCDFH  271 MCH  1 MCHD
    14 MCHDF  22 MCHF  100 MCHFD  12 MCF  4 MCFH  18 MCFHD  215 C  34 CD  28 CDH  2 CDHF
    15 CDHFM  10 CDHMF  20 CDF  2 CDFH  14 CDFHM  3 CDFMH  15 CDM  1 CDMH  7 CDMHF  5 CDMFH
    53 CH  5 CHD  1 CHDF  7 CHDFM  2 CHDMF  42 CHF  1 CHFD  9 CHFDM  2 CHFM  19 CHFMD
    29 CHM  4 CHMDF  6 CHMF  17 CHMFD  23 CF  15 CFD  2 CFDH  11 CFDHM  2 CFDMH  30 CFH
    3 CFHD  8 CFHDM  3 CFHM  8 CFHMD  5 CFM  1 CFMDH  2 CFMHD  48 CM  15 CMD  1 CMDH
    1 CMDHF  2 CMDFH  79 CMH  6 CMHDF  7 CMHF  33 CMHFD  9 CMF  2 CMFDH  7 CMFH  5 CMFHD
"""
WARD_11_CANDIDATES = ["D", "H", "F", "M", "C"]


def _ward_11() -> list[tuple[str, ...]]:
    counts = WARD_11.split()
    return _ballots(dict(zip(counts[1::2], map(int, counts[::2]), strict=True)))


def test_stv_renfrewshire_2017_ward_11_matches_every_official_stage():
    result = count_stv(
        candidates=WARD_11_CANDIDATES, ballots=_ward_11(), seats=3, tie_break=LOOK_BACK
    )

    assert (result.ballots, result.quota) == (5613, _d("1404.00000"))
    assert result.winners == ("M", "D", "C")
    # The official sheet also lists Hoefer-Franz at 0 after her exclusion; the count
    # leaves an excluded candidate out of the tallies.
    assert [(one.action, one.source, one.elected, one.excluded) for one in result.rounds] == [
        ("first-preferences", None, ("M", "D"), ()),
        ("surplus", "M", (), ()),
        ("surplus", "D", (), ()),
        ("exclusion", "F", ("C",), ("F",)),
    ]
    assert _tallies(result) == [
        {
            "D": _d("1783.00000"),
            "H": _d("212.00000"),
            "F": _d("170.00000"),
            "M": _d("2552.00000"),
            "C": _d("896.00000"),
        },
        {
            "D": _d("1783.00000"),
            "H": _d("537.68416"),
            "F": _d("230.72840"),
            "M": _d("1404.00000"),
            "C": _d("1212.68736"),
        },
        {
            "D": _d("1404.00000"),
            "H": _d("578.49568"),
            "F": _d("406.94064"),
            "M": _d("1404.00000"),
            "C": _d("1288.99640"),
        },
        {"D": _d("1404.00000"), "H": _d("733.70360"), "M": _d("1404.00000"), "C": _d("1407.34264")},
    ]
    assert [dict(one.transfers) for one in result.rounds] == [
        {},
        {"H": _d("325.68416"), "F": _d("60.72840"), "C": _d("316.68736")},
        {"H": _d("40.81152"), "F": _d("176.21224"), "C": _d("76.30904")},
        {"H": _d("155.20792"), "C": _d("118.34624")},
    ]


def test_stv_renfrewshire_ward_11_accounts_for_every_vote_in_every_stage():
    result = count_stv(
        candidates=WARD_11_CANDIDATES, ballots=_ward_11(), seats=3, tie_break=LOOK_BACK
    )

    # MacLaren's transfer value is 1148/2552 = 0.449843... truncated to 0.44984, so
    # each of her 2552 papers drops up to 0.00001: 0.00832 in all. Don's 379/1783
    # truncates to 0.21256, dropping 0.00552 more. Exhausted papers keep their value.
    assert [(one.exhausted, one.lost_to_rounding) for one in result.rounds] == [
        (_d("0.00000"), _d("0.00000")),
        (_d("444.89176"), _d("0.00832")),
        (_d("530.55344"), _d("0.01384")),
        (_d("663.93992"), _d("0.01384")),
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
        ballots=_ballots({"AB": 9, "C": 1}),
        seats=3,
        tie_break=LOOK_BACK,
    )

    assert result.rounds[1].tallies == {
        "A": _d("3.00000"),
        "B": _d("5.99994"),
        "C": _d("1.00000"),
        "D": _d("0.00000"),
    }
    assert (result.rounds[1].lost_to_rounding, result.rounds[1].elected) == (_d("0.00006"), ("B",))
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
    ballots = _ballots({"O": 4, "PO": 2, "CS": 8, "CB": 4, "S": 1, "B": 1})
    result = count_stv(
        candidates=["O", "P", "C", "S", "B"], ballots=ballots, seats=3, tie_break=LOOK_BACK
    )

    assert result.quota == _d("6.00000")
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
    assert result.rounds[-1].exhausted == _d("3.00000")


def test_stv_wikipedia_droop_quota_example():
    # Wikipedia, "Counting single transferable votes", Droop quota example: 57 voters,
    # 2 seats, quota 57/(2+1) + 1 = 20. Andrea has 40 first preferences and Delilah 17;
    # Andrea's surplus of 20 goes 12 to Carter and 8 to Brad; Brad, lowest, is excluded,
    # his votes go on to Carter, who reaches 20 and takes the second seat. (The article
    # gives the totals; these rankings are the ones that produce them.)
    ballots = _ballots({"ABC": 16, "ACB": 24, "D": 17})
    result = count_stv(
        candidates=["A", "B", "C", "D"], ballots=ballots, seats=2, tie_break=LOOK_BACK
    )

    assert result.quota == _d("20.00000")
    assert result.winners == ("A", "C")
    assert _tallies(result) == [
        {"A": 40, "B": 0, "C": 0, "D": 17},
        {"A": 20, "B": 8, "C": 12, "D": 17},
        {"A": 20, "C": 20, "D": 17},
    ]
    assert result.rounds[2].excluded == ("B",)


# --- Instant-runoff ---------------------------------------------------------------------

# Wikipedia, "Instant-runoff voting", the Tennessee capital example: voters rank the four
# cities by nearness; 42% live near Memphis, 26% Nashville, 15% Chattanooga, 17% Knoxville.
TENNESSEE = {"MNCK": 42, "NCKM": 26, "CKNM": 15, "KCNM": 17}


def test_irv_wikipedia_tennessee_example():
    # Chattanooga (15) is excluded, its voters go to Knoxville (32); then Nashville
    # (26), whose voters go to Knoxville too: Knoxville wins 58 to 42.
    result = count_irv(
        candidates=["M", "N", "C", "K"], ballots=_ballots(TENNESSEE), tie_break=LOOK_BACK
    )

    assert result.winners == ("K",)
    assert _tallies(result) == [
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
    ballots = _ballots({"W": 12, "XY": 7, "Y": 6, "VX": 1, "V": 4, "ZY": 2})
    result = count_irv(candidates=["W", "X", "Y", "V", "Z"], ballots=ballots, tie_break=LOOK_BACK)

    assert [one.exhausted for one in result.rounds] == [0, 0, 4, 5]
    # In the last round 27 ballots still count: Y's 15 of them are a majority though
    # 15 is less than half of the 32 cast.
    assert _tallies(result)[-1] == {"W": 12, "Y": 15}
    assert result.winners == ("Y",)


def test_irv_blank_ballots_are_reported_and_are_not_votes():
    ballots = [("A",), ("A",), ("B",), (), ()]
    result = count_irv(candidates=["A", "B"], ballots=ballots, tie_break=LOOK_BACK)

    assert (result.ballots, result.blank, result.winners) == (3, 2, ("A",))
    assert result.rounds[0].exhausted == 0


# --- Plurality / "vote for up to K" --------------------------------------------------


def test_plurality_wikipedia_tennessee_example_elects_memphis():
    # Wikipedia, "First-past-the-post voting": with one mark each, Memphis wins on 42%
    # although 58% rank it last.
    ballots = [{ranking[0]} for ranking in _ballots(TENNESSEE)]
    result = count_plurality(
        candidates=["M", "N", "C", "K"], ballots=ballots, seats=1, max_marks=1, tie_break=LOT
    )

    assert result.winners == ("M",)
    assert _tallies(result) == [{"M": 42, "N": 26, "C": 15, "K": 17}]


def test_plurality_one_mark_three_seats_counts_the_official_first_preferences():
    # The Renfrewshire ward above counted as "vote for one, three seats": the tallies are
    # the official first preferences (Don 1783, Harrison 212, Hoefer-Franz 170,
    # MacLaren 2552, McCulloch 896), the three highest win, most votes first.
    ballots = [{ranking[0]} for ranking in _ward_11()]
    result = count_plurality(
        candidates=WARD_11_CANDIDATES, ballots=ballots, seats=3, max_marks=1, tie_break=LOT
    )

    assert _tallies(result) == [{"D": 1783, "H": 212, "F": 170, "M": 2552, "C": 896}]
    assert result.winners == ("M", "D", "C")


def test_plurality_vote_for_up_to_two_with_two_seats():
    # By hand: A 4 + 2 = 6, B 4, C 3 + 2 = 5; the blank ballot is reported, not counted.
    ballots = [{"A", "B"}] * 4 + [{"C"}] * 3 + [{"A", "C"}] * 2 + [set()]
    result = count_plurality(
        candidates=["A", "B", "C"], ballots=ballots, seats=2, max_marks=2, tie_break=LOT
    )

    assert _tallies(result) == [{"A": 6, "B": 4, "C": 5}]
    assert (result.winners, result.ballots, result.blank) == (("A", "C"), 9, 1)


def test_approval_marks_every_candidate_a_voter_accepts():
    ballots = [{"A", "B", "C"}, {"B"}, {"B", "C"}, {"A"}]
    result = count_plurality(
        candidates=["A", "B", "C"], ballots=ballots, seats=1, max_marks=3, tie_break=LOT
    )

    assert (_tallies(result), result.winners) == ([{"A": 2, "B": 3, "C": 2}], ("B",))


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
    ballots = _ballots({"W": 12, "XY": 7, "Y": 6, "VX": 1, "V": 4, "ZY": 2})
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
    ballots = _ballots({"A": 2, "BA": 1, "CA": 1})

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
    ballots = _ballots({"W": 12, "XY": 7, "Y": 6, "VX": 1, "V": 4, "ZY": 2})
    result = count_irv(candidates=["W", "X", "Y", "V", "Z"], ballots=ballots, tie_break=LOT)

    (record,) = result.rounds[3].tie_breaks
    assert (record.earlier_round, record.drawn_among, record.draw) == (None, ("X", "Y"), 1)


def test_stv_equal_surpluses_go_in_the_order_the_lot_put_their_election():
    # Quota 19/(3+1) + 1 = 5. A and B both have 7 at stage 1, level everywhere, so a
    # lot orders their election, and so their equal surpluses of 2 (rule 49(3)). Each
    # moves at 2/7 = 0.28571 a paper, 1.99997 in all: to C from A, to D from B. E is
    # excluded; C and D are then level for the last seat, and rule 51 looks back to the
    # stage after the first surplus - whoever's voters were transferred first wins.
    ballots = _ballots({"AC": 7, "BD": 7, "C": 2, "D": 2, "E": 1})
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
        assert result.rounds[1].lost_to_rounding == _d("0.00003")
        assert result.rounds[4].tie_breaks[0].earlier_round == 2
        assert result.winners[2] == {"A": "C", "B": "D"}[first]
        elected_third.add(result.winners[2])
    assert elected_third == {"C", "D"}


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


def test_tie_break_needs_a_seed():
    with pytest.raises(ValueError, match="non-empty seed"):
        TieBreak(TieRule.LOT, "  ")


# --- Publishing and recounting -----------------------------------------------------------


def test_result_is_json_and_a_recount_compares_equal():
    result = count_stv(
        candidates=WARD_11_CANDIDATES, ballots=_ward_11(), seats=3, tie_break=LOOK_BACK
    )
    published = json.loads(json.dumps(result.to_dict()))

    assert published == result.to_dict()
    recount = count_stv(
        candidates=WARD_11_CANDIDATES,
        ballots=list(reversed(_ward_11())),
        seats=3,
        tie_break=LOOK_BACK,
    )
    assert recount.to_dict() == published
    assert published["quota"] == "1404.00000"
    assert published["rounds"][1]["tallies"]["H"] == "537.68416"
    assert published["tie_break"] == {"rule": "backwards-then-lot", "seed": SEED}


# --- Properties -------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    database=None,
    derandomize=os.environ.get("CI", "").lower() in {"1", "true", "yes"},
    # The suite's autouse fixtures (cache, mail) are function-scoped; the counts touch
    # neither, so running them once per test rather than per example is harmless.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
NAMES = ("ann", "bob", "cy", "dee", "eve")


@st.composite
def _elections(draw: st.DrawFn) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """A few candidates and up to 40 ranked ballots, some short, some blank, many tied."""
    names = NAMES[: draw(st.integers(2, len(NAMES)))]
    ranking = st.permutations(names).flatmap(
        lambda order: st.integers(0, len(order)).map(lambda k: tuple(order[:k]))
    )
    return names, draw(st.lists(ranking, max_size=40))


def _all_counts(names, ballots, seats):
    return (
        count_stv(candidates=names, ballots=ballots, seats=seats, tie_break=LOOK_BACK),
        count_irv(candidates=names, ballots=ballots, tie_break=LOOK_BACK),
        count_plurality(
            candidates=names,
            ballots=[set(b) for b in ballots],
            seats=seats,
            max_marks=len(names),
            tie_break=LOT,
        ),
    )


@PROPERTY_SETTINGS
@given(election=_elections(), data=st.data())
def test_counts_are_deterministic_and_ignore_ballot_order(election, data):
    names, ballots = election
    seats = data.draw(st.integers(1, len(names)))
    shuffled = data.draw(st.permutations(ballots))

    first = _all_counts(names, ballots, seats)
    assert first == _all_counts(names, shuffled, seats)
    assert [one.to_dict() for one in first] == [
        one.to_dict() for one in _all_counts(names, ballots, seats)
    ]


@PROPERTY_SETTINGS
@given(election=_elections(), seed=st.sampled_from(SEEDS))
def test_one_seat_stv_elects_the_irv_winner(election, seed):
    names, ballots = election
    policy = TieBreak(TieRule.BACKWARDS_THEN_LOT, seed)

    stv = count_stv(candidates=names, ballots=ballots, seats=1, tie_break=policy)
    irv = count_irv(candidates=names, ballots=ballots, tie_break=policy)
    assert stv.winners == irv.winners


@PROPERTY_SETTINGS
@given(election=_elections(), data=st.data())
def test_every_vote_is_accounted_for_in_every_round(election, data):
    names, ballots = election
    seats = data.draw(st.integers(1, len(names)))
    stv, irv, plurality = _all_counts(names, ballots, seats)

    # Exact for STV too: fixed decimals, with what truncation drops reported.
    for one in stv.rounds:
        assert sum(one.tallies.values()) + one.exhausted + one.lost_to_rounding == stv.ballots
    for one in irv.rounds:
        assert sum(one.tallies.values()) + one.exhausted == irv.ballots
    assert sum(plurality.rounds[0].tallies.values()) == sum(len(b) for b in ballots)
    assert len(stv.winners) == len(set(stv.winners)) == seats
    assert stv.ballots + stv.blank == irv.ballots + irv.blank == len(ballots)
