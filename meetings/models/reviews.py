"""The Program committee's records of an abstract: reviews, likely duplicates and the
sent decision."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from meetings.enums import AbstractState, ReviewConfidence, ReviewScore
from meetings.models.abstracts import Abstract
from meetings.models.meeting import Meeting


class RubricCriterion(models.Model):
    """One weighted criterion of a meeting's rubric, scored 1-5 by each reviewer.

    Set by the chair (meetings.set_review_rules) and frozen once the meeting has a review
    (meetings.rules.is_rubric_open): a changed weight or criterion would silently change
    the meaning of scores already given. The scores hold their criterion PROTECTed, so a
    criterion that was scored cannot be deleted even past the rule. A meeting with no
    criteria keeps the single 1-5 score.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="rubric", db_index=False
    )
    name = models.CharField(max_length=100)
    description = models.TextField(
        blank=True, help_text="What reviewers judge under this criterion (plain text)."
    )
    weight = models.PositiveSmallIntegerField(
        default=1,
        help_text="1 to 10: its share of the review's score is weight / total weight.",
        validators=[
            MinValueValidator(1, "Weight must be 1 to 10."),
            MaxValueValidator(10, "Weight must be 1 to 10."),
        ],
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name_plural = "rubric criteria"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name"], name="criterion_name_per_meeting"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=10),
                name="criterion_weight_1_to_10",
                violation_error_message="Weight must be 1 to 10.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (weight {self.weight})"


class Review(models.Model):
    """One committee member's score of one abstract; editable until its decision is sent.

    `weighted_score` is the review's one number (meetings.selectors.scores): its single
    `score` where the meeting has no rubric, else its criteria's weighted mean, written
    by meetings.services.reviews.review_save with the criterion scores.
    """

    # No index of its own: the unique (abstract, reviewer) constraint's index leads with it.
    abstract = models.ForeignKey(
        Abstract, on_delete=models.CASCADE, related_name="reviews", db_index=False
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="abstract_reviews"
    )
    # The abstract's meeting, copied when the review is saved (an abstract never changes
    # meeting). "Who reviewed this meeting" is then one index range of the meeting's
    # reviews, instead of a join through every abstract of the meeting, whose rows lie
    # scattered over the whole table as the years add up.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="+", editable=False, db_index=False
    )
    # Empty where the meeting has a rubric: the criterion scores say it.
    score = models.PositiveSmallIntegerField(choices=ReviewScore.choices, null=True, blank=True)
    confidence = models.PositiveSmallIntegerField(
        choices=ReviewConfidence.choices, default=ReviewConfidence.MEDIUM
    )
    weighted_score = models.FloatField(editable=False)
    comment = models.TextField(blank=True, help_text="Seen by the Program committee only.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Blind until scored can be defeated: save a placeholder, read the others, then
    # score to match. Such an edit is not refused (a reviewer may reconsider), but the
    # chair sees it: set by review_save when the scores change while other reviews of
    # the abstract exist, which the reviewer could read since their first save.
    revised_after_seeing_others_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Last time the scores changed after the reviewer could read others' reviews.",
    )

    class Meta:
        ordering = ["abstract", "created_at"]
        indexes = [models.Index(fields=["meeting", "reviewer"], name="review_meeting_reviewer")]
        constraints = [
            models.UniqueConstraint(
                fields=["abstract", "reviewer"], name="one_review_per_reviewer"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="review_score_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(weighted_score__gte=1, weighted_score__lte=5),
                name="review_weighted_score_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=1, confidence__lte=3), name="review_confidence_1_to_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} scored {self.abstract.reference}: {self.weighted_score:.2f}"

    def save(self, *args, **kwargs):
        # A derived column, not a side effect: no query when the abstract is loaded.
        if self.meeting_id is None:
            self.meeting_id = self.abstract.meeting_id
        # A single-score review's weighted score is its score; a rubric review's is
        # written by review_save from its criteria (score empty).
        if self.score is not None:
            self.weighted_score = self.score
        super().save(*args, **kwargs)


class CriterionScore(models.Model):
    """One review's 1-5 on one criterion of its meeting's rubric."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="criterion_scores", db_index=False
    )
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(choices=ReviewScore.choices)

    class Meta:
        ordering = ["review", "criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="criterion_scored_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="criterion_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class LikelyDuplicate(models.Model):
    """Two numbered abstracts of one meeting whose titles or bodies are alike.

    Written only by the duplicate check (services/duplicates.py), once in each direction,
    so an abstract's flags are one range of the unique (abstract, other) index and the
    committee's pages read them without comparing anything.
    """

    # No foreign-key constraints in the database: checking one takes a KEY SHARE lock on
    # the abstract, so the worker writing a pair would wait for whoever holds either
    # abstract FOR UPDATE (a member's edit, a committee decision), and could deadlock with
    # a decision that waits for the abstracts the worker has claimed. Django still deletes
    # the pairs with their abstract (on_delete), and the committee's read joins both.
    abstract = models.ForeignKey(
        Abstract,
        on_delete=models.CASCADE,
        related_name="likely_duplicates",
        db_constraint=False,
        db_index=False,  # the unique (abstract, other) index leads with it
    )
    other = models.ForeignKey(
        Abstract, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    similarity = models.FloatField(help_text="Trigram similarity of title or body, 0 to 1.")

    class Meta:
        ordering = ["abstract", "-similarity"]
        constraints = [
            models.UniqueConstraint(fields=["abstract", "other"], name="likely_duplicate_once"),
            models.CheckConstraint(
                condition=~Q(abstract=models.F("other")), name="likely_duplicate_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.abstract_id} is like {self.other_id} ({self.similarity:.2f})"


class DecisionNotification(models.Model):
    """The one decision mail of an abstract: its row is what makes sending happen once."""

    abstract = models.OneToOneField(
        Abstract, on_delete=models.CASCADE, related_name="decision_notification"
    )
    state = models.CharField(
        "decision sent", max_length=20, choices=AbstractState.choices, editable=False
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Decision on {self.abstract.reference} sent {self.sent_at:%Y-%m-%d}"
