"""The committee dashboard's figures: per-category counts and submissions over time."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from meetings.enums import ACCEPTED_STATES, REVIEWABLE_STATES, AbstractState, CategoryKind
from meetings.models import Abstract, Meeting, SortingCategory
from meetings.selectors.scores import confidence_weighted

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from accounts.models import User


class CategoryFigures(TypedDict):
    submitted: int
    withdrawn: int
    accepted: int
    rejected: int
    numbered: int  # submitted or decided, the viewer's own included
    scorable: int
    conflicts: int  # the viewer's own, left out of every other figure
    reviewed: int
    average_score: float | None
    coverage: int | None  # per cent of the scorable ones reviewed (None: none to review)
    is_focus: bool
    enough: bool  # numbered reaches the meeting's focus-topic threshold
    missing: int  # how many short of it


def category_statistics(
    *, meeting: Meeting, viewer: User
) -> list[WithAnnotations[SortingCategory, CategoryFigures]]:
    """Per contributed category: counts by state, average score and review coverage.

    Drafts are their authors' alone: they are not counted, nor are drafts withdrawn
    before submission. Every figure leaves out the abstracts `viewer` is an author of
    (conflict of interest: in a category of one, the average is its score and the
    counts its decision); `conflicts` on each row says how many were left out. The
    average is the counting rule (meetings.selectors.scores) over the category's reviews
    the viewer may read (blind until scored: those of abstracts they reviewed; the
    chair, all).
    """
    from meetings.rules import named_author_q, scores_visible_q

    mine = named_author_q(viewer, prefix="abstracts__")
    submitted = Q(abstracts__submitted_at__isnull=False) & ~mine
    scored = Q(abstracts__state__in=REVIEWABLE_STATES) & ~mine

    def in_state(*states: str) -> Count:
        return Count("abstracts", filter=submitted & Q(abstracts__state__in=states), distinct=True)

    rows = list(
        meeting.categories.filter(accepts_contributed=True)
        .annotate(
            submitted=in_state(AbstractState.SUBMITTED),
            withdrawn=in_state(AbstractState.WITHDRAWN),
            accepted=in_state(*ACCEPTED_STATES),
            rejected=in_state(AbstractState.REJECTED),
            # How many there are tells nothing of a decision: the author's own count here.
            numbered=Count(
                "abstracts",
                filter=Q(
                    abstracts__submitted_at__isnull=False,
                    abstracts__state__in=REVIEWABLE_STATES,
                ),
                distinct=True,
            ),
            scorable=Count("abstracts", filter=scored, distinct=True),
            conflicts=Count(
                "abstracts", filter=mine & Q(abstracts__submitted_at__isnull=False), distinct=True
            ),
            reviewed=Count(
                "abstracts", filter=scored & Q(abstracts__reviews__isnull=False), distinct=True
            ),
            average_score=confidence_weighted(
                "abstracts__reviews__weighted_score",
                "abstracts__reviews__confidence",
                filter=scored & scores_visible_q(viewer, prefix="abstracts__", meeting=meeting),
            ),
        )
        .order_by("code")
    )
    # What the annotations hold, and four figures more set here.
    figures = cast("list[WithAnnotations[SortingCategory, CategoryFigures]]", rows)
    for row in figures:
        row.coverage = round(100 * row.reviewed / row.scorable) if row.scorable else None
        row.is_focus = row.kind == CategoryKind.FOCUS_SESSION
        row.enough = row.numbered >= meeting.focus_topic_threshold
        row.missing = max(meeting.focus_topic_threshold - row.numbered, 0)
    return figures


def submissions_by_day(*, meeting: Meeting) -> list[tuple[date, int | None]]:
    """Cumulative submissions per day from the call's opening to its deadline, in the
    meeting's time zone (withdrawn ones count: they were submitted); days still to come
    are None. One query."""
    tz = meeting.tz
    per_day = dict(
        Abstract.objects.filter(meeting=meeting, submitted_at__isnull=False)
        .annotate(day=TruncDate("submitted_at", tzinfo=tz))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    first = timezone.localtime(meeting.call_opens_at, tz).date()
    last = max([timezone.localtime(meeting.call_closes_at, tz).date(), *per_day])
    today = timezone.localdate(timezone=tz)
    series, total, day = [], 0, first
    while day <= last:
        total += per_day.get(day, 0)
        series.append((day, total if day <= today or day in per_day else None))
        day += timedelta(days=1)
    return series
