"""An outside tester's findings on the ombudsman's office held through election terms
(issue 18, office probe): each is kept here as the test that failed before the fix.

1. a backdated appointment (and a swap and swap-back between notice runs);
2. a term's last day changed either way (reopened, or ended after the fact);
3. deleting a former holder's account (the log's "who", the profile freed);
4. a 500 on the term change form (last day before the first);
5. a mistaken appointment that could not be undone;
6. who held the office, hard to read (names only, editable by committees).
"""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.test import Client
from django.utils import timezone

from community.services import person_link_account
from elections.models import Term
from elections.services.terms import term_add, term_change, term_delete
from gds_portal.models import OutboundEmail
from ombudsman.enums import AccessAction
from ombudsman.models import AccessLogEntry
from ombudsman.selectors import assignment_history, is_current_holder
from ombudsman.services import concern_read
from tests.factories.accounts import UserFactory
from tests.factories.community import PersonFactory
from tests.factories.ombudsman import appoint, ombudsman_office, person_of, raise_concern

pytestmark = pytest.mark.django_db

ADD = "/admin/elections/term/add/"


def _today() -> date:
    return timezone.localdate()


def _holds(user) -> bool:
    return is_current_holder(type(user).objects.get(pk=user.pk))


def _add(client, person, starts_on, ends_on=None):
    return client.post(
        ADD,
        {
            "office": ombudsman_office().pk,
            "person": person.pk,
            "title": "",
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else "",
        },
    )


def _change(client, term, **fields):
    data = {"title": "", "ends_on": ""}
    data.update({k: (v.isoformat() if isinstance(v, date) else v) for k, v in fields.items()})
    return client.post(f"/admin/elections/term/{term.pk}/change/", data)


def _text(response) -> str:
    return response.content.decode()


# --- 1. Backdated appointment ---------------------------------------------------------


def test_a_term_cannot_start_before_today_in_the_admin_or_the_service(client, personas):
    holder = UserFactory(full_name="Real Holder")
    appoint(holder, starts_on=_today() - timedelta(days=60))
    accomplice = person_of(UserFactory(full_name="Accomplice"))
    client.force_login(personas.executive)
    response = _add(client, accomplice, _today() - timedelta(days=30))
    assert response.status_code == 200
    assert "cannot start before today" in _text(response)
    with pytest.raises(ValidationError, match="cannot start before today"):
        term_add(
            term=Term(office=ombudsman_office(), person=accomplice, starts_on=date(2026, 1, 2))
        )
    assert [h.name for h in assignment_history()] == ["Real Holder"]
    assert _holds(holder)


def test_no_two_terms_share_a_first_day(personas):
    appoint(UserFactory(), starts_on=_today())
    with pytest.raises(ValidationError, match="must start after that"):
        appoint(personas.executive, starts_on=_today())


def test_on_a_shared_first_day_the_term_entered_first_holds():
    # Only terms entered before the rule (or outside the services) can share a day;
    # then a later entry does not take the office.
    first, later = UserFactory(), UserFactory()
    office = ombudsman_office()
    office.terms.create(person=person_of(first), starts_on=_today())
    office.terms.create(person=person_of(later), starts_on=_today())
    assert _holds(first) and not _holds(later)


def test_every_change_is_told_at_once_so_a_swap_and_swap_back_is_seen(
    personas, django_capture_on_commit_callbacks
):
    # The scheduled run compared only the holder at each run: a swap and a swap back
    # between two runs left no trace. Now each write is logged and mailed at once.
    holder = UserFactory(email="holder@example.org", full_name="Hana Holder")
    appoint(holder, starts_on=_today() - timedelta(days=10))
    accomplice = UserFactory(email="acc@example.org", full_name="Ace Accomplice")
    with django_capture_on_commit_callbacks(execute=True):
        appoint(accomplice, starts_on=_today())
    assert _holds(accomplice) and not _holds(holder)
    with django_capture_on_commit_callbacks(execute=True):
        appoint(holder, starts_on=_today() + timedelta(days=1))  # the swap back
    entries = AccessLogEntry.objects.filter(action=AccessAction.TERMS_CHANGED).order_by("id")
    assert [e.detail.split(":")[0] for e in entries] == ["Term added", "Term added"]
    assert "It ends Hana Holder" in entries[0].detail
    assert "It ends Ace Accomplice" in entries[1].detail
    mailed = sorted(address for mail in OutboundEmail.objects.all() for address in mail.to)
    # Each change: the holder before it, the holder after it, and whom it names.
    assert mailed == sorted(["holder@example.org", "acc@example.org"] * 2)
    # The holder sees both rows in the log the next day (and so does every successor).
    client = Client()
    client.force_login(holder)
    with time_machine.travel(_today() + timedelta(days=1, hours=12), tick=False):
        log = _text(client.get("/ombudsman/cases/log/"))
    assert "Term added: Ace Accomplice" in log and "Term added: Hana Holder" in log


