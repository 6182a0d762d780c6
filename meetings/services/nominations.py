"""Members' nominations of invited speakers, and the committee's status for each."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from gds_portal.once import claim_token
from meetings.enums import FormAction
from meetings.models import FormToken, Meeting, SpeakerNomination
from meetings.services.errors import Refused

if TYPE_CHECKING:
    from accounts.models import User


@dataclass
class NominationData:
    nominee_name: str
    nominee_affiliation: str
    nominee_email: str
    talk_title: str
    rationale: str
    tentatively_agreed: bool = False
    alternate_1_name: str = ""
    alternate_1_affiliation: str = ""
    alternate_1_email: str = ""
    alternate_2_name: str = ""
    alternate_2_affiliation: str = ""
    alternate_2_email: str = ""
    session_chair: str = ""
    nominee_is_woman: bool = False
    nominee_is_urm: bool = False
    nominee_outside_us: bool = False


@dataclass
class NominationOutcome:
    """What nomination_create did; `replayed` when its form had been sent before."""

    nomination: SpeakerNomination | None
    replayed: bool = False


@transaction.atomic
def nomination_create(
    *, meeting: Meeting, by: User, data: NominationData, token: uuid.UUID
) -> NominationOutcome:
    """Record `by`'s nomination of an invited speaker for `meeting`, once per form.

    Refuses when nominations are not open (the token is rolled back with it).
    Side effects: one FormToken row and one SpeakerNomination row; the same form
    (`token`) sent again — twice, or five times at once — writes nothing more and
    answers with the first nomination (None if the token was someone else's). No
    mail: the voluntary flags must never travel by mail, and the nominator sees the
    nomination in My GDS at once.
    """
    if earlier := claim_token(FormToken, token=token, by=by, action=FormAction.NOMINATE):
        mine = earlier.nomination if earlier.user_id == by.pk else None
        return NominationOutcome(nomination=mine, replayed=True)
    if not meeting.nominations_open:
        raise Refused(f"Invited-speaker nominations for {meeting} are not open.")
    nomination = SpeakerNomination.objects.create(meeting=meeting, nominator=by, **vars(data))
    FormToken.objects.filter(token=token).update(nomination=nomination)
    return NominationOutcome(nomination=nomination)


@transaction.atomic
def nomination_set_status(*, nomination: SpeakerNomination, status: str, by: User) -> None:
    """Change a nomination's committee status. Side effects: the row's status."""
    SpeakerNomination.objects.filter(pk=nomination.pk).update(
        status=status, updated_at=timezone.now()
    )
    nomination.status = status
