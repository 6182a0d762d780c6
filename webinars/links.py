"""Signed links that name one registration: confirm, cancel, feedback, no replay mail.

One token format for all of them (the registration's id and its canonical address, so a
link stops working when the registration's address changes), each purpose under its own
salt and lifetime.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TypedDict

from django.conf import settings
from django.core import signing
from django.urls import reverse

from webinars.models import Registration


class _TokenData(TypedDict):
    r: int
    e: str


def _token_data(registration: Registration) -> _TokenData:
    return {"r": registration.pk, "e": registration.email_key}


def signed_url(name: str, registration: Registration, salt: str) -> str:
    """The absolute URL `name` (which takes the webinar's slug and a token) signed for
    `registration` under `salt`; `registration_for_signed` reads it back."""
    token = signing.dumps(_token_data(registration), salt=salt)
    path = reverse(name, kwargs={"slug": registration.webinar.slug, "token": token})
    return settings.SITE_URL + path


def registration_for_signed(
    token: str, *, slug: str, salt: str, max_age: timedelta
) -> Registration | None:
    """The registration a link made by `signed_url` with `salt` names; None if forged,
    expired, for another webinar or for an address the registration no longer has."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        return None
    registration = (
        Registration.objects.select_related("webinar")
        .filter(pk=data["r"], webinar__slug=slug)
        .first()
    )
    if registration is None or registration.email_key != data.get("e"):
        return None
    return registration
