"""Announcements: one mail per newly scheduled webinar to the members who asked for them.

"Newly scheduled" is a webinar published, not cancelled and still upcoming whose
`announced_at` is empty. The polling worker (`send_webinar_reminders`) claims the
webinar by setting `announced_at` with a conditional update and, in the same
transaction, queues one mail to each member with an `AnnouncementSubscription`:
a second run, or a second host, finds it claimed and sends nothing. A webinar
cancelled (or unpublished) before the worker came by is never announced; one
restored later is, once. Webinars published before announcements existed were
marked announced by migration 0016. The mail links the public page only: never the
join link. Each mail carries a signed one-click unsubscribe link (and the
List-Unsubscribe headers of RFC 2369/8058).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.identity import canonical_email
from accounts.models import User
from gds_portal.mail import send_template_mail
from webinars.models import AnnouncementSubscription, Webinar

UNSUBSCRIBE_SALT = "webinars.announcements.unsubscribe"


def _token_data(user: User) -> dict[str, object]:
    return {"u": user.pk, "e": canonical_email(user.email)}


def unsubscribe_url(user: User) -> str:
    # No timestamp, like the newsletter's: an old mail's link keeps working.
    token = signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(_token_data(user))
    return settings.SITE_URL + reverse("webinars:announcements_unsubscribe", args=[token])


def user_for_unsubscribe_token(token: str) -> User | None:
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user: User | None = User.objects.filter(pk=data["u"]).first()
    if user is None or canonical_email(user.email) != data.get("e"):
        return None
    return user


def is_subscribed(user: User) -> bool:
    return user.is_authenticated and AnnouncementSubscription.objects.filter(user=user).exists()


def announcements_set(*, user: User, subscribed: bool) -> None:
    """Opt a member in or out. Side effects: creates or deletes their one subscription row."""
    if subscribed:
        AnnouncementSubscription.objects.get_or_create(user=user)
    else:
        AnnouncementSubscription.objects.filter(user=user).delete()


def _list_headers(user: User) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _subscribers() -> list[User]:
    subscribed = User.objects.filter(webinar_announcements__isnull=False, is_active=True)
    return list(subscribed.order_by("pk"))


def _announce(webinar: Webinar, user: User) -> None:
    send_template_mail(
        "webinars/webinar-announcement",
        to=[user.email],
        context={
            "user": user,
            "webinar": webinar,
            "webinar_url": settings.SITE_URL + webinar.get_absolute_url(),
            "unsubscribe_url": unsubscribe_url(user),
        },
        headers=_list_headers(user),
    )


def announcements_send(*, now: datetime | None = None) -> int:
    """Announce each newly scheduled webinar once to every subscribed member.

    Side effects: per webinar, `announced_at` is claimed by a conditional update and
    one mail per subscriber is queued in the same transaction. Returns how many
    mails were queued.
    """
    now = now or timezone.now()
    # Not yet started: a webinar published while it runs is not worth a mail.
    due = (
        Webinar.objects.published()
        .upcoming(now)
        .filter(announced_at__isnull=True, start_at__gt=now)
    )
    sent = 0
    for webinar in due.order_by("start_at", "pk"):
        with transaction.atomic():
            claimed = (
                Webinar.objects.published()
                .upcoming(now)
                .filter(pk=webinar.pk, announced_at__isnull=True, start_at__gt=now)
                .update(announced_at=now)
            )
            if not claimed:
                continue
            for user in _subscribers():
                _announce(webinar, user)
                sent += 1
    return sent
