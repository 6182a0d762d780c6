"""The three counting rules as properties over random elections: deterministic, blind to
ballot order, every vote accounted for, and one-seat STV electing the IRV winner.
"""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elections.counting.irv import count_irv
from elections.counting.plurality import count_plurality
from elections.counting.stv import count_stv
from elections.counting.ties import TieBreak, TieRule
from tests.elections.counting_cases import (
    LOOK_BACK,
    LOT,
    SEEDS,
)

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
