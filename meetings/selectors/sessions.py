"""Reads of contributed sessions: the committee's editor, the public program (the
meeting page, the book of abstracts) and the talks on a person's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest

from accounts.identity import canonical_email
from meetings.enums import ACCEPTED_STATES
from meetings.models import (
    Abstract,
    AbstractAuthor,
    ContributedSession,
    InvitedTalk,
    Meeting,
    SessionTalk,
)

if TYPE_CHECKING:
    from accounts.models import User
    from community.models import Person

# A talk the public may see: accepted, and its decision mailed. Publishing already
# requires both (meetings.rules.talks_all_told); this keeps a later change (a talk
# added, a decision changed) from showing anything early.
PUBLIC_TALK_Q = Q(
    abstract__state__in=ACCEPTED_STATES, abstract__decision_notification__isnull=False
)


def _talks(queryset: QuerySet[SessionTalk]) -> Prefetch[str, QuerySet[SessionTalk], str]:
    return Prefetch(
        "talks",
        queryset=queryset.select_related(
            "abstract__category", "abstract__decision_notification"
        ).prefetch_related(Prefetch("abstract__authors", queryset=AbstractAuthor.objects.all())),
    )


def sessions_for(
    *, meeting: Meeting, include_unpublished: bool = False, viewer: User | None = None
) -> list[ContributedSession]:
    """`meeting`'s sessions in program order, each with `talks` (SessionTalk, ordered,
    `talk.abstract` with its category and authors) prefetched: a fixed number of queries.

    Without `include_unpublished`: published sessions and their public talks only (the
    meeting page, the book of abstracts). With it (the committee's editor), `viewer`'s
    own abstracts are left out until their decision is mailed (meetings.rules.
    sees_in_sessions) and the rest are marked `mine` (shown, not movable by them).
    """
    sessions = ContributedSession.objects.filter(meeting=meeting).select_related("chair")
    talks = SessionTalk.objects.all()
    own: set[int] = set()
    if include_unpublished:
        if viewer is not None:
            from meetings.rules import named_author_q

            own = set(
                Abstract.objects.filter(named_author_q(viewer), meeting=meeting).values_list(
                    "pk", flat=True
                )
            )
            talks = talks.exclude(abstract__in=own, abstract__decision_notification__isnull=True)
    else:
        sessions = sessions.published()
        talks = talks.filter(PUBLIC_TALK_Q)
    result = list(sessions.prefetch_related(_talks(talks)))
    for session in result:
        for talk in session.talks.all():
            talk.mine = talk.abstract_id in own
    return result


def published_sessions(meeting: Meeting) -> list[ContributedSession]:
    """The meeting's public program of contributed sessions (see `sessions_for`)."""
    return sessions_for(meeting=meeting)


def unplaced_abstracts(*, meeting: Meeting, viewer: User) -> list[Abstract]:
    """Accepted abstracts of `meeting` in no session that `viewer` may place (never
    their own: meetings.rules.committee_abstracts_q), by category and reference."""
    from meetings.rules import committee_abstracts_q

    return list(
        Abstract.objects.filter(
            committee_abstracts_q(viewer),
            meeting=meeting,
            state__in=ACCEPTED_STATES,
            session_talk__isnull=True,
        )
        .select_related("category")
        .order_by("category__code", "reference")
    )


# --- Talks on a person's page --------------------------------------------------


@dataclass(frozen=True)
class MeetingTalk:
    meeting: Meeting
    session: str
    title: str
    kind: str  # "Invited talk" or "Contributed talk"
    reference: str = ""

    @property
    def day(self) -> date:
        return self.meeting.starts_on


def _person_addresses(person: Person) -> list[str]:
    """The addresses `person`'s linked account has verified (canonical form); none
    without an account. A Person's own `email` field is typed by whoever made the
    profile and is never proof: it is not used."""
    if person.user_id is None:
        return []
    from allauth.account.models import EmailAddress

    mine = EmailAddress.objects.filter(user_id=person.user_id, verified=True)
    return sorted({canonical_email(email) for email in mine.values_list("email", flat=True)})


def presenter_q(*, addresses: list[str], prefix: str = "") -> Q:
    """Presenting authors who are this person: an address their linked account has
    verified, nothing else. Never the ORCID iD typed on the abstract (anyone can type a
    public iD: it proves nothing), never the name (two people share a name), never the
    Person's own `email` (typed by whoever made the profile)."""
    if not addresses:
        return Q(pk__in=[])
    return Q(**{f"{prefix}email_lower__in": addresses})


def person_meeting_talks(person: Person) -> list[MeetingTalk]:
    """`person`'s talks at meetings, newest meeting first: invited talks (InvitedTalk
    names the Person) and contributed talks in published sessions where the presenting
    author's address is one `person`'s linked account verified (`presenter_q`). Three
    queries at most."""
    invited = InvitedTalk.objects.filter(speaker=person).select_related("session__meeting")
    talks = [
        MeetingTalk(talk.session.meeting, str(talk.session), talk.title, "Invited talk")
        for talk in invited
    ]
    match = presenter_q(addresses=_person_addresses(person))
    presenters = (
        AbstractAuthor.objects.annotate(email_lower=Lower("email"))
        .filter(match, is_presenting=True)
        .values("abstract_id")
    )
    contributed = (
        SessionTalk.objects.filter(
            PUBLIC_TALK_Q, abstract__in=presenters, session__published_at__isnull=False
        )
        .select_related("session__meeting", "abstract")
        .order_by("session__starts_at", "position")
    )
    talks += [
        MeetingTalk(
            talk.session.meeting,
            str(talk.session),
            talk.abstract.title,
            "Contributed talk",
            talk.abstract.reference or "",
        )
        for talk in contributed
    ]
    return sorted(talks, key=lambda talk: talk.day, reverse=True)


def person_section(request: HttpRequest, person: Person) -> dict[str, object] | None:
    """The person page's "Meeting talks" section (gds_portal.sections.person_page)."""
    talks = person_meeting_talks(person)
    return {"talks": talks, "person": person} if talks else None
