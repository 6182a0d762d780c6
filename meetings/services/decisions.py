"""The Program committee's decisions on abstracts, and the chair's sending of them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from gds_portal.mail import send_template_mail
from meetings import rules
from meetings.enums import REVIEWABLE_STATES, Decision
from meetings.models import Abstract, DecisionNotification, Meeting, SortingCategory
from meetings.selectors.decisions import decision_mails, decisions_pending
from meetings.services.abstracts import save_with_history
from meetings.services.confirmations import presenter_ask
from meetings.services.errors import Refused, committee_refusal

if TYPE_CHECKING:
    from accounts.models import User


def _decide_one(
    abstract: Abstract, *, decision: str, by: User, category: SortingCategory | None
) -> None:
    # Conflict of interest first: an author learns nothing, not even the state, here.
    if not rules.committee_may("meetings.decide_abstract", by, abstract):
        raise Refused(committee_refusal(by, abstract, "decide on"))
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
    save_with_history(abstract, by=by, reason=reason)


@transaction.atomic
def abstracts_decide(
    *,
    abstracts: Iterable[Abstract],
    decision: str,
    by: User,
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


def decisions_send(*, meeting: Meeting, by: User) -> int:
    """Mail each decided abstract's decision, exactly once; returns how many abstracts.

    Side effects, per abstract in its own transaction: one DecisionNotification row
    (its unique abstract makes a second send, even a concurrent one, a no-op) and the
    queued "meetings/abstract-decision" mails of selectors.decisions.decision_mails
    (each author with an address, the submitter, a committee copy) and, for an
    accepted abstract, the presenter's confirmation request (services.confirmations.
    presenter_ask); then meeting.decisions_sent_at. Reviews of the
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
                # Every mail of the decision commits with its notification row or
                # not at all, so the row's uniqueness makes each of them go once.
                for mail in decision_mails(abstract):
                    send_template_mail(
                        "meetings/abstract-decision",
                        to=[mail["to"]],
                        context=mail["context"],
                        headers={"X-GDS-Abstract": abstract.reference or ""},
                    )
                # The presenter is asked only now, with the decision sent: never before.
                presenter_ask(abstract=abstract)
        except IntegrityError:
            continue  # another send got there first
        sent += 1
    if sent:
        Meeting.objects.filter(pk=meeting.pk).update(decisions_sent_at=timezone.now())
    return sent
