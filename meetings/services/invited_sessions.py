"""A meeting's invited sessions and the slot rule they must fit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from meetings.models import InvitedSession, Meeting
from meetings.services.errors import Refused

if TYPE_CHECKING:
    from accounts.models import User


def slot_problem(*, meeting: Meeting, ownership: str, exclude_pk: int | None = None) -> str:
    """Why a session of `ownership` does not fit in `meeting`'s slots ('' when it fits).

    A slot holds one wholly-owned session or two co-sponsored ones, so slots are
    counted in halves: wholly owned = 2, co-sponsored = 1.
    """
    others = InvitedSession.objects.filter(meeting=meeting)
    if exclude_pk is not None:  # None: a new session, with no row of its own to leave out
        others = others.exclude(pk=exclude_pk)
    used = sum(session.half_slots for session in others.only("ownership"))
    wanted = InvitedSession(ownership=ownership).half_slots
    capacity = 2 * meeting.invited_session_slots
    if used + wanted <= capacity:
        return ""
    slots = meeting.invited_session_slots
    kind = "wholly-owned" if wanted == 2 else "co-sponsored"
    return (
        f"{meeting} has {slots} invited-session slot{'s' if slots != 1 else ''} and its "
        f"sessions already fill {used / 2:g}. A slot holds one wholly-owned session or two "
        f"co-sponsored ones, so another {kind} session does not fit."
    )


@transaction.atomic
def invited_session_save(*, session: InvitedSession, by: User | None = None) -> InvitedSession:
    """Save `session` if the meeting's slot rule allows it.

    Side effects: the InvitedSession row. The meeting row is locked first so two
    committee members adding sessions at once cannot both take the last slot.
    Raises Refused with the slot rule spelled out when it does not fit.
    """
    meeting = Meeting.objects.select_for_update().get(pk=session.meeting_id)
    if problem := slot_problem(meeting=meeting, ownership=session.ownership, exclude_pk=session.pk):
        raise Refused(problem)
    session.save()
    return session
