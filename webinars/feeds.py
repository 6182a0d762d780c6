"""Subscribable feeds: iCalendar (calendar apps) and Atom (feed readers).

Neither ever carries anything from nominations or registrations (nor the join
link); both list only published, not-cancelled webinars.
"""

from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.html import format_html
from icalendar import Calendar, Event, vText

from gds_portal.feeds import Atom1Feed
from gds_portal.markdown import render_markdown
from webinars.models import Webinar
from webinars.selectors import atom_webinars

PRODID = "-//APS Topical Group on Data Science//GDS Portal webinars//EN"


def event_uid(webinar: Webinar) -> str:
    # The primary key never changes, unlike the title or slug, so calendar apps
    # update the event they already hold instead of adding a duplicate.
    return f"webinar-{webinar.pk}@{urlsplit(settings.SITE_URL).hostname}"


def _plain_description(webinar: Webinar, url: str) -> str:
    lines = []
    for slot in webinar.speaker_slots.all():
        own_title = slot.talk_title and slot.talk_title != webinar.title
        talk = f": {slot.talk_title}" if own_title else ""
        lines.append(f"Speaker: {slot.person.name}{talk}")
    if webinar.host:
        lines.append(f"Host: {webinar.host.name}")
    if webinar.description:
        lines += ["", webinar.description]
    if webinar.registration_url:
        lines += ["", f"Register: {webinar.registration_url}"]
    lines += ["", url]
    return "\n".join(lines)


def webinar_event(webinar: Webinar) -> Event:
    url = settings.SITE_URL + webinar.get_absolute_url()
    event = Event()
    event.add("uid", event_uid(webinar))
    event.add("dtstamp", webinar.updated_at.astimezone(UTC))
    event.add("last-modified", webinar.updated_at.astimezone(UTC))
    event.add("dtstart", webinar.start_at.astimezone(UTC))
    event.add("dtend", webinar.end_at.astimezone(UTC))
    event.add("summary", webinar.title)
    event.add("description", _plain_description(webinar, url))
    event.add("location", webinar.registration_url or "Online")
    event.add("url", url)
    event.add("categories", [topic.name for topic in webinar.topics.all()] or ["Webinar"])
    return event


def calendar_bytes(webinars: list[Webinar], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "UTC")
    for webinar in webinars:
        calendar.add_component(webinar_event(webinar))
    return calendar.to_ical()


def registrant_calendar(webinar: Webinar) -> str:
    """One registrant's calendar entry: the public event plus the join link.

    Only for mail to a confirmed registrant (webinars.registration); the feeds above
    never call it. The same UID as the public feed's event, so a calendar that holds
    both keeps one entry.
    """
    url = settings.SITE_URL + webinar.get_absolute_url()
    event = webinar_event(webinar)
    if webinar.join_url:
        description = _plain_description(webinar, url)
        event["description"] = vText(f"Join: {webinar.join_url}\n\n{description}")
        event["location"] = vText(webinar.join_url)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    return calendar.to_ical().decode()


class WebinarAtomFeed(Feed):
    feed_type = Atom1Feed
    title = "GDS webinars"
    subtitle = "Talks, tutorials and discussions of the APS Topical Group on Data Science."
    author_name = "APS Topical Group on Data Science"

    def link(self):
        return reverse("webinars:list")

    def feed_url(self):
        return reverse("webinars:feed_atom")

    def items(self):
        return atom_webinars()

    def item_title(self, item: Webinar) -> str:
        return item.title

    def item_description(self, item: Webinar) -> str:
        when = item.start_at.astimezone(UTC).strftime("%d %B %Y, %H:%M UTC")
        speakers = ", ".join(slot.person.name for slot in item.speaker_slots.all())
        intro = format_html(
            "<p>{} · {}{}</p>", item.get_kind_display(), when, f" · {speakers}" if speakers else ""
        )
        # format_html escapes; render_markdown sanitises with an allowlist.
        return intro + render_markdown(item.description)

    def item_link(self, item: Webinar) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Webinar) -> str:
        return f"tag:{urlsplit(settings.SITE_URL).hostname},2020:webinar-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Webinar):
        return item.created_at

    def item_updateddate(self, item: Webinar):
        return item.updated_at

    def item_categories(self, item: Webinar):
        return [topic.name for topic in item.topics.all()]
