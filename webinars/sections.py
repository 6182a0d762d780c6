"""Blocks this app adds to pages other apps own (My GDS, person pages, home page)."""

from webinars import selectors
from webinars.announcements import is_subscribed
from webinars.feedback import feedback_to_give, speaker_webinars


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


def my_feedback(request) -> dict | None:
    """Webinars the member attended whose feedback is open, and their own talks' feedback."""
    to_give = feedback_to_give(request.user)
    as_speaker = speaker_webinars(request.user)
    if not (to_give or as_speaker):
        return None
    return {"to_give": to_give, "as_speaker": as_speaker}


def my_announcements(request) -> dict | None:
    if not request.user.has_perm("webinars.register"):
        return None
    return {"subscribed": is_subscribed(request.user)}
