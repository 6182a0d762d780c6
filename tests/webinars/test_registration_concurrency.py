"""Real concurrency against PostgreSQL: the last place, and a cancel racing a register."""

import threading

import pytest
from django.db import connection

from gds_portal.models import OutboundEmail
from tests.factories.accounts import UserFactory
from tests.factories.webinars import FUTURE, WebinarFactory
from webinars.registration import registration_cancel, registration_member

# serialized_rollback puts back what data migrations wrote after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _together(calls) -> list[Exception]:
    start = threading.Barrier(len(calls))
    errors: list[Exception] = []

    def run(call):
        try:
            start.wait()
            call()
        except Exception as error:  # surfaced by the caller's assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_eight_people_for_three_places_get_three_places():
    webinar = WebinarFactory(start_at=FUTURE, capacity=3)
    people = [UserFactory(email=f"p{n}@example.org") for n in range(8)]

    errors = _together([lambda p=p: registration_member(webinar=webinar, user=p) for p in people])

    assert errors == []
    statuses = sorted(webinar.registrations.values_list("status", flat=True))
    assert statuses == ["confirmed"] * 3 + ["waiting"] * 5
    assert OutboundEmail.objects.filter(template="webinars/registration-confirmed").count() == 3


def test_the_same_member_twice_at_once_is_one_registration():
    webinar = WebinarFactory(start_at=FUTURE)
    member = UserFactory(email="ada@example.org")

    errors = _together([lambda: registration_member(webinar=webinar, user=member)] * 5)

    assert errors == []
    assert webinar.registrations.count() == 1
    assert OutboundEmail.objects.count() == 1


def test_a_cancel_and_new_registrations_at_once_never_overfill():
    webinar = WebinarFactory(start_at=FUTURE, capacity=2)
    first, _second = [
        registration_member(webinar=webinar, user=UserFactory(email=f"h{n}@example.org"))
        for n in range(2)
    ]
    newcomers = [UserFactory(email=f"n{n}@example.org") for n in range(4)]
    calls = [lambda: registration_cancel(registration=first)]
    calls += [lambda p=p: registration_member(webinar=webinar, user=p) for p in newcomers]

    assert _together(calls) == []

    statuses = sorted(webinar.registrations.values_list("status", flat=True))
    assert statuses == ["cancelled", "confirmed", "confirmed", "waiting", "waiting", "waiting"]
