"""Who chairs a meeting's program."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

from meetings.models import Meeting

if TYPE_CHECKING:
    from accounts.models import User
    from community.models import Person


@transaction.atomic
def meeting_assign_chair(*, meeting: Meeting, chair: Person | None, by: User) -> None:
    """Make `chair` (a Person, or None) the program chair of `meeting`, as `by`.

    Side effects: the meeting's `program_chair`. Raises PermissionDenied unless `by`
    is on the executive committee or a superuser (meetings.assign_chair): the chair
    alone sends decisions, so choosing the chair is not the committee's own edit.
    """
    if not by.has_perm("meetings.assign_chair"):
        raise PermissionDenied("Only the executive committee or a superuser assigns the chair.")
    Meeting.objects.filter(pk=meeting.pk).update(program_chair=chair)
    meeting.program_chair = chair
