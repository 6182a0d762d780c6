"""Offices, terms, elections, nominations, the voter roll, ballots and results.

Ballot secrecy is a property of these tables (docs/elections.md, "Secrecy"):
`Voter` (who may vote and whether they have) and `Ballot` / `CountedTracker`
(what was voted) share no key, no timestamp and no ordering. Nothing here may
ever add a foreign key, a timestamp or a sequential id between the two sides;
tests/elections/test_secrecy.py tries every join their columns offer.
"""

import unicodedata
import uuid
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Self, TypeVar

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from community.models import Person
from elections.enums import CandidacyStatus, CountingRule, ElectionPhase, TieRule, TrackerPolicy
from gds_portal.once import OneTimeToken
from gds_portal.uploads import random_upload_name

if TYPE_CHECKING:
    from accounts.models import User

STATEMENT_MAX_LENGTH = 2500
HANDOVER_MAX_LENGTH = 10000
# Between nominations closing and voting opening the executive committee approves and
# publishes the slate: answers are final only at the close, the slate is fixed once voting
# opens, and voting does not open without a published slate. With no gap the slate can
# never be published. A day is the least in which a committee spread over time zones can
# meet and act; the guide (docs/elections.md) suggests a week.
SLATE_WINDOW_MIN = timedelta(days=1)


# Format (U+200B zero-width space, U+2060 word joiner …), control and separator
# characters show nothing on the ballot.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})


def has_visible_text(text: str) -> bool:
    """Whether `text` shows at least one character: a statement or name of zero-width
    spaces alone is empty to a voter (outside probe 3, F5)."""
    return any(
        not ch.isspace() and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES for ch in text
    )


def shown_name(*, person: Person | None = None, user: "User | None" = None) -> str:
    """The one name elections shows for a candidate or an office holder.

    The public profile's name; else the account's full name (the account of `user`,
    or the one linked to `person`); else the part of the address before the @, which
    is the name results_publish gives the profile it makes for a winner who has none
    (community's person_find_or_create gets it from there), so a member is called the
    same on the ballot, in the results and on the Officers page. Never blank.
    """
    if person is not None and person.name.strip():
        return person.name
    if user is None and person is not None and person.user_id:
        user = person.user
    if user is not None:
        return user.full_name.strip() or user.email.split("@")[0]
    return "Name not given"


# Every fixed word of elections/urls.py that sits where an election's slug goes
# (/elections/<slug>/…) or after it: an election called "officers" would be hidden
# behind the Officers page, and one called "ballot" would make addresses that read like
# another page's (outside probe 3, F4). tests/elections/test_probe_findings_3.py checks
# this set against the URL patterns.
# ("calendar.ics", "audit.json" and "ballots.csv" hold a dot, which no slug can.)
RESERVED_SLUGS = frozenset(
    {"officers", "handover", "nominate", "answer", "ballot", "results", "ballots"}
)


