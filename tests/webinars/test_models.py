from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests.factories.webinars import FUTURE, WebinarFactory
from webinars.enums import WebinarState
from webinars.models import Webinar

pytestmark = pytest.mark.django_db

NOON = datetime(2030, 5, 5, 12, 0, tzinfo=UTC)


@time_machine.travel(NOON, tick=False)
def test_state_follows_start_duration_and_cancelled_flag():
    held = WebinarFactory(start_at=NOON - timedelta(hours=2), duration=timedelta(minutes=60))
    running = WebinarFactory(start_at=NOON - timedelta(minutes=30), duration=timedelta(hours=1))
    upcoming = WebinarFactory(start_at=NOON + timedelta(days=1))
    cancelled = WebinarFactory(start_at=NOON + timedelta(days=1), is_cancelled=True)

    assert [w.state for w in (held, running, upcoming, cancelled)] == [
        WebinarState.HELD,
        WebinarState.UPCOMING,
        WebinarState.UPCOMING,
        WebinarState.CANCELLED,
    ]
    assert set(Webinar.objects.upcoming()) == {running, upcoming}
    assert set(Webinar.objects.held()) == {held}
    assert set(Webinar.objects.archived()) == {held, cancelled}


def test_replay_on_a_future_webinar_is_refused():
    webinar = WebinarFactory.build(start_at=FUTURE, replay_url="https://youtu.be/abcDEF12345")
    with pytest.raises(ValidationError) as error:
        webinar.full_clean(exclude=["slug"])
    assert "has not happened yet" in error.value.message_dict["replay_url"][0]


def test_non_positive_duration_is_refused_by_clean_and_database():
    webinar = WebinarFactory.build(duration=timedelta(0))
    with pytest.raises(ValidationError) as error:
        webinar.full_clean(exclude=["slug"])
    assert "end after it starts" in error.value.message_dict["duration"][0]
    with pytest.raises(IntegrityError):
        WebinarFactory(duration=timedelta(minutes=-5))


def test_a_webinar_longer_than_a_day_is_refused_by_clean_and_database():
    webinar = WebinarFactory.build(duration=timedelta(hours=24, minutes=1))
    with pytest.raises(ValidationError) as error:
        webinar.full_clean(exclude=["slug"])
    assert error.value.message_dict["duration"] == [
        "A webinar lasts at most 24 hours (1,440 minutes); split longer events."
    ]
    with pytest.raises(IntegrityError):
        WebinarFactory(duration=timedelta(days=2))


@time_machine.travel(NOON, tick=False)
def test_a_day_long_webinar_is_upcoming_until_its_last_minute():
    # The longest allowed webinar sits exactly at the edge of the start_at range
    # that upcoming() scans; it must still count as running.
    day_long = WebinarFactory(
        start_at=NOON - timedelta(hours=23, minutes=59), duration=timedelta(hours=24)
    )
    just_over = WebinarFactory(start_at=NOON - timedelta(hours=24), duration=timedelta(hours=24))
    assert list(Webinar.objects.upcoming()) == [day_long]
    assert list(Webinar.objects.held()) == [just_over]
