"""Reads for CRRG pages, each with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypedDict, TypeVar

from allauth.account.models import EmailAddress
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.enums import Role
from accounts.identity import canonical_email
from accounts.models import User
from crrg.enums import QuestionKind
from crrg.models import (
    MAX_REMINDERS,
    Answer,
    AnswerChoice,
    Choice,
    InterestGroup,
    InterestGroupMembership,
    Invitation,
    Question,
    Questionnaire,
    Response,
    SurveyMailing,
)
from crrg.rules import coordinated_q

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def _questions_qs() -> QuerySet[Question]:
    return Question.objects.select_related("shown_if__question").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.select_related("interest_group"))
    )


def questionnaire_with_questions(**lookup: object) -> Questionnaire:
    """The questionnaire and its questions (with choices), or 404."""
    queryset = Questionnaire.objects.prefetch_related(Prefetch("questions", _questions_qs()))
    return get_object_or_404(queryset, **lookup)


def current_membership_questionnaire(*, with_questions: bool = False) -> Questionnaire | None:
    """The questionnaire /crrg/join/ shows: the open membership one, else the latest one."""
    queryset = Questionnaire.objects.membership()
    if with_questions:
        queryset = queryset.prefetch_related(Prefetch("questions", _questions_qs()))
    return queryset.open().order_by("-opens_at").first() or queryset.order_by("-opens_at").first()


def response_for(*, questionnaire: Questionnaire, user: User) -> Response | None:
    """The member's own response (submitted, or a draft to finish) with its answers and
    picked choices, if any."""
    answers = Answer.objects.select_related("question").prefetch_related("choices")
    return (
        Response.with_drafts.filter(questionnaire=questionnaire, user=user)
        .prefetch_related(Prefetch("answers", answers))
        .first()
    )


def consenting_contact() -> Exists:
    """Whether the user (OuterRef "user") lets coordinators contact them, as a subquery.

    Consent is given on a CRRG membership response they have not withdrawn.
    """
    return Exists(
        Response.objects.filter(
            user=OuterRef("user"),
            questionnaire__grants_membership=True,
            consent_contact=True,
            withdrawn_at__isnull=True,
        )
    )


def left_crrg() -> Q:
    """Whether the response's user (through "user") has left the CRRG, as a filter.

    They left if they withdrew a membership response and hold no current one. A
    survey respondent who never joined has not left.
    """
    membership = Response.objects.filter(
        user=OuterRef("user"), questionnaire__grants_membership=True
    )
    return Q(Exists(membership.filter(withdrawn_at__isnull=False))) & ~Q(
        Exists(membership.filter(withdrawn_at__isnull=True))
    )


# A queryset of responses or of memberships: rows that name a member (`user`).
_WithUser = TypeVar("_WithUser", QuerySet[Response], QuerySet[InterestGroupMembership])


def seen_by_coordinators(queryset: _WithUser) -> _WithUser:
    """`queryset` (of responses or memberships, anything with a `user`) without the
    members who left the CRRG: leaving is the end of the coordinators' business with
    them, in exports and the admin alike. Summaries still count their answers, unnamed."""
    return queryset.exclude(left_crrg())


def is_crrg_member(user: User) -> bool:
    return Response.objects.filter(
        user=user, questionnaire__grants_membership=True, withdrawn_at__isnull=True
    ).exists()


def public_groups() -> QuerySet[InterestGroup]:
    return InterestGroup.objects.filter(active=True).prefetch_related("leads")


def public_members() -> QuerySet[User]:
    """Members who joined the CRRG and asked to be listed publicly (names and affiliations)."""
    listed = Response.objects.filter(
        user=OuterRef("pk"),
        questionnaire__grants_membership=True,
        consent_listed=True,
        withdrawn_at__isnull=True,
    )
    return User.objects.filter(Exists(listed), is_active=True).only("full_name", "affiliation")


def my_memberships(user: User) -> QuerySet[InterestGroupMembership]:
    return InterestGroupMembership.objects.filter(user=user, left_at__isnull=True).select_related(
        "group"
    )


class RosterAnnotations(TypedDict):
    may_contact: bool


def roster(
    group: InterestGroup,
) -> QuerySet[WithAnnotations[InterestGroupMembership, RosterAnnotations]]:
    """Active members of `group`, each annotated `may_contact` (email shown only if True)."""
    return (
        InterestGroupMembership.objects.filter(group=group, left_at__isnull=True)
        .select_related("user")
        .annotate(may_contact=consenting_contact())
        .order_by("user__full_name", "user_id")
    )


def contactable_members(
    group: InterestGroup,
) -> QuerySet[WithAnnotations[InterestGroupMembership, RosterAnnotations]]:
    return roster(group).filter(may_contact=True, user__is_active=True)


def coordinator_overview(
    user: User,
) -> tuple[QuerySet[Questionnaire], QuerySet[InterestGroup]]:
    """The questionnaires `user` coordinates with their submitted responses counted, and
    the interest groups with their members (shown to the CRRG's coordinators only)."""
    submitted = Q(responses__submitted_at__isnull=False)  # a join skips the default manager
    questionnaires = Questionnaire.objects.filter(coordinated_q(user)).annotate(
        response_count=Count("responses", filter=submitted)
    )
    groups = InterestGroup.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__left_at__isnull=True))
    )
    return questionnaires, groups


