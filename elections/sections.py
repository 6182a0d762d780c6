"""Blocks this app adds to pages other apps own (My GDS, person pages, home page)."""

from elections import selectors


def my_elections(request) -> dict | None:
    context = selectors.my_elections(request.user)
    context["offices"] = selectors.offices_held_by(request.user)
    return context


def person_terms(request, person) -> dict | None:
    terms = selectors.terms_of(person)
    return {"terms": terms} if terms else None


def home_election(request) -> dict | None:
    election = selectors.open_election_for_home()
    return {"election": election} if election else None
