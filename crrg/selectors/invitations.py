"""Reads for survey invitations, reminders and the response rate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from allauth.account.models import EmailAddress
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.enums import Role
from accounts.identity import canonical_email
from accounts.models import User
from crrg.models import (
    MAX_REMINDERS,
    InterestGroup,
    InterestGroupMembership,
    Invitation,
    Participation,
    Questionnaire,
    Response,
    SurveyMailing,
)
from crrg.selectors.answering import responded

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


# --- Invitations, reminders and the response rate (issue 18, item 3) ---------------

ALL_MEMBERS = "all"
# A reminder goes no sooner than this after the member's last mail from the survey
# (the invitation or an earlier reminder): see reminder_recipients.
REMINDER_SPACING = timedelta(hours=24)


@dataclass(frozen=True)
class Segment:
    """Whom an invitation goes to: `key` as the form posts it ("all", "role:<name>",
    "group:<slug>") and `label` in words."""

    key: str
    label: str


def segments(*, with_groups: bool) -> list[Segment]:
    """The segments a coordinator may invite: every member with a verified address, the
    members of a committee role and, for the CRRG's coordinators alone (`with_groups`,
    as the by-group breakdown of results is), the members of an interest group."""
    offered = [Segment(ALL_MEMBERS, "All members with a verified address")]
    offered += [Segment(f"role:{role.value}", f"Members of the {role.value}") for role in Role]
    if with_groups:
        offered += [
            Segment(f"group:{g.slug}", f"Members of the CRRG interest group {g.name}")
            for g in InterestGroup.objects.all()
        ]
    return offered


def _in_segment(key: str) -> Q:
    """The users of segment `key`, as a filter on User."""
    kind, _, value = key.partition(":")
    if kind == "role":
        return Q(groups__name=value)
    if kind == "group":
        in_group = InterestGroupMembership.objects.filter(
            group__slug=value, user=OuterRef("pk"), left_at__isnull=True
        )
        return Q(Exists(in_group))
    return Q()


def _mailable(users: QuerySet[User]) -> list[User]:
    """`users` who are active and whose own address is verified, by full name.

    Two queries: the candidates (active, with some verified address), then their
    verified addresses, compared in canonical form in Python (accounts.identity: the
    database has no canonical column for allauth's addresses). An account whose
    current address is not the verified one is never mailed.
    """
    verified_rows = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    candidates = list(
        users.filter(Exists(verified_rows), is_active=True).order_by("full_name", "pk")
    )
    verified: dict[int, set[str]] = {}
    rows = EmailAddress.objects.filter(verified=True, user__in=[u.pk for u in candidates])
    for user_id, email in rows.values_list("user_id", "email"):
        verified.setdefault(user_id, set()).add(canonical_email(email))
    return [u for u in candidates if canonical_email(u.email) in verified.get(u.pk, ())]


def invitation_recipients(questionnaire: Questionnaire, segment_key: str) -> list[User]:
    """Who an invitation to segment `segment_key` would reach now: its active members with
    a verified address, less those already invited and those who already submitted."""
    invited = Invitation.objects.filter(questionnaire=questionnaire, user=OuterRef("pk"))
    users = User.objects.filter(_in_segment(segment_key)).exclude(Exists(invited))
    return _mailable(users.exclude(responded(questionnaire=questionnaire, user=OuterRef("pk"))))


class ReminderAnnotations(TypedDict):
    has_draft: bool


def reminder_recipients(
    questionnaire: Questionnaire, *, now: datetime | None = None
) -> list[WithAnnotations[User, ReminderAnnotations]]:
    """Invited members a reminder would reach now, each annotated `has_draft`.

    Only invited members without a submitted response, with fewer than MAX_REMINDERS
    reminders, and whose last mail from this survey is at least REMINDER_SPACING old:
    two coordinators pressing the button on one day, or one pressing it the morning
    after the invitation, must not fill a member's inbox, and mail that comes in bursts
    is what spam filters learn to drop for every member.
    """
    now = now or timezone.now()
    due = Invitation.objects.filter(
        questionnaire=questionnaire,
        user=OuterRef("pk"),
        reminders_sent__lt=MAX_REMINDERS,
        last_mailed_at__lte=now - REMINDER_SPACING,
    )
    mine = Response.with_drafts.filter(questionnaire=questionnaire, user=OuterRef("pk"))
    users = (
        User.objects.filter(Exists(due))
        .exclude(responded(questionnaire=questionnaire, user=OuterRef("pk")))
        .annotate(has_draft=Exists(mine.filter(submitted_at__isnull=True)))
    )
    return _mailable(users)  # type: ignore[return-value]


@dataclass
class InvitationStats:
    """The response rate: how many were invited and how many of them submitted."""

    invited: int = 0
    invited_submitted: int = 0
    reminded: int = 0
    submitted: int = 0  # every submitted response, invited or not

    @property
    def rate(self) -> int | None:
        """Submitted among the invited, in whole per cent (None before any invitation)."""
        return round(100 * self.invited_submitted / self.invited) if self.invited else None


def invitation_stats(questionnaire: Questionnaire) -> InvitationStats:
    """Two queries: the survey's invitations, those reminded and the invited who
    submitted; and its submitted responses in all."""
    submitted = responded(questionnaire=questionnaire, user=OuterRef("user"))
    counts = Invitation.objects.filter(questionnaire=questionnaire).aggregate(
        invited=Count("id"),
        reminded=Count("id", filter=Q(reminders_sent__gt=0)),
        invited_submitted=Count("id", filter=submitted),
    )
    total = Response.objects.filter(questionnaire=questionnaire).count()
    return InvitationStats(**counts, submitted=total)


def response_rate_days(questionnaire: Questionnaire) -> list[dict[str, object]]:
    """Per day from the first invitation or submission to the last: the day, and the
    invitations and submitted responses (all, invited or not) so far. Two queries."""
    zone = timezone.get_current_timezone()
    invited = dict(
        Invitation.objects.filter(questionnaire=questionnaire)
        .annotate(day=TruncDate("invited_at", tzinfo=zone))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    if questionnaire.anonymous:
        # Participation carries the day; the anonymous answers carry no time at all.
        submitted = dict(
            Participation.objects.filter(questionnaire=questionnaire)
            .values_list("responded_on")
            .annotate(n=Count("id"))
            .values_list("responded_on", "n")
        )
    else:
        submitted = dict(
            Response.objects.filter(questionnaire=questionnaire)
            .annotate(day=TruncDate("created_at", tzinfo=zone))
            .values_list("day")
            .annotate(n=Count("id"))
            .values_list("day", "n")
        )
    if not invited:
        return []
    day, last = min([*invited, *submitted]), max([*invited, *submitted])
    days, total_invited, total_submitted = [], 0, 0
    while day <= last:
        total_invited += invited.get(day, 0)
        total_submitted += submitted.get(day, 0)
        days.append({"day": day, "invited": total_invited, "submitted": total_submitted})
        day += timedelta(days=1)
    return days


def survey_mailings(questionnaire: Questionnaire) -> QuerySet[SurveyMailing]:
    return SurveyMailing.objects.filter(questionnaire=questionnaire).select_related("sent_by")
