"""iCalendar entries for each announced election's nomination and voting windows."""

from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, Event

from elections.models import Election

PRODID = "-//APS Topical Group on Data Science//GDS Portal elections//EN"


def _event(election: Election, kind: str, starts, ends, summary: str) -> Event:
    url = settings.SITE_URL + election.get_absolute_url()
    event = Event()
    # Keyed by primary key and window, so calendar apps update the entries they hold.
    event.add("uid", f"election-{election.pk}-{kind}@{urlsplit(settings.SITE_URL).hostname}")
    event.add("dtstamp", election.updated_at.astimezone(UTC))
    event.add("dtstart", starts.astimezone(UTC))
    event.add("dtend", ends.astimezone(UTC))
    event.add("summary", summary)
    event.add("description", url)
    event.add("url", url)
    return event


def calendar_bytes(elections: list[Election], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for election in elections:
        calendar.add_component(
            _event(
                election,
                "nominations",
                election.nominations_open_at,
                election.nominations_close_at,
                f"Nominations open: {election.title}",
            )
        )
        calendar.add_component(
            _event(
                election,
                "voting",
                election.voting_open_at,
                election.voting_close_at,
                f"Voting open: {election.title}",
            )
        )
    return calendar.to_ical()