def validate_election_slug(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(
            "“%(slug)s” is a word the site uses in election addresses (%(reserved)s); "
            "an election with it would be hidden behind another page. Choose another slug, "
            "such as “fall-2030”.",
            params={"slug": value, "reserved": ", ".join(sorted(RESERVED_SLUGS))},
            code="reserved",
        )


class Office(models.Model):
    """A post on the executive committee (Chair, Secretary/Treasurer …); editable."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    order = models.PositiveSmallIntegerField(default=100, help_text="Place on the Officers page.")
    seats = models.PositiveSmallIntegerField(
        default=1, help_text="How many people hold it at once (e.g. 3 members-at-large)."
    )
    roles = ArrayField(
        models.CharField(max_length=40, choices=Role.choices),
        default=list,
        blank=True,
        help_text="Committee roles a holder is given for the length of a term.",
    )
    description = models.TextField(blank=True, help_text="Markdown; what the office does.")

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gte=1),
                name="office_seats_at_least_one",
                violation_error_message="An office has at least one seat.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("elections:officers") + f"#{self.slug}"


# Generic in the model, as django-stubs' QuerySet is, so rows of an annotated queryset keep
# their annotations under mypy (make lint).
_Term = TypeVar("_Term", bound="Term", covariant=True)


class TermQuerySet(models.QuerySet[_Term]):
    def current(self, today: date | None = None) -> Self:
        """Terms that have started and not ended (an end date is the last day served)."""
        today = today or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today)


class Term(models.Model):
    """A person holds an office from a start date to an end date (both days included)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="terms")
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="office_terms",
        help_text="The holder. Roles and access (the ombudsman's concerns) come through the "
        "person's linked member account: a person without one holds the office on the "
        "Officers page only and grants nobody access.",
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Last day; empty if open-ended.")
    title = models.CharField(
        max_length=120,
        blank=True,
        help_text="Shown instead of the office name, e.g. Founding chair.",
    )
    election = models.ForeignKey(
        "Election", null=True, blank=True, on_delete=models.SET_NULL, related_name="terms"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # For an office that gives access (gds_portal.offices.guard): the term whose
    # appointment ended this one the day before it started, and this term's last day
    # before that. Deleting or moving that term (allowed only before it starts) puts
    # the last day back. Empty for a term nothing ended.
    ended_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="terms_ended",
    )
    ends_on_before_ended = models.DateField(null=True, blank=True, editable=False)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["office__order", "-starts_on"]
        indexes = [models.Index(fields=["office", "-starts_on"], name="term_office_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="term_ends_after_it_starts",
                violation_error_message="A term must end on or after the day it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.person_name}"

    def clean(self) -> None:
        # Checked here, not only by the constraint: the admin's change form of a
        # started term shows the first day read-only, and Django validates constraints
        # over the form's fields only, so the database would have answered with a 500.
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {
                    "ends_on": f"The last day ({self.ends_on:%d %B %Y}) is before the first "
                    f"({self.starts_on:%d %B %Y}); a term ends on or after the day it starts."
                }
            )
        if self.office_id and self.starts_on:
            from elections.guarded import term_refused

            if refusal := term_refused(self):
                raise refusal

    @property
    def person_name(self) -> str:
        return shown_name(person=self.person)

    @property
    def label(self) -> str:
        """E.g. "Founding chair", or "Chair 2020-2021" (with an en dash) from the years."""
        if self.title:
            return self.title
        years = str(self.starts_on.year)
        if self.ends_on and self.ends_on.year != self.starts_on.year:
            years += f"\u2013{self.ends_on.year}"
        return f"{self.office.name} {years}"

    def is_current(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)


class RoleGrant(models.Model):
    """A committee role the term sync gave a holder, and when it was withdrawn.

    The sync withdraws only what it granted: a role the member already had (given
    by the executive committee for another reason) is recorded as `held_before`
    and left alone when the term ends.
    """

    term = models.ForeignKey(Term, null=True, on_delete=models.SET_NULL, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=40, choices=Role.choices)
    held_before = models.BooleanField(default=False)
    granted_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "role"],
                condition=Q(withdrawn_on__isnull=True),
                name="rolegrant_one_open_per_term_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} for {self.user}"


