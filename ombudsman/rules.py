"""Who may do what with the ombudsman's concerns, declared once (views and services).

Reading and answering concerns is the current ombudsman's alone. Deliberately not
`| rules.is_superuser` and not a group: a superuser, staff or the executive committee
gets no concern text through any page, and the admin has no concern at all. The
executive committee assigns the ombudsman (the assignment admin, model permissions).
"""

import rules

from accounts.rules import has_verified_email
from ombudsman.selectors import is_current_holder


@rules.predicate
def is_ombudsman(user) -> bool:
    return is_current_holder(user)


@rules.predicate
def is_own_concern(user, concern) -> bool:
    return (
        concern is not None and concern.reporter_id is not None and (concern.reporter_id == user.pk)
    )


is_the_ombudsman = rules.is_authenticated & is_ombudsman

# Read concerns and replies, reply, close, set the retention period, read the access log.
rules.add_perm("ombudsman.handle_concerns", is_the_ombudsman)
# Raise a concern under one's own name (replies then wait in My GDS).
rules.add_perm("ombudsman.raise_named", rules.is_authenticated & has_verified_email)
# A member reads their own named concern and its replies.
rules.add_perm("ombudsman.read_own", rules.is_authenticated & is_own_concern)
