"""<time datetime="…"> values are valid HTML (issue 16, item 8): the abstract's history
timeline and the call's dates carry whole seconds, never Python's six-digit fractions."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gds_portal.templatetags.gds import html_datetime
from meetings.models import Meeting
from tests.factories.meetings import make_abstract
from tests.html_checks import invalid_time_datetimes, time_datetimes

pytestmark = pytest.mark.django_db


def test_the_check_refuses_six_digit_fractions():
    html = (
        '<time datetime="2021-03-01T17:59:00.123456+00:00">a</time>'
        '<time datetime="2021-03-01T17:59:00.123+00:00">b</time>'
        '<time datetime="2021-03-01T17:59:00-05:00">c</time><time datetime="2021-03-01">d</time>'
    )
    assert invalid_time_datetimes(html) == ["2021-03-01T17:59:00.123456+00:00"]


def test_the_timeline_datetimes_are_valid_html(client_for, personas, focus):
    abstract = make_abstract(submitter=personas.member, category=focus)
    # Every history row simple-history writes has microseconds; make sure of it.
    abstract.history.update(history_date=datetime(2021, 1, 5, 14, 30, 15, 123456, tzinfo=UTC))
    page = client_for(personas.member).get(reverse("meetings:abstract", args=[abstract.pk]))
    html = page.content.decode()
    assert 'data-testid="timeline"' in html
    timeline = html.split('data-testid="timeline"')[1]
    assert time_datetimes(timeline)[0] == "2021-01-05T14:30:15+00:00"
    assert invalid_time_datetimes(html) == []


def test_the_call_page_datetimes_are_valid_html(client, focus):
    Meeting.objects.filter(pk=focus.meeting.pk).update(
        call_closes_at=datetime(2099, 10, 23, 21, 59, 0, 654321, tzinfo=UTC)
    )
    html = client.get(reverse("meetings:call", args=[focus.meeting.slug])).content.decode()
    assert time_datetimes(html)
    assert invalid_time_datetimes(html) == []


def test_html_datetime_keeps_the_template_time_zone():
    """The filter is registered with expects_localtime, so the engine hands it the value
    in the template's zone (template_localtime, as `{% timezone %}` sets it)."""
    when = datetime(2021, 1, 5, 14, 30, 15, 999999, tzinfo=UTC)
    assert html_datetime.expects_localtime
    with timezone.override("America/Chicago"):
        assert html_datetime(timezone.template_localtime(when)) == "2021-01-05T08:30:15-06:00"
