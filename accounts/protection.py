"""Accounts the user admin must not take over: a registry the domain apps fill.

An account whose holder alone may read something (the ombudsman's concerns) would be
handed to whoever could set its password or address in the admin: they would sign in
as the holder, and every read would look like the holder's. The accounts app imports
no domain app (tests/test_import_boundaries.py), so each app registers, in its
`AppConfig.ready()`, a predicate saying which accounts it protects and why; the user
admin (accounts/admin.py) then refuses, for every admin user including superusers,
to change their password, address, active flag, groups or powers, or to delete them.
The holder changes their own password and address through the site, signed in.

This guards the admin only: someone with a shell on the server or write access to
the database can still do anything (docs/ombudsman.md says so).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Protection:
    reason: str  # shown in the admin: "the current ombudsman"
    applies: Callable[[Any], bool]


class ProtectedAccounts:
    def __init__(self) -> None:
        self._protections: list[Protection] = []

    def register(self, protection: Protection) -> None:
        if protection not in self._protections:
            self._protections.append(protection)

    def reason_for(self, user: Any) -> str | None:
        """Why `user`'s account is protected, or None if it is not."""
        if user is None or user.pk is None:
            return None
        for protection in self._protections:
            if protection.applies(user):
                return protection.reason
        return None


protected_accounts = ProtectedAccounts()


class PrivateOnDeletion:
    """Models whose rows a user's deletion page never lists: a registry the domain apps
    fill, as they fill `protected_accounts`.

    Deleting an account shows Django's list of everything that goes with it, each row
    named by its `__str__`, and refuses (asks for a permission) when a row's admin may
    not delete it. For some rows that list is itself the secret: that a member took
    part in an anonymous survey, or has an unsent draft (crrg registers both). The user
    admin leaves these models' rows, counts and permission needs out of the page; the
    rows are still deleted with the account by the database's cascade.
    """

    def __init__(self) -> None:
        self._models: list[type] = []

    def register(self, *models: type) -> None:
        for model in models:
            if model not in self._models:
                self._models.append(model)

    def models(self) -> list[type]:
        return list(self._models)


private_on_deletion = PrivateOnDeletion()
