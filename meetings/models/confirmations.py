"""Speakers' own answers: the presenting author of an accepted abstract and an invited
nominee each confirm or decline (meetings.services.confirmations), and the reminders
the chair sends (once per speaker for presenters, once per meeting for drafts)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from meetings.enums import CommitteeReminderKind, SpeakerAnswer
from meetings.models.abstracts import Abstract, AbstractAuthor
from meetings.models.invited import SpeakerNomination
from meetings.models.meeting import Meeting


class SpeakerConfirmation(models.Model):
    """One speaker's yes or no, for exactly one accepted abstract or one invited nomination.

    One row per abstract: when the chair names another presenter after a decline, the
    row is rewritten for the new author (`author`, `email`), so a link mailed to the
    one who declined stops working (meetings.links checks the address it names).
    """

    abstract = models.OneToOneField(
        Abstract,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="speaker_confirmation",
    )
    nomination = models.OneToOneField(
        SpeakerNomination,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="speaker_confirmation",
    )
    # The presenting author asked (abstracts only); kept when the author row goes.
    author = models.ForeignKey(
        AbstractAuthor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    speaker_name = models.CharField(max_length=200)
    # Where the link went; empty when the speaker has no address (state no_address).
    email = models.EmailField(blank=True)
    state = models.CharField(
        max_length=12, choices=SpeakerAnswer.choices, default=SpeakerAnswer.ASKED
    )
    asked_at = models.DateTimeField(null=True, blank=True)
    # The chair's one reminder to this speaker, for this ask (a new ask clears it): once
    # per speaker, not per meeting, so speakers asked later can be reminded too.
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Set when a signed-in member answered in My GDS; empty for an answer by link.
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(abstract__isnull=True, nomination__isnull=False)
                | Q(abstract__isnull=False, nomination__isnull=True),
                name="confirmation_for_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.speaker_name}: {self.get_state_display()}"

    @property
    def answered(self) -> bool:
        return self.state in (SpeakerAnswer.CONFIRMED, SpeakerAnswer.DECLINED)


class CommitteeReminder(models.Model):
    """A reminder the chair sent for a meeting; its existence stops a second one. The
    drafts' reminder only now: the presenters' is once per speaker
    (SpeakerConfirmation.reminded_at); rows of that kind from before stay as a record."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=CommitteeReminderKind.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind"], name="committee_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for {self.meeting_id}"
