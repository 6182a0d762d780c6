"""The anonymous page cache: public pages rendered once, served to every anonymous reader.

What is cached, and why it is safe:
- Only GET requests that carry neither a session cookie nor a messages cookie are
  answered from the cache. Without a session cookie the visitor is anonymous, so
  no member ever receives a page rendered for someone else (a member's request
  always renders afresh, and PrivateCacheMiddleware marks it private).
- A rendered page is stored only if it is a plain 200 HTML/XML/text response
  that set no cookie, did not use a CSRF token (pages with forms that POST stay
  per visitor), is not marked no-cache/no-store/private, and is not streamed.
- A page holds nothing that differs per response: the CSP allows scripts from our
  own files only, with no nonce (settings.CONTENT_SECURITY_POLICY), and the
  security headers are added afresh to each hit by middleware outside this one.

Invalidation: every key carries a site-wide content generation, and any write
to a table of public content (an issue, an article, a meeting, a webinar, a
person…) bumps it, so the next request renders afresh. Each app names its
public models in its AppConfig.ready() (`public_models.register(...)`).

Two rules make a stale page impossible rather than unlikely:
- The bump runs on commit (`transaction.on_commit`), never inside the writing
  transaction. A reader that arrives between the write and its commit still
  sees the old rows, but it stores them under the old generation, which the
  commit then retires; bumping before the commit would let that reader store
  the old page under the new generation for PAGE_CACHE_SECONDS.
- The bump is triggered by the SQL itself, not by model signals or by services
  remembering to call it: a database execute wrapper on every connection
  (`_invalidate_after_public_writes`) watches INSERT, UPDATE and DELETE
  statements, so `save()`, `QuerySet.update()`/`delete()`, `bulk_create()`,
  many-to-many changes and raw SQL all invalidate, and new code cannot forget.

Pages whose content changes with the clock alone (a scheduled issue appearing,
a call closing) are kept at most PAGE_CACHE_SECONDS.

With the default local-memory cache each server process holds its own copy,
so a change made through one process reaches the others within
PAGE_CACHE_SECONDS; with CACHE_URL=redis://… (production, see docs/deploy.md)
the generation is shared and invalidation is immediate everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse

T = TypeVar("T")
GENERATION_KEY = "pagecache:generation"
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


class PublicModels:
    """The tables whose rows appear on public pages; a write to one empties the cache."""

    def __init__(self):
        self.tables: set[str] = set()

    def register(self, *models) -> None:
        # Many-to-many tables of a public model count too (a webinar's topics).
        for model in models:
            self.tables.add(model._meta.db_table)
            for field in model._meta.local_many_to_many:
                self.tables.add(field.remote_field.through._meta.db_table)


public_models = PublicModels()
# The table a write statement changes, as Django (and hand-written SQL) spells it.
_WRITE = re.compile(r'\s*(?:UPDATE|DELETE\s+FROM|INSERT\s+INTO)\s+"?(\w+)"?', re.IGNORECASE)


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


def _invalidate_after_public_writes(execute, sql, params, many, context):
    """Database execute wrapper: a write to a public table invalidates once it commits.

    Registered after the statement ran, so in autocommit mode (no transaction)
    `on_commit` bumps at once, and a failed statement bumps nothing. A write in
    a savepoint that is rolled back takes its callback with it.
    """
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql)
    if match and match.group(1) in public_models.tables:
        connection = context["connection"]
        if connection.in_atomic_block or connection.get_autocommit():
            transaction.on_commit(invalidate, using=connection.alias)
        else:  # manual transaction management, which no code here uses: bump now
            invalidate()
    return result


def watch_connection(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: put the write watcher on every new connection."""
    if _invalidate_after_public_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _invalidate_after_public_writes)


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
    headers = {k: v for k, v in response.items() if k.lower() not in SKIPPED_HEADERS}
    return {"body": response.content, "headers": headers}


def _from_stored(request: HttpRequest, stored: dict) -> HttpResponse:
    response = HttpResponse(stored["body"], headers=stored["headers"])
    response["X-Page-Cache"] = "hit"
    return response


class AnonymousPageCacheMiddleware:
    """Answer anonymous GETs from the page cache; store what is safe to share.

    Sits after the CSP and security-header middleware (so every hit gets fresh
    headers) and before sessions, CSRF and authentication,
    which a hit never needs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def eligible(self, request: HttpRequest) -> bool:
        return bool(settings.PAGE_CACHE_SECONDS) and _eligible_request(request)

    def __call__(self, request):
        if not self.eligible(request):
            return self.get_response(request)
        key = _key(request)
        stored = _cache().get(key)
        if stored is not None:
            return _from_stored(request, stored)
        response = self.get_response(request)
        if _storable(request, response):
            _cache().set(key, _stored(request, response), settings.PAGE_CACHE_SECONDS)
        return response
