"""Who may do what with meetings and abstracts, declared once for views and admin."""

import rules

from accounts.rules import has_verified_email, is_executive_committee, is_program_committee
from meetings.enums import AbstractState


@rules.predicate
def is_submitter(user, abstract) -> bool:
    return abstract is not None and abstract.submitter_id == user.pk


@rules.predicate
def is_coauthor(user, abstract) -> bool:
    """A named author whose verified address matches; drafts stay private to the submitter."""
    if abstract is None or abstract.state == AbstractState.DRAFT:
        return False
    from meetings.selectors import verified_emails

    emails = set(verified_emails(user))
    return any(author.email.lower() in emails for author in abstract.authors.all() if author.email)


@rules.predicate
def is_editable(user, abstract) -> bool:
    return abstract is not None and abstract.is_editable


@rules.predicate
def is_draft(user, abstract) -> bool:
    return abstract is not None and abstract.state == AbstractState.DRAFT


rules.add_perm("meetings.submit_abstracts", rules.is_authenticated & has_verified_email)
rules.add_perm("meetings.read_abstract", rules.is_authenticated & (is_submitter | is_coauthor))
rules.add_perm("meetings.edit_abstract", rules.is_authenticated & is_submitter & is_editable)
rules.add_perm("meetings.withdraw_abstract", rules.is_authenticated & is_submitter & is_editable)


# --- The Program committee's side (Meetings II) ------------------------------------


@rules.predicate
def is_named_author(user, abstract) -> bool:
    """`user` submitted `abstract` or is named on it with one of their verified addresses.

    A reviewer never reviews such an abstract (conflict of interest), in any state.
    """
    if abstract is None:
        return False
    if abstract.submitter_id == user.pk:
        return True
    from meetings.selectors import verified_emails

    emails = set(verified_emails(user))
    return any(a.email.lower() in emails for a in abstract.authors.all() if a.email)


@rules.predicate
def is_meeting_chair(user, meeting) -> bool:
    """The meeting's program chair: its `program_chair` Person is linked to `user`.

    Both halves are role assignments, never profile edits: only the executive
    committee or a superuser sets `Meeting.program_chair` (meetings.assign_chair) or
    links a Person to an account (community.link_person_account, recorded in the
    Person's history).
    """
    chair = getattr(meeting, "program_chair", None) if meeting is not None else None
    return chair is not None and chair.user_id == user.pk


@rules.predicate
def meeting_has_chair_account(user, meeting) -> bool:
    chair = getattr(meeting, "program_chair", None) if meeting is not None else None
    return chair is not None and chair.user_id is not None


program_committee = rules.is_authenticated & is_program_committee & has_verified_email

# Who is a meeting's chair is assigned, not edited: the executive committee or a superuser.
rules.add_perm(
    "meetings.assign_chair", rules.is_authenticated & (rules.is_superuser | is_executive_committee)
)

# Reviews, the dashboard, exports, the book of abstracts and nominations' details.
rules.add_perm("meetings.review_abstracts", program_committee)
rules.add_perm("meetings.review_abstract", program_committee & ~is_named_author)
rules.add_perm("meetings.view_committee", program_committee)
rules.add_perm("meetings.decide_abstracts", program_committee)
# The chair sends decisions; a meeting whose chair has no account lets the committee send.
rules.add_perm(
    "meetings.send_decisions",
    program_committee & (is_meeting_chair | ~meeting_has_chair_account),
)
rules.add_perm("meetings.nominate_speakers", rules.is_authenticated & has_verified_email)


# --- Speaker nominations' voluntary flags ------------------------------------------

NOMINATION_FLAGS = ("nominee_is_woman", "nominee_is_urm", "nominee_outside_us")

# Read one nomination at a time by Program-committee members only (a superuser
# outside the committee does not see them), and counted only in suppressed totals.
sees_nomination_flags = rules.is_authenticated & is_program_committee


@rules.predicate
def may_filter_nominations_by(user, lookup: str) -> bool:
    """No one lists nominations by a voluntary flag (`?nominee_is_woman__exact=1`):
    that list would say who ticked which box. Called as a predicate, not through
    has_perm, so a superuser gets the same answer."""
    return lookup.split("__")[0] not in NOMINATION_FLAGS


rules.add_perm("meetings.view_nomination_flags", sees_nomination_flags)
