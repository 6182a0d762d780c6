"""Deadline reminders for members' drafts."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from gds_portal.mail import send_template_mail
from meetings.models import Abstract, AbstractReminder

REMINDER_LEAD = timedelta(hours=48)


def abstract_send_reminders(*, now: datetime | None = None) -> int:
    """Remind the submitter of each draft whose call closes within 48 hours, once.

    Side effects: one AbstractReminder row and one queued mail per draft, each in its
    own transaction; a draft that already has a reminder row is skipped, so running
    the command twice (even at the same time) sends nothing twice.
    """
    now = now or timezone.now()
    drafts = (
        Abstract.objects.drafts()
        .filter(
            meeting__call_closes_at__gt=now,
            meeting__call_closes_at__lte=now + REMINDER_LEAD,
            meeting__call_opens_at__lte=now,
            reminder__isnull=True,
        )
        .select_related("meeting", "category", "submitter")
    )
    sent = 0
    for draft in drafts:
        with transaction.atomic():
            _, created = AbstractReminder.objects.get_or_create(abstract=draft)
            if created:
                send_template_mail(
                    "meetings/abstract-reminder",
                    to=[draft.submitter.email],
                    context={"abstract": draft},
                )
                sent += 1
    return sent
