"""Speakers' answers as the committee sees them, and the reminder's recipients."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from meetings.enums import ACCEPTED_STATES, ANSWERABLE_NOMINATIONS, SpeakerAnswer
from meetings.models import Meeting, SpeakerConfirmation


def meeting_confirmations(*, meeting: Meeting) -> QuerySet[SpeakerConfirmation]:
    """Every speaker asked for `meeting`: presenters of accepted abstracts (a withdrawn
    one drops out) and invited nominees (one no longer invited, not selected say, drops
    out: their link is dead), presenters first."""
    return (
        SpeakerConfirmation.objects.filter(
            Q(abstract__meeting=meeting, abstract__state__in=ACCEPTED_STATES)
            | Q(nomination__meeting=meeting, nomination__status__in=ANSWERABLE_NOMINATIONS)
        )
        .select_related("abstract__category", "nomination")
        .order_by("nomination_id", "abstract__category__code", "abstract__reference", "pk")
    )


def reminder_recipients(*, meeting: Meeting) -> QuerySet[SpeakerConfirmation]:
    """Speakers of `meeting` asked by mail who have not answered and have not been
    reminded since they were asked (the chair's reminder is once per speaker)."""
    return meeting_confirmations(meeting=meeting).filter(
        state=SpeakerAnswer.ASKED, reminded_at__isnull=True
    )


@dataclass(frozen=True)
class ConfirmationOverview:
    presenters: list[SpeakerConfirmation]
    nominees: list[SpeakerConfirmation]
    counts: dict[str, int]  # SpeakerAnswer value -> how many, presenters and nominees
    reminded: int  # speakers still unanswered who had their one reminder
    to_remind: int  # speakers unanswered and not reminded yet


def confirmation_overview(*, meeting: Meeting) -> ConfirmationOverview:
    rows = list(meeting_confirmations(meeting=meeting))
    counts = Counter(row.state for row in rows)
    waiting = [row for row in rows if row.state == SpeakerAnswer.ASKED]
    reminded = sum(1 for row in waiting if row.reminded_at)
    return ConfirmationOverview(
        presenters=[row for row in rows if row.abstract_id],
        nominees=[row for row in rows if row.nomination_id],
        counts={answer.value: counts.get(answer.value, 0) for answer in SpeakerAnswer},
        reminded=reminded,
        to_remind=len(waiting) - reminded,
    )
