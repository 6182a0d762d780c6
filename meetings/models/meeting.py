"""Meetings and their setup: sorting categories, co-sponsors, reference numbers and
personal deadline extensions."""

import re
import zoneinfo
from datetime import datetime
from typing import Self, TypeVar

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gds_portal.search import EXACT, PROSE, trigram_index
from meetings.enums import CallState, CategoryKind, MeetingKind

CATEGORY_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
# /meetings/my/ is the member's area; a meeting may not take that slug.
RESERVED_SLUGS = {"my"}


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as America/New_York.")


def validate_category_code(value: str) -> None:
    if not CATEGORY_CODE.match(value):
        raise ValidationError(f"{value!r} is not a category code like 23.01.01.")


def validate_meeting_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(f"The address /meetings/{value}/ is reserved; choose another slug.")


# Full-text search (meetings/search.py): the name or code and title weigh more than the text.
MEETING_SEARCH_VECTOR = SearchVector("name", weight="A", config=PROSE) + SearchVector(
    "description", weight="B", config=PROSE
)
# The code ("23.01.12") is matched as written; title and description are prose.
CATEGORY_SEARCH_VECTOR = (
    SearchVector("code", weight="A", config=EXACT)
    + SearchVector("title", weight="A", config=PROSE)
    + SearchVector("description", weight="B", config=PROSE)
)


# Generic in the model, as django-stubs' QuerySet is, so rows of an annotated queryset keep
# their annotations under mypy (make lint).
_Meeting = TypeVar("_Meeting", bound="Meeting", covariant=True)


class MeetingQuerySet(models.QuerySet[_Meeting]):
    def open_for_submission(self) -> Self:
        """Meetings whose call for abstracts is open now (Meeting.call_state), soonest
        deadline first, whatever the meeting's own dates: a call may run for a meeting
        listed under last year's name (the demo's March 2021)."""
        now = timezone.now()
        return self.filter(call_opens_at__lte=now, call_closes_at__gt=now).order_by(
            "call_closes_at", "name"
        )

    def not_open_for_submission(self) -> Self:
        now = timezone.now()
        return self.exclude(call_opens_at__lte=now, call_closes_at__gt=now)

    def upcoming(self) -> Self:
        return self.filter(ends_on__gte=timezone.localdate()).order_by("starts_on", "name")

    def past(self) -> Self:
        return self.filter(ends_on__lt=timezone.localdate()).order_by("-starts_on", "name")


class Meeting(models.Model):
    """An APS meeting at which GDS sponsors sorting categories and runs a call for abstracts."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True, validators=[validate_meeting_slug])
    kind = models.CharField(max_length=10, choices=MeetingKind.choices)
    year = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    place = models.CharField(max_length=200, blank=True, help_text="City and venue.")
    is_virtual = models.BooleanField(default=False)
    time_zone = models.CharField(
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
        help_text="The call's deadline is shown in this zone (an IANA name).",
    )
    call_opens_at = models.DateTimeField()
    call_closes_at = models.DateTimeField()
    title_max_length = models.PositiveSmallIntegerField(
        default=200, validators=[MinValueValidator(10), MaxValueValidator(500)]
    )
    body_max_length = models.PositiveIntegerField(
        default=1300, help_text="Characters of the abstract body, counted as the member typed it."
    )
    program_chair = models.ForeignKey(
        "community.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The committee keeps a copy of every decision mail it sends (decisions_send): the
    # record of what each author was told, in the committee's own mailbox.
    committee_email = models.EmailField(
        "committee address",
        blank=True,
        help_text="Gets one copy of each decision mail (empty: no copy).",
    )
    invited_session_slots = models.PositiveSmallIntegerField(
        default=0,
        help_text="Each slot holds one wholly-owned session or two co-sponsored ones.",
    )
    focus_topic_threshold = models.PositiveSmallIntegerField(
        default=20, help_text="Abstracts a focus topic needs to run as a session."
    )
    # How many reviews each numbered abstract should get: the reviewer assignment
    # (meetings.services.assignments) spreads each category's abstracts to reach it.
    reviews_per_abstract = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Reviewers assigned to each abstract (usually 2 or 3).",
    )
    nominations_open_at = models.DateTimeField(
        null=True, blank=True, help_text="Invited-speaker nominations open (empty: never)."
    )
    nominations_close_at = models.DateTimeField(null=True, blank=True)
    decisions_sent_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the chair last sent decisions."
    )
    contributed_published = models.BooleanField(
        "publish accepted abstracts",
        default=False,
        help_text="Show accepted contributed abstracts by category on the meeting page.",
    )
    # Set by the chair (meetings.set_review_rules): reviewers then read no author names or
    # affiliations anywhere the committee's side shows an abstract (meetings.rules.sees_authors).
    anonymised_review = models.BooleanField(
        "anonymised review",
        default=False,
        help_text="Reviewers see no author names or affiliations (the chair still does).",
    )
    description = models.TextField(blank=True, help_text="Markdown; maths with $…$ allowed.")
    # Stored so that ranking a search hit reads it instead of re-parsing the description.
    search_vector = models.GeneratedField(
        expression=MEETING_SEARCH_VECTOR, output_field=SearchVectorField(), db_persist=True
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(call_closes_at__gt=models.F("call_opens_at")),
                name="meeting_call_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(nominations_open_at__isnull=True)
                | Q(nominations_close_at__isnull=True)
                | Q(nominations_close_at__gt=models.F("nominations_open_at")),
                name="meeting_nominations_close_after_opening",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="meeting_search_idx"),
            trigram_index("name", "meeting_name_trgm_idx"),  # "did you mean"
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"slug": self.slug})

    def get_call_url(self) -> str:
        return reverse("meetings:call", kwargs={"slug": self.slug})

    @property
    def reference_prefix(self) -> str:
        """MAR21 for the 2021 March Meeting, APR21 for April, MTG21 otherwise."""
        prefix = {MeetingKind.MARCH: "MAR", MeetingKind.APRIL: "APR"}.get(self.kind, "MTG")
        return f"{prefix}{self.year % 100:02d}"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def nominations_open(self) -> bool:
        now = timezone.now()
        return bool(
            self.nominations_open_at
            and self.nominations_open_at <= now
            and (self.nominations_close_at is None or now < self.nominations_close_at)
        )

    def call_state(self, *, closes_at: datetime | None = None) -> CallState:
        """The call's state now; `closes_at` replaces the deadline (a personal extension)."""
        now = timezone.now()
        if now < self.call_opens_at:
            return CallState.NOT_YET_OPEN
        return CallState.OPEN if now < (closes_at or self.call_closes_at) else CallState.CLOSED


