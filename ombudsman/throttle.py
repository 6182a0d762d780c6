"""The ombudsman's limits, counted in the database so that every app process shares
them (allauth's limits live in the cache, which is one per process unless CACHE_URL
names Redis: with two gunicorn workers a guesser got two allowances, alternating 429
and 200).

Each limit is a sliding window: at most `amount` hits per `scope` key in WINDOW. A
block ends when the oldest hit that keeps the count at the limit leaves the window,
and the 429 page says exactly that time.
"""

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from gds_portal.throttle import client_ip
from ombudsman.models import ThrottleHit

WINDOW = timedelta(hours=1)
# Wrong case code/passphrase pairs: 10 an hour from one network, 5 against one case.
CASE_FAILED = "case_failed"
# Links mailed to verify a visitor's address: 20 an hour from one network, 3 to one address.
VERIFY = "verify"
LIMITS: dict[str, tuple[tuple[str, int], ...]] = {
    CASE_FAILED: (("network", 10), ("key", 5)),
    VERIFY: (("network", 20), ("key", 3)),
}


def _network(request) -> str:
    """The client's address; an IPv6 client's /64, which one household holds whole."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False).network_address)
    return address


def _keys(request, action: str, key: str) -> dict[str, str]:
    values = {"network": _network(request), "key": key}
    return {
        scope: salted_hmac(f"ombudsman.throttle.{action}.{scope}", values[scope]).hexdigest()
        for scope, _amount in LIMITS[action]
    }


def _blocked_until(action: str, hashes: dict[str, str]) -> datetime | None:
    since = timezone.now() - WINDOW
    ends = []
    for scope, amount in LIMITS[action]:
        hashed = hashes[scope]
        hits = list(
            ThrottleHit.objects.filter(action=action, scope=scope, key=hashed, at__gt=since)
            .order_by("-at")
            .values_list("at", flat=True)[:amount]
        )
        if len(hits) >= amount:
            # The amount-th newest hit must leave the window before one more is allowed.
            ends.append(hits[amount - 1] + WINDOW)
    return max(ends) if ends else None


@dataclass(frozen=True)
class Attempt:
    """The outcome of `take`: refused until `blocked_until`, or counted as `hit_ids`."""

    blocked_until: datetime | None
    hit_ids: tuple[int, ...] = ()


def take(request, *, action: str, key: str) -> Attempt:
    """Count one attempt against this network and `key`, unless either is at its limit.

    The check and the count are one step, under a transaction-scoped lock on each of
    the attempt's keys: checking first and counting after (as this once did) let
    twenty parallel guesses all pass a check that none of them had been counted in
    yet. Attempts on other keys are not held up. Hits past the window are forgotten.
    """
    hashes = _keys(request, action, key)
    with transaction.atomic(), connection.cursor() as cursor:
        # Sorted, so two attempts sharing both keys take the locks in the same order.
        for hashed in sorted(hashes.values()):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{action}:{hashed}"])
        if until := _blocked_until(action, hashes):
            return Attempt(blocked_until=until)
        now = timezone.now()
        ThrottleHit.objects.filter(at__lte=now - WINDOW).delete()
        hits = ThrottleHit.objects.bulk_create(
            ThrottleHit(action=action, scope=scope, key=hashed, at=now)
            for scope, hashed in hashes.items()
        )
    return Attempt(blocked_until=None, hit_ids=tuple(h.pk for h in hits))


def refund(attempt: Attempt) -> None:
    """Take back an attempt that turned out not to count (a right passphrase)."""
    ThrottleHit.objects.filter(pk__in=attempt.hit_ids).delete()
