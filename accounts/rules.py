"""Who may do what with accounts, declared once (used by views and the admin)."""

import rules

from accounts.enums import Role
from accounts.identity import has_verified_address

is_newsletter_editor = rules.is_group_member(Role.NEWSLETTER_EDITORS)
is_program_committee = rules.is_group_member(Role.PROGRAM_COMMITTEE)
is_webinar_committee = rules.is_group_member(Role.WEBINAR_COMMITTEE)
is_crrg_coordinator = rules.is_group_member(Role.CRRG_COORDINATORS)
is_executive_committee = rules.is_group_member(Role.EXECUTIVE_COMMITTEE)


@rules.predicate
def is_self(user, target) -> bool:
    return target is not None and user.pk == target.pk


@rules.predicate
def has_verified_email(user) -> bool:
    """The account's own address is verified (accounts.identity.verified_addresses,
    remembered on the user object: one admin page asks up to nine times)."""
    return has_verified_address(user, user.email)


rules.add_perm("accounts.view_profile", rules.is_authenticated & is_self)
rules.add_perm("accounts.change_profile", rules.is_authenticated & is_self)
