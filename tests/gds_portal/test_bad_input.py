"""Bad input on the site-wide search box (a GET form every visitor can reach)."""

import pytest
from hypothesis import given

from tests.bad_input import FORM_SETTINGS, MISSING, NASTY, hostile_values

pytestmark = pytest.mark.django_db


@FORM_SETTINGS
@given(query=hostile_values(), page=hostile_values())
def test_search_survives_bad_input(client, query, page):
    params = {k: v for k, v in {"q": query, "page": page}.items() if v is not MISSING}
    response = client.get("/search/", params)
    assert response.status_code == _expected_status(params), (query, page)
    assert response.content.decode().count("<h1") == 1


def _expected_status(params: dict) -> int:
    # A NUL anywhere in a query string is the site-wide 400 page
    # (gds_portal.middleware.RejectNulMiddleware); everything else is a search.
    values = [
        v for value in params.values() for v in ([value] if isinstance(value, str) else value)
    ]
    return 400 if any("\x00" in v for v in values) else 200


@pytest.mark.parametrize("value", NASTY)
def test_search_survives_the_worst_values(client, value):
    params = {} if value is MISSING else {"q": value, "page": value}
    response = client.get("/search/", params)
    assert response.status_code == _expected_status(params)
    assert response.content.decode().count("<h1") == 1
