"""Exactly once: the one-time token every form that creates something carries.

A form is rendered with a fresh UUID in a hidden field; the service that acts on
it first claims the token. The first claim inserts a row; a second send of the
same form (a double click, a retry, five tabs at once) finds that row and is
answered with what the first one did instead of doing it again.

The ground floor knows no domain: each app keeps its own token table (a concrete
subclass of `OneTimeToken` with whatever points at its result) and calls
`claim_token` inside its service's transaction.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, TypeVar

from django import forms
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


class OneTimeToken(models.Model):
    """A used form token. Subclasses add what the form created, for the replay."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.token)


Token = TypeVar("Token", bound=OneTimeToken)  # an app's own token table


def claim_token(
    model: type[Token], *, token: uuid.UUID, by: AbstractBaseUser | None, **columns: object
) -> Token | None:
    """Record `token` as used by `by`; return the earlier row instead if it was used before.

    One statement, no savepoint: INSERT … ON CONFLICT DO NOTHING. A concurrent request
    holding the same token waits on the unique index until the first one commits (then
    inserts nothing and reads the earlier row) or rolls back (then inserts its own).
    Call it inside the service's transaction, so a refusal afterwards rolls it back.
    `columns` are the subclass's other fields known at claim time (e.g. an action).
    `by` is None only for a table whose user column allows it (the ombudsman's concern
    form, which must not name its sender); its `created_at` may be a day, not an instant.
    """
    meta = model._meta
    names = ["token", "user", "created_at", *columns]
    created_at = meta.get_field("created_at").to_python(timezone.now())
    values = [str(token), by.pk if by is not None else None, created_at, *columns.values()]
    quoted = ", ".join(connection.ops.quote_name(meta.get_field(n).column) for n in names)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({quoted}) "  # noqa: S608 -- names are our own model's; values are bound
        f"VALUES ({', '.join(['%s'] * len(values))}) ON CONFLICT (token) DO NOTHING RETURNING id"
    )
    # Twice at most: a token purged between the insert and the read is simply claimed anew.
    for _ in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            if cursor.fetchone() is not None:
                return None
        if earlier := model.objects.filter(token=token).first():
            return earlier
    raise RuntimeError("form token neither inserted nor found")


def purge_tokens(model: type[OneTimeToken], *, cutoff, batch_size: int) -> int:
    """Delete `model`'s tokens created before `cutoff`, `batch_size` at a time.

    Each batch is its own short statement, so submissions never wait behind one long
    delete; oldest first along the primary key (created_at has no index, on purpose:
    every submission inserts a token). Returns how many were deleted.
    """
    old = model.objects.filter(created_at__lt=cutoff).order_by("pk").values("pk")
    total = 0
    while True:
        deleted, _ = model.objects.filter(pk__in=old[:batch_size]).delete()
        total += deleted
        if deleted < batch_size:
            return total


def token_models() -> list[type[OneTimeToken]]:
    """Every app's token table, found through the app registry (this module imports none)."""
    return [model for model in apps.get_models() if issubclass(model, OneTimeToken)]


def tokens_purge(*, days: int, batch_size: int) -> int:
    """Delete every app's form tokens created more than `days` days ago; how many went.

    Nothing points at a token (a token points at what its form made), so nothing else
    goes with it. A form sent again after its token is gone counts as a new form, so
    `days` should exceed how long anyone keeps a form open.
    """
    if days < 1 or batch_size < 1:
        raise ValueError("days and batch_size must be at least 1")
    cutoff = timezone.now() - timedelta(days=days)
    return sum(purge_tokens(m, cutoff=cutoff, batch_size=batch_size) for m in token_models())


class OneTimeTokenForm(forms.Form):
    """Carries the one-time token; mix it into any form that creates something."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("token", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def full_clean(self):
        super().full_clean()
        if self.is_bound and "token" in self._errors:
            # Sent without a usable token (a page from before tokens, or a hand-made
            # POST): refuse it, and give the page shown again a fresh token so that
            # the member can simply send it again. Errors are settled by now, so the
            # new value only changes what is rendered.
            self.data = self.data.copy()
            self.data[self.add_prefix("token")] = str(uuid.uuid4())
            del self._errors["token"]
            self.add_error(
                None, "This form could not be sent as it was. Please check it and send it again."
            )
