"""A survey's results released to members: the snapshot, and withdrawing it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from crrg.models import (
    PublishedSummary,
    Questionnaire,
)
from crrg.selectors.results import published_figures


class TooFewToPublish(Exception):
    """Raised when a summary would be released with fewer responses than the survey's
    smallest group shown: every figure would be hidden, or tell on someone."""


def summary_release(*, questionnaire: Questionnaire, note: str, by: User) -> PublishedSummary:
    """Release the survey's summary to members, or refresh a released one: a snapshot
    of its counts as they stand (small counts hidden, no free text), with the
    committee's note. Members read the snapshot, never live figures, so watching it
    tells nobody what one member answered.

    Side effects: the PublishedSummary row is written. Raises TooFewToPublish below
    `min_cell_size` counted responses.
    """
    with transaction.atomic():
        locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        respondents, figures = published_figures(locked)
        if respondents < locked.min_cell_size:
            raise TooFewToPublish(
                f"A summary can be released once at least {locked.min_cell_size} responses "
                f"count in the results (now {respondents}); nothing was released."
            )
        published, _ = PublishedSummary.objects.update_or_create(
            questionnaire=locked,
            defaults={
                "note": note,
                "figures": figures,
                "respondents": respondents,
                "released_at": timezone.now(),
                "released_by": by,
            },
        )
    return published


def summary_withdraw(*, questionnaire: Questionnaire) -> bool:
    """Take a released summary back. Returns whether there was one."""
    deleted, _ = PublishedSummary.objects.filter(questionnaire=questionnaire).delete()
    return bool(deleted)
