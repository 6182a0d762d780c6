"""Who may do what with accounts, declared once (used by views and the admin)."""

import rules

from accounts.enums import Role

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
    """Remembered on the user object for its address, as `rules` remembers group names:
    one admin page asks up to nine times (each action's permission, several times over)."""
    from accounts.identity import has_verified_address

    remembered = getattr(user, "_verified_email_cache", None)
    if remembered is not None and remembered[0] == user.email:
        return remembered[1]
    verified = has_verified_address(user, user.email)
    user._verified_email_cache = (user.email, verified)
    return verified


rules.add_perm("accounts.view_profile", rules.is_authenticated & is_self)
rules.add_perm("accounts.change_profile", rules.is_authenticated & is_self)
