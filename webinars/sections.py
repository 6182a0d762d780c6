"""Blocks this app adds to pages other apps own (My GDS, person pages, home page)."""

from webinars import selectors


def my_nominations(request) -> dict | None:
    if not request.user.has_perm("webinars.nominate"):
        return None
    return {"nominations": selectors.my_nominations(request.user)}


def my_registrations(request) -> dict | None:
    registrations = selectors.my_registrations(request.user)
    return {"registrations": registrations} if registrations else None


def person_webinars(request, person) -> dict | None:
    webinars = selectors.person_webinars(person)
    return {"webinars": webinars, "person": person} if webinars else None


def home_upcoming(request) -> dict | None:
    return {"webinars": selectors.upcoming_webinars(limit=3)}
