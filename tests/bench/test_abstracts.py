"""The benchmark's invented abstracts: reproducible, labelled, as unlike one another as real
abstracts are, and with resubmissions the duplicate check must catch."""

import itertools
import random

import pytest
from django.db import connection

from bench.abstracts import DEMO, Writer
from meetings.services.duplicates import DUPLICATE_SIMILARITY


def _similarities(pairs: list[tuple[str, str]]) -> list[float]:
    """pg_trgm's similarity(), the duplicate check's measure, of each pair."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT similarity(a, b) FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY "
            "AS p(a, b, n) ORDER BY n",
            [[a for a, _ in pairs], [b for _, b in pairs]],
        )
        return [score for (score,) in cursor.fetchall()]


def _abstracts(seed: int, count: int) -> list[tuple[str, str]]:
    writer = Writer(random.Random(seed))
    return [(writer.title(), writer.body()) for _ in range(count)]


def test_same_seed_same_text_and_every_body_says_demo_data():
    first, again, other = _abstracts(7, 20), _abstracts(7, 20), _abstracts(8, 20)
    assert first == again
    assert first != other
    assert all(body.endswith(DEMO) for _, body in first)


@pytest.mark.django_db
def test_unrelated_bodies_are_not_alike():
    """The first generator's bodies shared most of their trigrams: 2 % of pairs were
    flagged. Composed ones stay well apart, as real abstracts do."""
    bodies = [body for _, body in _abstracts(2020, 120)]
    scores = _similarities(list(itertools.combinations(bodies, 2)))
    assert max(scores) < DUPLICATE_SIMILARITY
    assert sum(scores) / len(scores) < 0.35


@pytest.mark.django_db
def test_a_resubmission_is_alike_in_its_body():
    writer = Writer(random.Random(3))
    pairs = []
    for _ in range(30):
        title, body = writer.title(), writer.body()
        _, new_body = writer.resubmission(title, body)
        assert new_body != body
        assert new_body.endswith(DEMO)
        pairs.append((body, new_body))
    assert min(_similarities(pairs)) >= DUPLICATE_SIMILARITY
