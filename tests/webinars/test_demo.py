import io

import pytest

from accounts import demo as accounts_demo
from webinars import demo
from webinars.enums import NominationStatus
from webinars.models import SpeakerNomination, Webinar

pytestmark = pytest.mark.django_db


def test_demo_loads_idempotently_with_held_and_upcoming_webinars():
    accounts_demo.load(io.StringIO())
    demo.load(io.StringIO())
    demo.load(io.StringIO())  # a second run changes nothing

    webinars = Webinar.objects.all()
    assert webinars.count() == len(demo.WEBINARS)
    assert all("(demo)" in w.title and "Demo data" in w.description for w in webinars)
    held = Webinar.objects.published().held()
    assert held.count() == 3
    assert all(w.video is not None for w in held)
    assert Webinar.objects.published().upcoming().count() == 2
    assert Webinar.objects.filter(is_cancelled=True).count() == 1
    assert Webinar.objects.filter(is_published=False).count() == 1
    assert all(w.search_vector for w in webinars)
    statuses = set(SpeakerNomination.objects.values_list("status", flat=True))
    assert {NominationStatus.NEW, NominationStatus.ACCEPTED, NominationStatus.SCHEDULED} <= statuses
    assert SpeakerNomination.objects.count() == len(demo.NOMINATIONS)
