"""The committee's view of registrations: per webinar, read only, cancel through the service."""

import pytest

from gds_portal.models import OutboundEmail
from tests.factories.accounts import UserFactory
from tests.factories.webinars import FUTURE, WebinarFactory
from webinars.models import Registration
from webinars.registration import registration_guest, registration_member

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/webinars/registration/"


def _registrations(webinar, n: int) -> list[Registration]:
    return [
        registration_member(webinar=webinar, user=UserFactory(email=f"r{n}-{i}@example.org"))
        for i in range(n)
    ]


@pytest.mark.parametrize("n", [1, 3])
def test_registration_list_query_budget(client_for, personas, django_assert_num_queries, n):
    webinar = WebinarFactory(start_at=FUTURE)
    _registrations(webinar, n)
    _registrations(WebinarFactory(start_at=FUTURE), 2)  # another webinar's, filtered out
    client = client_for(personas.webinar_committee)
    url = f"{CHANGELIST}?webinar__id__exact={webinar.pk}"
    client.get(url)  # warm caches (content types, site settings)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.context["cl"].result_count == n


@pytest.mark.parametrize("n", [1, 3])
def test_webinar_page_lists_its_registrations(client_for, personas, n):
    webinar = WebinarFactory(start_at=FUTURE)
    names = sorted(r.name for r in _registrations(webinar, n))
    client = client_for(personas.webinar_committee)
    url = f"/admin/webinars/webinar/{webinar.pk}/change/"
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert all(name in page for name in names)


def test_cancel_action_moves_the_waiting_list_up(client_for, personas):
    webinar = WebinarFactory(start_at=FUTURE, capacity=1)
    first, second = _registrations(webinar, 2)
    guest = registration_guest(webinar=webinar, name="Gus", email="gus@example.org")
    client = client_for(personas.webinar_committee)

    client.post(CHANGELIST, {"action": "cancel_selected", "_selected_action": [first.pk]})

    states = dict(webinar.registrations.values_list("pk", "status"))
    assert states == {first.pk: "cancelled", second.pk: "confirmed", guest.pk: "pending"}
    moved = OutboundEmail.objects.filter(template="webinars/registration-confirmed")
    assert [m.to for m in moved.order_by("id")] == [[first.email], [second.email]]


def test_members_never_reach_registrations(client_for, personas):
    webinar = WebinarFactory(start_at=FUTURE)
    registration = registration_member(webinar=webinar, user=personas.other_member)
    for who in (personas.member, personas.program_committee):
        client = client_for(who)
        for url in (CHANGELIST, f"{CHANGELIST}{registration.pk}/change/"):
            response = client.get(url)
            assert response.status_code in {302, 403}, (who, url)
            assert "other@example.org" not in response.content.decode()
