"""Reads for answering questionnaires, CRRG membership and the coordinators' overview,
each with a fixed number of queries."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, TypeVar

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from crrg.models import (
    Answer,
    Choice,
    InterestGroup,
    InterestGroupMembership,
    Participation,
    PublishedSummary,
    Question,
    Questionnaire,
    Response,
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
    queryset = Questionnaire.objects.select_related("published_summary").prefetch_related(
        Prefetch("questions", _questions_qs())
    )
    return get_object_or_404(queryset, **lookup)


def current_membership_questionnaire(*, with_questions: bool = False) -> Questionnaire | None:
    """The questionnaire /crrg/join/ shows: the open membership one, else the latest one."""
    queryset = Questionnaire.objects.membership().select_related("published_summary")
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


def names_people_publicly() -> Q:
    """Leads of the groups shown publicly (community.visibility)."""
    return Q(Exists(InterestGroup.objects.filter(active=True, leads=OuterRef("pk"))))


def responded(*, questionnaire: Questionnaire | OuterRef, user: User | OuterRef | int) -> Q:
    """Whether the member submitted, as a filter: a submitted response of theirs (a
    named survey) or their participation (an anonymous one, whose response belongs to
    nobody). `questionnaire` and `user` are objects or OuterRefs."""
    return Q(Exists(Response.objects.filter(questionnaire=questionnaire, user=user))) | Q(
        Exists(Participation.objects.filter(questionnaire=questionnaire, user=user))
    )


def participation(*, questionnaire: Questionnaire, user: User) -> Participation | None:
    """That the member answered an anonymous survey (and on which day), if they did."""
    return Participation.objects.filter(questionnaire=questionnaire, user=user).first()


def published_summary_of(questionnaire: Questionnaire) -> PublishedSummary | None:
    """The summary released to members, if any (no query when the questionnaire was
    read with it, as questionnaire_with_questions does)."""
    try:
        return questionnaire.published_summary
    except PublishedSummary.DoesNotExist:
        return None


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
        submitted=responded(questionnaire=OuterRef("pk"), user=user),
        drafted=Exists(mine.filter(submitted_at__isnull=True)),
    )
    return [(s, "submitted" if s.submitted else "draft" if s.drafted else "") for s in surveys]