class HandoverNote(models.Model):
    """Notes one holder leaves the next; private to the office's current holders."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="handover_notes")
    author = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="handover_notes"
    )
    text = models.TextField(max_length=HANDOVER_MAX_LENGTH, help_text="Markdown.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Handover note for {self.office}"


_Election = TypeVar("_Election", bound="Election", covariant=True)

NOMINATIONS_FIXED = (
    "Fixed once the voter roll is frozen: moved then, it would reopen nominations and "
    "answers, and so change the slate, while members vote."
)


class ElectionQuerySet(models.QuerySet[_Election]):
    def announced(self) -> Self:
        return self.filter(is_announced=True)

    def nominations_open(self, now: datetime | None = None) -> Self:
        now = now or timezone.now()
        return self.announced().filter(nominations_open_at__lte=now, nominations_close_at__gt=now)

    def voting_open(self, now: datetime | None = None) -> Self:
        now = now or timezone.now()
        return self.announced().filter(voting_open_at__lte=now, voting_close_at__gt=now)


class Election(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=120,
        unique=True,
        validators=[validate_election_slug],
        help_text="Part of the web address. Not a word the site uses there (officers, "
        "ballot, results …).",
    )
    description = models.TextField(blank=True, help_text="Markdown; maths with $…$ allowed.")
    is_announced = models.BooleanField(
        "announced", default=False, help_text="Shown on the site (the windows apply from then)."
    )
    nominations_open_at = models.DateTimeField(help_text=NOMINATIONS_FIXED)
    nominations_close_at = models.DateTimeField(help_text=NOMINATIONS_FIXED)
    voting_open_at = models.DateTimeField(help_text="The voter roll is frozen at this moment.")
    voting_close_at = models.DateTimeField()
    eligibility_cutoff = models.DateField(
        help_text="Members whose account was opened by the end of this day (in the site's "
        "time zone) and whose address is verified when the roll is frozen may vote."
    )
    term_starts_on = models.DateField(help_text="First day of the terms being elected.")
    term_ends_on = models.DateField(help_text="Last day of the terms being elected.")
    tracker_policy = models.CharField(
        max_length=20, choices=TrackerPolicy.choices, default=TrackerPolicy.LIST_ONLY
    )
    tie_rule = models.CharField(
        max_length=20,
        choices=TieRule.choices,
        default=TieRule.BACKWARDS_THEN_LOT,
        help_text="For ranked counts; a “vote for up to K” count has one round and draws "
        "lots at once. The lot's seed is the hash of the ballot list, published with "
        "the results.",
    )
    # The committee's steps, in order; each is set by one service.
    slate_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    roll_frozen_at = models.DateTimeField(null=True, blank=True, editable=False)
    roll_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # When the first reminders went out: the second waits a sixth of the window after it
    # (elections.services.voting.reminder_due). The election's, never a voter's.
    first_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    sealed_at = models.DateTimeField(null=True, blank=True, editable=False)
    counted_at = models.DateTimeField(null=True, blank=True, editable=False)
    ballot_hash = models.CharField(max_length=64, blank=True, editable=False)
    ballot_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    results_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ElectionQuerySet.as_manager()

    class Meta:
        ordering = ["-voting_open_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nominations_open_at__lt=models.F("nominations_close_at"))
                & Q(nominations_close_at__lte=models.F("voting_open_at"))
                & Q(voting_open_at__lt=models.F("voting_close_at")),
                name="election_windows_in_order",
                violation_error_message=(
                    "Nominations must open, then close, then voting open, then close, in order."
                ),
            ),
            models.CheckConstraint(
                condition=Q(term_starts_on__lte=models.F("term_ends_on")),
                name="election_term_in_order",
                violation_error_message="The term must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("elections:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.roll_frozen_at:
            return  # the windows are fixed once the roll is frozen (the admin shows them read-only)
        closes, opens = self.nominations_close_at, self.voting_open_at
        errors = {}
        if closes and opens and opens - closes < SLATE_WINDOW_MIN:
            errors["voting_open_at"] = (
                "Voting must open at least one day after nominations close: in between, "
                "the executive committee approves and publishes the slate, and voting "
                "cannot open without it."
            )
        cutoff = self.eligibility_cutoff
        if cutoff and opens and cutoff > timezone.localdate(opens):
            # The roll is frozen when voting opens: a later cut-off would promise a vote
            # to members who join after the freeze, and the roll cannot take them.
            errors["eligibility_cutoff"] = (
                "The eligibility cut-off must be on or before the day voting opens: the "
                "voter roll is frozen at that moment, and members who join later cannot "
                "be added to it."
            )
        if errors:
            raise ValidationError(errors)

    def phase(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if not self.is_announced:
            return ElectionPhase.DRAFT
        if self.results_published_at:
            return ElectionPhase.PUBLISHED
        if now >= self.voting_open_at and not self.roll_frozen_at and self.voting_blocked_because():
            # The scheduler's own rule (roll_freeze): a published slate with nobody left on
            # it holds voting as surely as an unpublished one (outside probe 2, F4).
            return ElectionPhase.HELD
        if now >= self.voting_close_at:
            return ElectionPhase.COUNTING
        if now >= self.voting_open_at:
            return ElectionPhase.VOTING
        if now >= self.nominations_close_at:
            return ElectionPhase.SLATE
        if now >= self.nominations_open_at:
            return ElectionPhase.NOMINATIONS
        return ElectionPhase.ANNOUNCED

    def voting_blocked_because(self) -> str | None:
        """Why voting cannot open, in words for the committee; None when it can.

        Voting opens (the roll is frozen) only on a published slate with at least one
        candidate on it: otherwise members would get an empty ballot. An office with no
        candidate does not hold the others up; it is counted with no winner
        (selectors.offices_without_candidates tells the committee). One rule for the
        scheduler, the ballot and every page's phase.
        """
        if self.slate_approved_at is None:
            return "the slate has not been published"
        if not Candidacy.objects.on_ballot().filter(contest__election=self).exists():
            return "no candidate is on the slate"
        return None

    def get_phase_display(self) -> str:
        return ElectionPhase(self.phase()).label

    @property
    def trackers_on_ballots(self) -> bool:
        return self.tracker_policy == TrackerPolicy.ON_BALLOTS


class Contest(models.Model):
    """One office to fill in an election: how many seats and how votes are counted."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="contests")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="contests")
    seats = models.PositiveSmallIntegerField(default=1)
    rule = models.CharField(
        max_length=20, choices=CountingRule.choices, default=CountingRule.UP_TO_K
    )
    max_marks = models.PositiveSmallIntegerField(
        "K (most candidates a voter may mark)",
        null=True,
        blank=True,
        help_text="For “vote for up to K”; empty means as many as there are seats.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "office__order", "pk"]
        verbose_name = "office to fill"
        verbose_name_plural = "offices to fill"
        constraints = [
            models.UniqueConstraint(fields=["election", "office"], name="contest_office_once"),
            models.CheckConstraint(
                condition=Q(seats__gte=1),
                name="contest_seats_at_least_one",
                violation_error_message="An office to fill needs at least one seat.",
            ),
            models.CheckConstraint(
                condition=Q(max_marks__isnull=True) | Q(max_marks__gte=1),
                name="contest_max_marks_positive",
                violation_error_message=(
                    "“Vote for up to K”: K must be at least 1, or left empty for as many "
                    "as there are seats."
                ),
            ),
        ]

    def __str__(self) -> str:
        seats = f" ({self.seats} seats)" if self.seats > 1 else ""
        return f"{self.office.name}{seats}"

    @property
    def marks_allowed(self) -> int:
        return self.max_marks or self.seats

    @property
    def is_ranked(self) -> bool:
        return self.rule == CountingRule.RANKED


_Candidacy = TypeVar("_Candidacy", bound="Candidacy", covariant=True)


class CandidacyQuerySet(models.QuerySet[_Candidacy]):
    def on_ballot(self) -> Self:
        """Accepted by the nominee and approved by the committee."""
        return self.filter(status=CandidacyStatus.ACCEPTED, is_approved=True)


class Candidacy(models.Model):
    """A member nominated for one office in one election, however many nominated them."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="candidacies")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="candidacies"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="candidacies"
    )
    status = models.CharField(
        max_length=10, choices=CandidacyStatus.choices, default=CandidacyStatus.ASKED
    )
    statement = models.TextField(
        max_length=STATEMENT_MAX_LENGTH, blank=True, help_text="Markdown; maths with $…$ allowed."
    )
    photo = models.ImageField(upload_to=random_upload_name("candidates"), blank=True)
    is_approved = models.BooleanField("on the slate", default=False)
    # Fixed by candidacy_set_approved when the candidacy is put on the slate: the name
    # read live from the account or profile let a candidate rename themself during the
    # vote ("Alice (WITHDRAWN - vote X instead)") on the ballot, results and audit
    # bundle (outside probe 3, F2).
    ballot_name = models.CharField(
        max_length=300,
        blank=True,
        editable=False,
        help_text="The name on the ballot, fixed when the candidacy is put on the slate.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = CandidacyQuerySet.as_manager()

    class Meta:
        ordering = ["contest", "person__name", "pk"]
        verbose_name_plural = "candidacies"
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="candidacy_once_per_office")
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.contest.office.name}"

    @property
    def name(self) -> str:
        """The fixed ballot name once on the slate; until then the live display name."""
        if self.is_approved and self.ballot_name:
            return self.ballot_name
        return shown_name(person=self.person if self.person_id else None, user=self.user)


class Nomination(models.Model):
    """One member's nomination of a candidate. The nominator sees only that it was received."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="nominations")
    nominator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="election_nominations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "nominator"], name="nomination_once_per_nominator"
            )
        ]

    def __str__(self) -> str:
        return f"Nomination for {self.candidacy.contest.office.name}"


