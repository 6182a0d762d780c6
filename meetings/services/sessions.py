"""The Program committee's contributed sessions: create (one per category, or one by
hand), place, order and remove talks, publish and unpublish.

Who may: the view asks `meetings.edit_sessions`; these services ask the rule set
itself (`rule_says`, superusers included) for what depends on the abstract or the
session: a committee member never places or moves their own abstract
(`meetings.place_in_session`), and a session is published only when every talk's
decision has been mailed (`meetings.publish_session`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from community.models import Person
from meetings.enums import ACCEPTED_STATES, FormAction, TalkMove
from meetings.models import Abstract, ContributedSession, FormToken, Meeting, SessionTalk
from meetings.models.sessions import EARLIEST_SESSION, LATEST_SESSION
from meetings.rules import rule_says, sees_in_sessions
from meetings.selectors.sessions import unplaced_abstracts
from meetings.services.errors import Refused, committee_refusal

if TYPE_CHECKING:
    from accounts.models import User

from gds_portal.once import claim_token


@dataclass(frozen=True)
class SessionData:
    """What the committee types about a session (times already in UTC-aware form)."""

    title: str
    code: str = ""
    chair: Person | None = None
    chair_name: str = ""
    room: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None


# How far before its first day and after its last a meeting's session may be: a week
# covers satellite tutorials and a late reschedule. Anything further is a typo, and
# one such as 9999-12-31 in New York (year 10000 in UTC) cannot even be read back.
SESSION_WINDOW = timedelta(days=7)


def session_time_window(meeting: Meeting) -> tuple[datetime, datetime]:
    """The aware instants a session of `meeting` may start and end within: from midnight
    a week before its first day to midnight ending the day a week after its last day,
    in the meeting's own zone (never outside what the database accepts)."""
    try:
        first = meeting.starts_on - SESSION_WINDOW
        after = meeting.ends_on + SESSION_WINDOW + timedelta(days=1)
    except OverflowError:  # a meeting dated at the edge of the calendar
        return EARLIEST_SESSION, EARLIEST_SESSION
    low = datetime.combine(first, time(), tzinfo=meeting.tz)
    high = datetime.combine(after, time(), tzinfo=meeting.tz)
    return max(low, EARLIEST_SESSION), min(high, LATEST_SESSION)


def session_time_refusal(*, meeting: Meeting, at: datetime | None) -> str:
    """Why `at` cannot be a start or end of `meeting`'s session, or "" when it can (no
    time, or one inside `session_time_window`). The form shows it under the field; the
    service refuses with it."""
    low, high = session_time_window(meeting)
    if at is None or low <= at < high:
        return ""
    last = high.date() - timedelta(days=1)
    return (
        f"A session of {meeting.name} takes place between {low.day} {low:%B %Y} and "
        f"{last.day} {last:%B %Y} ({meeting.time_zone}): at most a week before or after "
        "the meeting."
    )


def _apply(session: ContributedSession, data: SessionData) -> None:
    for at in (data.starts_at, data.ends_at):
        if refusal := session_time_refusal(meeting=session.meeting, at=at):
            raise Refused(refusal)
    if data.starts_at and data.ends_at and data.ends_at <= data.starts_at:
        raise Refused("The session must end after it starts.")
    for field, value in vars(data).items():
        setattr(session, field, value)
    # One chair: a Person chosen wins over a typed name, so the page never shows two.
    if session.chair is not None:
        session.chair_name = ""


@transaction.atomic
def session_create(
    *, meeting: Meeting, data: SessionData, by: User, token: uuid.UUID
) -> ContributedSession:
    """A new, unpublished, empty session of `meeting`.

    Refused (nothing written) for times outside `session_time_window`.
    Side effects: a ContributedSession row and the form's token; a replay of the same
    form returns the session the first send made.
    """
    if earlier := claim_token(FormToken, token=token, by=by, action=FormAction.SESSION):
        if earlier.session is None:
            raise Refused("This form was already sent.")
        return earlier.session
    session = ContributedSession(meeting=meeting)
    _apply(session, data)
    session.save()
    FormToken.objects.filter(token=token).update(session=session)
    return session


@transaction.atomic
def session_update(*, session: ContributedSession, data: SessionData, by: User) -> None:
    """Change the session's title, code, chair, room and times. Refused (nothing
    written) for times outside `session_time_window`. Side effects: its row."""
    _apply(session, data)
    session.save()


@transaction.atomic
def session_delete(*, session: ContributedSession, by: User) -> None:
    """Delete the session; its abstracts become free to place again. Side effects: the
    session and its SessionTalk rows go."""
    session.delete()


