"""Deadline reminders for members' drafts: the scheduled command's, 48 hours before a
call closes, and the chair's one reminder per meeting, sent from the committee's pages
when they choose. Both send each draft's reminder at most once (AbstractReminder)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from gds_portal.mail import send_template_mail
from meetings import rules
from meetings.enums import CallState, CommitteeReminderKind
from meetings.models import Abstract, AbstractReminder, CommitteeReminder, Meeting
from meetings.services.errors import Refused

if TYPE_CHECKING:
    from accounts.models import User

REMINDER_LEAD = timedelta(hours=48)


def _remind(draft: Abstract) -> bool:
    """Mail `draft`'s submitter its reminder unless one went already; True if it went.
    Side effects: one AbstractReminder row and one queued mail, in the caller's
    transaction (the row's uniqueness makes a concurrent second one a no-op)."""
    _, created = AbstractReminder.objects.get_or_create(abstract=draft)
    if created:
        send_template_mail(
            "meetings/abstract-reminder", to=[draft.submitter.email], context={"abstract": draft}
        )
    return created


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
            sent += _remind(draft)
    return sent


def drafts_to_remind(*, meeting: Meeting) -> QuerySet[Abstract]:
    """`meeting`'s drafts whose author has not been reminded yet."""
    return (
        Abstract.objects.drafts()
        .filter(meeting=meeting, reminder__isnull=True)
        .select_related("meeting", "category", "submitter")
        .order_by("pk")
    )


def drafts_remind(*, meeting: Meeting, by: User) -> int:
    """The chair's one reminder, per meeting, to the authors of drafts not yet submitted
    (while the call is open); returns how many were mailed (0 if sent before).

    Side effects: one CommitteeReminder row (a second send, even a concurrent one,
    sends nothing) and, per draft not yet reminded, an AbstractReminder row and one
    queued "meetings/abstract-reminder" mail, all in one transaction; the scheduled
    command then skips those drafts. Raises Refused unless `by` may send reminders
    (the chair), the call is open and at least one draft waits: with no one to remind
    (a stale tab) nothing is recorded, so the once-only reminder is not used up on
    nobody (outside probe, fix G).
    """
    if not rules.rule_says("meetings.send_reminders", by, meeting):
        raise Refused("Only the program chair sends reminders.")
    if meeting.call_state() != CallState.OPEN:
        raise Refused("The call is not open: a reminder to submit comes too late.")
    try:
        with transaction.atomic():
            reminder = CommitteeReminder.objects.create(
                meeting=meeting, kind=CommitteeReminderKind.DRAFTS, sent_by=by
            )
            sent = sum(_remind(draft) for draft in drafts_to_remind(meeting=meeting))
            if not sent:
                # Rolls the reminder row back with it: still there for when drafts wait.
                raise Refused("No draft waits for a reminder: nothing was sent or recorded.")
            reminder.recipients = sent
            reminder.save(update_fields=["recipients"])
    except IntegrityError:
        return 0  # sent before (or by a concurrent click)
    return sent
