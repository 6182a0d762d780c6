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
        .prefetch_related("authors")
        .order_by("category__code", "reference")
    )


def decision_mail_context(abstract: Abstract) -> dict[str, object]:
    return {
        "abstract": abstract,
        "accepted": abstract.state != AbstractState.REJECTED,
        "moved_from": abstract.original_category,
        "name": abstract.submitter.full_name or abstract.submitter.email,
        "presenting": False,
        "committee_copy": False,
    }


class DecisionMail(TypedDict):
    to: str
    context: dict[str, object]


def decision_mails(abstract: Abstract) -> list[DecisionMail]:
    """Every mail the decision on `abstract` sends: one to each author with an address
    (the presenter's says so), one to the submitter if no author has their address,
    and one copy to the meeting's committee address if it has one.

    An address is mailed once per decision however often it is listed (compared without
    case). Reads abstract.authors, which decisions_pending prefetches.
    """
    base = decision_mail_context(abstract)
    mails: list[DecisionMail] = []
    seen: set[str] = set()
    for author in abstract.authors.all():
        if not author.email or author.email.casefold() in seen:
            continue
        seen.add(author.email.casefold())
        context = {**base, "name": author.name, "presenting": author.is_presenting}
        mails.append({"to": author.email, "context": context})
    # The submitter holds the account the abstract lives in; an author list without
    # their address must not leave them the one person not told.
    if abstract.submitter.email and abstract.submitter.email.casefold() not in seen:
        mails.append({"to": abstract.submitter.email, "context": base})
    if committee := abstract.meeting.committee_email:
        mails.append({"to": committee, "context": {**base, "committee_copy": True}})
    return mails


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

    mails: list[PreviewMail]  # every mail of every pending decision (decision_mails)
    own: int  # pending decisions on the viewer's own abstracts: sent, never shown to them
    undecided: int  # submitted (perhaps moved) but not accepted or rejected: no mail yet


def decision_preview(*, meeting: Meeting, viewer: User) -> DecisionPreview:
    mine = named_author_q(viewer)
    pending = decisions_pending(meeting=meeting)
    own = pending.filter(mine).count()
    mails: list[PreviewMail] = []
    for abstract in pending.exclude(mine):
        for mail in decision_mails(abstract):
            subject, body, _ = render_mail("meetings/abstract-decision", mail["context"])
            # render_mail's text is a plain str, so the page's template escapes it.
            mails.append({"abstract": abstract, "to": mail["to"], "subject": subject, "body": body})
    undecided = meeting.abstracts.filter(state=AbstractState.SUBMITTED).exclude(mine).count()
    return DecisionPreview(mails=mails, own=own, undecided=undecided)
