"""Reads of the ombudsman app, each with a fixed number of queries.

Nothing here decrypts: the text of a concern is read only by `services.concern_read`
(for the ombudsman) and `services.concern_read_by_reporter`, which log every read.
"""

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from gds_portal.offices import Holding, offices
from ombudsman.models import AccessLogEntry, Concern

# The elections app keeps the office's terms under this slug (its migration makes the
# office; the executive committee adds the terms). Asked through the ground floor's
# registry: domain apps never import each other.
OFFICE = "ombudsman"


def current_assignment(today: date | None = None) -> Holding | None:
    """Who holds the office on `today` (default: today): the one place that decides it.

    The office has one seat: of the terms that include the day, the one that started
    last holds it, so a successor's first day ends the predecessor's access even if
    their term was left open. A holding whose person has no account (`user_id` None)
    keeps the office from everyone: it is returned, and `holder_account` is None.
    """
    holdings = offices.holdings(OFFICE, today)
    return holdings[0] if holdings else None


def holder_account(today: date | None = None) -> User | None:
    """The account of the current holder, or None (vacant, or a holder without one)."""
    holding = current_assignment(today)
    if holding is None or holding.user_id is None:
        return None
    return User.objects.filter(pk=holding.user_id).first()


def is_appointed(user: Any) -> bool:
    """Whether `user` is named by a term of the office under way or not yet started
    (the user admin protects these accounts: accounts/protection.py)."""
    if not user.is_authenticated:
        return False
    return user.pk in offices.appointed(OFFICE)


def is_current_holder(user: Any) -> bool:
    """Remembered on the user object per request, as `rules` remembers group names."""
    if not user.is_authenticated:
        return False
    remembered = getattr(user, "_ombudsman_holder_cache", None)
    if remembered is None:
        holding = current_assignment()
        remembered = holding is not None and holding.user_id == user.pk
        user._ombudsman_holder_cache = remembered
    return bool(remembered)


def case_list() -> QuerySet[Concern]:
    """The ombudsman's list: metadata only, one query; latest activity first (days only,
    then the code: never the order of arrival). Explicit: Django drops Meta.ordering from
    a query that groups, as this one does."""
    return (
        Concern.objects.annotate(**_conversation_counts())
        .defer("text_encrypted", "reporter_email_encrypted", "passphrase_hash")
        .order_by("-last_activity_on", "case_code")
    )


def _conversation_counts() -> dict[str, Count]:
    """The ombudsman's replies and the reporter's answers, counted apart: a case's
    "replies" are the office's, not the reporter's own words coming back."""
    return {
        "reply_count": Count("replies", filter=Q(replies__from_reporter=False)),
        "answer_count": Count("replies", filter=Q(replies__from_reporter=True)),
    }


def own_concerns(user: Any) -> QuerySet[Concern]:
    """A member's named concerns (never anonymous ones: those name no one)."""
    return (
        Concern.objects.filter(reporter=user)
        .annotate(**_conversation_counts())
        .defer("text_encrypted", "reporter_email_encrypted", "passphrase_hash")
    )


def access_log() -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.select_related("actor")


def assignment_history() -> list[Holding]:
    """Every holder of the office, latest first, as the access log page lists them."""
    return offices.history(OFFICE)


def holders_with_accounts() -> list[tuple[Holding, str]]:
    """Every holder of the office with their account's address (for the ombudsman
    only: names can repeat or be edited, the address says which account held it).
    Two queries."""
    history = assignment_history()
    ids = {h.user_id for h in history if h.user_id is not None}
    emails = dict(User.objects.filter(pk__in=ids).values_list("pk", "email"))
    return [(h, emails.get(h.user_id, "") if h.user_id else "") for h in history]
