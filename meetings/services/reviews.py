"""The Program committee's reviews of abstracts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from meetings import rules
from meetings.enums import REVIEWABLE_STATES
from meetings.models import Abstract, DecisionNotification, Review
from meetings.services.errors import Refused, committee_refusal

if TYPE_CHECKING:
    from accounts.models import User


def review_closed(abstract: Abstract) -> bool:
    """Reviews of an abstract freeze once its decision has been mailed."""
    return DecisionNotification.objects.filter(abstract=abstract).exists()


@transaction.atomic
def review_save(*, abstract: Abstract, by: User, score: int, comment: str) -> Review:
    """Create or update `by`'s one review of `abstract`.

    Refuses (as the review page does: defence in depth) a reviewer outside the Program
    committee or an author of the abstract (meetings.rules.committee_may), an abstract
    not past the draft, and one whose decision was sent.
    Side effects: one Review row written (the unique constraint keeps it one).
    """
    abstract = Abstract.objects.select_for_update().get(pk=abstract.pk)
    if not rules.committee_may("meetings.review_abstract", by, abstract):
        raise Refused(committee_refusal(by, abstract, "review"))
    if abstract.state not in REVIEWABLE_STATES:
        raise Refused(f"{abstract.get_state_display()} abstracts are not reviewed.")
    if review_closed(abstract):
        raise Refused("The decision on this abstract has been sent; reviews are closed.")
    review, _ = Review.objects.update_or_create(
        abstract=abstract, reviewer=by, defaults={"score": score, "comment": comment}
    )
    return review
