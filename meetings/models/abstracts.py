"""Contributed abstracts: the abstract, its authors and affiliations, its form tokens
and its deadline reminder."""

from typing import Self, TypeVar

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from gds_portal.once import OneTimeToken
from gds_portal.search import EXACT, PROSE, trigram_index
from meetings.enums import (
    ACCEPTED_STATES,
    REVIEWABLE_STATES,
    AbstractState,
    FormAction,
    PresentationPreference,
)
from meetings.models.meeting import Meeting, SortingCategory

# Generic in the model, as django-stubs' QuerySet is, so rows of an annotated queryset keep
# their annotations under mypy (make lint).
_Abstract = TypeVar("_Abstract", bound="Abstract", covariant=True)


class AbstractQuerySet(models.QuerySet[_Abstract]):
    def drafts(self) -> Self:
        return self.filter(state=AbstractState.DRAFT)


class Abstract(models.Model):
    """A contributed abstract: a member's draft, then a numbered submission."""

    # What the author writes (and may change until a decision is sent): the fields an
    # edit is mailed for and that the author's timeline lists (services, selectors).
    AUTHOR_FIELDS = (
        "category",
        "title",
        "body",
        "presentation",
        "student_presenter",
        "funding",
        "keywords",
        "author_list",
    )

    # No index of its own: the (meeting, state) index below leads with meeting_id and
    # serves every lookup by meeting; a second one would only slow each submission.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="abstracts", db_index=False
    )
    category = models.ForeignKey(
        SortingCategory, on_delete=models.PROTECT, related_name="abstracts"
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="abstracts"
    )
    state = models.CharField(
        max_length=20, choices=AbstractState.choices, default=AbstractState.DRAFT
    )
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True, editable=False)
    title = models.CharField(max_length=500)
    body = models.TextField(help_text="Markdown; maths with $…$.")
    presentation = models.CharField(
        "presentation preference", max_length=10, choices=PresentationPreference.choices
    )
    student_presenter = models.BooleanField(default=False)
    funding = models.TextField("funding acknowledgement", blank=True)
    keywords = models.CharField(max_length=300, blank=True)
    # The authors as one line of text, rewritten by the services whenever they change,
    # so the history of this row shows author changes too.
    author_list = models.TextField(blank=True, editable=False)
    # Set by the committee's decision services (meetings.services.decisions).
    original_category = models.ForeignKey(
        SortingCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text="Where the member submitted it, when the committee moved it.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the duplicate check (services/duplicates.py) last compared the title and body
    # with the meeting's other numbered abstracts. Null: not yet, or changed since; a new
    # abstract starts null, so becoming due for the check costs its submission nothing.
    duplicates_checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    # For the site search, which finds only what the meeting page shows of an accepted
    # abstract (selectors.meetings.public_abstracts): its reference and title. The body,
    # keywords and affiliations are not public, so they are not indexed.
    search_vector = models.GeneratedField(
        expression=SearchVector("reference", weight="A", config=EXACT)
        + SearchVector("title", weight="A", config=PROSE),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    # The duplicate check's bookkeeping is not a change anyone made; the search vector
    # is derived from the title.
    history = HistoricalRecords(
        excluded_fields=["updated_at", "duplicates_checked_at", "search_vector"]
    )
    objects = AbstractQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["meeting", "state"]),
            # The admin's abstract list: the chosen meeting's, newest first (the model's
            # ordering, made total with the pk as the admin does), a page at a time.
            models.Index(fields=["meeting", "-created_at", "-id"], name="abstract_meeting_newest"),
            # The duplicate check's queue (services/duplicates.py): numbered abstracts not
            # yet compared, in the order it claims them. Small, as only what awaits the
            # check is in it, so claiming a batch reads no more than that.
            models.Index(
                fields=["-meeting_id", "id"],
                condition=Q(duplicates_checked_at__isnull=True, state__in=REVIEWABLE_STATES),
                name="abstract_duplicate_check_due",
            ),
            # The site search's: only accepted abstracts can ever be found.
            GinIndex(
                fields=["search_vector"],
                condition=Q(state__in=ACCEPTED_STATES),
                name="abstract_search_idx",
            ),
            # "Did you mean": only accepted abstracts are ever suggested.
            trigram_index(
                "title", "abstract_title_trgm_idx", condition=Q(state__in=ACCEPTED_STATES)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[AbstractState.DRAFT, AbstractState.WITHDRAWN])
                | Q(reference__isnull=False),
                name="abstract_numbered_once_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or 'Draft'} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:abstract", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.state == AbstractState.DRAFT

    @property
    def authors_category(self):
        """The category its author chose, whatever the committee's moves since (a move
        keeps the author's choice in original_category)."""
        return self.original_category or self.category

    @property
    def decision_sent(self) -> bool:
        """Its decision mail has gone out (select_related("decision_notification") makes
        this free on lists)."""
        try:
            return self.decision_notification is not None
        except ObjectDoesNotExist:
            return False

    @property
    def for_author(self):
        """The state and category its authors are shown (meetings.rules.author_view)."""
        from meetings.rules import author_view

        return author_view(self)


class Affiliation(models.Model):
    """An affiliation named on an abstract; authors who share it point at the same row."""

    abstract = models.ForeignKey(Abstract, on_delete=models.CASCADE, related_name="affiliations")
    name = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["abstract", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["abstract", "name"], name="affiliation_once_per_abstract"
            )
        ]

    def __str__(self) -> str:
        return self.name


class AbstractAuthor(models.Model):
    abstract = models.ForeignKey(Abstract, on_delete=models.CASCADE, related_name="authors")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    orcid = models.CharField("ORCID iD", max_length=19, blank=True)
    is_presenting = models.BooleanField("presenting author", default=False)
    affiliations = models.ManyToManyField(Affiliation, related_name="authors")

    class Meta:
        ordering = ["abstract", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["abstract"],
                condition=Q(is_presenting=True),
                name="one_presenting_author",
            ),
            models.UniqueConstraint(fields=["abstract", "position"], name="author_position_unique"),
        ]
        indexes = [
            # "Is the viewer an author?" (meetings.selectors.abstracts.authored_with) asks
            # this on every committee page, often several times: without the index each
            # asking read every author of every year (60,000 rows at bench scale 10).
            models.Index(Lower("email"), name="abstract_author_email_lower"),
        ]

    def __str__(self) -> str:
        return self.name


class FormToken(OneTimeToken):
    """An idempotency token (gds_portal.once): each form carries one, and a used one is
    never used again. It points at what its form made, so a replay lands there."""

    action = models.CharField(max_length=10, choices=FormAction.choices)
    abstract = models.ForeignKey(Abstract, null=True, on_delete=models.CASCADE, related_name="+")
    nomination = models.ForeignKey(
        "SpeakerNomination", null=True, on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(
        "ContributedSession", null=True, on_delete=models.CASCADE, related_name="+"
    )


class AbstractReminder(models.Model):
    """One deadline reminder sent for a draft; its existence stops a second one."""

    abstract = models.OneToOneField(Abstract, on_delete=models.CASCADE, related_name="reminder")
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Reminder for {self.abstract_id} at {self.sent_at}"
