"""Who holds the office: a term of the elections app's "Ombudsman" office, asked
through the ground floor's registry (ombudsman.selectors, the one place that decides).
Terms include both their days; the term that started last holds the office; a term
whose person has no account holds it for the record and grants nobody access."""

from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from elections.models import Office
from ombudsman.enums import AccessAction
from ombudsman.models import AccessLogEntry
from ombudsman.selectors import assignment_history, current_assignment, is_current_holder
from ombudsman.services import ombudsman_notify
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.ombudsman import appoint, ombudsman_office, raise_concern

pytestmark = pytest.mark.django_db


def _holds(user, day: str) -> bool:
    with time_machine.travel(day, tick=False):
        fresh = type(user).objects.get(pk=user.pk)  # no remembered answer
        return is_current_holder(fresh)


def test_the_office_exists_on_every_site_with_no_roles():
    office = Office.objects.get(slug="ombudsman")
    assert (office.name, office.seats, office.roles) == ("Ombudsman", 1, [])


def test_a_term_grants_access_from_its_first_day_to_its_last_included():
    holder = UserFactory()
    appoint(holder, starts_on=date(2026, 3, 1), ends_on=date(2026, 8, 31))
    assert [
        _holds(holder, day)
        for day in ("2026-02-28 23:59", "2026-03-01 00:00", "2026-08-31 23:59", "2026-09-01")
    ] == [False, True, True, False]


def test_the_successor_holds_the_office_from_their_first_day(client):
    first, second = UserFactory(full_name="First"), UserFactory(full_name="Second")
    appoint(first, starts_on=date(2026, 1, 1))
    appoint(second, starts_on=date(2026, 6, 1))
    assert [_holds(first, "2026-05-31"), _holds(second, "2026-05-31")] == [True, False]
    assert [_holds(first, "2026-06-01"), _holds(second, "2026-06-01")] == [False, True]
    # The predecessor's term was ended the day before (one holder at a time).
    assert [(h.name, h.starts_on, h.ends_on) for h in assignment_history()] == [
        ("Second", date(2026, 6, 1), None),
        ("First", date(2026, 1, 1), date(2026, 5, 31)),
    ]


def test_a_term_left_open_still_yields_to_a_later_one():
    # Entered outside the admin (no ending of the one under way): the latest start holds.
    first, second = UserFactory(), UserFactory()
    office = ombudsman_office()
    office.terms.create(person=PersonFactory(user=first), starts_on=date(2026, 1, 1))
    office.terms.create(person=PersonFactory(user=second), starts_on=date(2026, 6, 1))
    assert [_holds(first, "2026-07-01"), _holds(second, "2026-07-01")] == [False, True]


def test_a_term_whose_person_has_no_account_grants_nobody_access(client):
    predecessor = UserFactory(full_name="Pat Predecessor")
    appoint(predecessor, starts_on=date(2026, 1, 1))
    concern, _ = raise_concern("Waiting for the next ombudsman")
    no_account = PersonFactory(name="Nora Noaccount", user=None)
    appoint(None, person=no_account)
    holding = current_assignment()
    assert (holding.name, holding.user_id) == ("Nora Noaccount", None)
    # The predecessor lost access on the new term's first day; nobody has it.
    assert not is_current_holder(type(predecessor).objects.get(pk=predecessor.pk))
    client.force_login(predecessor)
    assert client.get(f"/ombudsman/cases/{concern.case_code}/").status_code == 404
    assert ombudsman_notify() == 0  # nobody to tell; the news waits
    page = Client().get("/ombudsman/").content.decode()
    assert "The ombudsman is <strong>Nora Noaccount</strong>" in page
    assert "Their member account is not linked to the office yet" in page


def test_linking_the_account_then_grants_access(personas, client):
    person = PersonFactory(name="Lin Later", user=None)
    appoint(None, person=person)
    from community.services import person_link_account

    person_link_account(person=person, user=personas.ombudsman, by=personas.staff)
    assert is_current_holder(personas.ombudsman)


def test_the_successor_sees_the_predecessors_reads_under_terms(client):
    first = UserFactory(full_name="Olga Earlier")
    second = UserFactory(full_name="Sam Later")
    appoint(first, starts_on=date(2026, 1, 1))
    concern, _ = raise_concern("Read by both in turn")
    with time_machine.travel("2026-02-01 10:00", tick=False):
        client.force_login(first)
        assert client.get(f"/ombudsman/cases/{concern.case_code}/").status_code == 200
    appoint(second, starts_on=date(2026, 3, 1))
    with time_machine.travel("2026-03-01 09:00", tick=False):
        client.force_login(first)
        assert client.get(f"/ombudsman/cases/{concern.case_code}/").status_code == 404
        assert client.get("/ombudsman/cases/log/").status_code == 403
        client.force_login(second)
        log = client.get("/ombudsman/cases/log/").content.decode()
    assert f"{concern.case_code}</td><td>Read by the ombudsman</td>" in log
    assert "Olga Earlier" in log
    # The holders' list on the log page is the office's terms, the appointment visible.
    # With each holder's account address: names repeat and can be edited.
    assert f"Sam Later (account {second.email}): 1 Mar 2026 \u2013 open" in log
    assert f"Olga Earlier (account {first.email}): 1 Jan 2026 \u2013 28 Feb 2026" in log
    reads = AccessLogEntry.objects.filter(action=AccessAction.READ)
    assert list(reads.values_list("actor", flat=True)) == [first.pk]


