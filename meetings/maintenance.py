"""Housekeeping for the meetings app, run by a scheduler rather than by anyone's action."""

from datetime import timedelta

from django.utils import timezone

from gds_portal.once import purge_tokens
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
    return purge_tokens(FormToken, cutoff=cutoff, batch_size=batch_size)
