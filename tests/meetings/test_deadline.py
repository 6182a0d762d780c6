"""The server enforces the deadline at submit and edit time, whenever the form was loaded."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from meetings.enums import AbstractState
from meetings.models import Abstract, DeadlineExtension
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory
from tests.meetings.conftest import form_data

pytestmark = pytest.mark.django_db

CLOSES = datetime(2020, 10, 23, 21, 59, 0, tzinfo=UTC)  # 17:59 in New York
ONE_SECOND = timedelta(seconds=1)


@pytest.fixture
def call():
    meeting = MeetingFactory(
        slug="march-2021", call_opens_at=CLOSES - timedelta(days=30), call_closes_at=CLOSES
    )
    return SortingCategoryFactory(meeting=meeting, code="23.01.01")


def _load_form(client, url):
    """Open the form a while before the deadline and keep its token, as a browser would."""
    with time_machine.travel(CLOSES - timedelta(hours=2), tick=False):
        response = client.get(url)
    return response.context["form"]["token"].value()


@pytest.mark.parametrize(
    ("offset", "accepted"), [(-ONE_SECOND, True), (timedelta(0), False), (ONE_SECOND, False)]
)
def test_submit_around_the_deadline(personas, client_for, call, offset, accepted):
    client = client_for(personas.member)
    url = reverse("meetings:abstract_create", args=[call.meeting.slug])
    token = _load_form(client, url)
    with time_machine.travel(CLOSES + offset, tick=False):
        response = client.post(url, form_data(token=token, action="submit", title="Kept title"))
    if accepted:
        assert Abstract.objects.get().state == AbstractState.SUBMITTED
    else:
        assert response.status_code == 409
        assert Abstract.objects.count() == 0
        html = response.content.decode()
        assert "closed on 23 October 2020 at 17:59 (America/New_York)" in html
        assert 'value="Kept title"' in html  # nothing typed is lost


@pytest.mark.parametrize(
    ("offset", "accepted"), [(-ONE_SECOND, True), (timedelta(0), False), (ONE_SECOND, False)]
)
def test_edit_and_submit_a_draft_around_the_deadline(personas, client_for, call, offset, accepted):
    client = client_for(personas.member)
    with time_machine.travel(CLOSES - timedelta(days=1), tick=False):
        client.post(reverse("meetings:abstract_create", args=[call.meeting.slug]), form_data())
    draft = Abstract.objects.get()
    url = reverse("meetings:abstract_edit", args=[draft.pk])
    token = _load_form(client, url)
    with time_machine.travel(CLOSES + offset, tick=False):
        response = client.post(url, form_data(token=token, title="Edited late", action="save"))
        client.post(reverse("meetings:abstract_submit", args=[draft.pk]), {"token": uuid.uuid4()})
    draft.refresh_from_db()
    if accepted:
        assert (draft.title, draft.state) == ("Edited late", AbstractState.SUBMITTED)
    else:
        assert (draft.title, draft.state) == ("Learning phase transitions", AbstractState.DRAFT)
        assert response.status_code == 409
        assert 'value="Edited late"' in response.content.decode()


def test_edit_of_submitted_abstract_after_deadline_is_refused(personas, client_for, call):
    client = client_for(personas.member)
    with time_machine.travel(CLOSES - timedelta(days=1), tick=False):
        client.post(
            reverse("meetings:abstract_create", args=[call.meeting.slug]),
            form_data(action="submit"),
        )
    abstract = Abstract.objects.get()
    url = reverse("meetings:abstract_edit", args=[abstract.pk])
    token = _load_form(client, url)
    with time_machine.travel(CLOSES, tick=False):
        response = client.post(url, form_data(token=token, title="Too late"))
    abstract.refresh_from_db()
    assert response.status_code == 409
    assert abstract.title == "Learning phase transitions"


def test_personal_extension_lets_exactly_that_member_through(personas, client_for, call):
    DeadlineExtension.objects.create(
        meeting=call.meeting, member=personas.member, closes_at=CLOSES + timedelta(days=2)
    )
    url = reverse("meetings:abstract_create", args=[call.meeting.slug])
    member, other = client_for(personas.member), client_for(personas.other_member)
    tokens = _load_form(member, url), _load_form(other, url)
    with time_machine.travel(CLOSES + timedelta(hours=1), tick=False):
        member.post(url, form_data(token=tokens[0], action="submit"))
        refused = other.post(url, form_data(token=tokens[1], action="submit"))
    assert [(a.submitter, a.state) for a in Abstract.objects.all()] == [
        (personas.member, AbstractState.SUBMITTED)
    ]
    assert refused.status_code == 409
    with time_machine.travel(CLOSES + timedelta(days=2), tick=False):
        late = member.post(url, form_data(action="submit"))
    assert late.status_code == 409
    assert Abstract.objects.count() == 1


def test_not_yet_open(personas, client_for, call):
    url = reverse("meetings:abstract_create", args=[call.meeting.slug])
    with time_machine.travel(CLOSES - timedelta(days=31), tick=False):
        response = client_for(personas.member).post(url, form_data())
    assert response.status_code == 409
    assert "is not open yet" in response.content.decode()
    assert Abstract.objects.count() == 0


def test_withdrawal_stays_possible_after_the_deadline(personas, client_for, call):
    client = client_for(personas.member)
    with time_machine.travel(CLOSES - timedelta(days=1), tick=False):
        client.post(
            reverse("meetings:abstract_create", args=[call.meeting.slug]),
            form_data(action="submit"),
        )
    abstract = Abstract.objects.get()
    with time_machine.travel(CLOSES + timedelta(days=1), tick=False):
        client.post(
            reverse("meetings:abstract_withdraw", args=[abstract.pk]), {"token": uuid.uuid4()}
        )
    abstract.refresh_from_db()
    assert abstract.state == AbstractState.WITHDRAWN


def test_retry_after_the_close_of_a_send_saved_before_it_is_a_replay(personas, client_for, call):
    # The first send was saved but its answer lost (e.g. a dropped connection); the
    # browser retries the same form after the close: "already sent", not "closed".
    client = client_for(personas.member)
    url = reverse("meetings:abstract_create", args=[call.meeting.slug])
    data = form_data(token=uuid.uuid4(), action="submit")
    with time_machine.travel(CLOSES - ONE_SECOND, tick=False):
        first = client.post(url, data)
    with time_machine.travel(CLOSES + timedelta(minutes=1), tick=False):
        retry = client.post(url, data)
    abstract = Abstract.objects.get()
    assert abstract.state == AbstractState.SUBMITTED
    assert (first.status_code, first["Location"]) == (302, abstract.get_absolute_url())
    assert (retry.status_code, retry["Location"]) == (
        302,
        f"{abstract.get_absolute_url()}?resent=1",
    )