def responses_in(questionnaire: Questionnaire, group: InterestGroup | None) -> QuerySet[Response]:
    """The questionnaire's responses, limited to members of `group` when one is given."""
    responses = Response.objects.filter(questionnaire=questionnaire)
    if group is not None:
        in_group = InterestGroupMembership.objects.filter(
            group=group, user=OuterRef("user"), left_at__isnull=True
        )
        responses = responses.filter(Exists(in_group))
    return responses


@dataclass
class Bar:
    label: str
    count: int


@dataclass
class QuestionSummary:
    question: Question
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)


def questionnaire_summary(
    questionnaire: Questionnaire, group: InterestGroup | None
) -> tuple[list[tuple[date, int]], list[QuestionSummary]]:
    """Responses per day, and per question the counts per answer or the free texts.

    Queries: one for the timeline, one for picked choices, one for yes/no and
    scale answers, one for free texts (questions come prefetched).
    """
    responses = responses_in(questionnaire, group)
    timeline = list(
        responses.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    answers = Answer.objects.filter(response__in=responses)
    picks = dict(
        AnswerChoice.objects.filter(answer__in=answers)
        .values_list("choice")
        .annotate(n=Count("id"))
        .values_list("choice", "n")
    )
    scalars = {
        (q, b, n): count
        for q, b, n, count in answers.filter(
            question__kind__in=[QuestionKind.YES_NO, QuestionKind.SCALE]
        )
        .values_list("question", "boolean", "number")
        .annotate(c=Count("id"))
        .values_list("question", "boolean", "number", "c")
    }
    texts: dict[int, list[str]] = {}
    for question_id, text in (
        answers.filter(question__kind__in=QuestionKind.free_text())
        .exclude(text="")
        .order_by("response__created_at")
        .values_list("question", "text")
    ):
        texts.setdefault(question_id, []).append(text)
    return timeline, [_summarise(q, picks, scalars, texts) for q in questionnaire.questions.all()]


def _summarise(
    question: Question,
    picks: dict[int, int],
    scalars: dict[tuple[int, bool | None, int | None], int],
    texts: dict[int, list[str]],
) -> QuestionSummary:
    summary = QuestionSummary(question)
    if question.has_choices:
        summary.bars = [Bar(c.label, picks.get(c.pk, 0)) for c in question.choices.all()]
    elif question.kind == QuestionKind.YES_NO:
        summary.bars = [
            Bar(label, scalars.get((question.pk, value, None), 0))
            for value, label in ((True, "Yes"), (False, "No"))
        ]
    elif question.kind == QuestionKind.SCALE:
        summary.bars = [Bar(str(n), scalars.get((question.pk, None, n), 0)) for n in range(1, 6)]
    else:
        summary.texts = texts.get(question.pk, [])
    return summary


def export_rows(questionnaire: Questionnaire) -> tuple[list[str], list[list[str | bool]]]:
    """Header and rows for the export: every question (retired ones too), one row per response.

    Members who left the CRRG are not listed at all, on the membership questionnaire
    or any survey (issue 15, break 12): leaving is the end of the coordinators'
    business with them. Summaries still count their answers, unnamed. Emails appear
    only where the member consented, on this response, to be contacted.
    """
    questions = list(questionnaire.questions.all())
    answers = Answer.objects.select_related("question").prefetch_related("choices")
    responses = (
        seen_by_coordinators(
            Response.objects.filter(questionnaire=questionnaire, withdrawn_at__isnull=True)
        )
        .select_related("user")
        .prefetch_related(Prefetch("answers", answers))
        .order_by("created_at", "id")
    )
    header = [
        "Name",
        "Affiliation",
        "Email (if consented)",
        "Answered",
        "Last changed",
        "May contact",
        "Listed publicly",
    ]
    header += [f"{q.text} [retired]" if q.retired else q.text for q in questions]
    rows: list[list[str | bool]] = []
    for response in responses:
        by_question = {a.question_id: a.display() for a in response.answers.all()}
        user = response.user
        rows.append(
            [
                user.full_name,
                user.affiliation,
                user.email if response.consent_contact else "",
                response.created_at.isoformat(timespec="minutes"),
                response.updated_at.isoformat(timespec="minutes"),
                response.consent_contact,
                response.consent_listed,
                *(by_question.get(q.pk, "") for q in questions),
            ]
        )
    return header, rows


def names_people_publicly() -> Q:
    """Leads of the groups shown publicly (community.visibility)."""
    return Q(Exists(InterestGroup.objects.filter(active=True, leads=OuterRef("pk"))))


def has_draft(*, questionnaire: Questionnaire, user: User) -> bool:
    drafts = Response.with_drafts.filter(submitted_at__isnull=True)
    return drafts.filter(questionnaire=questionnaire, user=user).exists()


def open_surveys(*, owner: str | None = None) -> QuerySet[Questionnaire]:
    """Open surveys members answer at /surveys/<slug>/ (not the CRRG membership form),
    soonest closing first; `owner` keeps one committee's."""
    surveys = Questionnaire.objects.open().filter(grants_membership=False)
    if owner is not None:
        surveys = surveys.filter(owner=owner)
    return surveys.order_by(F("closes_at").asc(nulls_last=True), "title")


def my_open_surveys(user: User) -> list[tuple[Questionnaire, str]]:
    """Each open survey with where `user` stands: "submitted", "draft" or "" (not
    started). One query: the member's own response, if any, is annotated."""
    mine = Response.with_drafts.filter(questionnaire=OuterRef("pk"), user=user)
    surveys = open_surveys().annotate(
        submitted=Exists(mine.filter(submitted_at__isnull=False)),
        drafted=Exists(mine.filter(submitted_at__isnull=True)),
    )
    return [(s, "submitted" if s.submitted else "draft" if s.drafted else "") for s in surveys]


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
    submitted = Response.objects.filter(questionnaire=questionnaire, user=OuterRef("pk"))
    users = User.objects.filter(_in_segment(segment_key)).exclude(Exists(invited))
    return _mailable(users.exclude(Exists(submitted)))


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
        .exclude(Exists(mine.filter(submitted_at__isnull=False)))
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
    submitted = Response.objects.filter(questionnaire=questionnaire, user=OuterRef("user"))
    counts = Invitation.objects.filter(questionnaire=questionnaire).aggregate(
        invited=Count("id"),
        reminded=Count("id", filter=Q(reminders_sent__gt=0)),
        invited_submitted=Count("id", filter=Q(Exists(submitted))),
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
