"""Bad input on the newsletter subscription form, for visitors and members."""

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import given

from tests.bad_input import (
    FORM_SETTINGS,
    assert_handled,
    corrupt,
    corruptions,
    each_field_nasty,
)

pytestmark = pytest.mark.django_db


@FORM_SETTINGS
@given(bad=corruptions(["email"]))
def test_subscribe_survives_bad_input_from_a_visitor(bad):
    cache.clear()
    posted = corrupt({"email": "reader@example.org"}, bad)
    response = Client().post("/newsletters/subscribe/", posted)
    assert_handled(response, posted=posted, bad=bad, kept=["email"])


@FORM_SETTINGS
@given(bad=corruptions(["email"]))
def test_subscribe_survives_bad_input_from_a_member(personas, client_for, bad):
    cache.clear()
    posted = corrupt({"email": "member@example.org"}, bad)
    response = client_for(personas.member).post("/newsletters/subscribe/", posted)
    assert_handled(response, posted=posted, bad=bad, kept=["email"])


def test_subscribe_survives_the_worst_value(personas, client_for):
    for client in (Client(), client_for(personas.member)):
        for _, bad in each_field_nasty(["email"]):
            cache.clear()
            posted = corrupt({"email": "reader@example.org"}, bad)
            response = client.post("/newsletters/subscribe/", posted)
            assert_handled(response, posted=posted, bad=bad, kept=["email"])
