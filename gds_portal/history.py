"""Status timelines read from django-simple-history, the site's one history mechanism.

A model whose status matters (an issue, a nomination, an abstract) carries
`HistoricalRecords()`; its services save through the ORM with `_history_user`
set to whoever acted (and `_change_reason` for a note), so every save leaves one
version. A status timeline is not stored a second time: it is the versions whose
status differs from the version before, each read as "from → to, by whom, when".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


def set_history_user(obj: models.Model, user: AbstractBaseUser | None) -> None:
    """Name `user` as the author of `obj`'s next saved version (None: nobody, not even
    the signed-in user of the request).

    simple-history reads who acted, and why (`set_change_reason`), from two attributes
    of the instance it saves; it ships no type hints, so services set them through these
    two functions and stay type-checked (mypy, `make lint`).
    """
    obj._history_user = user  # type: ignore[attr-defined]  # simple-history's attribute


def set_change_reason(obj: models.Model, reason: str | None) -> None:
    """Give `obj`'s next saved version `reason` as its note (None: no note)."""
    obj._change_reason = reason  # type: ignore[attr-defined]  # simple-history's attribute


@dataclass(frozen=True)
class StatusStep:
    """One status change. `before` is "" for the first status on record."""

    when: datetime
    before: str
    after: str
    by: Any  # the user who acted, or None (a scheduled job, an import, before records)
    reason: str
    record: models.Model  # the version itself, for other fields of that moment


def status_steps(obj: models.Model, *, field: str = "status") -> list[StatusStep]:
    """`obj`'s status changes, newest first: its first recorded status, then every
    version whose `field` differs from the version before (labels, not stored values)."""
    versions = obj.history.select_related("history_user").order_by("history_date", "history_id")
    labels = dict(obj._meta.get_field(field).flatchoices)
    steps, previous = [], None
    for version in versions:
        value = getattr(version, field)
        if value != previous:
            steps.append(
                StatusStep(
                    when=version.history_date,
                    before=str(labels.get(previous, previous or "")),
                    after=str(labels.get(value, value)),
                    by=version.history_user,
                    reason=version.history_change_reason or "",
                    record=version,
                )
            )
        previous = value
    return steps[::-1]


def status_history_table(
    obj: models.Model,
    *,
    field: str = "status",
    extra: dict[str, Callable[[models.Model], Any]] | None = None,
) -> SafeString:
    """The timeline as an escaped HTML table for an admin change page (a read-only
    field). `extra` adds columns: a heading and what to show from each version."""
    extra = extra or {}
    rows = [
        (step, [value(step.record) for value in extra.values()])
        for step in status_steps(obj, field=field)
    ]
    return render_to_string(
        "gds_portal/status_history.html", {"rows": rows, "extra_headings": list(extra)}
    )
