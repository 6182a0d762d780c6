"""Reads for the public meeting pages: the lists, the call, the program."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from meetings.enums import ACCEPTED_STATES
from meetings.models import (
    Abstract,
    CategoryCosponsor,
    DeadlineExtension,
    InvitedSession,
    InvitedTalk,
    Meeting,
    SortingCategory,
)
from meetings.selectors.abstracts import authors_prefetch

if TYPE_CHECKING:
    from datetime import datetime

    from accounts.models import User


# The meetings list: each meeting once, under "Open calls" while its call is open, and
# otherwise under "Upcoming" or "Past" by its dates.


def meetings_open_calls() -> QuerySet[Meeting]:
    return Meeting.objects.open_for_submission().select_related("program_chair")


def meetings_upcoming() -> QuerySet[Meeting]:
    return Meeting.objects.not_open_for_submission().upcoming().select_related("program_chair")


def meetings_past() -> QuerySet[Meeting]:
    return Meeting.objects.not_open_for_submission().past().select_related("program_chair")


def _with_cosponsors(queryset: QuerySet[SortingCategory]) -> QuerySet[SortingCategory]:
    return queryset.prefetch_related(
        Prefetch("cosponsorships", queryset=CategoryCosponsor.objects.select_related("unit"))
    )


def call_sections(*, meeting: Meeting) -> list[SortingCategory]:
    """The meeting's top-level categories and headings, each heading with its `children`."""
    children = _with_cosponsors(SortingCategory.objects.order_by("code"))
    return list(
        _with_cosponsors(meeting.categories.filter(parent__isnull=True))
        .prefetch_related(Prefetch("children", queryset=children))
        .order_by("code")
    )


def open_categories(*, meeting: Meeting) -> list[SortingCategory]:
    """Categories that accept contributed abstracts, with their heading."""
    return list(
        meeting.categories.filter(accepts_contributed=True)
        .select_related("parent")
        .order_by("code")
    )


def invited_program(*, meeting: Meeting) -> list[InvitedSession]:
    return list(
        meeting.invited_sessions.select_related("chair")
        .prefetch_related(
            "cosponsors",
            Prefetch("talks", queryset=InvitedTalk.objects.select_related("speaker")),
        )
        .order_by("code", "title")
    )


def public_abstracts() -> QuerySet[Abstract]:
    """Accepted abstracts as the public meeting page lists them: accepted, their
    decision mailed (no author learns it from the site first), their meeting's
    accepted abstracts published. Never a draft, an undecided or rejected abstract."""
    return Abstract.objects.filter(
        meeting__contributed_published=True,
        state__in=ACCEPTED_STATES,
        decision_notification__isnull=False,
    )


def accepted_by_category(
    *,
    meeting: Meeting,
    states: Iterable[str] | None = None,
    sent_only: bool = False,
    viewer: User | None = None,
) -> list[tuple[SortingCategory, list[Abstract]]]:
    """Abstracts in `states` (default: accepted) grouped by category, in code order.

    `sent_only` keeps only abstracts whose decision mail has gone out (pages outside
    the committee: no author learns a decision from the program first); with `viewer`,
    abstracts the viewer is an author of are left out (the committee's book).
    """
    abstracts = Abstract.objects.filter(meeting=meeting, state__in=states or ACCEPTED_STATES)
    if sent_only:
        abstracts = abstracts.filter(decision_notification__isnull=False)
    if viewer is not None:
        from meetings.rules import named_author_q

        abstracts = abstracts.exclude(named_author_q(viewer))
    abstracts = (
        abstracts.select_related("category")
        .prefetch_related(authors_prefetch(), "affiliations")
        .order_by("category__code", "reference")
    )
    groups: dict[int, tuple[SortingCategory, list[Abstract]]] = {}
    for abstract in abstracts:
        groups.setdefault(abstract.category_id, (abstract.category, []))[1].append(abstract)
    return list(groups.values())


def names_people_publicly() -> Q:
    """Meeting pages are public and name the program chair, invited sessions' chairs and
    invited speakers (community.visibility)."""
    chairs = Meeting.objects.filter(program_chair=OuterRef("pk"))
    session_chairs = InvitedSession.objects.filter(chair=OuterRef("pk"))
    speakers = InvitedTalk.objects.filter(speaker=OuterRef("pk"))
    return (
        Q(Exists(chairs))
        | Q(Exists(session_chairs))
        | Q(Exists(speakers))
        | names_in_published_sessions()
    )


def names_in_published_sessions() -> Q:
    """People a published contributed session names: its chair, and the presenters of
    its public talks matched as on their page (meetings.selectors.sessions.presenter_q:
    an address their linked account has verified; an ORCID iD typed on an abstract is
    unverified and never makes anyone public)."""
    from allauth.account.models import EmailAddress
    from django.db.models.functions import Lower

    from meetings.models import AbstractAuthor, ContributedSession, SessionTalk
    from meetings.selectors.sessions import PUBLIC_TALK_Q

    chaired = ContributedSession.objects.published().filter(chair=OuterRef("pk"))
    public = SessionTalk.objects.filter(PUBLIC_TALK_Q, session__published_at__isnull=False)
    presenters = AbstractAuthor.objects.filter(
        is_presenting=True, abstract__in=public.values("abstract_id")
    ).annotate(email_lower=Lower("email"))
    verified = (
        EmailAddress.objects.filter(user_id=OuterRef(OuterRef("user_id")), verified=True)
        .annotate(address=Lower("email"))
        .values("address")
    )
    by_address = presenters.filter(email_lower__in=verified)
    return Q(Exists(chaired)) | Q(Exists(by_address))


def extension_closing_times(*, meeting: Meeting) -> dict[int, datetime]:
    """Every personal extension of the meeting's call, by member id (a handful)."""
    return dict(
        DeadlineExtension.objects.filter(meeting=meeting).values_list("member_id", "closes_at")
    )
