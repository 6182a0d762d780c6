"""Bad input on the invited-speaker nomination form."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given

from tests.bad_input import (
    FORM_SETTINGS,
    assert_handled,
    corrupt,
    corruptions,
    each_field_nasty,
)
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db

NOMINATION = {
    "nominee_name": "Grace Hopper",
    "nominee_affiliation": "Navy Lab",
    "nominee_email": "grace@example.org",
    "talk_title": "Compilers for data",
    "rationale": "A fresh view.\r\nSecond line.",
    "alternate_1_name": "Ada Lovelace",
    "alternate_1_affiliation": "Engines Lab",
    "alternate_1_email": "ada@example.org",
    "session_chair": "Mia Member",
}


@pytest.fixture
def meeting(db):
    now = timezone.now()
    return MeetingFactory(
        slug="march-2021",
        nominations_open_at=now - timedelta(days=1),
        nominations_close_at=now + timedelta(days=10),
    )


def _post(client, meeting, bad):
    # Each send is a fresh form (its own one-time token), as a browser's would be.
    posted = corrupt({**NOMINATION, "token": str(uuid.uuid4())}, bad)
    response = client.post(f"/meetings/{meeting.slug}/nominate/", posted)
    assert_handled(response, posted=posted, bad=bad, kept=list(NOMINATION))


def test_nomination_form_survives_the_worst_value_in_every_field(personas, client_for, meeting):
    client = client_for(personas.member)
    for _, bad in each_field_nasty([*NOMINATION, "tentatively_agreed", "nominee_is_urm"]):
        _post(client, meeting, bad)


@FORM_SETTINGS
@given(bad=corruptions([*NOMINATION, "tentatively_agreed", "nominee_is_urm"]))
def test_nomination_form_survives_bad_input(personas, client_for, meeting, bad):
    _post(client_for(personas.member), meeting, bad)