@transaction.atomic
def sessions_create_per_category(*, meeting: Meeting, by: User) -> int:
    """One new session per category for the accepted abstracts not yet in a session,
    titled after the category, its talks in reference order. Returns how many sessions
    were made (0 when every abstract is placed: sending the form twice adds nothing).

    Side effects: ContributedSession and SessionTalk rows. The meeting row is locked so
    two members pressing the button at once do not both make the sessions. Abstracts
    `by` is an author of are left for another member to place.
    """
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    groups: dict[int, list[Abstract]] = {}
    for abstract in unplaced_abstracts(meeting=meeting, viewer=by):
        groups.setdefault(abstract.category_id, []).append(abstract)
    for abstracts in groups.values():
        category = abstracts[0].category
        session = ContributedSession.objects.create(meeting=meeting, title=category.title)
        SessionTalk.objects.bulk_create(
            SessionTalk(session=session, abstract=abstract, position=position)
            for position, abstract in enumerate(abstracts, start=1)
        )
    return len(groups)


def _locked(session: ContributedSession) -> ContributedSession:
    return ContributedSession.objects.select_for_update().get(pk=session.pk)


@transaction.atomic
def talk_add(*, session: ContributedSession, abstract: Abstract, by: User) -> SessionTalk:
    """Put `abstract` last in `session`.

    Refused for an abstract of another meeting, not accepted, already in a session, one
    `by` is an author of, or (the session being public) whose decision is not mailed yet.
    Side effects: a SessionTalk row.
    """
    session = _locked(session)
    # Read afresh under its row lock (the one a decision or an author's withdrawal
    # takes): what is judged is the abstract as it is now, not the caller's copy.
    abstract = (
        Abstract.objects.select_for_update(of=("self",))
        .select_related("decision_notification")
        .get(pk=abstract.pk)
    )
    if abstract.meeting_id != session.meeting_id or abstract.state not in ACCEPTED_STATES:
        raise Refused("Only accepted abstracts of this meeting can be talks in its sessions.")
    if not rule_says("meetings.place_in_session", by, abstract):
        raise Refused(committee_refusal(by, abstract, "place"))
    if session.is_published and not abstract.decision_sent:
        raise Refused(
            f"{abstract.reference}'s decision has not been sent: add it to this published "
            "session after the decisions go out (or unpublish the session first)."
        )
    if SessionTalk.objects.filter(abstract=abstract).exists():
        raise Refused(f"{abstract.reference} is already in a session; remove it there first.")
    last = session.talks.aggregate(last=Max("position"))["last"] or 0
    return SessionTalk.objects.create(session=session, abstract=abstract, position=last + 1)


@transaction.atomic
def talk_move(*, talk: SessionTalk, move: str, by: User) -> None:
    """Move `talk` up or down past the next talk `by` can see, or remove it.

    Neighbours `by` cannot see (their own abstracts before the decision is mailed) are
    stepped over, so the order they see changes as they asked and tells them nothing.
    Side effects: the session's SessionTalk rows (positions renumbered 1, 2, …).
    """
    session = _locked(talk.session)
    talks = list(session.talks.select_related("abstract__decision_notification"))
    current = next((t for t in talks if t.pk == talk.pk), None)
    if current is None:
        raise Refused("That talk is no longer in this session.")
    talk = current
    if not rule_says("meetings.place_in_session", by, talk.abstract):
        raise Refused(committee_refusal(by, talk.abstract, "move"))
    if move == TalkMove.REMOVE:
        if session.is_published and len(talks) == 1:
            raise Refused("A published session keeps at least one talk: unpublish it first.")
        talks.remove(talk)
        talk.delete()
    else:
        visible = [t for t in talks if sees_in_sessions(by, t.abstract)]
        index = visible.index(talk) + (-1 if move == TalkMove.UP else 1)
        if 0 <= index < len(visible):
            other = visible[index]
            a, b = talks.index(talk), talks.index(other)
            talks[a], talks[b] = other, talk
    _renumber(talks)


def _renumber(talks: list[SessionTalk]) -> None:
    for position, talk in enumerate(talks, start=1):
        talk.position = position
    SessionTalk.objects.bulk_update(talks, ["position"])


@transaction.atomic
def session_publish(*, session: ContributedSession, by: User, publish: bool = True) -> None:
    """Publish (or unpublish) the session on the meeting page and presenters' pages.

    Refused unless every talk is accepted with its decision mailed: a session must
    never tell an author their decision before the decision mail does.
    Side effects: the session's `published_at`.
    """
    session = _locked(session)
    if publish and not rule_says("meetings.publish_session", by, session):
        raise Refused(
            "This session cannot be published yet: it needs at least one talk, and every "
            "talk's decision must have been sent to its authors."
        )
    session.published_at = timezone.now() if publish else None
    session.save(update_fields=["published_at"])
