"""Offices and terms: the scheduled role sync, the Officers page, handover notes."""

import uuid
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from accounts.enums import Role
from elections.models import HandoverNote, RoleGrant
from elections.services.terms import handover_note_add, office_roles_sync
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.elections import OfficeFactory, TermFactory

pytestmark = pytest.mark.django_db

START, END = date(2030, 4, 1), date(2031, 3, 31)


def _roles(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


@pytest.fixture
def holder():
    user = UserFactory(full_name="Hana Holder")
    office = OfficeFactory(
        name="Program Chair", slug="program-chair", roles=[Role.PROGRAM_COMMITTEE]
    )
    term = TermFactory(office=office, person=PersonFactory(user=user), starts_on=START, ends_on=END)
    return user, term


def test_role_granted_on_the_start_date_not_before(holder):
    user, _ = holder
    assert office_roles_sync(today=START - timedelta(days=1)).changed is False
    assert _roles(user) == []
    report = office_roles_sync(today=START)
    user.refresh_from_db()
    assert _roles(user) == [Role.PROGRAM_COMMITTEE]
    assert user.is_staff is True
    assert len(report.granted) == 1 and report.withdrawn == []


def test_role_kept_on_the_end_date_and_withdrawn_after_it(holder):
    user, term = holder
    office_roles_sync(today=START)
    office_roles_sync(today=END)
    assert _roles(user) == [Role.PROGRAM_COMMITTEE]
    report = office_roles_sync(today=END + timedelta(days=1))
    user.refresh_from_db()
    assert _roles(user) == []
    assert user.is_staff is False
    assert len(report.withdrawn) == 1
    grant = RoleGrant.objects.get(term=term)
    assert (grant.granted_on, grant.withdrawn_on) == (START, END + timedelta(days=1))


def test_running_twice_changes_nothing(holder):
    user, _ = holder
    for today in (START, END + timedelta(days=1)):
        office_roles_sync(today=today)
        rows = list(RoleGrant.objects.values_list("pk", "granted_on", "withdrawn_on"))
        roles = _roles(user)
        assert office_roles_sync(today=today).changed is False
        assert list(RoleGrant.objects.values_list("pk", "granted_on", "withdrawn_on")) == rows
        assert _roles(user) == roles


def test_a_role_held_before_the_term_is_not_withdrawn(holder):
    user, _ = holder
    user.groups.add(user.groups.model.objects.get(name=Role.PROGRAM_COMMITTEE))
    office_roles_sync(today=START)
    assert RoleGrant.objects.get().held_before is True
    office_roles_sync(today=END + timedelta(days=1))
    assert _roles(user) == [Role.PROGRAM_COMMITTEE]


def test_a_second_term_with_the_same_role_keeps_it_until_both_end(holder):
    user, term = holder
    other = OfficeFactory(name="Chair", slug="chair", roles=[Role.PROGRAM_COMMITTEE])
    TermFactory(office=other, person=term.person, starts_on=START, ends_on=END + timedelta(days=30))
    office_roles_sync(today=START)
    office_roles_sync(today=END + timedelta(days=1))
    assert _roles(user) == [Role.PROGRAM_COMMITTEE]
    office_roles_sync(today=END + timedelta(days=31))
    assert _roles(user) == []


def test_a_deleted_term_withdraws_its_role(holder):
    user, term = holder
    office_roles_sync(today=START)
    term.delete()
    office_roles_sync(today=START)
    assert _roles(user) == []


def test_a_term_without_an_account_grants_nothing_and_is_logged(caplog):
    office = OfficeFactory(roles=[Role.EXECUTIVE_COMMITTEE])
    TermFactory(office=office, starts_on=START, ends_on=END)
    with caplog.at_level("INFO", logger="elections.services.terms"):
        assert office_roles_sync(today=START).changed is False
    assert "no linked account" in caplog.text
    assert RoleGrant.objects.count() == 0


def test_command_reports_and_is_idempotent(holder):
    user, term = holder
    term.starts_on = date.today() - timedelta(days=1)
    term.ends_on = date.today() + timedelta(days=1)
    term.save()
    out = StringIO()
    call_command("sync_office_roles", stdout=out)
    assert f"Program committee granted to {user.email}" in out.getvalue()
    out = StringIO()
    call_command("sync_office_roles", stdout=out)
    assert out.getvalue() == "Office roles are up to date.\n"


# --- The Officers page -------------------------------------------------------------


def test_officers_page_shows_history_with_person_links(client):
    chair = OfficeFactory(name="Chair", slug="chair", order=1)
    founding = PersonFactory(name="Mohammad Soltanieh-ha", slug="msh", public=True)
    ren = PersonFactory(name="Jie Ren", slug="jie-ren", public=True)
    TermFactory(
        office=chair,
        person=founding,
        title="Founding chair",
        starts_on=date(2019, 1, 1),
        ends_on=date(2020, 3, 31),
    )
    TermFactory(office=chair, person=ren, starts_on=date(2020, 4, 1), ends_on=date(2021, 3, 31))
    response = client.get("/elections/officers/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'Chair 2020\u20132021: <a href="/people/jie-ren/">Jie Ren</a>' in text
    assert 'Founding chair: <a href="/people/msh/">Mohammad Soltanieh-ha</a>' in text
    assert text.index("Jie Ren") < text.index("Soltanieh-ha")  # newest first


def test_a_term_holder_is_public(client):
    person = PersonFactory(name="Kyle Wm. Hall", slug="kyle")
    assert client.get("/people/kyle/").status_code == 404
    TermFactory(person=person)
    response = client.get("/people/kyle/")
    assert response.status_code == 200
    assert "Offices held" in response.content.decode()


@pytest.mark.parametrize("offices", [1, 3])
def test_officers_page_query_count(client_for, personas, offices, django_assert_num_queries):
    for _ in range(offices):
        office = OfficeFactory()
        for year in (2019, 2020, 2021):
            TermFactory(office=office, starts_on=date(year, 1, 1), ends_on=date(year, 12, 31))
    client = client_for(personas.member)  # a member's page is never served from the cache
    client.get("/elections/officers/")  # warm the session and the site configuration
    # session, user, offices, their terms with people (site configuration is cached)
    with django_assert_num_queries(3):
        assert client.get("/elections/officers/").status_code == 200


# --- Handover notes ------------------------------------------------------------------


@pytest.fixture
def current_holder():
    user = UserFactory()
    office = OfficeFactory(name="Secretary/Treasurer", slug="secretary-treasurer")
    today = date.today()
    TermFactory(
        office=office,
        person=PersonFactory(user=user),
        starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=5),
    )
    return user, office


def test_holder_reads_and_adds_handover_notes(client, current_holder):
    user, office = current_holder
    HandoverNote.objects.create(office=office, text="The bank's *login* is with APS.")
    client.force_login(user)
    response = client.get("/elections/officers/secretary-treasurer/handover/")
    assert "The bank's <em>login</em> is with APS." in response.content.decode()
    token = str(uuid.uuid4())
    for _ in range(2):  # the same form twice: one note
        response = client.post(
            "/elections/officers/secretary-treasurer/handover/",
            {"token": token, "text": "Renew the domain."},
        )
        assert response.status_code == 302
    assert sorted(HandoverNote.objects.values_list("text", flat=True)) == [
        "Renew the domain.",
        "The bank's *login* is with APS.",
    ]


def test_handover_notes_are_private_to_current_holders(client, current_holder, personas):
    _, office = current_holder
    HandoverNote.objects.create(office=office, text="Private treasury detail")
    past = UserFactory()
    TermFactory(
        office=office,
        person=PersonFactory(user=past),
        starts_on=date(2019, 1, 1),
        ends_on=date(2019, 12, 31),
    )
    for user in (personas.member, personas.executive, past):
        client.force_login(user)
        response = client.get("/elections/officers/secretary-treasurer/handover/")
        assert response.status_code == 404
        assert b"Private treasury detail" not in response.content
        with pytest.raises(PermissionDenied):
            handover_note_add(office=office, text="x", by=user, token=uuid.uuid4())
    assert HandoverNote.objects.count() == 1
