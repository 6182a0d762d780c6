"""Contributed sessions: the committee's grouping of accepted abstracts into ordered
talks, published on the meeting page once every talk's decision has been mailed."""

from datetime import UTC, datetime
from typing import Self, TypeVar

from django.db import models
from django.db.models import Q

from meetings.models.abstracts import Abstract
from meetings.models.meeting import Meeting

# Generic in the model, as the other querysets here are (mypy sees the rows' type).
_Session = TypeVar("_Session", bound="ContributedSession", covariant=True)

# The outer bounds of any session time, whatever the meeting: PostgreSQL stores years
# Python cannot read (9999-12-31 in New York is year 10000 in UTC), and one such row
# would break every page that lists the sessions. The service keeps times within a week
# of the meeting (meetings.services.sessions.session_time_window); the database keeps
# even a bug from storing what cannot be read back.
EARLIEST_SESSION = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_SESSION = datetime(9000, 1, 1, tzinfo=UTC)


def _readable(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(
        **{f"{field}__gte": EARLIEST_SESSION, f"{field}__lt": LATEST_SESSION}
    )


class ContributedSessionQuerySet(models.QuerySet[_Session]):
    def published(self) -> Self:
        return self.filter(published_at__isnull=False)


class ContributedSession(models.Model):
    """A session of contributed talks, e.g. B12 Machine Learning for Quantum Matter I.

    Its talks are accepted abstracts, each in at most one session (SessionTalk). Times
    are stored in UTC and typed and shown in the meeting's own time zone.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="contributed_sessions"
    )
    title = models.CharField(max_length=300)
    code = models.CharField(
        max_length=10, blank=True, help_text="The APS session code, e.g. B12 (if known)."
    )
    chair = models.ForeignKey(
        "community.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A person on the portal (their page links the session once published) …",
    )
    chair_name = models.CharField(
        "chair (name)", max_length=200, blank=True, help_text="… or just a name and affiliation."
    )
    room = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    # Set by meetings.services.sessions.session_publish only: a session is published
    # once every talk's decision has been mailed (no author learns it here first).
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContributedSessionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "starts_at", "code", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="contributed_session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=_readable("starts_at") & _readable("ends_at"),
                name="contributed_session_times_readable",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def chair_display(self) -> str:
        return self.chair.name if self.chair_id else self.chair_name


class SessionTalk(models.Model):
    """An accepted abstract's place in a session; one place per abstract."""

    session = models.ForeignKey(ContributedSession, on_delete=models.CASCADE, related_name="talks")
    # One-to-one: an abstract is in at most one session.
    abstract = models.OneToOneField(Abstract, on_delete=models.CASCADE, related_name="session_talk")
    position = models.PositiveSmallIntegerField()
    # Not a column: the editor's viewer is an author of it (selectors.sessions.sessions_for).
    mine: bool = False

    class Meta:
        ordering = ["session", "position", "id"]

    def __str__(self) -> str:
        return f"{self.session}: {self.position}. {self.abstract}"
