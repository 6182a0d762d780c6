"""Who may do what with meetings and abstracts, declared once for views and admin."""

import rules

from accounts.rules import has_verified_email
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