class FormToken(OneTimeToken):
    """A used nomination or handover form (gds_portal/once.py)."""

    nomination = models.ForeignKey(Nomination, null=True, on_delete=models.CASCADE)
    note = models.ForeignKey(HandoverNote, null=True, on_delete=models.CASCADE)


# --- The two sides of a secret ballot: nothing may join them ----------------------


class Voter(models.Model):
    """The frozen voter roll: who may vote, and whether they have (turnout, reminders).

    No timestamp: when someone voted is not recorded anywhere.
    """

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    has_voted = models.BooleanField(default=False)
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "user"], name="voter_once_per_election"),
            models.CheckConstraint(
                condition=Q(reminders_sent__lte=2), name="voter_at_most_two_reminders"
            ),
        ]

    def __str__(self) -> str:
        return f"Voter in {self.election_id}"


class Ballot(models.Model):
    """What one voter chose. A random primary key, no time, nothing about the voter.

    `marks` maps each contest's id (as text) to candidacy ids: the marked ones for
    "up to K", in order of preference for ranked contests.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    tracker = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001 -- NULL: LIST_ONLY
    marks = models.JSONField(default=dict)

    class Meta:
        ordering = ["id"]  # random: reveals nothing
        constraints = [
            models.UniqueConstraint(fields=["election", "tracker"], name="ballot_tracker_unique")
        ]

    def __str__(self) -> str:
        return f"Ballot {self.id}"


class CountedTracker(models.Model):
    """A tracker published apart from the ballots (TrackerPolicy.LIST_ONLY)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="trackers")
    tracker = models.CharField(max_length=32)

    class Meta:
        ordering = ["tracker"]
        constraints = [
            models.UniqueConstraint(fields=["election", "tracker"], name="tracker_unique")
        ]

    def __str__(self) -> str:
        return self.tracker


class ContestResult(models.Model):
    """The count of one contest: winners and the rounds, as the counting rule reports them."""

    contest = models.OneToOneField(Contest, on_delete=models.CASCADE, related_name="result")
    winners = models.JSONField(default=list)  # candidacy ids, in order of election
    rounds = models.JSONField(default=dict)  # the counting rule's to_dict()
    counted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Result for {self.contest}"
