"""The Program committee's writes: reviews, decisions, decision mail, nominations, sessions."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from gds_portal.mail import send_template_mail
from meetings import rules
from meetings.enums import (
    DECIDED_STATES,
    REVIEWABLE_STATES,
    AbstractState,
    Decision,
    FormAction,
)
from meetings.models import (
    Abstract,
    DecisionNotification,
    FormToken,
    InvitedSession,
    Meeting,
    Review,
    SortingCategory,
    SpeakerNomination,
)
from meetings.services import Refused, _claim_token, _save_with_history

# --- Reviews ----------------------------------------------------------------------


def review_closed(abstract: Abstract) -> bool:
    """Reviews of an abstract freeze once its decision has been mailed."""
    return DecisionNotification.objects.filter(abstract=abstract).exists()


@transaction.atomic
def review_save(*, abstract: Abstract, by, score: int, comment: str) -> Review:
    """Create or update `by`'s one review of `abstract`.

    Refuses (as the review page does: defence in depth) a reviewer outside the Program
    committee or an author of the abstract (meetings.rules.committee_may), an abstract
    not past the draft, and one whose decision was sent.
    Side effects: one Review row written (the unique constraint keeps it one).
    """
    abstract = Abstract.objects.select_for_update().get(pk=abstract.pk)
    if not rules.committee_may("meetings.review_abstract", by, abstract):
        raise Refused(_refusal(by, abstract, "review"))
    if abstract.state not in REVIEWABLE_STATES:
        raise Refused(f"{abstract.get_state_display()} abstracts are not reviewed.")
    if review_closed(abstract):
        raise Refused("The decision on this abstract has been sent; reviews are closed.")
    review, _ = Review.objects.update_or_create(
        abstract=abstract, reviewer=by, defaults={"score": score, "comment": comment}
    )
    return review


# --- Decisions --------------------------------------------------------------------


def _refusal(by, abstract: Abstract, what: str) -> str:
    if rules.is_named_author(by, abstract):
        return (
            f"You are an author of {abstract.reference or 'this abstract'}: another member "
            f"of the committee must {what} it."
        )
    if rules.is_unsubmitted(by, abstract):
        return "Drafts are their author's alone."
    return f"Only the Program committee may {what} abstracts."


def _decide_one(abstract: Abstract, *, decision: str, by, category: SortingCategory | None):
    # Conflict of interest first: an author learns nothing, not even the state, here.
    if not rules.committee_may("meetings.decide_abstract", by, abstract):
        raise Refused(_refusal(by, abstract, "decide on"))
    if abstract.state not in REVIEWABLE_STATES:
        raise Refused(f"{abstract.reference or 'A draft'} is {abstract.get_state_display()}.")
    if hasattr(abstract, "decision_notification"):
        raise Refused(f"The decision on {abstract.reference} has been sent already.")
    if decision == Decision.MOVE:
        if category is None or category.meeting_id != abstract.meeting_id:
            raise Refused("Choose a category of the same meeting to move to.")
        if not category.accepts_contributed:
            raise Refused(f"{category} does not take contributed abstracts.")
        if category.pk == abstract.category_id:
            return
        # The first category is the one the member chose; later moves keep it.
        abstract.original_category_id = abstract.original_category_id or abstract.category_id
        if abstract.original_category_id == category.pk:
            abstract.original_category_id = None
        abstract.category = category
        reason = f"Moved to {category.code}"
    else:
        abstract.state = decision
        reason = f"Decision: {abstract.get_state_display()}"
    abstract.decided_by = by
    abstract.decided_at = timezone.now()
    _save_with_history(abstract, by=by, reason=reason)


@transaction.atomic
def abstracts_decide(
    *,
    abstracts: Iterable[Abstract],
    decision: str,
    by,
    category: SortingCategory | None = None,
) -> int:
    """Set the committee's decision on each abstract (all or none); returns how many.

    `decision` is a Decision: accepted oral/poster, rejected, or moved to `category`
    (the member's original category is kept in original_category). Nothing is mailed:
    the submitter learns the outcome when the chair runs decisions_send.
    Side effects: each Abstract updated with decided_by/decided_at and a history record.
    Raises Refused (nothing written) for a draft, a withdrawn abstract, one whose
    decision was already sent, a move to a category of another meeting, an abstract
    `by` is an author of (conflict of interest) or `by` outside the Program committee.
    """
    pks = [a.pk for a in abstracts]
    rows = (
        Abstract.objects.select_for_update(of=("self",))
        .select_related("decision_notification")
        .filter(pk__in=pks)
        .order_by("pk")
    )
    count = 0
    for abstract in rows:
        _decide_one(abstract, decision=decision, by=by, category=category)
        count += 1
    return count


def decisions_pending(*, meeting: Meeting):
    """Decided abstracts of `meeting` whose decision mail has not been sent."""
    return (
        Abstract.objects.filter(
            meeting=meeting, state__in=DECIDED_STATES, decision_notification__isnull=True
        )
        .select_related("meeting", "category", "original_category", "submitter")
        .order_by("category__code", "reference")
    )


def decision_mail_context(abstract: Abstract) -> dict:
    return {
        "abstract": abstract,
        "accepted": abstract.state != AbstractState.REJECTED,
        "moved_from": abstract.original_category,
    }


def decisions_send(*, meeting: Meeting, by) -> int:
    """Mail each decided abstract's submitter its decision, exactly once; returns how many.

    Side effects, per abstract in its own transaction: one DecisionNotification row
    (its unique abstract makes a second send, even a concurrent one, a no-op), one
    queued "abstract-decision" mail; then meeting.decisions_sent_at. Reviews of the
    abstract are closed from then on. Raises Refused, sending nothing, unless `by` may
    send (meetings.send_decisions: the chair).
    """
    # The send page checks this too; the service refuses on its own (defence in depth).
    if not by.has_perm("meetings.send_decisions", meeting):
        raise Refused("Only the program chair sends the decisions.")
    sent = 0
    for pending in decisions_pending(meeting=meeting).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                # Re-read under the row lock that an author's edit or withdrawal takes
                # too (an unsent decision leaves both open to them): the mail carries
                # the text as it is now, and one withdrawn meanwhile is not sent.
                abstract = (
                    decisions_pending(meeting=meeting)
                    .select_for_update(of=("self",))
                    .filter(pk=pending)
                    .first()
                )
                if abstract is None:
                    continue
                DecisionNotification.objects.create(
                    abstract=abstract, state=abstract.state, sent_by=by
                )
                send_template_mail(
                    "abstract-decision",
                    to=[abstract.submitter.email],
                    context=decision_mail_context(abstract),
                    headers={"X-GDS-Abstract": abstract.reference or ""},
                )
        except IntegrityError:
            continue  # another send got there first
        sent += 1
    if sent:
        Meeting.objects.filter(pk=meeting.pk).update(decisions_sent_at=timezone.now())
    return sent


# --- The chair ----------------------------------------------------------------------


@transaction.atomic
def meeting_assign_chair(*, meeting: Meeting, chair, by) -> None:
    """Make `chair` (a Person, or None) the program chair of `meeting`, as `by`.

    Side effects: the meeting's `program_chair`. Raises PermissionDenied unless `by`
    is on the executive committee or a superuser (meetings.assign_chair): the chair
    alone sends decisions, so choosing the chair is not the committee's own edit.
    """
    if not by.has_perm("meetings.assign_chair"):
        raise PermissionDenied("Only the executive committee or a superuser assigns the chair.")
    Meeting.objects.filter(pk=meeting.pk).update(program_chair=chair)
    meeting.program_chair = chair


# --- Nominations ------------------------------------------------------------------


@dataclass
class NominationData:
    nominee_name: str
    nominee_affiliation: str
    nominee_email: str
    talk_title: str
    rationale: str
    tentatively_agreed: bool = False
    alternate_1_name: str = ""
    alternate_1_affiliation: str = ""
    alternate_1_email: str = ""
    alternate_2_name: str = ""
    alternate_2_affiliation: str = ""
    alternate_2_email: str = ""
    session_chair: str = ""
    nominee_is_woman: bool = False
    nominee_is_urm: bool = False
    nominee_outside_us: bool = False


@dataclass
class NominationOutcome:
    """What nomination_create did; `replayed` when its form had been sent before."""

    nomination: SpeakerNomination | None
    replayed: bool = False


@transaction.atomic
def nomination_create(
    *, meeting: Meeting, by, data: NominationData, token: uuid.UUID
) -> NominationOutcome:
    """Record `by`'s nomination of an invited speaker for `meeting`, once per form.

    Refuses when nominations are not open (the token is rolled back with it).
    Side effects: one FormToken row and one SpeakerNomination row; the same form
    (`token`) sent again — twice, or five times at once — writes nothing more and
    answers with the first nomination (None if the token was someone else's). No
    mail: the voluntary flags must never travel by mail, and the nominator sees the
    nomination in My GDS at once.
    """
    if earlier := _claim_token(token=token, by=by, action=FormAction.NOMINATE):
        mine = earlier.nomination if earlier.user_id == by.pk else None
        return NominationOutcome(nomination=mine, replayed=True)
    if not meeting.nominations_open:
        raise Refused(f"Invited-speaker nominations for {meeting} are not open.")
    nomination = SpeakerNomination.objects.create(meeting=meeting, nominator=by, **vars(data))
    FormToken.objects.filter(token=token).update(nomination=nomination)
    return NominationOutcome(nomination=nomination)


@transaction.atomic
def nomination_set_status(*, nomination: SpeakerNomination, status: str, by) -> None:
    """Change a nomination's committee status. Side effects: the row's status."""
    SpeakerNomination.objects.filter(pk=nomination.pk).update(
        status=status, updated_at=timezone.now()
    )
    nomination.status = status


# --- Invited sessions -------------------------------------------------------------


def slot_problem(*, meeting: Meeting, ownership: str, exclude_pk: int | None = None) -> str:
    """Why a session of `ownership` does not fit in `meeting`'s slots ('' when it fits).

    A slot holds one wholly-owned session or two co-sponsored ones, so slots are
    counted in halves: wholly owned = 2, co-sponsored = 1.
    """
    others = InvitedSession.objects.filter(meeting=meeting).exclude(pk=exclude_pk)
    used = sum(session.half_slots for session in others.only("ownership"))
    wanted = InvitedSession(ownership=ownership).half_slots
    capacity = 2 * meeting.invited_session_slots
    if used + wanted <= capacity:
        return ""
    slots = meeting.invited_session_slots
    kind = "wholly-owned" if wanted == 2 else "co-sponsored"
    return (
        f"{meeting} has {slots} invited-session slot{'s' if slots != 1 else ''} and its "
        f"sessions already fill {used / 2:g}. A slot holds one wholly-owned session or two "
        f"co-sponsored ones, so another {kind} session does not fit."
    )


@transaction.atomic
def invited_session_save(*, session: InvitedSession, by=None) -> InvitedSession:
    """Save `session` if the meeting's slot rule allows it.

    Side effects: the InvitedSession row. The meeting row is locked first so two
    committee members adding sessions at once cannot both take the last slot.
    Raises Refused with the slot rule spelled out when it does not fit.
    """
    meeting = Meeting.objects.select_for_update().get(pk=session.meeting_id)
    if problem := slot_problem(meeting=meeting, ownership=session.ownership, exclude_pk=session.pk):
        raise Refused(problem)
    session.save()
    return session
