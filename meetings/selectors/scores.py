"""The counting rule: how an abstract's reviews become its score, written once here.

A review's own number is its `weighted_score`: its single 1-5 score where the meeting has
no rubric, else the weighted mean of its criterion scores, Σ wₖ·xₖ / Σ wₖ (written by
meetings.services.reviews.review_save). The abstract's score is the confidence-weighted
mean of its reviews' numbers,

    score = Σᵣ cᵣ·sᵣ / Σᵣ cᵣ        (cᵣ: the review's confidence, 1-3)

with the spread shown as the lowest and highest review number (min to max) and the number
of reviews. Per-criterion means use the same confidence weighting. Every page, the admin
and the exports read these annotations; none computes its own average.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, ExpressionWrapper, F, FloatField, Max, Min, Sum
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast

from meetings.models import CriterionScore, RubricCriterion


def confidence_weighted(
    value: str, confidence: str, **extra: Any
) -> ExpressionWrapper[CombinedExpression]:
    """Σ confidence·value / Σ confidence over the rows aggregated (NULL when none)."""
    # Cast: a criterion's score and a confidence are integers, and PostgreSQL divides
    # integer sums as integers.
    weighted = Sum(Cast(value, FloatField()) * F(confidence), output_field=FloatField(), **extra)
    return ExpressionWrapper(
        weighted / Sum(confidence, output_field=FloatField(), **extra), output_field=FloatField()
    )


def score_annotations(prefix: str = "reviews__", **extra: Any) -> dict[str, Any]:
    """The figures of the counting rule as annotations on abstracts (or, with another
    `prefix`, on anything that reaches reviews): average_score, score_min, score_max,
    review_count. `extra` (e.g. filter=Q(...)) goes to every aggregate."""
    return {
        "average_score": confidence_weighted(
            f"{prefix}weighted_score", f"{prefix}confidence", **extra
        ),
        "score_min": Min(f"{prefix}weighted_score", **extra),
        "score_max": Max(f"{prefix}weighted_score", **extra),
        "review_count": Count(prefix.removesuffix("__"), **extra),
    }


def criterion_means(abstract_ids: Iterable[int]) -> dict[int, dict[int, float]]:
    """Each abstract's confidence-weighted mean per rubric criterion:
    {abstract pk: {criterion pk: mean}}. One query."""
    rows = (
        CriterionScore.objects.filter(review__abstract_id__in=list(abstract_ids))
        .values("review__abstract_id", "criterion_id")
        .annotate(mean=confidence_weighted("score", "review__confidence"))
        .order_by()
    )
    means: dict[int, dict[int, float]] = defaultdict(dict)
    for row in rows:
        means[row["review__abstract_id"]][row["criterion_id"]] = row["mean"]
    return dict(means)


def rubric_of(meeting_id: int) -> list[RubricCriterion]:
    return list(RubricCriterion.objects.filter(meeting_id=meeting_id).order_by("position", "pk"))


def weighted_mean(scores: dict[int, int], rubric: list[RubricCriterion]) -> float:
    """A rubric review's number: Σ wₖ·xₖ / Σ wₖ over the meeting's criteria."""
    total = sum(c.weight for c in rubric)
    return sum(c.weight * scores[c.pk] for c in rubric) / total


def spread(abstract: Any) -> str:
    """The min to max spread of an annotated abstract, for pages and exports ("" if none)."""
    if abstract.score_min is None:
        return ""
    return f"{abstract.score_min:.1f} to {abstract.score_max:.1f}"