def test_deleting_a_term_not_started_gives_the_last_day_back_and_is_told(
    personas, django_capture_on_commit_callbacks
):
    holder = UserFactory(email="holder@example.org", full_name="Hana Holder")
    current = appoint(holder, starts_on=_today() - timedelta(days=10))
    mistaken = appoint(UserFactory(full_name="Ace Accomplice"), starts_on=_today() + timedelta(1))
    current.refresh_from_db()
    assert current.ends_on == _today()
    with django_capture_on_commit_callbacks(execute=True):
        term_delete(term=mistaken, by=personas.executive)
    current.refresh_from_db()
    assert current.ends_on is None
    (entry,) = AccessLogEntry.objects.filter(action=AccessAction.TERMS_CHANGED)
    assert "Restored: Hana Holder" in entry.detail
    assert entry.actor_email == personas.executive.email
    mailed = sorted(address for mail in OutboundEmail.objects.all() for address in mail.to)
    assert mailed == sorted(["holder@example.org", mistaken.person.user.email])


def test_an_election_result_starts_the_term_no_earlier_than_today(personas):
    from elections.services.results import results_publish
    from elections.services.roll import roll_freeze
    from tests.elections.scripted import cast_through_the_page, close
    from tests.factories.elections import election_with_slate

    appointed = UserFactory(full_name="Ada Appointed")
    appoint(appointed, starts_on=_today() - timedelta(days=90))
    election, contest, (candidacy,) = election_with_slate(
        candidates=1,
        term_starts_on=_today() + timedelta(days=5),
        term_ends_on=_today() + timedelta(days=700),
    )
    type(contest).objects.filter(pk=contest.pk).update(office=ombudsman_office())
    member = UserFactory()  # on the roll
    roll_freeze(election=election)
    voter = Client()
    voter.force_login(member)
    cast_through_the_page(voter, election, {f"c{contest.pk}": [str(candidacy.pk)]})
    close(election)
    # Published three weeks later, after the election's first day: no backdating.
    late = _today() + timedelta(days=21)
    with time_machine.travel(datetime.combine(late, time(12)), tick=False):
        (term,) = results_publish(election=election, by=personas.executive)
    assert term.starts_on == late
    assert [(h.starts_on, h.ends_on) for h in assignment_history()] == [
        (late, _today() + timedelta(days=700)),
        (_today() - timedelta(days=90), late - timedelta(days=1)),
    ]


# --- 2. A term's last day ----------------------------------------------------------


def test_an_ended_term_is_frozen(client, personas):
    past = appoint(
        UserFactory(full_name="Past Holder"),
        starts_on=_today() - timedelta(days=60),
        ends_on=_today() - timedelta(days=10),
    )
    client.force_login(personas.staff)  # a superuser
    response = _change(client, past, ends_on="")
    assert response.status_code == 302  # nothing editable: nothing changed
    past.refresh_from_db()
    assert past.ends_on == _today() - timedelta(days=10)
    past.ends_on = None
    with pytest.raises(ValidationError, match="can no longer be changed"):
        term_change(term=past)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        past.full_clean()


def test_a_term_under_way_is_never_ended_in_the_past(client, personas):
    holder = UserFactory()
    term = appoint(holder, starts_on=_today() - timedelta(days=5))
    client.force_login(personas.executive)
    response = _change(client, term, ends_on=_today() - timedelta(days=1))
    assert "never in the past" in _text(response)
    term.refresh_from_db()
    assert term.ends_on is None and _holds(holder)


def test_a_term_under_way_is_not_extended_past_a_later_term(personas):
    first = appoint(UserFactory(), starts_on=_today() - timedelta(days=5))
    appoint(UserFactory(), starts_on=_today() + timedelta(days=10))
    first.refresh_from_db()
    assert first.ends_on == _today() + timedelta(days=9)
    first.ends_on = None
    with pytest.raises(ValidationError, match="cannot be extended"):
        term_change(term=first)
    first.ends_on = _today() + timedelta(days=2)  # ending it sooner is fine
    term_change(term=first)


# --- 3. Deleting a former holder's account ------------------------------------------


def test_a_former_holders_account_is_never_deleted(client, personas):
    former = UserFactory(email="former@example.org", full_name="Former Holder")
    appoint(former, starts_on=_today() - timedelta(days=30))
    appoint(UserFactory(), starts_on=_today())
    assert not _holds(former)
    client.force_login(personas.staff)  # a superuser
    url = f"/admin/accounts/user/{former.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    client.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [former.pk], "post": "yes"},
    )
    with pytest.raises(ProtectedError), transaction.atomic():
        former.delete()
    assert type(former).objects.filter(pk=former.pk).exists()


