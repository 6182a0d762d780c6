"""The voter roll, frozen when voting opens."""

import logging
import random
from datetime import datetime

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.identity import canonical_email
from accounts.models import User
from elections.models import Election, Voter
from elections.selectors import voting_blocked_because

log = logging.getLogger(__name__)


def eligible_users(election: Election) -> list[int]:
    """Active members whose own address is verified now and whose account was opened by the
    end of the cut-off day (in the current time zone, the site's: docs/elections.md)."""
    users = User.objects.filter(
        is_active=True, date_joined__date__lte=election.eligibility_cutoff
    ).values_list("pk", "email")
    verified: dict[int, set[str]] = {}
    rows = EmailAddress.objects.filter(verified=True, user__in=[pk for pk, _ in users])
    for user_id, email in rows.values_list("user_id", "email"):
        verified.setdefault(user_id, set()).add(canonical_email(email))
    return [pk for pk, email in users if canonical_email(email) in verified.get(pk, ())]


@transaction.atomic
def roll_freeze(*, election: Election, now: datetime | None = None) -> bool:
    """Freeze the voter roll when voting opens; True if this call froze it.

    Side effects: one Voter row per eligible member (in a random order), the
    election's `roll_frozen_at` and `roll_size`. Idempotent: the election row is
    locked and a frozen roll is never touched again, so members who become
    eligible later are not added and those who become ineligible stay listed
    (but cannot vote: see ballot_cast). Refused (False) while the slate is not
    published with a candidate on it (voting_blocked_because): voting does not open
    on an empty ballot, and the committee is told (election_tick, the admin).
    """
    now = now or timezone.now()
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.roll_frozen_at or now < election.voting_open_at or not election.is_announced:
        return False
    if voting_blocked_because(election):
        return False
    user_ids = eligible_users(election)
    random.SystemRandom().shuffle(user_ids)
    Voter.objects.bulk_create(Voter(election=election, user_id=pk) for pk in user_ids)
    Election.objects.filter(pk=election.pk).update(roll_frozen_at=now, roll_size=len(user_ids))
    log.info("Election %s: voter roll frozen with %s members.", election.slug, len(user_ids))
    return True
