"""Bad input on the CRRG questionnaire form (choices, multiple choices, text, URL, consents)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.bad_input import (
    FORM_SETTINGS,
    assert_handled,
    corrupt,
    corruptions,
    each_field_nasty,
)

pytestmark = pytest.mark.django_db

JOIN = "/crrg/join/"


def _post(client, crrg, bad):
    data = crrg.data(
        working="yes",
        groups=[crrg.pick_modeling],
        details="Modeling spread.\r\nA",
        url="https://example.org/work",
        consent_contact="on",
    )
    posted = corrupt(data, bad)
    response = client.post(JOIN, posted)
    kept = [f"q{crrg.details.pk}", f"q{crrg.url.pk}"]
    assert_handled(response, posted=posted, bad=bad, kept=kept)


def _fields(crrg) -> list[str]:
    questions = (crrg.working, crrg.groups, crrg.details, crrg.url)
    return [*(f"q{q.pk}" for q in questions), "consent_contact", "consent_listed"]


def test_questionnaire_survives_the_worst_value_in_every_field(personas, client_for, crrg):
    client = client_for(personas.member)
    for _, bad in each_field_nasty(_fields(crrg)):
        _post(client, crrg, bad)


@FORM_SETTINGS
@given(data=st.data())
def test_questionnaire_survives_bad_input(personas, client_for, crrg, data):
    _post(client_for(personas.member), crrg, data.draw(corruptions(_fields(crrg))))