def test_a_holders_profile_is_never_relinked_whatever_its_account(personas):
    former = UserFactory()
    term = appoint(former, starts_on=_today() - timedelta(days=30))
    appoint(UserFactory(), starts_on=_today())
    # Even with the account gone (deleted outside the site), the profile stays unlinked.
    type(former).objects.filter(pk=former.pk).update(is_active=False)
    for user in (personas.executive, None):
        with pytest.raises(ValidationError, match="cannot be changed or removed"):
            person_link_account(person=term.person, user=user, by=personas.staff)


def test_linking_an_unlinked_holder_is_told(personas, django_capture_on_commit_callbacks):
    nobody = PersonFactory(name="Nora Noaccount", user=None)
    appoint(None, person=nobody)
    member = UserFactory(email="nora@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        person_link_account(person=nobody, user=member, by=personas.executive)
    (entry,) = AccessLogEntry.objects.filter(action=AccessAction.TERMS_CHANGED)
    assert "linked to the account nora@example.org" in entry.detail
    assert [m.to for m in OutboundEmail.objects.all()] == [["nora@example.org"]]


def test_the_log_keeps_who_read_with_their_address(client, ombudsman):
    concern, _ = raise_concern("Read, then the reader renamed")
    concern_read(concern=concern, by=ombudsman)
    type(ombudsman).objects.filter(pk=ombudsman.pk).update(full_name="Renamed")
    (entry,) = AccessLogEntry.objects.filter(action=AccessAction.READ)
    assert (entry.actor_email, entry.actor_name) == (ombudsman.email, "Olga Ombudsman")
    client.force_login(ombudsman)
    log = _text(client.get("/ombudsman/cases/log/"))
    assert f"Olga Ombudsman &lt;{ombudsman.email}&gt;" in log


# --- 4. Last day before the first -----------------------------------------------------


def test_a_last_day_before_the_first_is_a_message_not_a_500(client, personas):
    term = appoint(UserFactory(), starts_on=_today())
    client.force_login(personas.executive)
    response = _change(client, term, ends_on=_today())
    assert response.status_code == 302
    # A term not yet started: the first day is editable, so the form sees both.
    future = appoint(UserFactory(), starts_on=_today() + timedelta(days=20))
    response = _change(
        client,
        future,
        person=future.person_id,
        starts_on=future.starts_on,
        ends_on=future.starts_on - timedelta(days=1),
    )
    assert response.status_code == 200
    assert "a term ends on or after the day it starts" in _text(response)
    term.starts_on, term.ends_on = _today(), _today() - timedelta(days=3)
    with pytest.raises(ValidationError, match="on or after the day it starts"):
        term.clean()


# --- 5. A mistaken appointment ---------------------------------------------------------


def test_a_term_that_has_not_started_can_be_corrected_or_deleted(client, personas):
    holder = UserFactory(full_name="Hana Holder")
    current = appoint(holder, starts_on=_today() - timedelta(days=10))
    client.force_login(personas.executive)
    wrong = person_of(UserFactory(full_name="Wrong Person"))
    response = _add(client, wrong, _today() + timedelta(days=30))
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("ended the term under way: Hana Holder" in m for m in messages)
    mistaken = Term.objects.get(person=wrong)
    right = person_of(UserFactory(full_name="Right Person"))
    later = _today() + timedelta(days=40)
    response = _change(client, mistaken, person=right.pk, starts_on=later)
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.ends_on == later - timedelta(days=1)  # follows the corrected first day
    response = client.post(f"/admin/elections/term/{mistaken.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Term.objects.filter(pk=mistaken.pk).exists()
    current.refresh_from_db()
    assert current.ends_on is None  # given back
    assert _holds(holder)


def test_a_term_under_way_is_not_deleted(client, personas):
    term = appoint(UserFactory(), starts_on=_today())
    client.force_login(personas.staff)
    response = client.post(f"/admin/elections/term/{term.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    with pytest.raises(ValidationError, match="cannot be deleted"):
        term_delete(term=term)


def test_a_first_day_years_ahead_is_refused(client, personas):
    client.force_login(personas.executive)
    response = _add(client, person_of(UserFactory()), date(_today().year + 36, 1, 1))
    assert response.status_code == 200
    assert "at most a year ahead" in _text(response)
    assert not Term.objects.filter(office=ombudsman_office()).exists()


def test_the_add_page_says_what_saving_does(client, personas):
    client.force_login(personas.executive)
    page = _text(client.get(ADD))
    assert "ends the term under way the day before" in page
    assert "cannot be before today" in page


# --- 6. Who held it ---------------------------------------------------------------------


def test_a_committee_cannot_rename_a_holders_profile(client, personas):
    term = appoint(UserFactory(full_name="Olga Ombudsman"))
    editor = personas.executive
    client.force_login(editor)
    url = f"/admin/community/person/{term.person.pk}/change/"
    page = client.get(url)
    assert 'name="name"' not in _text(page)
    client.force_login(personas.staff)  # a superuser may (a typo, a new name)
    assert 'name="name"' in _text(client.get(url))
