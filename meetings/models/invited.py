"""Invited speakers: members' nominations, and the invited sessions and talks of a meeting."""

from django.conf import settings
from django.db import models

from meetings.enums import NominationStatus, SessionOwnership
from meetings.models.meeting import Meeting


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
