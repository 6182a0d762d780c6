"""Who is knocking, and how often: the client address and login throttling glue.

The client address is REMOTE_ADDR unless the deployment says how many reverse
proxies it runs behind (TRUSTED_PROXY_COUNT). Only then is X-Forwarded-For
read, and only the entry our outermost proxy (the one the client connected
to) appended: everything to its left was written by the client and may be
forged, so a made-up header can never reset or dodge a per-address count.

Failed logins are counted by django-axes in the database (so every worker
process sees the same count, and the admin's login form is covered as well as
allauth's); `lockout_response` is the friendly page a locked-out person sees.
"""

import ipaddress
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone


def client_ip(request) -> str:
    """The address of the client that sent `request`, as far as we can trust it."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < trusted or not _is_address(hops[-trusted]):
        # The request did not come through all our proxies (or one of them is
        # misconfigured): nothing in the header is trustworthy, the connection is.
        return remote
    return hops[-trusted]


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def login_name(request, credentials: dict | None) -> str:
    """The account a login attempt names, so that no spelling can dodge its count.

    allauth authenticates with `email=`, the admin's form with `username=`. Logins
    find the account by the canonical form of the address, and a spelling that only
    *looks* like a member's (with a dotless i or a Cyrillic a) must not be a fresh count to guess
    their password under either: `throttle_key` gives every look-alike of an
    account's address that account's key (accounts/identity.py).
    """
    from accounts.identity import throttle_key

    credentials = credentials or {}
    name = (
        credentials.get("email")
        or credentials.get("username")
        or request.POST.get("login")
        or request.POST.get("username")
        or ""
    )
    return throttle_key(str(name))


class LoginThrottleBackend(AxesStandaloneBackend):
    """axes' lockout check, skipped when there is no HTTP request to throttle.

    `authenticate()` without a request (the test client's `login()`, a shell)
    has no client address and no attacker behind it; axes would refuse it.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def too_many_requests(
    request, *, retry_after: timedelta, reason: str, exact: bool, advice: str = ""
):
    """The 429 page: says plainly why, and when to try again.

    `exact`: the time is when the block ends (a login lockout); otherwise it is
    the latest moment the block can last (allauth's sliding windows). `advice`
    replaces the page's words about accounts and passwords, for a form that is
    about neither (the ombudsman's).
    """
    context = {
        "reason": reason,
        "advice": advice,
        "exact": exact,
        "retry_at": timezone.now() + retry_after,
        "retry_minutes": max(1, round(retry_after.total_seconds() / 60)),
    }
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(int(retry_after.total_seconds()))
    return response


def lockout_response(request, original_response=None, credentials=None):
    """What axes answers once an account or an address has failed too often."""
    return too_many_requests(
        request,
        retry_after=settings.AXES_COOLOFF_TIME,
        reason="There have been too many failed attempts to sign in to this account or "
        "from your network",
        exact=True,
    )


def rate_limited(request, exception=None):
    """handler429: allauth's limits on sign-up, password reset and verification mail."""
    return too_many_requests(
        request,
        retry_after=settings.ACCOUNT_RATE_LIMIT_WINDOW,
        reason="This form has been sent too many times from your network or for this address",
        exact=False,
    )
