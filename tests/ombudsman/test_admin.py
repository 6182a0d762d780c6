"""The executive committee appoints the ombudsman: a term of the "Ombudsman" office in
the elections admin. The office's terms are the record of who read concerns, so the
admin keeps them: a new one starts after the latest and ends the one under way, a
saved one keeps its person, none is deleted, and no other term is moved in."""

from datetime import date, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from community.services import person_link_account
from elections.models import Office, Term
from ombudsman.models import ConcernFormToken
from ombudsman.selectors import is_current_holder
from tests.factories.accounts import UserFactory
from tests.factories.elections import OfficeFactory, TermFactory
from tests.factories.ombudsman import appoint, ombudsman_office, person_of, raise_concern

pytestmark = pytest.mark.django_db

ADD = "/admin/elections/term/add/"


def _terms() -> list[tuple[str, date | None]]:
    rows = Term.objects.filter(office=ombudsman_office()).order_by("starts_on")
    return list(rows.values_list("person__name", "ends_on"))


def _add(client, person, starts_on, office=None):
    data = {
        "office": (office or ombudsman_office()).pk,
        "person": person.pk,
        "title": "",
        "starts_on": starts_on.isoformat(),
        "ends_on": "",
    }
    return client.post(ADD, data)


def test_the_executive_committee_appoints_a_successor(client, personas):
    appoint(UserFactory(full_name="First Holder"), starts_on=date(2026, 1, 1))
    successor = UserFactory(full_name="Second Holder")
    client.force_login(personas.executive)
    today = timezone.localdate()
    response = _add(client, person_of(successor), today)
    assert response.status_code == 302
    assert _terms() == [("First Holder", today - timedelta(days=1)), ("Second Holder", None)]
    assert is_current_holder(successor)
    # Who appointed them stays in the term's admin history.
    term = Term.objects.get(person__user=successor)
    entry = LogEntry.objects.get(object_id=str(term.pk), content_type__model="term")
    assert entry.user_id == personas.executive.pk


def test_a_successor_cannot_start_before_the_latest_term(client, personas):
    appoint(UserFactory(full_name="Current Holder"))
    client.force_login(personas.executive)
    response = _add(client, person_of(UserFactory()), timezone.localdate())
    assert response.status_code == 200
    assert "a new one must start after that" in response.content.decode()
    assert _terms() == [("Current Holder", None)]


def test_the_ombudsmans_terms_are_never_deleted(client, personas):
    term = appoint(UserFactory())
    client.force_login(personas.staff)  # a superuser
    response = client.post(f"/admin/elections/term/{term.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Term.objects.filter(pk=term.pk).exists()
    response = client.post(
        "/admin/elections/term/",
        {"action": "delete_selected", "_selected_action": [term.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)
    assert Term.objects.filter(pk=term.pk).exists()


def test_a_saved_term_keeps_its_person_and_first_day(client, personas):
    holder = UserFactory(full_name="Real Holder")
    term = appoint(holder, starts_on=timezone.localdate() - timedelta(days=5))
    client.force_login(personas.executive)
    executive_profile = person_of(personas.executive)
    response = client.post(
        f"/admin/elections/term/{term.pk}/change/",
        {
            "office": ombudsman_office().pk,
            "person": executive_profile.pk,
            "title": "",
            "starts_on": "2000-01-01",
            "ends_on": "",
        },
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.person.user, term.starts_on) == (holder, timezone.localdate() - timedelta(days=5))
    assert not is_current_holder(personas.executive)


def test_the_last_day_can_be_set_to_end_a_term_from_today_on(client, personas):
    holder = UserFactory()
    term = appoint(holder, starts_on=timezone.localdate() - timedelta(days=5))
    client.force_login(personas.executive)
    today = timezone.localdate()
    url = f"/admin/elections/term/{term.pk}/change/"
    response = client.post(url, {"title": "", "ends_on": (today - timedelta(days=1)).isoformat()})
    assert response.status_code == 200  # never in the past (outside probe, finding 2)
    assert "never in the past" in response.content.decode()
    response = client.post(url, {"title": "", "ends_on": today.isoformat()})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.ends_on == today
    assert is_current_holder(holder)  # the last day is included


def test_another_offices_term_cannot_be_moved_into_the_ombudsman_office(client, personas):
    term = TermFactory(office=OfficeFactory(), person=person_of(personas.executive), ends_on=None)
    client.force_login(personas.executive)
    response = client.post(
        f"/admin/elections/term/{term.pk}/change/",
        {
            "office": ombudsman_office().pk,
            "person": term.person.pk,
            "title": "",
            "starts_on": term.starts_on.isoformat(),
            "ends_on": "",
        },
    )
    assert response.status_code == 200
    assert "A term cannot be moved into Ombudsman" in response.content.decode()
    term.refresh_from_db()
    assert term.office.slug != "ombudsman"
    assert not is_current_holder(personas.executive)


def test_the_holders_profile_cannot_be_relinked_to_another_account(personas):
    holder = UserFactory()
    term = appoint(holder)
    with pytest.raises(ValidationError, match="holds or held an office that gives access"):
        person_link_account(person=term.person, user=personas.executive, by=personas.staff)
    with pytest.raises(ValidationError):
        person_link_account(person=term.person, user=None, by=personas.staff)
    term.person.refresh_from_db()
    assert term.person.user == holder
    assert not is_current_holder(personas.executive)


def test_old_concern_form_tokens_are_purged_like_every_form_token(ombudsman):
    from gds_portal.once import tokens_purge

    raise_concern("Kept")
    ConcernFormToken.objects.update(created_at=timezone.localdate() - timedelta(days=40))
    raise_concern("Recent")
    assert tokens_purge(days=30, batch_size=10) == 1
    assert ConcernFormToken.objects.count() == 1


def test_the_office_keeps_its_slug_and_is_never_deleted(client, personas):
    office = ombudsman_office()
    client.force_login(personas.staff)  # a superuser
    response = client.post(
        f"/admin/elections/office/{office.pk}/change/",
        {"name": "Ombudsman", "slug": "renamed", "order": 5, "seats": 3, "description": ""},
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert (office.slug, office.seats, office.order) == ("ombudsman", 1, 5)
    url = f"/admin/elections/office/{office.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Office.objects.filter(slug="ombudsman").exists()
