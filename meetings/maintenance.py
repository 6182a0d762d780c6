"""Housekeeping for the meetings app, run by a scheduler rather than by anyone's action."""

from datetime import timedelta

from django.utils import timezone

from meetings.models import FormToken

FORM_TOKEN_DAYS = 30
BATCH_SIZE = 1000


def form_tokens_purge(*, days: int = FORM_TOKEN_DAYS, batch_size: int = BATCH_SIZE) -> int:
    """Delete the abstract forms' idempotency tokens created more than `days` days ago.

    Side effects: deletes FormToken rows only, `batch_size` at a time, each batch in its
    own short transaction so submissions never wait behind one long delete. Nothing points
    at a token (a token points at its abstract, not the other way round), so no abstract
    or other row goes with it. A form sent again after its token is gone counts as a new
    form, so `days` should exceed how long anyone keeps a form open. Returns the number
    of tokens deleted.
    """
    if days < 1 or batch_size < 1:
        raise ValueError("days and batch_size must be at least 1")
    cutoff = timezone.now() - timedelta(days=days)
    # Oldest first along the primary key: each batch stops at its first `batch_size` old
    # rows instead of reading the whole table (created_at has no index, on purpose: every
    # form submission inserts a token).
    old = FormToken.objects.filter(created_at__lt=cutoff).order_by("pk").values("pk")
    total = 0
    while True:
        deleted, _ = FormToken.objects.filter(pk__in=old[:batch_size]).delete()
        total += deleted
        if deleted < batch_size:
            return total
