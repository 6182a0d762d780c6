"""The elections app keeps the offices' terms: it answers who holds an office, and
since when, for apps that hang access on one (gds_portal/offices.py; the ombudsman's
office is one of ours, `OMBUDSMAN`, made by a data migration).

A term counts through its person's linked account (`Term.person` → `Person.user`):
a term whose person has no account holds the office for the record (and so ends an
earlier holder's hold, since the latest-starting term is the holder of a one-seat
office) but gives nobody access.
"""

from datetime import date

from django.db.models import QuerySet

from elections.models import Term, shown_name
from gds_portal.offices import Holding

# The office the ombudsman app asks about (docs/ombudsman.md); made by migration 0008.
OMBUDSMAN = "ombudsman"


def _holding(term: Term) -> Holding:
    user = term.person.user
    name = shown_name(person=term.person, user=user)
    return Holding(user.pk if user else None, name, term.starts_on, term.ends_on, term.person_id)


def _terms(office: str) -> QuerySet[Term]:
    # Latest start first; on a shared first day (only between terms entered before
    # elections.guarded refused it) the one entered first, so a later entry never wins.
    return (
        Term.objects.filter(office__slug=office)
        .select_related("person__user")
        .order_by("-starts_on", "pk")
    )


class TermOffices:
    """gds_portal.offices provider: one query per answer."""

    def holdings(self, office: str, on: date) -> list[Holding]:
        return [_holding(term) for term in _terms(office).current(on)]

    def history(self, office: str) -> list[Holding]:
        return [_holding(term) for term in _terms(office)]
