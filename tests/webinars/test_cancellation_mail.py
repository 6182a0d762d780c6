"""Cancelling a webinar tells its registrants, once, without the join link (issue 17)."""

import pytest

from gds_portal.models import OutboundEmail
from tests.factories.accounts import UserFactory
from tests.factories.webinars import FUTURE, WebinarFactory
from webinars.enums import RegistrationStatus
from webinars.registration import (
    registration_cancel,
    registration_confirm,
    registration_guest,
    registration_mail_cancellation,
    registration_member,
)

pytestmark = pytest.mark.django_db

JOIN = "https://meet.example.org/j/secret-room-4711"
TEMPLATE = "webinars/webinar-cancelled"


def _registered_webinar():
    """One place taken, one turn on the waiting list, one unconfirmed guest, one who left."""
    webinar = WebinarFactory(start_at=FUTURE, join_url=JOIN, capacity=1)
    registration_member(webinar=webinar, user=UserFactory(email="placed@example.org"))
    registration_confirm(
        registration=registration_guest(webinar=webinar, name="Wai Ting", email="wait@example.org")
    )
    registration_guest(webinar=webinar, name="Pen Ding", email="pending@example.org")
    left = registration_member(webinar=webinar, user=UserFactory(email="left@example.org"))
    registration_cancel(registration=left)
    statuses = sorted(webinar.registrations.values_list("email", "status"))
    assert statuses == [
        ("left@example.org", RegistrationStatus.CANCELLED),
        ("pending@example.org", RegistrationStatus.PENDING),
        ("placed@example.org", RegistrationStatus.CONFIRMED),
        ("wait@example.org", RegistrationStatus.WAITING),
    ]
    return webinar


def _change_data(webinar, **overrides) -> dict:
    data = {
        "title": webinar.title,
        "slug": webinar.slug,
        "kind": webinar.kind,
        "start_at_0": webinar.start_at.strftime("%Y-%m-%d"),
        "start_at_1": webinar.start_at.strftime("%H:%M:%S"),
        "duration": "60",
        "description": "",
        "registration_url": "",
        "replay_url": "",
        "slides_url": "",
        "join_url": JOIN,
        "capacity": "1",
        "is_published": "on",
        "speaker_slots-TOTAL_FORMS": "0",
        "speaker_slots-INITIAL_FORMS": "0",
    }
    return {**data, **overrides}


def _told() -> list[str]:
    return sorted(m.to[0] for m in OutboundEmail.objects.filter(template=TEMPLATE))


def test_marking_cancelled_in_the_admin_tells_placed_and_waiting_registrants_once(
    client_for, personas
):
    webinar = _registered_webinar()
    url = f"/admin/webinars/webinar/{webinar.pk}/change/"
    committee = client_for(personas.webinar_committee)
    response = committee.post(url, _change_data(webinar, is_cancelled="on"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _told() == ["placed@example.org", "wait@example.org"]
    for mail in OutboundEmail.objects.filter(template=TEMPLATE):
        assert webinar.title in mail.subject
        assert JOIN not in mail.body_text + mail.body_html
        assert "secret-room" not in str(mail.attachments)
    # Restored, then cancelled again, then the sender run directly: no one is told twice.
    committee.post(url, _change_data(webinar))
    committee.post(url, _change_data(webinar, is_cancelled="on"))
    assert registration_mail_cancellation(webinar=webinar) == 0
    assert _told() == ["placed@example.org", "wait@example.org"]


def test_an_edit_of_a_webinar_not_cancelled_tells_no_one(client_for, personas):
    webinar = _registered_webinar()
    committee = client_for(personas.webinar_committee)
    response = committee.post(
        f"/admin/webinars/webinar/{webinar.pk}/change/", _change_data(webinar, title="New title")
    )
    assert response.status_code == 302
    assert registration_mail_cancellation(webinar=webinar) == 0
    assert _told() == []
