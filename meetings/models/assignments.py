"""Who reviews what: the chair's reviewers per sorting category, the abstracts assigned
to each of them, and the one reminder to reviewers with open queues."""

from django.conf import settings
from django.db import models

from meetings.models.abstracts import Abstract
from meetings.models.meeting import Meeting, SortingCategory


class CategoryReviewer(models.Model):
    """A Program-committee member the chair named to review one sorting category.

    A reviewer may cover several categories (one row each); the assignment spreads a
    category's abstracts over its reviewers only (meetings.services.assignments).
    """

    category = models.ForeignKey(
        SortingCategory, on_delete=models.CASCADE, related_name="reviewer_links"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_categories"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "reviewer"]
        constraints = [
            models.UniqueConstraint(fields=["category", "reviewer"], name="category_reviewer_once")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} reviews {self.category.code}"


class ReviewAssignment(models.Model):
    """One abstract in one reviewer's queue. "Done" is not stored: it is the reviewer's
    Review of the abstract existing, so it can never disagree with the review."""

    abstract = models.ForeignKey(
        Abstract, on_delete=models.CASCADE, related_name="assignments", db_index=False
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments"
    )
    # The abstract's meeting, copied (as Review does): a reviewer's queue in a meeting is
    # one index range.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="+", editable=False, db_index=False
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["abstract", "reviewer"]
        indexes = [models.Index(fields=["meeting", "reviewer"], name="assignment_meeting_reviewer")]
        constraints = [
            models.UniqueConstraint(fields=["abstract", "reviewer"], name="assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.abstract.reference} assigned to {self.reviewer}"

    def save(self, *args, **kwargs):
        # A derived column, not a side effect (as Review.meeting).
        if self.meeting_id is None:
            self.meeting_id = self.abstract.meeting_id
        super().save(*args, **kwargs)


class ReviewerReminder(models.Model):
    """The one reminder mail round to reviewers with open queues: its row (one per
    meeting) is what makes a second send send nothing."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="reviewer_reminder"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"Reviewer reminder for {self.meeting} ({self.recipients} sent)"
