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

# Rules, not permissions: Django's `User.has_perm` answers True to a superuser for
# every permission without asking any backend, which would hand a superuser every
# concern. `rules.test_rule` asks the predicate alone; use `allowed` below.
# Read concerns and replies, reply, close, set the retention period, read the access log.
rules.add_rule("ombudsman.handle_concerns", is_the_ombudsman)
# Raise a concern under one's own name (replies then wait in My GDS).
rules.add_rule("ombudsman.raise_named", rules.is_authenticated & has_verified_email)
# A member reads their own named concern and its replies.
rules.add_rule("ombudsman.read_own", rules.is_authenticated & is_own_concern)


def allowed(user, rule: str, obj=None) -> bool:
    """Whether `user` may do `rule` ("ombudsman.…"); superusers get no pass."""
    return rules.test_rule(rule, user, obj)
