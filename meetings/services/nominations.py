"""Members' nominations of invited speakers, and the committee's status for each."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from gds_portal.once import claim_token
from meetings import rules
from meetings.enums import ANSWERABLE_NOMINATIONS, FormAction, NominationStatus
from meetings.models import FormToken, Meeting, SpeakerNomination
from meetings.services.confirmations import nominee_address_changed, nominee_ask
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


# What the nominator may change after sending: everything they wrote but the voluntary
# flags, which are shown to the Program committee only (never back to the nominator).
NOMINATOR_FIELDS = [
    name
    for name in NominationData.__dataclass_fields__
    if name not in ("nominee_is_woman", "nominee_is_urm", "nominee_outside_us")
]


def _locked_own(nomination: SpeakerNomination, by: User, perm: str) -> SpeakerNomination:
    """The nomination's row, locked, if `by` may still `perm` it; Refused otherwise."""
    locked = (
        SpeakerNomination.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .get(pk=nomination.pk)
    )
    if not rules.rule_says(perm, by, locked):
        raise Refused("This nomination can no longer be changed: nominations are closed for it.")
    return locked


@transaction.atomic
def nomination_update(
    *, nomination: SpeakerNomination, by: User, changes: Mapping[str, object], token: uuid.UUID
) -> NominationOutcome:
    """The nominator's edit of their own nomination (`meetings.edit_nomination`: while
    its meeting takes nominations and the committee has not settled it).

    `changes` holds NOMINATOR_FIELDS only; the voluntary flags stay as they were.
    Side effects: one FormToken row; the nomination's fields and `updated_at`. The same
    form sent again saves nothing more. Refused (token rolled back) once closed.
    """
    if unknown := set(changes) - set(NOMINATOR_FIELDS):
        raise ValueError(f"Not the nominator's to change: {sorted(unknown)}")
    if earlier := claim_token(FormToken, token=token, by=by, action=FormAction.SAVE):
        mine = earlier.nomination if earlier.user_id == by.pk else None
        return NominationOutcome(nomination=mine, replayed=True)
    locked = _locked_own(nomination, by, "meetings.edit_nomination")
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*changes, "updated_at"])
    if "nominee_email" in changes:
        nominee_address_changed(nomination=locked)  # an asked nominee's old link dies
    FormToken.objects.filter(token=token).update(nomination=locked)
    return NominationOutcome(nomination=locked)


@transaction.atomic
def nomination_withdraw(
    *, nomination: SpeakerNomination, by: User, token: uuid.UUID
) -> NominationOutcome:
    """The nominator withdraws their own nomination (`meetings.withdraw_nomination`).

    Side effects: one FormToken row; status withdrawn (the committee's pages and admin
    show it so, and its status stays). The row is kept: the committee may have read
    it. Refused (token rolled back) once closed.
    """
    if earlier := claim_token(FormToken, token=token, by=by, action=FormAction.WITHDRAW):
        mine = earlier.nomination if earlier.user_id == by.pk else None
        return NominationOutcome(nomination=mine, replayed=True)
    locked = _locked_own(nomination, by, "meetings.withdraw_nomination")
    locked.status = NominationStatus.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    FormToken.objects.filter(token=token).update(nomination=locked)
    return NominationOutcome(nomination=locked)


@transaction.atomic
def nomination_set_status(*, nomination: SpeakerNomination, status: str, by: User) -> None:
    """Change a nomination's committee status. Side effects: the row's status; on
    "Invitation sent", the nominee's SpeakerConfirmation and its mail, once
    (services.confirmations.nominee_ask).

    Refused for a nomination its nominator withdrew (`meetings.set_nomination_status`,
    asked of superusers too), and no one but its nominator withdraws one.
    """
    if status == NominationStatus.WITHDRAWN:
        raise Refused("Only its nominator withdraws a nomination.")
    locked = SpeakerNomination.objects.select_for_update().get(pk=nomination.pk)
    if not rules.rule_says("meetings.set_nomination_status", by, locked):
        raise Refused(f"The nomination of {locked.nominee_name} was withdrawn by its nominator.")
    SpeakerNomination.objects.filter(pk=nomination.pk).update(
        status=status, updated_at=timezone.now()
    )
    nomination.status = status
    if status == NominationStatus.INVITED:
        # The nominee's own yes or no, asked once (the nominator's box is their word);
        # asked afresh when invited again after the invitation was closed, so the link
        # from before does not come back to life.
        was_open = locked.status in ANSWERABLE_NOMINATIONS
        locked.status = status
        nominee_ask(nomination=locked, again=not was_open)
