"""Refusals: a service that will not write raises one, and nothing was written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from meetings import rules
from meetings.models import Abstract

if TYPE_CHECKING:
    from accounts.models import User


class Refused(Exception):
    """The change is not allowed; nothing was written. The message says why."""


class CallClosed(Refused):
    """The call is not open for this member."""


def committee_refusal(by: User, abstract: Abstract, what: str) -> str:
    """Why `by` may not `what` (review, decide on) `abstract` as the committee."""
    if rules.is_named_author(by, abstract):
        return (
            f"You are an author of {abstract.reference or 'this abstract'}: another member "
            f"of the committee must {what} it."
        )
    if rules.is_unsubmitted(by, abstract):
        return "Drafts are their author's alone."
    return f"Only the Program committee may {what} abstracts."
