"""Checking ballots and count settings before anything is counted.

A ballot that names an unknown candidate, marks or ranks a candidate twice, or (in a
plurality count) marks more than K candidates raises `InvalidBallot`, and nothing is
counted then. An empty ballot is a blank: it is reported, and it is not a vote.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence


class InvalidBallot(ValueError):
    """A ballot that the count must not guess about; nothing is counted."""

    def __init__(self, problem: str, *, index: int | None = None) -> None:
        where = f"ballot {index + 1}: " if index is not None else ""
        super().__init__(f"{where}{problem}")
        self.problem = problem
        self.index = index


def check_candidates(candidates: Sequence[str]) -> tuple[str, ...]:
    names = tuple(candidates)
    if not names:
        raise ValueError("a count needs at least one candidate")
    for name in names:
        if not isinstance(name, str) or not name:
            raise ValueError(f"candidate ids are non-empty strings, not {name!r}")
    if len(set(names)) != len(names):
        repeated = sorted(name for name, n in Counter(names).items() if n > 1)
        raise ValueError(f"candidate listed twice: {', '.join(repeated)}")
    return names


def check_seats(seats: int, name: str = "seats") -> None:
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {seats!r}")


def check_marks(ballot: Iterable[str], known: frozenset[str], index: int) -> list[str]:
    """The ballot's candidate ids in order, or InvalidBallot: unknown or repeated ids."""
    if isinstance(ballot, str):
        # A bare string would be read as a set of one-letter ids; say so instead.
        raise InvalidBallot("a ballot is a list of candidate ids, not one string", index=index)
    marks = list(ballot)
    for mark in marks:
        if mark not in known:
            raise InvalidBallot(f"unknown candidate {mark!r}", index=index)
    repeated = sorted(name for name, n in Counter(marks).items() if n > 1)
    if repeated:
        raise InvalidBallot(f"candidate marked more than once: {', '.join(repeated)}", index=index)
    return marks


def ranking_from_marks(marks: Mapping[str, int]) -> tuple[str, ...]:
    """Turn a ranked ballot given as {candidate: rank} into the candidates in order.

    Ranks are whole numbers 1, 2, 3 ... with no rank given twice and no gaps: a ballot
    with two candidates at rank 2 does not say which the voter prefers, so it is
    rejected rather than guessed at.
    """
    ranks = list(marks.values())
    for rank in ranks:
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
            raise InvalidBallot(f"ranks are whole numbers from 1, not {rank!r}")
    repeated = sorted(rank for rank, n in Counter(ranks).items() if n > 1)
    if repeated:
        raise InvalidBallot(f"duplicate rank {repeated[0]}")
    if sorted(ranks) != list(range(1, len(ranks) + 1)):
        missing = min(set(range(1, len(ranks) + 1)) - set(ranks))
        raise InvalidBallot(f"ranks must run 1, 2, 3 ... without gaps; {missing} is missing")
    return tuple(sorted(marks, key=lambda name: marks[name]))


def ranked_ballots(
    ballots: Iterable[Sequence[str]], names: tuple[str, ...]
) -> tuple[Counter[tuple[str, ...]], int]:
    """Identical rankings grouped with their number of papers; and the number of blanks."""
    known = frozenset(names)
    profile: Counter[tuple[str, ...]] = Counter()
    blank = 0
    for index, ballot in enumerate(ballots):
        ranking = tuple(check_marks(ballot, known, index))
        if ranking:
            profile[ranking] += 1
        else:
            blank += 1
    return profile, blank
