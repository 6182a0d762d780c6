"""Calendar feeds: a meeting's abstract deadline as an iCalendar file."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from meetings.models import Meeting


def call_deadline_ics(meeting: Meeting) -> bytes:
    """One event at the call's closing time, with a stable UID so calendars update it."""
    calendar = Calendar()
    calendar.add("prodid", "-//GDS Portal//Abstract deadlines//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"call-deadline-{meeting.pk}@{urlsplit(settings.SITE_URL).hostname}")
    event.add("summary", f"Abstract deadline: {meeting}")
    event.add("dtstart", meeting.call_closes_at)
    event.add("dtend", meeting.call_closes_at)
    event.add("dtstamp", timezone.now())
    event.add("url", settings.SITE_URL + meeting.get_call_url())
    event.add("description", f"The call for contributed abstracts to {meeting} closes.")
    calendar.add_component(event)
    return calendar.to_ical()
