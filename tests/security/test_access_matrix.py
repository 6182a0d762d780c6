"""Runs every app's access rows (see tests/security/access.py for how to add them)."""

import pytest
from django.test import Client

from tests.security.access import REFUSED, all_rows, matches, outcome

pytestmark = pytest.mark.django_db

ROWS = all_rows()


def _refused(actual: str) -> bool:
    return matches(REFUSED, actual)


@pytest.mark.parametrize(
    ("module", "row"),
    [pytest.param(m, r, id=f"{m.__name__.split('.')[1]}: {r.name}") for m, r in ROWS],
)
def test_access(module, row, personas):
    world = {"personas": personas, **module.world(personas)}
    client = Client(raise_request_exception=False)
    if row.persona:
        client.force_login(getattr(personas, row.persona))
    url = row.url.format(**world)
    data = row.data(world) if callable(row.data) else row.data
    before = row.unchanged(world) if row.unchanged else None

    response = (
        client.generic(row.method, url)
        if not data
        else getattr(client, row.method.lower())(url, data)
    )

    actual = outcome(response)
    assert matches(row.expect, actual), f"{row.method} {url} as {row.persona}: {actual}"
    body = response.content.decode(errors="replace")
    leaks = [text.format(**world) for text in row.hidden if text.format(**world) in body]
    if _refused(actual):
        leaks += [text for text in world.get("private", []) if text in body]
    assert leaks == [], f"{row.method} {url} as {row.persona} showed {leaks}"
    if row.unchanged:
        assert row.unchanged(world) == before, f"{row.method} {url} as {row.persona} changed data"


def test_matrix_has_rows_from_the_foundation():
    modules = {module.__name__ for module, _ in ROWS}
    assert {
        "tests.accounts.access_rows",
        "tests.community.access_rows",
        "tests.gds_portal.access_rows",
    } <= modules
