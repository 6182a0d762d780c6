"""Ombudsman test data, made through the services (the only way text gets encrypted)."""

import uuid

from django.utils import timezone

from ombudsman.models import Concern, OmbudsmanAssignment
from ombudsman.services import concern_raise, concern_reply, new_case_code, new_passphrase


def appoint(holder, *, starts_on=None) -> OmbudsmanAssignment:
    return OmbudsmanAssignment.objects.create(
        holder=holder, starts_on=starts_on or timezone.localdate()
    )


def raise_concern(
    text: str = "A concern.", *, member=None, email: str = "", passphrase: str | None = None
) -> tuple[Concern, str]:
    """A concern as its form would store it; returns it and its passphrase."""
    passphrase = passphrase or new_passphrase()
    raised = concern_raise(
        text=text,
        token=uuid.uuid4(),
        case_code=new_case_code(),
        passphrase=passphrase,
        member=member,
        email=email,
    )
    return Concern.objects.get(case_code=raised.case_code), passphrase


def reply(concern: Concern, text: str, *, by):
    return concern_reply(concern=concern, text=text, by=by, token=uuid.uuid4())