def test_the_officers_page_lists_the_ombudsman(client, ombudsman):
    page = client.get("/elections/officers/").content.decode()
    assert 'id="ombudsman"' in page
    assert "Olga Ombudsman" in page


def test_the_protection_follows_the_term(personas, ombudsman):
    from accounts.protection import protected_accounts

    assert protected_accounts.reason_for(type(ombudsman).objects.get(pk=ombudsman.pk))
    appoint(personas.other_member, starts_on=timezone.localdate() + timedelta(days=1))
    assert protected_accounts.reason_for(type(ombudsman).objects.get(pk=ombudsman.pk))


def test_an_elected_ombudsman_takes_over_on_the_terms_first_day(personas):
    # The office may also be put on a ballot: the results make the term, and the
    # appointed term under way ends the day before, as when the committee appoints.
    from elections.models import Term
    from elections.services.results import results_publish
    from elections.services.roll import roll_freeze
    from tests.elections.scripted import cast_through_the_page, close
    from tests.factories.elections import election_with_slate

    appointed = UserFactory(full_name="Ada Appointed")
    appoint(appointed, starts_on=date(2026, 1, 1))
    election, contest, (candidacy,) = election_with_slate(
        candidates=1, term_starts_on=date(2027, 1, 1), term_ends_on=date(2028, 12, 31)
    )
    type(contest).objects.filter(pk=contest.pk).update(office=ombudsman_office())
    member = UserFactory()
    roll_freeze(election=election)
    voter = Client()
    voter.force_login(member)
    cast_through_the_page(voter, election, {f"c{contest.pk}": [str(candidacy.pk)]})
    assert close(election)[-1] == f"{election.slug}: counted"
    results_publish(election=election, by=personas.executive)
    elected = candidacy.user
    assert [(h.user_id, h.starts_on, h.ends_on) for h in assignment_history()] == [
        (None, date(2027, 1, 1), date(2028, 12, 31)),  # the winner's new profile: no account
        (appointed.pk, date(2026, 1, 1), date(2026, 12, 31)),
    ]
    assert [_holds(appointed, "2026-12-31"), _holds(elected, "2026-12-31")] == [True, False]
    assert [_holds(appointed, "2027-01-01"), _holds(elected, "2027-01-01")] == [False, False]
    # The committee links the winner's profile to their account (docs/ombudsman.md).
    from community.services import person_link_account

    term = Term.objects.get(election=election)
    person_link_account(person=term.person, user=elected, by=personas.executive)
    assert [_holds(appointed, "2027-01-01"), _holds(elected, "2027-01-01")] == [False, True]


def test_the_outgoing_holder_is_told_when_the_office_changes_hands(personas):
    # A committee member who appoints themself displaces the ombudsman: the next
    # scheduled run logs the change and mails the displaced ombudsman.
    from io import StringIO

    from django.core.management import call_command

    from gds_portal.models import OutboundEmail

    holder = UserFactory(email="holder@example.org", full_name="Hana Holder")
    appoint(holder, starts_on=date(2026, 1, 1))
    call_command("ombudsman_notify", stdout=StringIO())  # the first run records the holder
    assert OutboundEmail.objects.count() == 0
    out = StringIO()
    call_command("ombudsman_notify", stdout=out)
    assert "changed hands" not in out.getvalue()
    appoint(personas.executive)
    call_command("ombudsman_notify", stdout=out)
    assert "The office changed hands" in out.getvalue()
    (mail,) = OutboundEmail.objects.all()
    assert (mail.to, mail.subject) == (
        ["holder@example.org"],
        "You no longer hold the ombudsman's office on the GDS portal",
    )
    assert "now held by" in mail.body_text
    changes = AccessLogEntry.objects.filter(action=AccessAction.HOLDER_CHANGED)
    assert list(changes.order_by("at", "id").values_list("actor", flat=True)) == [
        holder.pk,
        personas.executive.pk,
    ]
    call_command("ombudsman_notify", stdout=StringIO())  # told once
    assert OutboundEmail.objects.count() == 1


def test_a_vacancy_is_told_too(client):
    holder = UserFactory(email="holder@example.org")
    term = appoint(holder, starts_on=date(2026, 1, 1))
    from ombudsman.services import holder_change_notify

    assert holder_change_notify() is True
    type(term).objects.filter(pk=term.pk).update(ends_on=date(2026, 2, 1))
    assert holder_change_notify() is True
    from gds_portal.models import OutboundEmail

    (mail,) = OutboundEmail.objects.all()
    assert "The office is vacant." in mail.body_text
    client.force_login(holder)
    assert client.get("/ombudsman/cases/log/").status_code == 403
