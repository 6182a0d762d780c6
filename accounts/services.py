from collections.abc import Mapping

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.enums import Role
from accounts.models import User


@transaction.atomic
def role_grant(*, user: User, role: Role) -> None:
    """Add `user` to the committee `role`.

    Side effects: group membership; `is_staff` set so they can reach the admin.
    """
    user.groups.add(Group.objects.get(name=role))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


@transaction.atomic
def role_revoke(*, user: User, role: Role) -> None:
    """Remove `user` from `role`; without any role left they lose admin access."""
    user.groups.remove(Group.objects.get(name=role))
    if user.is_staff and not user.is_superuser and not user.groups.exists():
        user.is_staff = False
        user.save(update_fields=["is_staff"])


def profile_update(*, user: User, data: Mapping[str, object]) -> User:
    """Save the member's own profile fields (the form has validated them)."""
    for field, value in data.items():
        setattr(user, field, value)
    user.save(update_fields=list(data))
    return user
