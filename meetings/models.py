import re
import zoneinfo
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from gds_portal.once import OneTimeToken
from meetings.enums import (
    REVIEWABLE_STATES,
    AbstractState,
    CallState,
    CategoryKind,
    FormAction,
    MeetingKind,
    NominationStatus,
    PresentationPreference,
    ReviewScore,
    SessionOwnership,
)

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
MEETING_SEARCH_VECTOR = SearchVector("name", weight="A", config="english") + SearchVector(
    "description", weight="B", config="english"
)
CATEGORY_SEARCH_VECTOR = SearchVector("code", "title", weight="A", config="english") + SearchVector(
    "description", weight="B", config="english"
)


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(ends_on__gte=timezone.localdate()).order_by("starts_on", "name")

    def past(self):
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
    invited_session_slots = models.PositiveSmallIntegerField(
        default=0,
        help_text="Each slot holds one wholly-owned session or two co-sponsored ones.",
    )
    focus_topic_threshold = models.PositiveSmallIntegerField(
        default=20, help_text="Abstracts a focus topic needs to run as a session."
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
    """The last reference number given in a meeting (see services.next_reference)."""

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


class AbstractQuerySet(models.QuerySet):
    def drafts(self):
        return self.filter(state=AbstractState.DRAFT)


class Abstract(models.Model):
    """A contributed abstract: a member's draft, then a numbered submission."""

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
    # Set by the committee's decision services (Meetings II).
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

    # The duplicate check's bookkeeping is not a change anyone made.
    history = HistoricalRecords(excluded_fields=["updated_at", "duplicates_checked_at"])
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


class AbstractReminder(models.Model):
    """One deadline reminder sent for a draft; its existence stops a second one."""

    abstract = models.OneToOneField(Abstract, on_delete=models.CASCADE, related_name="reminder")
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Reminder for {self.abstract_id} at {self.sent_at}"


# --- The Program committee's side (Meetings II) ------------------------------------


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


class SpeakerNomination(models.Model):
    """A member's nomination of an invited speaker for a meeting's GDS session."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="nominations")
    nominator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="speaker_nominations"
    )
    status = models.CharField(
        max_length=20, choices=NominationStatus.choices, default=NominationStatus.RECEIVED
    )
    nominee_name = models.CharField(max_length=200)
    nominee_affiliation = models.CharField(max_length=300)
    nominee_email = models.EmailField()
    talk_title = models.CharField("proposed talk title", max_length=300)
    rationale = models.TextField(help_text="Why this speaker, and why now.")
    tentatively_agreed = models.BooleanField(
        "the nominee has tentatively agreed to speak", default=False
    )
    alternate_1_name = models.CharField("first alternate: name", max_length=200, blank=True)
    alternate_1_affiliation = models.CharField(
        "first alternate: affiliation", max_length=300, blank=True
    )
    alternate_1_email = models.EmailField("first alternate: email", blank=True)
    alternate_2_name = models.CharField("second alternate: name", max_length=200, blank=True)
    alternate_2_affiliation = models.CharField(
        "second alternate: affiliation", max_length=300, blank=True
    )
    alternate_2_email = models.EmailField("second alternate: email", blank=True)
    session_chair = models.CharField(
        "proposed session chair", max_length=300, blank=True, help_text="Name and affiliation."
    )
    # Voluntary, and seen by the Program committee only (never in member pages, public
    # pages, exports for others, mail or logs); elsewhere only as suppressed aggregates.
    nominee_is_woman = models.BooleanField("the nominee is a woman", default=False)
    nominee_is_urm = models.BooleanField(
        "the nominee belongs to an under-represented minority group", default=False
    )
    nominee_outside_us = models.BooleanField(
        "the nominee works outside the United States", default=False
    )
    committee_notes = models.TextField(blank=True, help_text="Program committee only.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["meeting", "status"])]

    def __str__(self) -> str:
        return f"{self.nominee_name} for {self.meeting}"

    @property
    def public_status(self) -> str:
        return NominationStatus(self.status).public_label

    @property
    def alternates(self) -> list[dict]:
        return [
            {"name": name, "affiliation": affiliation, "email": email}
            for name, affiliation, email in [
                (self.alternate_1_name, self.alternate_1_affiliation, self.alternate_1_email),
                (self.alternate_2_name, self.alternate_2_affiliation, self.alternate_2_email),
            ]
            if name
        ]


class InvitedSession(models.Model):
    """An invited session of GDS at a meeting, e.g. H06 Data Science in Physics Education."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="invited_sessions")
    code = models.CharField(max_length=10, blank=True, help_text="The APS session code, e.g. H06.")
    title = models.CharField(max_length=300)
    ownership = models.CharField(max_length=12, choices=SessionOwnership.choices)
    cosponsors = models.ManyToManyField(
        "community.Unit",
        blank=True,
        related_name="+",
        help_text="The partner units of a co-sponsored session.",
    )
    chair = models.ForeignKey(
        "community.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nomination = models.ForeignKey(
        SpeakerNomination,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        help_text="The nomination the session grew from, if any.",
    )
    description = models.TextField(blank=True, help_text="Markdown.")

    class Meta:
        ordering = ["meeting", "code", "title"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    @property
    def half_slots(self) -> int:
        """Slot use in halves: a wholly-owned session fills a slot, a co-sponsored one half."""
        return 2 if self.ownership == SessionOwnership.WHOLLY_OWNED else 1


class InvitedTalk(models.Model):
    session = models.ForeignKey(InvitedSession, on_delete=models.CASCADE, related_name="talks")
    position = models.PositiveSmallIntegerField(default=0)
    speaker = models.ForeignKey("community.Person", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["session", "position", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.speaker})"
