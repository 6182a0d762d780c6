"""The signed link in a speaker's confirmation mail (meetings.services.confirmations).

One token format for presenters and invited nominees alike: the SpeakerConfirmation's id
and the canonical address the link was mailed to, signed (django.core.signing) under one
salt with an expiry, as the webinars' and elections' answer links are. Naming the
address means a link dies when the chair asks another presenter instead (the row's
address changes); the expiry bounds how long a forwarded mail stays a key.

Each ask also names itself: the token carries the moment of the ask (`asked_at`, in
microseconds), which every new ask rewrites. So a link dies for good once anyone else
is asked, even when the same address is asked again later (bob replaced by alice, then
bob again: bob's first link stays dead; outside probe, fix G).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TypedDict

from django.conf import settings
from django.core import signing
from django.urls import reverse

from accounts.identity import canonical_email
from meetings.models import SpeakerConfirmation

CONFIRM_SALT = "meetings.speaker-confirmation"
# From the decisions (or the invitation) to the meeting: the program is printed months
# ahead, so a speaker who has not answered in ten weeks is asked again by the chair.
CONFIRM_MAX_AGE = timedelta(days=70)


class _TokenData(TypedDict):
    c: int
    e: str
    n: int


def _ask_nonce(confirmation: SpeakerConfirmation) -> int:
    """The ask this link belongs to: its moment, which each new ask rewrites."""
    asked_at = confirmation.asked_at
    return int(asked_at.timestamp() * 1_000_000) if asked_at else 0


def confirmation_token(confirmation: SpeakerConfirmation) -> str:
    data: _TokenData = {
        "c": confirmation.pk,
        "e": canonical_email(confirmation.email),
        "n": _ask_nonce(confirmation),
    }
    return signing.dumps(data, salt=CONFIRM_SALT)


# What a preview shows where the link goes: it has the form of a link, and opens the
# "no longer valid" page. A preview never carries a working token (outside probe,
# fix G: the chair opened the sample and declined for the presenter).
SAMPLE_TOKEN = "sample-link-in-a-preview"  # noqa: S105 -- a dead sample shown in previews, no secret


def sample_confirmation_url(*, slug: str) -> str:
    path = reverse("meetings:speaker_confirm", kwargs={"slug": slug, "token": SAMPLE_TOKEN})
    return settings.SITE_URL + path


def confirmation_url(confirmation: SpeakerConfirmation, *, slug: str) -> str:
    path = reverse(
        "meetings:speaker_confirm", kwargs={"slug": slug, "token": confirmation_token(confirmation)}
    )
    return settings.SITE_URL + path


def confirmation_for_token(token: str, *, slug: str) -> SpeakerConfirmation | None:
    """The confirmation a link names; None if forged, expired, for another meeting, for
    an address the confirmation no longer has, or from an earlier ask (someone else was
    asked since, or the same address asked again)."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        return None
    confirmation = (
        SpeakerConfirmation.objects.select_related(
            "abstract__meeting", "abstract__decision_notification", "nomination__meeting"
        )
        .filter(pk=data["c"])
        .first()
    )
    if confirmation is None or not confirmation.email:
        return None
    if canonical_email(confirmation.email) != data.get("e"):
        return None
    if not confirmation.asked_at or data.get("n") != _ask_nonce(confirmation):
        return None
    thing = confirmation.abstract or confirmation.nomination
    return confirmation if thing is not None and thing.meeting.slug == slug else None
