"""Ombudsman test data, made through the services (the only way text gets encrypted).

The office is a term of the elections app's "Ombudsman" office (made by a migration;
made again here for tests that flushed the database), added the way the executive
committee adds one in the admin (elections.services.terms.term_add).
"""

import uuid
from datetime import datetime, time

import time_machine
from django.utils import timezone

from community.models import Person
from elections.models import Office, Term
from elections.offices import OMBUDSMAN
from elections.services.terms import term_add
from ombudsman.models import Concern
from ombudsman.services import concern_raise, concern_reply, new_case_code, new_passphrase
from tests.factories.community import PersonFactory


def ombudsman_office() -> Office:
    office, _ = Office.objects.get_or_create(
        slug=OMBUDSMAN, defaults={"name": "Ombudsman", "order": 900}
    )
    return office


def person_of(holder) -> Person:
    """The holder's linked profile, or a new one named like the account."""
    found = Person.objects.filter(user=holder).first()
    name = holder.full_name or holder.email.split("@")[0]
    return found or PersonFactory(user=holder, name=name)


def appoint(holder, *, starts_on=None, ends_on=None, person=None) -> Term:
    """Make `holder` (a User; or `person`, a Person perhaps without an account) the
    ombudsman from `starts_on` (today): the term under way ends the day before.

    A term never starts before the day it is saved (elections.guarded), so a term
    starting in the past is added on its first day, as the committee would have."""
    starts_on = starts_on or timezone.localdate()
    term = Term(
        office=ombudsman_office(),
        person=person or person_of(holder),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    if starts_on >= timezone.localdate():
        return term_add(term=term)
    with time_machine.travel(datetime.combine(starts_on, time(12)), tick=False):
        return term_add(term=term)


def raise_concern(
    text: str = "A concern.", *, member=None, email: str = "", passphrase: str | None = None
) -> tuple[Concern, str]:
    """A concern as its form would store it; returns it and its passphrase."""
    passphrase = passphrase or new_passphrase()
    raised = concern_raise(
        text=text,
        token=uuid.uuid4(),
        case_code=new_case_code(),
        passphrase=passphrase,
        member=member,
        email=email,
    )
    return Concern.objects.get(case_code=raised.case_code), passphrase


def reply(concern: Concern, text: str, *, by):
    return concern_reply(concern=concern, text=text, by=by, token=uuid.uuid4())


def ombudsman_terms():
    """The office's terms, for tests that move a term's dates."""
    return Term.objects.filter(office__slug=OMBUDSMAN)