class SortingCategory(models.Model):
    """A sorting category (or heading) of a meeting, e.g. 23.01.01 Big Data in Physics."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(max_length=8, validators=[validate_category_code])
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        limit_choices_to={"kind": CategoryKind.HEADING},
        help_text="The heading this category is listed under.",
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=CategoryKind.choices)
    accepts_contributed = models.BooleanField(
        "accepts contributed abstracts",
        default=True,
        help_text="Never for invitation-only categories or headings.",
    )
    cosponsors = models.ManyToManyField(
        "community.Unit", through="CategoryCosponsor", related_name="+", blank=True
    )
    description = models.TextField(blank=True, help_text="Markdown: what the category is about.")
    search_vector = models.GeneratedField(
        expression=CATEGORY_SEARCH_VECTOR, output_field=SearchVectorField(), db_persist=True
    )

    class Meta:
        ordering = ["meeting", "code"]
        verbose_name_plural = "sorting categories"
        indexes = [
            GinIndex(fields=["search_vector"], name="category_search_idx"),
            trigram_index("title", "category_title_trgm_idx"),  # "did you mean"
        ]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "code"], name="category_code_per_meeting"),
            models.CheckConstraint(
                condition=Q(accepts_contributed=False) | Q(kind__in=CategoryKind.contributed()),
                name="category_contributed_only_if_open_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        if self.accepts_contributed and self.kind not in CategoryKind.contributed():
            raise ValidationError(
                {
                    "accepts_contributed": "Invitation-only categories and headings never accept "
                    "contributed abstracts."
                }
            )
        if self.parent_id and self.parent.meeting_id != self.meeting_id:
            raise ValidationError({"parent": "The heading must belong to the same meeting."})

    @property
    def cosponsor_codes(self) -> list[str]:
        """Co-sponsoring unit codes in their listed order (prefetch `cosponsorships__unit`)."""
        return [link.unit.code for link in self.cosponsorships.all()]


class CategoryCosponsor(models.Model):
    category = models.ForeignKey(
        SortingCategory, on_delete=models.CASCADE, related_name="cosponsorships"
    )
    unit = models.ForeignKey("community.Unit", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["category", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "unit"], name="cosponsor_once_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} co-sponsors {self.category.code}"


class ReferenceCounter(models.Model):
    """The last reference number given in a meeting (meetings.services.abstracts.next_reference)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.meeting}: {self.last_number}"


class DeadlineExtension(models.Model):
    """A personal extension of a meeting's call, granted by the Program committee."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="extensions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deadline_extensions"
    )
    closes_at = models.DateTimeField(help_text="The member's own closing time.")
    reason = models.CharField(max_length=250, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "closes_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_extension_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} until {self.closes_at:%Y-%m-%d %H:%M %Z}"
