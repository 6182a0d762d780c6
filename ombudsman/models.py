"""The ombudsman's office and the concerns it receives.

Who holds the office is not kept here: it is a term of the elections app's
"Ombudsman" office, asked through gds_portal/offices.py (selectors.current_assignment).

Concern text, replies and a visitor's address are stored only as Fernet ciphertext
(ombudsman/crypto.py) in binary columns, which no admin, search, filter or export
touches. What stays in plain columns is what the ombudsman's lists need and what
cannot tell anyone what was said: a random case code, the date received, a status.
An anonymous concern stores no account and no address, and its day (not its time)
only, so nothing joins it to a signed-in visitor's other traces.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from solo.models import SingletonModel

from gds_portal.once import OneTimeToken
from ombudsman.enums import AccessAction, ConcernStatus, ReporterKind

DEFAULT_RETENTION_DAYS = 730
# Bounds of the retention period. The upper one is a sanity cap: ten years is longer
# than any office keeps such records, and a huge number would overflow the date
# arithmetic of the retention command (today minus the period).
MIN_RETENTION_DAYS, MAX_RETENTION_DAYS = 30, 3650


class OfficeSettings(SingletonModel):
    """What the ombudsman decides for the office: how long concerns are kept."""

    retention_days = models.PositiveIntegerField(
        default=DEFAULT_RETENTION_DAYS,
        validators=[
            MinValueValidator(
                MIN_RETENTION_DAYS, f"Keep concerns for at least {MIN_RETENTION_DAYS} days."
            ),
            MaxValueValidator(
                MAX_RETENTION_DAYS,
                f"Keep concerns for at most {MAX_RETENTION_DAYS} days (ten years).",
            ),
        ],
        help_text="Concerns are deleted this many days after their last activity.",
    )
    # The account that held the office at `ombudsman_notify`'s last run: when the
    # holder changes, the outgoing one is mailed (a self-appointment does not go
    # unnoticed by the ombudsman it displaced) and the change is logged.
    known_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "ombudsman office settings"

    def __str__(self) -> str:
        return "Ombudsman office settings"


class Concern(models.Model):
    case_code = models.CharField(max_length=9, unique=True)
    # Django's password hasher over the passphrase ("" when the reporter is a member
    # who reads replies signed in): never the passphrase itself.
    passphrase_hash = models.CharField(max_length=256, blank=True)
    reporter_kind = models.CharField(max_length=10, choices=ReporterKind.choices)
    # Only for a member who chose to be named; never set for an anonymous concern.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A visitor's verified address, encrypted (it says who raised the concern).
    reporter_email_encrypted = models.BinaryField(null=True, blank=True)
    text_encrypted = models.BinaryField()
    status = models.CharField(
        max_length=10, choices=ConcernStatus.choices, default=ConcernStatus.OPEN
    )
    # Days, not instants: an instant would join an anonymous concern to a signed-in
    # visitor's session or to the mail it triggered.
    received_on = models.DateField(default=timezone.localdate)
    last_activity_on = models.DateField(default=timezone.localdate)
    # News for the ombudsman: the concern, or a reporter's answer, not yet read by them.
    unread = models.BooleanField(default=True)
    # News not yet counted in the ombudsman's notice (`manage.py ombudsman_notify`): the
    # notice is mailed by a scheduled command, never when a concern arrives, so the
    # outbox holds no instant that would date an anonymous concern.
    notice_pending = models.BooleanField(default=True)

    class Meta:
        # Never by id: the order concerns arrived in is not shown.
        ordering = ["-last_activity_on", "case_code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reporter_kind=ReporterKind.ANONYMOUS)
                | (Q(reporter__isnull=True) & Q(reporter_email_encrypted__isnull=True)),
                name="ombudsman_anonymous_stores_no_identity",
            ),
        ]

    def __str__(self) -> str:
        return f"Case {self.case_code}"

    def get_absolute_url(self) -> str:
        return reverse("ombudsman:case", args=[self.case_code])


class Reply(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="replies")
    text_encrypted = models.BinaryField()
    # The ombudsman who answered; None for the reporter's own answer (`from_reporter`).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_reporter = models.BooleanField(default=False)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # In the order they were written. Not by `sent_at`: a reporter's answer to a
        # case-code case keeps its day only (00:00), so by time it would stand above the
        # reply of that morning it answers.
        ordering = ["id"]
        verbose_name_plural = "replies"

    def __str__(self) -> str:
        return f"Reply to {self.concern_id} on {self.sent_at:%Y-%m-%d}"


class AccessLogEntry(models.Model):
    """Every read of a concern, every reply and every deletion; kept when the concern goes.

    The case code is copied so the row still says which case after retention deletes
    it; the ombudsman and every successor see the whole log.
    """

    concern = models.ForeignKey(
        Concern, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case_code = models.CharField(max_length=9, blank=True)
    action = models.CharField(max_length=20, choices=AccessAction.choices)
    # Who read or wrote: the ombudsman; None for a reporter with a case code and for
    # the retention command.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who the actor was when the row was written (their address and name then), so
    # the row still says who read even if the account is renamed or gone. Only for
    # the office's side (holders, the committee changing terms): a reporter's own
    # reads and answers keep the account link alone, as before.
    actor_email = models.EmailField(blank=True)
    actor_name = models.CharField(max_length=200, blank=True)
    # For a change of the office's terms: what changed (names and days only).
    detail = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)
    # For the ombudsman's own reads and writes: a short hash of the sign-in session
    # they came through, so reads from a session the office-holder does not recognise
    # (someone who took the account over) stand apart in the log. Never a session key.
    session = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "access log entries"

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.case_code} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        # Derived from `actor` on this row only (no other row is touched).
        reporter = self.action in (AccessAction.REPORTER_READ, AccessAction.REPORTER_REPLIED)
        if self.actor is not None and not self.actor_email and not reporter:
            self.actor_email = self.actor.email
            self.actor_name = self.actor.full_name
        super().save(*args, **kwargs)


class ConcernFormToken(OneTimeToken):
    """A used concern form's token (gds_portal.once). It never names the sender: a token
    row with a user would join an anonymous concern to its member. `case_code` is what
    the form made, for the replay."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateField(default=timezone.localdate)
    case_code = models.CharField(max_length=9, blank=True)


class ReplyFormToken(OneTimeToken):
    """A used reply form's token: the same reply sent twice is stored and mailed once."""

    reply = models.ForeignKey(Reply, null=True, on_delete=models.SET_NULL, related_name="+")


class ReporterAnswerToken(OneTimeToken):
    """A used reporter's answer form's token: like ConcernFormToken it names no one and
    keeps the day only (a case-code reader's answer must not be dated to the second)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateField(default=timezone.localdate)
    reply = models.ForeignKey(Reply, null=True, on_delete=models.SET_NULL, related_name="+")


class ThrottleHit(models.Model):
    """One counted attempt against a limit of the ombudsman's (ombudsman/throttle.py):
    a wrong case code or passphrase, or a link mailed to an address. In the database,
    not the cache, so every app process counts the same hits (a per-process cache let
    each worker grant its own allowance). `key` is a keyed hash of the network or the
    case code or address, never the value; hits older than the window are deleted as
    new ones arrive."""

    action = models.CharField(max_length=20)
    scope = models.CharField(max_length=10)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["action", "scope", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.scope} {self.at:%Y-%m-%d %H:%M}"
