"""Blocks this app adds to pages other apps own (My GDS, person pages, home page)."""

from django.urls import reverse

from elections import selectors
from elections.services.nominations import answer_token, nominations_are_open


def my_elections(request) -> dict | None:
    context = selectors.my_elections(request.user)
    for candidacy in context["candidacies"]:
        # A fresh link to the member's own nomination page while it can still change: the
        # mailed one expires after three weeks, and a member nominated by someone else
        # before nominating themself got none (outside probe 2, F7/F8d). This page is the
        # member's own and never cached (PrivateCacheMiddleware).
        election = candidacy.contest.election
        if nominations_are_open(election, context["now"]):
            kwargs = {"slug": election.slug, "token": answer_token(candidacy)}
            candidacy.answer_url = reverse("elections:answer", kwargs=kwargs)
    context["offices"] = selectors.offices_held_by(request.user)
    return context


def person_terms(request, person) -> dict | None:
    terms = selectors.terms_of(person)
    return {"terms": terms} if terms else None


def home_election(request) -> dict | None:
    election = selectors.open_election_for_home()
    return {"election": election} if election else None
