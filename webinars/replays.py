"""The "replay available" mail: confirmed registrants hear once that the replay is out.

A registration is mailed when its webinar's replay is public (the one definition,
`WebinarQuerySet.replay_public`: a replay address and a recorded release), once: the
claim is a conditional update of `Registration.replay_mail_at`, as for the reminders
(webinars.registration), so two workers send nothing twice. The polling worker
(`manage.py send_webinar_reminders`) sends them. A registrant who followed the signed
"no replay mail" link in any registration mail (`no_replay_mail`) gets none. Only
webinars that started within `RECENT` are mailed about: a replay released long after
(or a replay made public by migration 0019) is not news to mail anyone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from gds_portal.mail import send_template_mail
from webinars.enums import RegistrationStatus
from webinars.links import registration_for_signed, signed_url
from webinars.models import Registration, Webinar

NO_REPLAY_SALT = "webinars.replays.no-replay-mail"
NO_REPLAY_MAX_AGE = timedelta(days=400)
RECENT = timedelta(days=60)


def no_replay_mail_url(registration: Registration) -> str:
    return signed_url("webinars:no_replay_mail", registration, NO_REPLAY_SALT)


def registration_for_no_replay_token(token: str, *, slug: str) -> Registration | None:
    return registration_for_signed(token, slug=slug, salt=NO_REPLAY_SALT, max_age=NO_REPLAY_MAX_AGE)


def registration_refuse_replay_mail(*, registration: Registration) -> None:
    """The registrant wants no replay mail. Side effects: `no_replay_mail` set."""
    Registration.objects.filter(pk=registration.pk).update(no_replay_mail=True)


def _due(now: datetime) -> QuerySet[Registration]:
    webinars = Webinar.objects.replay_public().filter(
        is_cancelled=False, start_at__gte=now - RECENT
    )
    return (
        Registration.objects.filter(
            webinar__in=webinars,
            status=RegistrationStatus.CONFIRMED,
            replay_mail_at__isnull=True,
            no_replay_mail=False,
        )
        .select_related("webinar")
        .order_by("id")
    )


def registration_send_replay_mails(*, now: datetime | None = None) -> int:
    """Tell confirmed registrants of recent webinars whose replay is public, once each.

    Side effects: per registration due, `replay_mail_at` claimed by a conditional update
    and one mail queued, in one transaction. Returns how many were queued.
    """
    now = now or timezone.now()
    sent = 0
    for registration in _due(now):
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, replay_mail_at__isnull=True, no_replay_mail=False
            ).update(replay_mail_at=now)
            if claimed:
                webinar = registration.webinar
                send_template_mail(
                    "webinars/replay-available",
                    to=[registration.email],
                    context={
                        "registration": registration,
                        "webinar": webinar,
                        "webinar_url": settings.SITE_URL + webinar.get_absolute_url(),
                    },
                )
                sent += 1
    return sent
