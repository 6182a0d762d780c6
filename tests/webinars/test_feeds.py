from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
import time_machine
from icalendar import Calendar

from tests.factories.community import PersonFactory
from tests.factories.webinars import TopicFactory, WebinarFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 1, 10, 9, 0, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"


def _events(client, url="/webinars/feed.ics") -> dict:
    response = client.get(url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


@time_machine.travel(NOW, tick=False)
def test_ics_feed_lists_published_webinars_in_utc_with_stable_uids(client):
    speaker = PersonFactory(name="Ada Speaker")
    # 18:00 in Berlin is 17:00 UTC in winter: the feed must say 17:00Z.
    start = datetime(2030, 2, 1, 18, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    upcoming = WebinarFactory(
        title="Upcoming talk", start_at=start, duration=timedelta(minutes=90), speakers=[speaker]
    )
    WebinarFactory(title="Recent talk", start_at=NOW - timedelta(days=20))
    WebinarFactory(title="Cancelled talk", start_at=NOW + timedelta(days=3), is_cancelled=True)
    WebinarFactory(title="Draft talk", start_at=NOW + timedelta(days=3), is_published=False)

    events = _events(client)

    assert sorted(events) == ["Recent talk", "Upcoming talk"]
    event = events["Upcoming talk"]
    assert event["dtstart"].dt == datetime(2030, 2, 1, 17, 0, tzinfo=UTC)
    assert event["dtend"].dt == datetime(2030, 2, 1, 18, 30, tzinfo=UTC)
    assert event.to_ical().decode().count("DTSTART:20300201T170000Z") == 1
    assert str(event["uid"]) == f"webinar-{upcoming.pk}@testserver"
    assert "Ada Speaker" in str(event["description"])

    upcoming.title = "Renamed talk"
    upcoming.slug = "renamed-talk"
    upcoming.save()
    assert str(_events(client)["Renamed talk"]["uid"]) == f"webinar-{upcoming.pk}@testserver"


@time_machine.travel(NOW, tick=False)
def test_single_webinar_ics_is_a_download(client):
    webinar = WebinarFactory(title="One talk", start_at=NOW + timedelta(days=2))
    response = client.get(f"/webinars/{webinar.slug}/calendar.ics")
    assert response["Content-Disposition"] == f'attachment; filename="{webinar.slug}.ics"'
    assert list(_events(client, f"/webinars/{webinar.slug}/calendar.ics")) == ["One talk"]


def test_single_webinar_ics_refused_for_cancelled_and_drafts(client):
    cancelled = WebinarFactory(is_cancelled=True)
    draft = WebinarFactory(is_published=False)
    assert client.get(f"/webinars/{cancelled.slug}/calendar.ics").status_code == 404
    assert client.get(f"/webinars/{draft.slug}/calendar.ics").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_atom_feed_is_well_formed_with_required_elements(client):
    topic = TopicFactory(name="Deep learning")
    WebinarFactory(title="Atom talk <b>", topics=[topic], speakers=[PersonFactory(name="Bo")])
    WebinarFactory(title="Cancelled", is_cancelled=True)
    WebinarFactory(title="Draft", is_published=False)

    response = client.get("/webinars/feed.atom")

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 -- our own feed, just rendered
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Atom talk <b>"]
    entry = entries[0]
    for required in ("id", "title", "updated", "link", "summary"):
        assert entry.find(f"{ATOM}{required}") is not None, required
    assert entry.find(f"{ATOM}id").text.startswith("tag:testserver,2020:webinar-")
    assert entry.find(f"{ATOM}category").get("term") == "Deep learning"
