"""The decisions not yet sent, and the mail each one sends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import QuerySet

from gds_portal.mail import render_mail
from meetings.enums import DECIDED_STATES, AbstractState
from meetings.models import Abstract, Meeting
from meetings.rules import named_author_q

if TYPE_CHECKING:
    from accounts.models import User


def decisions_pending(*, meeting: Meeting) -> QuerySet[Abstract]:
    """Decided abstracts of `meeting` whose decision mail has not been sent."""
    return (
        Abstract.objects.filter(
            meeting=meeting, state__in=DECIDED_STATES, decision_notification__isnull=True
        )
        .select_related("meeting", "category", "original_category", "submitter")
        .order_by("category__code", "reference")
    )


def decision_mail_context(abstract: Abstract) -> dict[str, object]:
    return {
        "abstract": abstract,
        "accepted": abstract.state != AbstractState.REJECTED,
        "moved_from": abstract.original_category,
    }


def decisions_pending_for(*, meeting: Meeting, viewer: User) -> QuerySet[Abstract]:
    """Decisions not yet sent, less those on `viewer`'s own abstracts (conflict of interest:
    the count would say when their own abstract was decided)."""
    return decisions_pending(meeting=meeting).exclude(named_author_q(viewer))


class PreviewMail(TypedDict):
    abstract: Abstract
    to: str
    subject: str
    body: str


@dataclass(frozen=True)
class DecisionPreview:
    """What the chair's send would mail now, as `viewer` may read it."""

    mails: list[PreviewMail]  # one per pending decision
    own: int  # pending decisions on the viewer's own abstracts: sent, never shown to them
    undecided: int  # submitted (perhaps moved) but not accepted or rejected: no mail yet


def decision_preview(*, meeting: Meeting, viewer: User) -> DecisionPreview:
    mine = named_author_q(viewer)
    pending = decisions_pending(meeting=meeting)
    own = pending.filter(mine).count()
    mails: list[PreviewMail] = []
    for abstract in pending.exclude(mine):
        subject, body, _ = render_mail(
            "meetings/abstract-decision", decision_mail_context(abstract)
        )
        # render_mail's text is a plain str, so the page's template escapes it.
        mails.append(
            {"abstract": abstract, "to": abstract.submitter.email, "subject": subject, "body": body}
        )
    undecided = meeting.abstracts.filter(state=AbstractState.SUBMITTED).exclude(mine).count()
    return DecisionPreview(mails=mails, own=own, undecided=undecided)
