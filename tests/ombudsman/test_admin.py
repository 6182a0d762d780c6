"""The executive committee appoints the ombudsman in the admin; assignments are history."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from ombudsman.models import ConcernFormToken, OmbudsmanAssignment
from tests.factories.accounts import UserFactory
from tests.factories.ombudsman import appoint, raise_concern

pytestmark = pytest.mark.django_db

ADD = "/admin/ombudsman/ombudsmanassignment/add/"


@pytest.fixture
def executive(personas):
    # Granted by the role table (accounts/roles.py) once merged; see access_rows.py.
    personas.executive.groups.get().permissions.add(
        *Permission.objects.filter(codename__endswith="_ombudsmanassignment")
    )
    return personas.executive


def test_the_executive_committee_appoints_a_successor(client, executive):
    first = UserFactory(full_name="First Holder")
    appoint(first, starts_on=date(2026, 1, 1))
    successor = UserFactory(full_name="Second Holder")
    client.force_login(executive)
    today = timezone.localdate()
    response = client.post(ADD, {"holder": successor.pk, "starts_on": today.isoformat()})
    assert response.status_code == 302
    assert list(
        OmbudsmanAssignment.objects.order_by("starts_on").values_list(
            "holder__full_name", "ends_on", "assigned_by"
        )
    ) == [
        ("First Holder", today - timedelta(days=1), None),
        ("Second Holder", None, executive.pk),
    ]


def test_a_successor_cannot_start_before_the_current_holder(client, executive):
    appoint(UserFactory(), starts_on=timezone.localdate())
    client.force_login(executive)
    response = client.post(
        ADD, {"holder": UserFactory().pk, "starts_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200
    assert "the next one must start after that" in response.content.decode()
    assert OmbudsmanAssignment.objects.count() == 1


def test_assignments_are_never_deleted(client, personas):
    assignment = appoint(UserFactory())
    client.force_login(personas.staff)
    url = f"/admin/ombudsman/ombudsmanassignment/{assignment.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert OmbudsmanAssignment.objects.count() == 1


def test_old_concern_form_tokens_are_purged_like_every_form_token(ombudsman):
    from gds_portal.once import tokens_purge

    raise_concern("Kept")
    ConcernFormToken.objects.update(created_at=timezone.localdate() - timedelta(days=40))
    raise_concern("Recent")
    assert tokens_purge(days=30, batch_size=10) == 1
    assert ConcernFormToken.objects.count() == 1
