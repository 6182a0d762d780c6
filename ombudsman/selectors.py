"""Reads of the ombudsman app, each with a fixed number of queries.

Nothing here decrypts: the text of a concern is read only by `services.concern_read`
(for the ombudsman) and `services.concern_read_by_reporter`, which log every read.
"""

from datetime import date
from typing import Any

from django.db.models import Count, Max, QuerySet

from ombudsman.models import AccessLogEntry, Concern, OmbudsmanAssignment


def current_assignment(today: date | None = None) -> OmbudsmanAssignment | None:
    """Who holds the office today: the one place that decides it (docs/ombudsman.md says
    how a term from the elections app takes this over)."""
    current: QuerySet[OmbudsmanAssignment] = OmbudsmanAssignment.objects.current(today)
    return current.select_related("holder").order_by("-starts_on", "-id").first()


def is_current_holder(user: Any) -> bool:
    """Remembered on the user object per request, as `rules` remembers group names."""
    if not user.is_authenticated:
        return False
    remembered = getattr(user, "_ombudsman_holder_cache", None)
    if remembered is None:
        current: QuerySet[OmbudsmanAssignment] = OmbudsmanAssignment.objects.current()
        remembered = current.filter(holder=user).exists()
        user._ombudsman_holder_cache = remembered
    return bool(remembered)


def case_list() -> QuerySet[Concern]:
    """The ombudsman's list: metadata only, one query; latest activity first (days only,
    then the code: never the order of arrival). Explicit: Django drops Meta.ordering from
    a query that groups, as this one does."""
    return (
        Concern.objects.annotate(
            reply_count=Count("replies"), last_reply_at=Max("replies__sent_at")
        )
        .defer("text_encrypted", "reporter_email_encrypted", "passphrase_hash")
        .order_by("-last_activity_on", "case_code")
    )


def own_concerns(user: Any) -> QuerySet[Concern]:
    """A member's named concerns (never anonymous ones: those name no one)."""
    return (
        Concern.objects.filter(reporter=user)
        .annotate(reply_count=Count("replies"))
        .defer("text_encrypted", "reporter_email_encrypted", "passphrase_hash")
    )


def access_log() -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.select_related("actor")


def assignment_history() -> QuerySet[OmbudsmanAssignment]:
    return OmbudsmanAssignment.objects.select_related("holder")
