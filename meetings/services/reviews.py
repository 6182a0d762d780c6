"""The Program committee's reviews of abstracts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from meetings import rules
from meetings.enums import REVIEWABLE_STATES, ReviewConfidence
from meetings.models import Abstract, CriterionScore, DecisionNotification, Review
from meetings.selectors.scores import rubric_of, weighted_mean
from meetings.services.errors import Refused, committee_refusal

if TYPE_CHECKING:
    from accounts.models import User


def review_closed(abstract: Abstract) -> bool:
    """Reviews of an abstract freeze once its decision has been mailed."""
    return DecisionNotification.objects.filter(abstract=abstract).exists()


@transaction.atomic
def review_save(
    *,
    abstract: Abstract,
    by: User,
    comment: str,
    score: int | None = None,
    criteria: dict[int, int] | None = None,
    confidence: int = ReviewConfidence.MEDIUM,
) -> Review:
    """Create or update `by`'s one review of `abstract`: a single `score` where the
    meeting has no rubric, else a 1-5 in `criteria` ({criterion pk: score}) for every
    criterion of its rubric; and the reviewer's `confidence`.

    Refuses (as the review page does: defence in depth) a reviewer outside the Program
    committee or an author of the abstract (meetings.rules.committee_may), an abstract
    not past the draft, one whose decision was sent, and scores that do not fit the
    meeting's rubric.
    Side effects: one Review row written (the unique constraint keeps it one) with its
    weighted score (meetings.selectors.scores); with a rubric, its CriterionScore rows
    replaced; `revised_after_seeing_others_at` set when an update changes the scores
    while other reviews of the abstract exist (`_note_revision`).
    """
    abstract = Abstract.objects.select_for_update().get(pk=abstract.pk)
    if not rules.committee_may("meetings.review_abstract", by, abstract):
        raise Refused(committee_refusal(by, abstract, "review"))
    if abstract.state not in REVIEWABLE_STATES:
        raise Refused(f"{abstract.get_state_display()} abstracts are not reviewed.")
    if review_closed(abstract):
        raise Refused("The decision on this abstract has been sent; reviews are closed.")
    rubric = rubric_of(abstract.meeting_id)
    criteria = criteria or {}
    if rubric:
        if score is not None or set(criteria) != {c.pk for c in rubric}:
            raise Refused("Score every criterion of the meeting's rubric.")
        weighted = weighted_mean(criteria, rubric)
    elif score is None or criteria:
        raise Refused("This meeting has no rubric: give one score from 1 to 5.")
    else:
        weighted = score
    before = _scores_of(Review.objects.filter(abstract=abstract, reviewer=by).first())
    review, _ = Review.objects.update_or_create(
        abstract=abstract,
        reviewer=by,
        defaults={
            "score": score,
            "weighted_score": weighted,
            "confidence": confidence,
            "comment": comment,
        },
    )
    if rubric:
        review.criterion_scores.all().delete()
        CriterionScore.objects.bulk_create(
            CriterionScore(review=review, criterion=c, score=criteria[c.pk]) for c in rubric
        )
    _note_revision(review, before=before, after=(score, confidence, criteria))
    return review


Scores = tuple[int | None, int, dict[int, int]]


def _scores_of(review: Review | None) -> Scores | None:
    if review is None:
        return None
    criteria = dict(review.criterion_scores.values_list("criterion_id", "score"))
    return (review.score, review.confidence, criteria)


def _note_revision(review: Review, *, before: Scores | None, after: Scores) -> None:
    """Blind until scored: from their first save on, the reviewer reads the abstract's
    other reviews. Scores changed while any exists are marked for the chair (a
    placeholder review, then a score to match the others')."""
    if before is None or before == after:
        return
    others = Review.objects.filter(abstract_id=review.abstract_id).exclude(pk=review.pk)
    if others.exists():
        review.revised_after_seeing_others_at = timezone.now()
        Review.objects.filter(pk=review.pk).update(
            revised_after_seeing_others_at=review.revised_after_seeing_others_at
        )
