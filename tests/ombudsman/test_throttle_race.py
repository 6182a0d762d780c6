"""The ombudsman's limits hold under parallel attempts (outside probe of issue 18: the
count was read before and written after, so parallel guesses shared one allowance)."""

import threading

import pytest
from django.db import connection
from django.test import RequestFactory

from ombudsman import throttle
from ombudsman.models import ThrottleHit

pytestmark = pytest.mark.django_db(transaction=True)


def _request(address: str):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_twenty_parallel_guesses_at_one_case_get_exactly_its_allowance():
    start = threading.Barrier(20)
    outcomes: list[bool] = []
    errors: list[Exception] = []

    def guess(n: int) -> None:
        try:
            start.wait()
            # Twenty networks: only the per-case limit (5 an hour) can stop them.
            attempt = throttle.take(
                _request(f"198.51.100.{n + 1}"), action=throttle.CASE_FAILED, key="DEMY-2345"
            )
            outcomes.append(attempt.blocked_until is None)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert outcomes.count(True) == 5
    assert ThrottleHit.objects.filter(scope="key").count() == 5


def test_a_refunded_attempt_leaves_the_allowance_whole():
    request = _request("198.51.100.7")
    for _ in range(10):  # ten right passphrases in a row: none counts as a failure
        attempt = throttle.take(request, action=throttle.CASE_FAILED, key="DEMY-2345")
        assert attempt.blocked_until is None
        throttle.refund(attempt)
    assert not ThrottleHit.objects.exists()
    for _ in range(5):
        assert throttle.take(request, action=throttle.CASE_FAILED, key="DEMY-2345").hit_ids
    assert throttle.take(request, action=throttle.CASE_FAILED, key="DEMY-2345").blocked_until
