"""Reads of invited-speaker nominations: the committee's list, the member's own, and
the aggregates shown outside the committee."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from meetings.enums import NominationStatus
from meetings.models import InvitedTalk, Meeting, SpeakerNomination

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from accounts.models import User

# Aggregates of the nominations' voluntary flags below this are shown as "fewer than 5".
SMALL_COUNT = 5


def suppressed(count: int) -> str:
    """An aggregate safe to show outside the committee: small counts are not shown."""
    return f"fewer than {SMALL_COUNT}" if count < SMALL_COUNT else str(count)


def nomination_aggregates(*, meeting: Meeting) -> dict[str, str]:
    """Counts of the voluntary flags, small counts suppressed, for pages outside the
    committee. The total is shown as it is; it says nothing about anyone's flags."""
    # A withdrawn nomination is no longer one the committee considers.
    counts = (
        SpeakerNomination.objects.filter(meeting=meeting)
        .exclude(status=NominationStatus.WITHDRAWN)
        .aggregate(
            total=Count("id"),
            women=Count("id", filter=Q(nominee_is_woman=True)),
            urm=Count("id", filter=Q(nominee_is_urm=True)),
            outside_us=Count("id", filter=Q(nominee_outside_us=True)),
        )
    )
    return {"total": str(counts["total"])} | {
        key: suppressed(value) for key, value in counts.items() if key != "total"
    }


class NomineeHistory(TypedDict):
    previous_talks: list[InvitedTalk]


def nominations_for_committee(
    *, meeting: Meeting
) -> list[WithAnnotations[SpeakerNomination, NomineeHistory]]:
    """The meeting's nominations, each with `previous_talks`: invited talks the nominee gave
    at the previous year's meeting of the same kind (matched by name or email)."""
    nominations = list(
        SpeakerNomination.objects.filter(meeting=meeting)
        .select_related("nominator", "speaker_confirmation")
        .order_by("created_at")
    )
    names = {n.nominee_name.casefold() for n in nominations}
    emails = {n.nominee_email.casefold() for n in nominations if n.nominee_email}
    talks = (
        list(
            InvitedTalk.objects.filter(
                session__meeting__kind=meeting.kind, session__meeting__year=meeting.year - 1
            )
            .annotate(name_key=Lower("speaker__name"), email_key=Lower("speaker__email"))
            .filter(Q(name_key__in=names) | Q(email_key__in=emails))
            .select_related("speaker", "session__meeting")
        )
        if nominations
        else []
    )
    # The nominations, given their previous talks here.
    with_talks = cast("list[WithAnnotations[SpeakerNomination, NomineeHistory]]", nominations)
    for nomination in with_talks:
        nomination.previous_talks = [
            talk
            for talk in talks
            if talk.name_key == nomination.nominee_name.casefold()
            or (talk.email_key and talk.email_key == nomination.nominee_email.casefold())
        ]
    return with_talks


def nominations_of(user: User) -> QuerySet[SpeakerNomination]:
    return (
        SpeakerNomination.objects.filter(nominator=user)
        .select_related("meeting")
        .order_by("-created_at")
    )


def nomination_for_page(pk: int) -> SpeakerNomination | None:
    """One nomination with its meeting (whose dates decide what its nominator may do)."""
    return SpeakerNomination.objects.select_related("meeting").filter(pk=pk).first()
