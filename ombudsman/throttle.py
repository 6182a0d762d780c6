"""The ombudsman's limits, counted in the database so that every app process shares
them (allauth's limits live in the cache, which is one per process unless CACHE_URL
names Redis: with two gunicorn workers a guesser got two allowances, alternating 429
and 200).

Each limit is a sliding window: at most `amount` hits per `scope` key in WINDOW. A
block ends when the oldest hit that keeps the count at the limit leaves the window,
and the 429 page says exactly that time.
"""

import ipaddress
from datetime import datetime, timedelta

from django.db import transaction
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


def blocked_until(request, *, action: str, key: str) -> datetime | None:
    """When the block on this network or `key` ends, or None if not blocked."""
    since = timezone.now() - WINDOW
    ends = []
    hashes = _keys(request, action, key)
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


@transaction.atomic
def hit(request, *, action: str, key: str) -> None:
    """Count one attempt against this network and `key`; forget hits past the window."""
    now = timezone.now()
    ThrottleHit.objects.filter(at__lte=now - WINDOW).delete()
    ThrottleHit.objects.bulk_create(
        ThrottleHit(action=action, scope=scope, key=hashed, at=now)
        for scope, hashed in _keys(request, action, key).items()
    )
