"""Announcements of newly scheduled webinars to members who opted in, and the footer's
YouTube channel link (issue 17, item 7)."""

import re
from datetime import UTC, datetime, timedelta
from importlib import import_module
from urllib.parse import urlsplit

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.management import call_command

from gds_portal.models import OutboundEmail, SiteConfiguration
from gds_portal.validators import validate_youtube_channel
from tests.factories.accounts import UserFactory
from tests.factories.webinars import WebinarFactory
from webinars.announcements import announcements_send, announcements_set, unsubscribe_url
from webinars.models import AnnouncementSubscription, Webinar

pytestmark = pytest.mark.django_db

NOW = datetime(2031, 5, 1, 9, 0, tzinfo=UTC)
START = datetime(2031, 5, 20, 16, 0, tzinfo=UTC)
JOIN = "https://meet.example.org/j/never-announced"


def _announcements() -> list[OutboundEmail]:
    rows = OutboundEmail.objects.filter(template="webinars/webinar-announcement")
    return list(rows.order_by("id"))


def _subscriber(email: str):
    user = UserFactory(email=email)
    announcements_set(user=user, subscribed=True)
    return user


def test_each_new_webinar_is_announced_once_to_subscribers_only():
    _subscriber("ann@example.org")
    _subscriber("bob@example.org")
    UserFactory(email="quiet@example.org")  # default: no announcements
    webinar = WebinarFactory(start_at=START, title="Physics-informed ML", join_url=JOIN)
    with time_machine.travel(NOW, tick=False):
        assert announcements_send() == 2
        assert announcements_send() == 0
        call_command("send_webinar_reminders")
    mails = _announcements()
    assert [m.to for m in mails] == [["ann@example.org"], ["bob@example.org"]]
    assert all("Physics-informed ML" in m.subject for m in mails)
    assert all(JOIN not in m.body_text + m.body_html for m in mails)
    webinar.refresh_from_db()
    assert webinar.announced_at == NOW


def test_drafts_cancelled_and_past_webinars_are_not_announced():
    _subscriber("ann@example.org")
    draft = WebinarFactory(start_at=START, is_published=False)
    cancelled = WebinarFactory(start_at=START, is_cancelled=True)
    WebinarFactory(start_at=NOW - timedelta(days=3))
    with time_machine.travel(NOW, tick=False):
        assert announcements_send() == 0
        # Published later: announced then, once.
        Webinar.objects.filter(pk=draft.pk).update(is_published=True)
        assert announcements_send() == 1
        # Unpublished and published again: not a new webinar.
        Webinar.objects.filter(pk=draft.pk).update(is_published=False)
        Webinar.objects.filter(pk=draft.pk).update(is_published=True)
        assert announcements_send() == 0
    cancelled.refresh_from_db()
    assert cancelled.announced_at is None
    assert len(_announcements()) == 1


def test_each_mail_has_a_one_click_unsubscribe(client):
    user = _subscriber("ann@example.org")
    WebinarFactory(start_at=START)
    with time_machine.travel(NOW, tick=False):
        announcements_send()
    (mail,) = _announcements()
    link = unsubscribe_url(user)
    assert mail.headers == {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert link in mail.body_text
    path = urlsplit(link).path
    assert "Stop the announcements" in client.get(path).content.decode()
    assert AnnouncementSubscription.objects.count() == 1
    # A mail client's one-click POST carries no CSRF token.
    client.post(path, {"List-Unsubscribe": "One-Click"})
    assert AnnouncementSubscription.objects.count() == 0


def test_a_forged_unsubscribe_link_changes_nothing(client):
    user = _subscriber("ann@example.org")
    path = urlsplit(unsubscribe_url(user)).path
    for bad in (path[:-3] + "x/", f"/webinars/announcements/unsubscribe/{user.pk}/"):
        assert client.post(bad).status_code == 400
    assert AnnouncementSubscription.objects.count() == 1


def test_member_opts_in_and_out_on_the_page(client_for, personas):
    client = client_for(personas.member)
    assert (
        "You get no email when a new webinar is scheduled." in client.get("/my/").content.decode()
    )
    client.post("/webinars/announcements/", {"subscribed": "on"})
    assert list(AnnouncementSubscription.objects.values_list("user", flat=True)) == [
        personas.member.pk
    ]
    assert "We email you when a new webinar is scheduled." in client.get("/my/").content.decode()
    client.post("/webinars/announcements/", {})
    assert AnnouncementSubscription.objects.count() == 0


def test_unverified_member_cannot_opt_in(client_for, personas):
    client = client_for(personas.unverified)
    response = client.post("/webinars/announcements/", {"subscribed": "on"})
    assert response.status_code == 302
    assert AnnouncementSubscription.objects.count() == 0


# --- The YouTube channel link ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/channel/UCfPG-nSsgnFeWuzgPcbKlCw",
        "https://www.youtube.com/channel/UCfPG-nSsgnFeWuzgPcbKlCw?reload=9&view_as=subscriber",
        "https://youtube.com/@apsdatascience",
        "https://m.youtube.com/c/SomeChannel/",
    ],
)
def test_youtube_channel_addresses_are_accepted(url):
    validate_youtube_channel(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://www.youtube.com/channel/UCfPG-nSsgnFeWuzgPcbKlCw",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://vimeo.com/channels/staffpicks",
        "https://www.youtube.com.evil.example/channel/UCfPG-nSsgnFeWuzgPcbKlCw",
        "javascript:alert(1)//www.youtube.com/@x",
    ],
)
def test_other_addresses_are_refused(url):
    with pytest.raises(ValidationError):
        validate_youtube_channel(url)


def test_footer_links_the_channel_only_when_set(client):
    assert "YouTube channel" not in client.get("/").content.decode()
    config = SiteConfiguration.get_solo()
    config.youtube_url = "https://www.youtube.com/channel/UCfPG-nSsgnFeWuzgPcbKlCw"
    config.save()
    html = client.get("/about/").content.decode()
    link = re.search(r'<a href="([^"]+)"[^>]*data-testid="youtube-link"', html)
    assert link and link.group(1) == config.youtube_url


def test_migration_marks_webinars_published_before_it_as_announced():
    # Otherwise the first worker run after the deploy would announce every upcoming
    # webinar already published (and announced the old way) to the first subscribers.
    migration = import_module("webinars.migrations.0016_feedback_and_announcements")
    published = WebinarFactory(start_at=START)
    draft = WebinarFactory(start_at=START, is_published=False)
    migration.mark_published_as_announced(django_apps, None)
    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.announced_at is not None
    assert draft.announced_at is None
    _subscriber("ann@example.org")
    with time_machine.travel(NOW, tick=False):
        assert announcements_send() == 0
