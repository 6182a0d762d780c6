"""The anonymous page cache: public pages rendered once, served to every anonymous reader.

What is cached, and why it is safe:
- Only GET requests that carry neither a session cookie nor a messages cookie are
  answered from the cache. Without a session cookie the visitor is anonymous, so
  no member ever receives a page rendered for someone else (a member's request
  always renders afresh, and PrivateCacheMiddleware marks it private).
- A rendered page is stored only if it is a plain 200 HTML/XML/text response
  that set no cookie, did not use a CSRF token (pages with forms that POST stay
  per visitor), is not marked no-cache/no-store/private, and is not streamed.
- The CSP nonce differs per response: before storing, the page's nonce is
  replaced by a placeholder, and each hit gets a fresh nonce that the CSP
  middleware (outside this one) then puts in the header.

Invalidation: every key carries a site-wide content generation. Saving or
deleting a public content model (an issue, an article, a meeting, a webinar, a
person…) bumps it through `invalidate()` (connected to model signals in
gds_portal/apps.py, and callable from services that write with
`QuerySet.update()`), so the next request renders afresh. Pages whose content
changes with the clock alone (a scheduled issue appearing, a call closing)
are kept at most PAGE_CACHE_SECONDS.

With the default local-memory cache each server process holds its own copy,
so a change made through one process reaches the others within
PAGE_CACHE_SECONDS; with CACHE_URL=redis://… (production, see docs/deploy.md)
the generation is shared and invalidation is immediate everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse

T = TypeVar("T")
GENERATION_KEY = "pagecache:generation"
NONCE_PLACEHOLDER = "\x00gds-csp-nonce\x00"
CACHEABLE_TYPES = (
    "text/html",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "text/plain",
    "text/calendar",
)
# Headers that middleware outside this one adds to every response; never stored.
SKIPPED_HEADERS = {"content-length", "content-security-policy", "set-cookie"}
# Models whose rows appear on public pages. Saving or deleting one empties the cache.
PUBLIC_CONTENT_MODELS = {
    "community": {"person", "unit"},
    "flatpages": {"flatpage"},
    "sites": {"site"},
    "newsletters": {"issue", "article", "authorship", "reference"},
    "meetings": {"meeting", "sortingcategory", "categorycosponsor"},
    "webinars": {"webinar", "webinarspeaker", "topic"},
    "crrg": {"crrgpage", "interestgroup", "questionnaire", "question", "choice"},
}


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def generation() -> int:
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        # add() so that two processes starting together agree on one value.
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def invalidate() -> None:
    """Make every cached page stale (they are then rendered afresh on next request)."""
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value differs from none
        cache.add(GENERATION_KEY, 2, timeout=None)


def cached_fragment(name: str, compute: Callable[[], T]) -> T:
    """`compute()`, cached until public content changes (or PAGE_CACHE_SECONDS pass).

    For parts of public pages whose cost grows with the archive (filter options
    listing every speaker, totals over every webinar): members' pages and
    uncached renders share them too. `compute` must not depend on the visitor.
    """
    if not settings.PAGE_CACHE_SECONDS:
        return compute()
    key = f"fragment:{generation()}:{name}"
    value = _cache().get(key)
    if value is None:
        value = compute()
        _cache().set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


def is_public_content(model) -> bool:
    meta = model._meta
    return meta.model_name in PUBLIC_CONTENT_MODELS.get(meta.app_label, ())


def invalidate_on_change(sender, **kwargs) -> None:
    """Signal receiver (post_save, post_delete, m2m_changed) for public content models."""
    model = getattr(sender, "_meta", None) and sender
    if kwargs.get("raw"):
        return  # fixtures being loaded
    through_owner = kwargs.get("instance")
    if (model is not None and is_public_content(model)) or (
        through_owner is not None and "action" in kwargs and is_public_content(type(through_owner))
    ):
        invalidate()


def _eligible_request(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and settings.MESSAGE_COOKIE_NAME not in request.COOKIES
    )


def _key(request: HttpRequest) -> str:
    return f"pagecache:{generation()}:{request.get_host()}:{request.get_full_path()}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not any(word in cache_control for word in ("no-cache", "no-store", "private"))
        and response.get("Content-Type", "").startswith(CACHEABLE_TYPES)
    )


def _stored(request: HttpRequest, response: HttpResponse) -> dict:
    body = response.content
    nonce = getattr(request, "_csp_nonce", None)
    if isinstance(nonce, str):
        body = body.replace(nonce.encode(), NONCE_PLACEHOLDER.encode())
    headers = {k: v for k, v in response.items() if k.lower() not in SKIPPED_HEADERS}
    return {"body": body, "headers": headers}


def _from_stored(request: HttpRequest, stored: dict) -> HttpResponse:
    body = stored["body"]
    if NONCE_PLACEHOLDER.encode() in body:
        body = body.replace(NONCE_PLACEHOLDER.encode(), str(request.csp_nonce).encode())
    response = HttpResponse(body, headers=stored["headers"])
    response["X-Page-Cache"] = "hit"
    return response


class AnonymousPageCacheMiddleware:
    """Answer anonymous GETs from the page cache; store what is safe to share.

    Sits after the CSP and security-header middleware (so every hit gets fresh
    headers and a fresh nonce) and before sessions, CSRF and authentication,
    which a hit never needs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_SECONDS or not _eligible_request(request):
            return self.get_response(request)
        if settings.BENCH_MODE and request.headers.get("X-Bench-Cold"):
            return self.get_response(request)  # the benchmark measures the uncached render
        key = _key(request)
        stored = _cache().get(key)
        if stored is not None:
            return _from_stored(request, stored)
        response = self.get_response(request)
        if _storable(request, response):
            _cache().set(key, _stored(request, response), settings.PAGE_CACHE_SECONDS)
        return response
