"""Reads of who reviews what: the abstracts still taking reviewers, each reviewer's
queue, the assignment page's overview, coverage for the dashboard and the reminder's
recipients. Every read here has a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from meetings.enums import REVIEWABLE_STATES
from meetings.models import Abstract, CategoryReviewer, Meeting, Review, ReviewAssignment
from meetings.selectors.abstracts import authors_prefetch

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from accounts.models import User


class Done(TypedDict):
    done: bool  # the reviewer has reviewed the assigned abstract


def committee_members() -> QuerySet[User]:
    """Active accounts in the Program committee: whom the chair may name as reviewers
    (the services check each one's perm too)."""
    from django.contrib.auth import get_user_model

    from accounts.enums import Role

    return (
        get_user_model()
        .objects.filter(groups__name=Role.PROGRAM_COMMITTEE, is_active=True)
        .order_by("full_name", "email")
    )


def assignable_abstracts(*, meeting: Meeting) -> QuerySet[Abstract]:
    """Numbered abstracts whose decision mail has not gone (reviews still open), with
    their category and authors (and the authors' affiliations, for conflicts)."""
    return (
        Abstract.objects.filter(
            meeting=meeting, state__in=REVIEWABLE_STATES, decision_notification__isnull=True
        )
        .select_related("category")
        .prefetch_related(authors_prefetch())
        .order_by("category__code", "reference")
    )


def _with_done(
    assignments: QuerySet[ReviewAssignment],
) -> QuerySet[WithAnnotations[ReviewAssignment, Done]]:
    """Each assignment's `done`: its reviewer has reviewed its abstract."""
    reviewed = Review.objects.filter(
        abstract=OuterRef("abstract_id"), reviewer=OuterRef("reviewer_id")
    )
    return assignments.annotate(done=Exists(reviewed))


def _open_assignments(*, meeting: Meeting) -> QuerySet[WithAnnotations[ReviewAssignment, Done]]:
    return _with_done(
        ReviewAssignment.objects.filter(
            meeting=meeting,
            abstract__state__in=REVIEWABLE_STATES,
            abstract__decision_notification__isnull=True,
        )
    ).filter(done=False)


def my_queue(*, meeting: Meeting, reviewer: User) -> list[Abstract]:
    """The abstracts assigned to `reviewer` that they have not reviewed yet and may still
    review, by category and reference. Never one they are an author of, should they
    have been added as an author since it was assigned. Two queries (with the user's
    verified addresses, remembered for the request)."""
    from meetings.rules import named_author_q

    assigned = _open_assignments(meeting=meeting).filter(reviewer=reviewer)
    return list(
        Abstract.objects.filter(pk__in=assigned.values("abstract_id"))
        .exclude(named_author_q(reviewer))
        .select_related("category")
        .order_by("category__code", "reference")
    )


def next_in_queue(*, meeting: Meeting, reviewer: User) -> Abstract | None:
    queue = my_queue(meeting=meeting, reviewer=reviewer)
    return queue[0] if queue else None


@dataclass
class ReviewerQueue:
    reviewer: User
    open: int


def open_queues(*, meeting: Meeting) -> list[ReviewerQueue]:
    """Reviewers with open assignments in the meeting and how many each has. Two queries."""
    from django.contrib.auth import get_user_model

    counts: dict[int, int] = {}
    for reviewer_id in _open_assignments(meeting=meeting).values_list("reviewer_id", flat=True):
        counts[reviewer_id] = counts.get(reviewer_id, 0) + 1
    users = get_user_model().objects.filter(pk__in=list(counts)).order_by("full_name", "email")
    return [ReviewerQueue(user, counts[user.pk]) for user in users]


@dataclass
class CategoryCoverage:
    code: str
    title: str
    abstracts: int = 0
    needed: int = 0
    assigned: int = 0
    done: int = 0

    @property
    def gap(self) -> int:
        return max(self.needed - self.assigned, 0)


@dataclass
class ReviewerLoad:
    name: str
    assigned: int = 0
    done: int = 0

    @property
    def open(self) -> int:
        return self.assigned - self.done


@dataclass
class Coverage:
    categories: list[CategoryCoverage]
    reviewers: list[ReviewerLoad]
    left_out: int  # the viewer's own abstracts, not counted (conflict of interest)


def coverage(*, meeting: Meeting, viewer: User) -> Coverage:
    """Per category: abstracts still open to review, reviews needed, assigned and done,
    and the gap; per reviewer: assigned, done and open. The viewer's own abstracts are
    left out of every figure (as the dashboard's other figures): how many reviews one
    has tells its author something. Three queries."""
    from meetings.rules import named_author_q

    scope = Abstract.objects.filter(
        meeting=meeting, state__in=REVIEWABLE_STATES, decision_notification__isnull=True
    )
    own = set(scope.filter(named_author_q(viewer)).values_list("pk", flat=True))
    n = meeting.reviews_per_abstract
    by_code: dict[int, CategoryCoverage] = {}
    for category_id, code, title, pk in scope.order_by("category__code").values_list(
        "category_id", "category__code", "category__title", "pk"
    ):
        row = by_code.setdefault(category_id, CategoryCoverage(code, title))
        if pk not in own:
            row.abstracts += 1
            row.needed += n
    loads: dict[int, ReviewerLoad] = {}
    assignments = _with_done(
        ReviewAssignment.objects.filter(abstract__in=scope).exclude(abstract__in=own)
    ).order_by("reviewer__full_name", "reviewer__email")
    for category_id, reviewer_id, name, email, done in assignments.values_list(
        "abstract__category_id", "reviewer_id", "reviewer__full_name", "reviewer__email", "done"
    ):
        load = loads.setdefault(reviewer_id, ReviewerLoad(name or email))
        load.assigned += 1
        load.done += done
        if category_id in by_code:
            by_code[category_id].assigned += 1
            by_code[category_id].done += done
    return Coverage(list(by_code.values()), list(loads.values()), len(own))


@dataclass
class Skipped:
    reviewer: User
    reason: str


@dataclass
class AbstractAssignments:
    abstract: Abstract
    assigned: list[tuple[User, bool]] = field(default_factory=list)  # (reviewer, done)
    skipped: list[Skipped] = field(default_factory=list)
    gap: int = 0


@dataclass
class CategoryAssignments:
    category: object
    reviewers: list[User]
    abstracts: list[AbstractAssignments]

    @property
    def gaps(self) -> int:
        return sum(a.gap for a in self.abstracts)


def assignment_overview(*, meeting: Meeting, viewer: User) -> list[CategoryAssignments]:
    """The assignment page: each contributed category with its reviewers and each open
    abstract's assigned reviewers (done or not), the category reviewers it skipped with
    the reason (meetings.rules.assignment_conflict) and its gap. The viewer's own
    abstracts are not listed (conflict of interest). Queries: a fixed few plus one per
    reviewer named (their authorship). Under anonymised review a viewer who may not see
    authors (meetings.see_authors) reads each skip's reason as "conflict" alone: "author"
    or "same affiliation as <name>" would tell them who wrote the abstract."""
    from meetings.rules import assignment_conflict, named_author_q, rule_says
    from meetings.selectors.reviews import conflicted_ids

    links = CategoryReviewer.objects.filter(category__meeting=meeting).select_related("reviewer")
    by_category: dict[int, list[User]] = {}
    for link in links.order_by("reviewer__full_name", "reviewer__email"):
        by_category.setdefault(link.category_id, []).append(link.reviewer)
    reviewers = {r.pk: r for rs in by_category.values() for r in rs}
    authored = {pk: conflicted_ids(meeting=meeting, user=r) for pk, r in reviewers.items()}
    assignments = Prefetch(
        "assignments",
        queryset=_with_done(ReviewAssignment.objects.select_related("reviewer")).order_by(
            "reviewer__full_name", "reviewer__email"
        ),
    )
    abstracts = assignable_abstracts(meeting=meeting).exclude(named_author_q(viewer))
    named = rule_says("meetings.see_authors", viewer, meeting)
    grouped: dict[int, list[AbstractAssignments]] = {}
    for abstract in abstracts.prefetch_related(assignments):
        row = AbstractAssignments(abstract)
        # Each prefetched assignment carries `done` (_with_done); the stubs see the model.
        row.assigned = [(x.reviewer, x.done) for x in abstract.assignments.all()]  # type: ignore[attr-defined]
        for reviewer in by_category.get(abstract.category_id, []):
            mine = authored[reviewer.pk]
            if reason := assignment_conflict(reviewer, abstract, authored=mine, named=named):
                row.skipped.append(Skipped(reviewer, reason))
        row.gap = max(meeting.reviews_per_abstract - len(row.assigned), 0)
        grouped.setdefault(abstract.category_id, []).append(row)
    return [
        CategoryAssignments(c, by_category.get(c.pk, []), grouped.get(c.pk, []))
        for c in meeting.categories.filter(accepts_contributed=True).order_by("code")
    ]
