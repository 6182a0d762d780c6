from datetime import datetime, timedelta
from typing import Self, TypeVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, Value
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from accounts.enums import Role
from community.models import Person
from gds_portal.once import OneTimeToken
from gds_portal.search import trigram_index
from gds_portal.uploads import random_upload_name
from gds_portal.validators import validate_orcid
from webinars.enums import (
    OPEN_STATUSES,
    PUBLIC_STATUS,
    CommentStatus,
    InvitationState,
    NominationKind,
    NominationStatus,
    RegistrationStatus,
    ReleaseState,
    SpeakerPersonChoice,
    WebinarKind,
    WebinarState,
)
from webinars.video import Video, parse_replay_url, validate_replay_url, validate_web_link


class Topic(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True, help_text="Markdown; shown on the topic page.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("webinars:topic", kwargs={"slug": self.slug})


# No webinar lasts longer (a constraint on Webinar says so). Knowing it turns
# "has it ended?" into a range on start_at that the start_at index can answer.
MAX_DURATION = timedelta(hours=24)


def _ends_after(moment: datetime) -> Q:
    # start + duration > moment  ⇔  start > moment - duration; the first condition is
    # implied by the second and bounds the index scan to the last MAX_DURATION.
    return Q(start_at__gt=moment - MAX_DURATION) & Q(
        start_at__gt=ExpressionWrapper(Value(moment) - F("duration"), output_field=DateTimeField())
    )


# Generic in the model, as django-stubs' QuerySet is, so rows of an annotated queryset keep
# their annotations under mypy (make lint).
_Webinar = TypeVar("_Webinar", bound="Webinar", covariant=True)


class WebinarQuerySet(models.QuerySet[_Webinar]):
    def published(self) -> Self:
        return self.filter(is_published=True)

    def upcoming(self, now: datetime | None = None) -> Self:
        """Not cancelled and not over yet (a webinar in progress is still upcoming)."""
        return self.filter(_ends_after(now or timezone.now()), is_cancelled=False)

    def held(self, now: datetime | None = None) -> Self:
        return self.exclude(_ends_after(now or timezone.now())).filter(is_cancelled=False)

    def archived(self, now: datetime | None = None) -> Self:
        """Everything that is no longer upcoming: held or cancelled."""
        return self.exclude(_ends_after(now or timezone.now()), is_cancelled=False)

    def replay_public(self) -> Self:
        """Published webinars whose replay anyone may watch: the one definition (with
        `Webinar.replay_is_public`). A replay needs a recorded release (webinars.speakers)."""
        return self.published().exclude(replay_url="").filter(replay_released_at__isnull=False)


# Paths under /webinars/ that a webinar's slug would otherwise shadow.
RESERVED_SLUGS = {"nominate", "committee", "topics", "announcements"}
DURATION_TOO_LONG = "A webinar lasts at most 24 hours (1,440 minutes); split longer events."
NO_DATE = "Set the start before publishing: a published webinar needs a date."
# What a speaker signs unless the committee writes another text for the webinar.
DEFAULT_RELEASE_TEXT = (
    "I agree that the recording of this webinar, including my talk, slides and voice "
    "and image, may be published by the APS Topical Group on Data Science (GDS) on its "
    "website and video channels, free of charge, for anyone to watch."
)


class Webinar(models.Model):
    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=120, unique=True, help_text="Part of the web address.")
    kind = models.CharField(max_length=20, choices=WebinarKind.choices, default=WebinarKind.TALK)
    # Empty only on a draft whose date is not agreed yet (a constraint: a published
    # webinar has a date, so every public list, feed and page has one).
    start_at = models.DateTimeField(
        "starts at",
        db_index=True,
        null=True,
        blank=True,
        help_text="Leave empty on a draft until the date is agreed; needed to publish.",
    )
    duration = models.DurationField(default=timedelta(hours=1))
    description = models.TextField(blank=True, help_text="Markdown; maths with $…$ allowed.")
    speakers = models.ManyToManyField(
        Person, through="WebinarSpeaker", related_name="webinar_talks", blank=True
    )
    host = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_webinars",
        help_text="Host or moderator.",
    )
    topics = models.ManyToManyField(Topic, related_name="webinars", blank=True)
    registration_url = models.URLField(
        "external registration link",
        max_length=500,
        blank=True,
        validators=[validate_web_link],
        help_text="Only when people register elsewhere: leave empty to register them here.",
    )
    # Private to confirmed registrants: never on a public page, feed, sitemap or
    # search index (tests/webinars/test_join_link.py holds this).
    join_url = models.URLField(
        "join link",
        max_length=500,
        blank=True,
        validators=[validate_web_link],
        help_text="The video meeting's address; sent only to confirmed registrants.",
    )
    capacity = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Places for registrants here; when full, people join a waiting list. "
        "Empty: no limit.",
    )
    replay_url = models.URLField(
        "replay",
        max_length=500,
        blank=True,
        validators=[validate_replay_url],
        help_text="A YouTube or Vimeo video address, once the webinar has taken place.",
    )
    slides = models.FileField(
        upload_to=random_upload_name("webinar-slides"), blank=True, help_text="PDF."
    )
    slides_url = models.URLField(
        "slides link", max_length=500, blank=True, validators=[validate_web_link]
    )
    # Entered by the committee from the video host's statistics (or imported from its
    # export): the site cannot count views of a video it does not serve.
    replay_views = models.PositiveIntegerField(
        "replay views",
        null=True,
        blank=True,
        help_text="Views of the replay, from the video host's statistics. Empty: not known.",
    )
    # The recording release: the text the speakers sign (set by the committee), and
    # when the replay became publishable. Set only by webinars.speakers (every invited
    # speaker signed) or by migration 0019 for replays public before releases were
    # recorded; never in a form. No date here, no public replay (replay_is_public).
    release_text = models.TextField(
        "recording release text",
        default=DEFAULT_RELEASE_TEXT,
        help_text="What the speakers are asked to agree to before the replay is published.",
    )
    replay_released_at = models.DateTimeField("replay release recorded", null=True, blank=True)
    replay_release_note = models.CharField("release recorded as", max_length=250, blank=True)
    # The run sheet for the host and speakers (webinars.speakers.webinar_send_run_sheet):
    # the committee's notes on the order of events and contacts, and when it went (once).
    run_sheet_notes = models.TextField(
        "run sheet notes",
        blank=True,
        help_text="Order of events, contacts, anything the host and speakers need; "
        "sent as written with the run sheet.",
    )
    run_sheet_sent_at = models.DateTimeField("run sheet sent", null=True, blank=True)
    is_cancelled = models.BooleanField("cancelled", default=False)
    is_published = models.BooleanField("published", default=False)
    share_feedback_with_speakers = models.BooleanField(
        "share feedback with the speakers",
        default=True,
        help_text="Speakers with an account see the ratings (when enough people rated) and "
        "the comments the committee approved.",
    )
    # The announcement to opted-in members is claimed by setting this (webinars.
    # announcements): once per webinar, the first time it is published and upcoming.
    announced_at = models.DateTimeField("announcement sent", null=True, blank=True)
    # Title, description, speakers, host and topics; kept by services.webinar_reindex.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WebinarQuerySet.as_manager()

    class Meta:
        ordering = ["-start_at"]
        indexes = [
            models.Index(fields=["is_published", "-start_at"], name="webinar_published_start_idx"),
            GinIndex(fields=["search_vector"], name="webinar_search_idx"),
            trigram_index("title", "webinar_title_trgm_idx"),  # "did you mean"
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gt=timedelta(0)), name="webinar_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(start_at__isnull=False),
                name="webinar_published_has_a_date",
                violation_error_message=NO_DATE,
            ),
            models.CheckConstraint(
                condition=Q(duration__lte=MAX_DURATION),
                name="webinar_duration_at_most_a_day",
                violation_error_message=DURATION_TOO_LONG,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("webinars:detail", kwargs={"slug": self.slug})

    @property
    def end_at(self) -> datetime | None:
        return None if self.start_at is None else self.start_at + self.duration

    @property
    def has_ended(self) -> bool:
        """An undated draft has not ended (it has not even been given a date)."""
        end = self.end_at
        return end is not None and end <= timezone.now()

    @property
    def state(self) -> str:
        if self.is_cancelled:
            return WebinarState.CANCELLED
        return WebinarState.HELD if self.has_ended else WebinarState.UPCOMING

    def get_state_display(self) -> str:
        return WebinarState(self.state).label

    @property
    def replay_is_public(self) -> bool:
        """The replay may be shown: there is one and its release is recorded (see
        WebinarQuerySet.replay_public). Every page, feed and index asks this."""
        return bool(self.replay_url) and self.replay_released_at is not None

    @property
    def video(self) -> Video | None:
        """The public replay's player, or None: never a replay without a release."""
        if not self.replay_is_public:
            return None
        try:
            return parse_replay_url(self.replay_url)
        except ValidationError:
            return None

    @property
    def slides_link(self) -> str:
        return self.slides.url if self.slides else self.slides_url

    @property
    def duration_minutes(self) -> int:
        return int(self.duration.total_seconds() // 60)

    @property
    def registers_here(self) -> bool:
        """Registration on this site, unless the committee registers people elsewhere."""
        return not self.registration_url

    @property
    def open_for_registration(self) -> bool:
        return (
            self.registers_here
            and self.is_published
            and not self.is_cancelled
            and not self.has_ended
        )

    def clean(self):
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = f"“{self.slug}” is already a page of the site; choose another."
        if self.duration is not None and self.duration <= timedelta(0):
            errors["duration"] = "The webinar must end after it starts: give a positive duration."
        elif self.duration is not None and self.duration > MAX_DURATION:
            errors["duration"] = DURATION_TOO_LONG
        if (
            self.replay_url
            and self.start_at
            and self.duration
            and self.start_at + self.duration > timezone.now()
        ):
            errors["replay_url"] = (
                "This webinar has not happened yet; add the replay after it has taken place."
            )
        if self.is_published and self.start_at is None:
            errors["start_at"] = NO_DATE
        if errors:
            raise ValidationError(errors)


class WebinarSpeaker(models.Model):
    webinar = models.ForeignKey(Webinar, on_delete=models.CASCADE, related_name="speaker_slots")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="webinar_slots")
    talk_title = models.CharField(max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["webinar", "person"], name="webinar_speaker_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.talk_title or self.webinar}"


# A speaker nomination's voluntary answers: used only in aggregate (participation page).
VOLUNTARY_FLAGS = ("nominee_is_woman", "nominee_is_urm", "nominee_outside_us")


def _status_history(*excluded: str) -> HistoricalRecords:
    """Every save of a nomination is a version: the committee reads its status changes
    (who, from what, to what, when, why) from these (gds_portal.history). The reason is
    free text of any length, so a text field; `updated_at` would only be noise."""
    return HistoricalRecords(
        excluded_fields=["updated_at", *excluded],
        history_change_reason_field=models.TextField(null=True),
    )


def _committee_members():
    return {"groups__name": Role.WEBINAR_COMMITTEE}


class Nomination(models.Model):
    """What every kind of nomination shares: who sent it, and the committee's triage."""

    nominator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=NominationStatus.choices, default=NominationStatus.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to=_committee_members,
        help_text="The committee member looking after this.",
    )
    internal_notes = models.TextField(
        blank=True, help_text="For the committee only; never shown to the nominator."
    )
    # Unlike the internal notes, this is written to be read by the people concerned.
    # db_default: rows written by code that predates the column (the history data
    # migration 0007, replayed in tests on today's schema) still get an empty note.
    committee_note = models.TextField(
        "note in the status mail",
        blank=True,
        default="",
        db_default="",
        help_text="Optional. Sent, as written, with the mail that tells the nominator "
        "(or volunteer) the item was accepted, scheduled or declined.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def public_status(self) -> str:
        return PUBLIC_STATUS[NominationStatus(self.status)]

    @property
    def kind_label(self) -> str:
        return NominationKind(self.kind_slug).label

    @property
    def can_withdraw(self) -> bool:
        return self.status in OPEN_STATUSES


class TopicSuggestion(Nomination):
    title = models.CharField(max_length=250)
    description = models.TextField()
    why_now = models.TextField("why now", blank=True)
    suggested_speakers = models.TextField(blank=True)

    kind_slug = "topic"
    history = _status_history()

    class Meta(Nomination.Meta):
        indexes = [models.Index(fields=["status", "-created_at"], name="topicsugg_status_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("webinars:my_nomination", kwargs={"kind": "topic", "pk": self.pk})


class HostVolunteer(Nomination):
    topics = models.ManyToManyField(Topic, related_name="host_volunteers", blank=True)
    other_topics = models.TextField("other topics", blank=True)
    availability = models.TextField()

    kind_slug = "host"
    history = _status_history()

    class Meta(Nomination.Meta):
        indexes = [models.Index(fields=["status", "-created_at"], name="hostvol_status_idx")]

    def __str__(self) -> str:
        return f"Host volunteer: {self.nominator}"

    def get_absolute_url(self) -> str:
        return reverse("webinars:my_nomination", kwargs={"kind": "host", "pk": self.pk})


class SpeakerNomination(Nomination):
    # Who is nominated, in the order the form and the committee's admin show it.
    NOMINEE_FIELDS = (
        "nominee_name",
        "affiliation",
        "country",
        "email",
        "website",
        "orcid",
        "is_self_nomination",
        "nominee_may_be_contacted",
    )

    nominee_name = models.CharField(max_length=200)
    affiliation = models.CharField(max_length=250, blank=True)
    country = CountryField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(max_length=500, blank=True, validators=[validate_web_link])
    orcid = models.CharField("ORCID iD", max_length=19, blank=True, validators=[validate_orcid])
    proposed_title = models.CharField(max_length=250)
    rationale = models.TextField()
    topics = models.ManyToManyField(Topic, related_name="speaker_nominations", blank=True)
    is_self_nomination = models.BooleanField("self-nomination", default=False)
    # Only then is the nominee mailed when the nomination changes state
    # (services._status_recipients); a self-nominee is the nominator and is mailed anyway.
    nominee_may_be_contacted = models.BooleanField(
        "the nominee agreed to be contacted", default=False, db_default=False
    )
    # Set by the committee (admin actions) when the nominee's email or ORCID iD matches
    # a person of another name: the draft webinar waits until then.
    speaker_person = models.CharField(
        "speaker's person",
        max_length=20,
        choices=SpeakerPersonChoice.choices,
        blank=True,
        default="",
        db_default="",
    )
    # Voluntary; aggregate use only (participation page). Shown nowhere but the
    # nominator's own page and this nomination's admin page.
    nominee_is_woman = models.BooleanField("the nominee is a woman", default=False)
    nominee_is_urm = models.BooleanField(
        "the nominee is a member of an under-represented minority group", default=False
    )
    nominee_outside_us = models.BooleanField(
        "the nominee is based outside the United States", default=False
    )
    host_volunteer = models.ForeignKey(
        HostVolunteer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matched_nominations",
        help_text="Leave empty to match a volunteer by topic when the webinar is created.",
    )
    webinar = models.ForeignKey(
        Webinar, null=True, blank=True, on_delete=models.SET_NULL, related_name="nominations"
    )

    kind_slug = "speaker"
    # The voluntary answers stay out of the copies: they live in one row only.
    history = _status_history(*VOLUNTARY_FLAGS)

    class Meta(Nomination.Meta):
        indexes = [models.Index(fields=["status", "-created_at"], name="speakernom_status_idx")]

    def __str__(self) -> str:
        return f"{self.nominee_name}: {self.proposed_title}"

    def get_absolute_url(self) -> str:
        return reverse("webinars:my_nomination", kwargs={"kind": "speaker", "pk": self.pk})


NOMINATION_MODELS = {
    "topic": TopicSuggestion,
    "speaker": SpeakerNomination,
    "host": HostVolunteer,
}
# Any one kind of nomination, for type hints (the abstract Nomination has no manager).
AnyNomination = TopicSuggestion | SpeakerNomination | HostVolunteer


class FormToken(OneTimeToken):
    """A used nomination form's one-time token (gds_portal.once), pointing at what it made,
    so the same form sent again lands on that nomination instead of making another."""

    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True)
    made = GenericForeignKey("content_type", "object_id")


class StatusMail(models.Model):
    """That one recipient was told that one nomination reached one state.

    The unique row is the claim (webinars.services.nomination_set_status): a status
    moved back and forth mails each person about each state once, never again.
    """

    kind = models.CharField(max_length=10, choices=NominationKind.choices)
    nomination_id = models.PositiveBigIntegerField()
    status = models.CharField(max_length=20, choices=NominationStatus.choices)
    # The canonical address (accounts.identity.canonical_email): one person, one mail.
    recipient = models.CharField(max_length=254)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "nomination_id", "status", "recipient"],
                name="status_mail_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.nomination_id} {self.status} → {self.recipient}"


class SpeakerInvitation(models.Model):
    """The committee's invitation to one speaker of a (draft) webinar, and their answers.

    The speaker answers through a signed, expiring link (webinars.speakers): accept
    (with title, abstract, bio, photo and a date) or decline, then sign or refuse the
    recording release. Who answered and when are recorded; the release text is kept
    as it was when answered.
    """

    webinar = models.ForeignKey(Webinar, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    nomination = models.ForeignKey(
        SpeakerNomination,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
    )
    email = models.EmailField(max_length=254, help_text="Where the invitation goes.")
    email_key = models.CharField(max_length=254, editable=False)
    state = models.CharField(
        max_length=20, choices=InvitationState.choices, default=InvitationState.INVITED
    )
    proposed_start_at = models.DateTimeField("date the committee proposes", null=True, blank=True)
    message = models.TextField(
        "message to the speaker", blank=True, help_text="Sent with the invitation, as written."
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    # The speaker's answer.
    talk_title = models.CharField(max_length=250, blank=True)
    abstract = models.TextField(blank=True)
    bio = models.TextField("short biography", blank=True)
    photo = models.ImageField(upload_to=random_upload_name("speakers"), blank=True)
    accepts_proposed_date = models.BooleanField(null=True, blank=True)
    speaker_start_at = models.DateTimeField("date the speaker proposes", null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    # The recording release: the answer, the text answered, the name typed, when.
    release = models.CharField(
        max_length=20, choices=ReleaseState.choices, default=ReleaseState.PENDING
    )
    release_text = models.TextField("release text answered", blank=True)
    release_name = models.CharField("release answered by", max_length=200, blank=True)
    release_answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-invited_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["webinar", "person"], name="invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.webinar}"


class Registration(models.Model):
    """One person's place for one webinar: a member's or a guest's, one per address.

    The address is the person: `email_key` (accounts.identity.canonical_email) is unique
    per webinar, so a guest who later signs in as a member with the same address, or
    registers twice, holds one row. `user` only records that a member registered.
    """

    webinar = models.ForeignKey(Webinar, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254, help_text="Where the mail goes, as given.")
    email_key = models.CharField(max_length=254, editable=False)
    status = models.CharField(
        max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When the place or the turn on the waiting list was taken: the list's order.
    queued_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Each reminder is claimed by setting its column (webinars.reminders): once each.
    day_reminder_at = models.DateTimeField("24-hour reminder sent", null=True, blank=True)
    hour_reminder_at = models.DateTimeField("1-hour reminder sent", null=True, blank=True)
    # Claimed like the reminders (webinars.registration.registration_mail_cancellation).
    cancellation_mail_at = models.DateTimeField(
        "webinar cancellation mail sent", null=True, blank=True
    )
    # Set when the committee records that this registrant attended (by the platform's
    # attendance report or by hand); the attended registrants may give feedback.
    attended_at = models.DateTimeField("attended", null=True, blank=True)
    # Claimed like the reminders (webinars.feedback.feedback_send_requests): the
    # "thank you, tell us what you thought" mail goes once.
    feedback_request_at = models.DateTimeField("feedback request sent", null=True, blank=True)
    # The "replay available" mail (webinars.replays): claimed like the reminders, and
    # not sent at all once the registrant followed the "no replay mail" link.
    replay_mail_at = models.DateTimeField("replay mail sent", null=True, blank=True)
    no_replay_mail = models.BooleanField("no replay mail wanted", default=False, db_default=False)

    class Meta:
        ordering = ["queued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["webinar", "email_key"], name="registration_one_per_address"
            ),
        ]
        indexes = [
            models.Index(fields=["email_key"], name="registration_email_idx"),
            models.Index(fields=["webinar", "status", "queued_at"], name="registration_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.webinar}"

    @property
    def greeting_name(self) -> str:
        """The name a mail greets them by; "" when the registration holds only an address
        (a member without a name): mails then say "Hello," rather than "Dear ada@…,"."""
        return "" if "@" in self.name else self.name

    @property
    def is_guest(self) -> bool:
        return self.user_id is None


class Feedback(models.Model):
    """An attended registrant's rating (1 to 5) and optional comment; one per registration.

    Ratings reach speakers only in aggregate (webinars.feedback.MIN_RATINGS); a comment
    reaches them only once the Webinar committee approved it, and goes back to
    pending whenever its writer changes it.
    """

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(choices=[(n, str(n)) for n in range(1, 6)])
    comment = models.TextField(blank=True, max_length=4000)
    comment_status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name_plural = "feedback"
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]
        indexes = [
            models.Index(fields=["comment_status", "-updated_at"], name="feedback_status_idx")
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.registration.webinar}"


class AnnouncementSubscription(models.Model):
    """A member who asked to be mailed when a new webinar is scheduled (default: no row)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webinar_announcements"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "announcement subscription"

    def __str__(self) -> str:
        return f"Announcements for {self.user}"


class Participant(models.Model):
    """One address that a video platform's report lists for one webinar.

    The attendance import (webinars.attendance) writes one row per webinar and canonical
    address: an attendee, or, from a platform's registration report, someone who
    registered there and did not attend. Rows link to this site's Registration of the
    same address when there is one (and its `attended_at` is set); an address with no
    registration here is a row of its own, so people who registered on another platform
    (the webinars held before registration moved here, or a forwarded join link) count
    as the distinct people they are. The figures (webinars.figures) count people by
    canonical address across registrations and these rows.
    """

    webinar = models.ForeignKey(Webinar, on_delete=models.CASCADE, related_name="participants")
    email_key = models.CharField("address", max_length=254)
    name = models.CharField(max_length=200, blank=True)
    attended = models.BooleanField(default=True)
    minutes = models.PositiveIntegerField("minutes attended", null=True, blank=True)
    registration = models.ForeignKey(
        Registration,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "imported attendance row"
        ordering = ["webinar", "email_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["webinar", "email_key"], name="participant_one_per_address"
            ),
        ]
        indexes = [models.Index(fields=["email_key"], name="participant_email_idx")]

    def __str__(self) -> str:
        return f"{self.name or self.email_key} — {self.webinar}"
