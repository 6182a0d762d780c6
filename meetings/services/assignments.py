"""Who reviews what: the chair names reviewers per sorting category, the portal spreads
each category's abstracts over them, the chair reassigns or rebalances, and reminds
reviewers with open queues once.

Every write here is the chair's (meetings.assign_reviewers / meetings.remind_reviewers
in meetings/rules.py): each service refuses anyone else, whatever page called it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse

from gds_portal.mail import send_template_mail
from meetings import rules
from meetings.models import (
    Abstract,
    CategoryReviewer,
    Meeting,
    Review,
    ReviewAssignment,
    ReviewerReminder,
    SortingCategory,
)
from meetings.selectors.assignments import (
    assignable_abstracts,
    open_queues,
)
from meetings.selectors.reviews import conflicted_ids
from meetings.services.errors import Refused

if TYPE_CHECKING:
    from accounts.models import User

CHAIR_ONLY = "Only the program chair assigns reviewers."


def _refuse_unless_chair(
    by: User, meeting: Meeting, perm: str = "meetings.assign_reviewers"
) -> None:
    # Asked of the rule set itself: user.has_perm lets a superuser past every rule, and
    # these acts are the chair's alone.
    if not rules.rule_says(perm, by, meeting):
        raise Refused(CHAIR_ONLY if perm == "meetings.assign_reviewers" else REMIND_CHAIR_ONLY)


def spread(
    *,
    abstracts: Sequence[int],
    eligible: Mapping[int, Sequence[int]],
    kept: Mapping[int, Iterable[int]],
    load: Counter[int],
    n: int,
) -> dict[int, list[int]]:
    """The reviewers to add to each abstract so that it has `n` (pure: no database).

    `eligible[a]`: reviewers who may review `a` (its category's, conflicts left out);
    `kept[a]`: those it has already; `load`: each reviewer's current number of
    assignments, updated as they are given more. Each abstract takes its least-loaded
    eligible reviewers (ties by id, so a run is repeatable). When every reviewer may
    review every abstract, loads then never differ by more than one: the least-loaded
    are always the ones raised. The abstracts with the fewest eligible reviewers choose
    first, so conflicts spoil the balance as little as they can. An abstract with too
    few eligible reviewers gets them all: never a conflicted one to fill the gap.
    """
    added: dict[int, list[int]] = {}
    for abstract in sorted(abstracts, key=lambda a: (len(eligible.get(a, ())), a)):
        have = set(kept.get(abstract, ()))
        need = n - len(have)
        if need <= 0:
            continue
        free = [r for r in eligible.get(abstract, ()) if r not in have]
        chosen = sorted(free, key=lambda r: (load[r], r))[:need]
        for reviewer in chosen:
            load[reviewer] += 1
        if chosen:
            added[abstract] = chosen
    return added


@transaction.atomic
def category_reviewers_set(
    *,
    meeting: Meeting,
    reviewers: Mapping[SortingCategory, Iterable[User]],
    reviews_per_abstract: int,
    by: User,
) -> None:
    """Name each category's reviewers and the meeting's reviews per abstract.

    Side effects: CategoryReviewer rows added and removed to match `reviewers` (only the
    categories given); meeting.reviews_per_abstract. Assignments are not touched: the
    chair runs the assignment next (`reviewers_assign`). Refuses a non-chair, a category
    of another meeting and a reviewer outside the Program committee.
    """
    _refuse_unless_chair(by, meeting)
    if not 1 <= reviews_per_abstract <= 5:
        raise Refused("Reviews per abstract must be between 1 and 5.")
    for category, chosen in reviewers.items():
        if category.meeting_id != meeting.pk:
            raise Refused(f"{category.code} is not a category of {meeting}.")
        chosen = list(chosen)
        for reviewer in chosen:
            if not rules.rule_says("meetings.review_abstracts", reviewer):
                raise Refused(f"{reviewer} is not a member of the Program committee.")
        CategoryReviewer.objects.filter(category=category).exclude(reviewer__in=chosen).delete()
        for reviewer in chosen:
            CategoryReviewer.objects.get_or_create(
                category=category, reviewer=reviewer, defaults={"added_by": by}
            )
    Meeting.objects.filter(pk=meeting.pk).update(reviews_per_abstract=reviews_per_abstract)
    meeting.reviews_per_abstract = reviews_per_abstract


def _done(abstract_ids: Iterable[int]) -> set[tuple[int, int]]:
    return set(
        Review.objects.filter(abstract__in=list(abstract_ids)).values_list(
            "abstract_id", "reviewer_id"
        )
    )


@transaction.atomic
def reviewers_assign(
    *, meeting: Meeting, by: User, rebalance: SortingCategory | None = None
) -> int:
    """Give every open abstract of the meeting its reviews-per-abstract reviewers, from
    its category's reviewers, skipping conflicts (meetings.rules.assignment_conflict);
    returns how many assignments were added.

    Idempotent: a second run adds nothing. Kept: every done assignment (the reviewer
    has reviewed it), a review by one of the category's reviewers (recorded as a done
    assignment), and open assignments that still hold. Dropped: open assignments whose
    reviewer left the category or now has a conflict. `rebalance` (one category)
    also drops that category's open assignments first, so they are spread afresh over
    its reviewers as they are now; done reviews stay.
    Side effects: ReviewAssignment rows created and deleted. Refuses a non-chair.
    """
    _refuse_unless_chair(by, meeting)
    # One run at a time per meeting: two at once would both see a gap and fill it.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    meeting.refresh_from_db(fields=["reviews_per_abstract"])
    abstracts = list(assignable_abstracts(meeting=meeting))
    if rebalance is not None:
        if rebalance.meeting_id != meeting.pk:
            raise Refused(f"{rebalance.code} is not a category of {meeting}.")
        abstracts = [a for a in abstracts if a.category_id == rebalance.pk]
    by_category: dict[int, list[User]] = {}
    for link in CategoryReviewer.objects.filter(category__meeting=meeting).select_related(
        "reviewer"
    ):
        by_category.setdefault(link.category_id, []).append(link.reviewer)
    reviewers = {r.pk: r for rs in by_category.values() for r in rs}
    authored = {pk: conflicted_ids(meeting=meeting, user=r) for pk, r in reviewers.items()}
    done = _done(a.pk for a in abstracts)
    eligible: dict[int, list[int]] = {
        a.pk: [
            r.pk
            for r in by_category.get(a.category_id, [])
            if not rules.assignment_conflict(r, a, authored=authored[r.pk])
        ]
        for a in abstracts
    }
    current = ReviewAssignment.objects.filter(abstract__in=[a.pk for a in abstracts])
    stale = [
        x.pk
        for x in current
        if (x.abstract_id, x.reviewer_id) not in done
        and (rebalance is not None or x.reviewer_id not in eligible[x.abstract_id])
    ]
    ReviewAssignment.objects.filter(pk__in=stale).delete()
    kept: dict[int, set[int]] = {}
    for abstract_id, reviewer_id in current.values_list("abstract_id", "reviewer_id"):
        kept.setdefault(abstract_id, set()).add(reviewer_id)
    # A review by one of the category's own reviewers counts: it is recorded as done.
    for abstract_id, reviewer_id in done:
        if reviewer_id in eligible[abstract_id] and reviewer_id not in kept.get(abstract_id, ()):
            kept.setdefault(abstract_id, set()).add(reviewer_id)
            ReviewAssignment.objects.create(
                abstract_id=abstract_id, reviewer_id=reviewer_id, meeting=meeting, assigned_by=by
            )
    load = Counter(
        ReviewAssignment.objects.filter(meeting=meeting, reviewer__in=list(reviewers)).values_list(
            "reviewer_id", flat=True
        )
    )
    added = spread(
        abstracts=[a.pk for a in abstracts],
        eligible=eligible,
        kept=kept,
        load=load,
        n=meeting.reviews_per_abstract,
    )
    ReviewAssignment.objects.bulk_create(
        ReviewAssignment(abstract_id=a, reviewer_id=r, meeting=meeting, assigned_by=by)
        for a, rs in added.items()
        for r in rs
    )
    return sum(len(rs) for rs in added.values())


@transaction.atomic
def assignment_reassign(
    *, abstract: Abstract, add: User, remove: User | None, by: User
) -> ReviewAssignment:
    """Assign `abstract` to `add` instead of `remove` (None: in addition).

    Refuses, writing nothing: a non-chair; an abstract whose decision was sent or that
    is not numbered; `add` outside the Program committee, already assigned, or with a
    conflict (the reason is in the message); `remove` not assigned, or done (their
    review stays, so does the assignment).
    Side effects: one ReviewAssignment deleted, one created.
    """
    meeting = abstract.meeting
    _refuse_unless_chair(by, meeting)
    target = assignable_abstracts(meeting=meeting).filter(pk=abstract.pk).first()
    if target is None:
        raise Refused(f"{abstract.reference or 'This abstract'} takes no more reviewers.")
    if not rules.rule_says("meetings.review_abstracts", add):
        raise Refused(f"{add} is not a member of the Program committee.")
    # The refusal names authors only to whoever may see them (anonymised review).
    named = rules.rule_says("meetings.see_authors", by, meeting)
    if reason := rules.assignment_conflict(add, target, named=named):
        raise Refused(f"{add} cannot review {target.reference}: {reason}.")
    if ReviewAssignment.objects.filter(abstract=target, reviewer=add).exists():
        raise Refused(f"{add} is already assigned {target.reference}.")
    if remove is not None:
        if Review.objects.filter(abstract=target, reviewer=remove).exists():
            raise Refused(f"{remove} has reviewed {target.reference}: a done review stays.")
        deleted, _ = ReviewAssignment.objects.filter(abstract=target, reviewer=remove).delete()
        if not deleted:
            raise Refused(f"{remove} is not assigned {target.reference}.")
    return ReviewAssignment.objects.create(
        abstract=target, reviewer=add, meeting=meeting, assigned_by=by
    )


REMIND_CHAIR_ONLY = "Only the program chair reminds the reviewers."


def reviewer_reminders_send(*, meeting: Meeting, by: User) -> int:
    """Mail each reviewer with an open queue their own open count and a link to it,
    once per meeting; returns how many mails were queued (0 on a second send).

    Side effects, in one transaction: one ReviewerReminder row (one per meeting: a
    second or concurrent send finds it and sends nothing) recording who sent it and to
    how many; one "meetings/reviewer-reminder" mail per reviewer through the outbox.
    Refuses a non-chair.
    """
    _refuse_unless_chair(by, meeting, "meetings.remind_reviewers")
    with transaction.atomic():
        reminder, created = ReviewerReminder.objects.get_or_create(
            meeting=meeting, defaults={"sent_by": by}
        )
        if not created:
            return 0
        queues = open_queues(meeting=meeting)
        url = reverse("meetings:review_list", args=[meeting.slug])
        for queue in queues:
            send_template_mail(
                "meetings/reviewer-reminder",
                to=[queue.reviewer.email],
                context={
                    "meeting": meeting,
                    "reviewer": queue.reviewer,
                    "open": queue.open,
                    "queue_url": url,
                },
            )
        reminder.recipients = len(queues)
        reminder.save(update_fields=["recipients"])
    return len(queues)
