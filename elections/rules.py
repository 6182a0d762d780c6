"""Who may do what with offices, terms and elections, declared once.

Used by the views, the admin's has_*_permission and the services alike.
"""

import rules
from django.utils import timezone

from accounts.rules import has_verified_email, is_executive_committee


@rules.predicate
def holds_office(user, office) -> bool:
    """A current term of `office` belongs to the Person linked to `user`."""
    if office is None or not user.is_authenticated:
        return False
    from elections.models import Term

    return Term.objects.current().filter(office=office, person__user=user).exists()


@rules.predicate
def is_nominee(user, candidacy) -> bool:
    return candidacy is not None and candidacy.user_id == user.pk


@rules.predicate
def is_member_in_good_standing(user) -> bool:
    """Active, with a verified address: who may nominate and be nominated."""
    return user.is_active and has_verified_email(user)


@rules.predicate
def election_not_published(user, election) -> bool:
    return election is not None and election.results_published_at is None


@rules.predicate
def voting_has_closed(user, election) -> bool:
    return election is not None and election.voting_close_at <= timezone.now()


is_member = rules.is_authenticated & is_member_in_good_standing

rules.add_perm("elections.nominate", is_member)
rules.add_perm("elections.answer_nomination", rules.is_authenticated & is_nominee)
# Handover notes are private to the office: its current holders read and add them.
rules.add_perm("elections.read_handover", rules.is_authenticated & holds_office)
# The executive committee runs elections: slate, count, publication, terms.
rules.add_perm("elections.run_election", rules.is_authenticated & is_executive_committee)
rules.add_perm("elections.approve_slate", rules.is_authenticated & is_executive_committee)
rules.add_perm(
    "elections.publish_results",
    rules.is_authenticated & is_executive_committee & voting_has_closed & election_not_published,
)
# An announced election's candidates are previewed by the committee before the slate is public.
rules.add_perm("elections.preview_election", rules.is_authenticated & is_executive_committee)
