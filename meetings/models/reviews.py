"""The Program committee's records of an abstract: reviews, likely duplicates and the
sent decision."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from meetings.enums import AbstractState, ReviewScore
from meetings.models.abstracts import Abstract
from meetings.models.meeting import Meeting


class Review(models.Model):
    """One committee member's score of one abstract; editable until its decision is sent."""

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
    score = models.PositiveSmallIntegerField(choices=ReviewScore.choices)
    comment = models.TextField(blank=True, help_text="Seen by the Program committee only.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["abstract", "created_at"]
        indexes = [models.Index(fields=["meeting", "reviewer"], name="review_meeting_reviewer")]
        constraints = [
            models.UniqueConstraint(
                fields=["abstract", "reviewer"], name="one_review_per_reviewer"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="review_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} scored {self.abstract.reference}: {self.score}"

    def save(self, *args, **kwargs):
        # A derived column, not a side effect: no query when the abstract is loaded.
        if self.meeting_id is None:
            self.meeting_id = self.abstract.meeting_id
        super().save(*args, **kwargs)


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
