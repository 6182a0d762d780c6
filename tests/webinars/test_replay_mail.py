"""The "replay available" mail (issue 17 item 4): once, to confirmed registrants,
only when the replay is public, never to those who said no."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone

from gds_portal.models import OutboundEmail
from tests.factories.webinars import FUTURE, WebinarFactory
from webinars.enums import RegistrationStatus
from webinars.models import Registration, Webinar
from webinars.registration import registration_member
from webinars.replays import no_replay_mail_url, registration_send_replay_mails

pytestmark = pytest.mark.django_db

REPLAY = "https://vimeo.com/123456789"


def _registration(webinar, email, status=RegistrationStatus.CONFIRMED, **extra):
    return Registration.objects.create(
        webinar=webinar,
        name=email.split("@")[0],
        email=email,
        email_key=email,
        status=status,
        **extra,
    )


@pytest.fixture
def webinar():
    held = WebinarFactory(slug="held-last-week", start_at=timezone.now() - timedelta(days=7))
    _registration(held, "came@example.org")
    _registration(held, "pending@example.org", RegistrationStatus.PENDING)
    _registration(held, "cancelled@example.org", RegistrationStatus.CANCELLED)
    _registration(held, "quiet@example.org", no_replay_mail=True)
    return held


def _replay_mails() -> list[list[str]]:
    rows = OutboundEmail.objects.filter(template="webinars/replay-available").order_by("id")
    return [row.to for row in rows]


def test_nothing_goes_until_the_replay_is_public(webinar):
    assert registration_send_replay_mails() == 0
    Webinar.objects.filter(pk=webinar.pk).update(replay_url=REPLAY)  # no release yet
    assert registration_send_replay_mails() == 0
    assert _replay_mails() == []


def test_confirmed_registrants_who_did_not_refuse_are_told_once(webinar):
    Webinar.objects.filter(pk=webinar.pk).update(
        replay_url=REPLAY, replay_released_at=timezone.now()
    )
    assert registration_send_replay_mails() == 1
    assert registration_send_replay_mails() == 0  # a second pass, or a second worker
    call_command("send_webinar_reminders")
    assert _replay_mails() == [["came@example.org"]]
    mail = OutboundEmail.objects.get(template="webinars/replay-available")
    assert "/webinars/held-last-week/" in mail.body_text
    # The only replay mail: no link to refuse further ones (issue 17).
    assert "/registration/no-replay-mail/" not in mail.body_text


def test_an_old_webinar_released_now_mails_no_one(webinar):
    Webinar.objects.filter(pk=webinar.pk).update(
        start_at=timezone.now() - timedelta(days=400),
        replay_url=REPLAY,
        replay_released_at=timezone.now(),
    )
    assert registration_send_replay_mails() == 0


def test_the_signed_link_opts_out_on_post_only(webinar, client):
    came = Registration.objects.get(email="came@example.org")
    path = urlsplit(no_replay_mail_url(came)).path
    assert client.get(path).status_code == 200
    came.refresh_from_db()
    assert not came.no_replay_mail  # a link scanner's GET changes nothing
    response = client.post(path)
    assert "we will not write to came@example.org" in response.content.decode()
    came.refresh_from_db()
    assert came.no_replay_mail
    forged = re.sub(r"/no-replay-mail/[^/]+/", "/no-replay-mail/x:y/", path)
    other = Registration.objects.get(email="pending@example.org")
    assert client.post(forged).status_code == 400
    other.refresh_from_db()
    assert not other.no_replay_mail


def test_registration_mails_carry_the_opt_out_link(personas):
    upcoming = WebinarFactory(start_at=FUTURE)
    registration_member(webinar=upcoming, user=personas.member)
    mail = OutboundEmail.objects.get(template="webinars/registration-confirmed")
    assert "/registration/no-replay-mail/" in mail.body_text
    assert "/registration/no-replay-mail/" in mail.body_html
