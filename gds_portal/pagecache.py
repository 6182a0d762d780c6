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

The generation lives in the cache every process of the site shares
(settings.CACHES["default"]): the default file cache (var/cache) is shared by
every process on one machine, CACHE_URL=redis://… by every machine, so an
invalidation reaches every process at once. Pages and fragments are kept in
each process's memory when the shared cache is files (a page view then reads
one small file, the generation, not a page), in Redis when it is Redis: either
way they are stored under the generation a process read, so a bump anywhere
retires them everywhere. CACHE_URL=locmem: is one cache per process, for a
single process only: with two gunicorn workers a change made through one would
reach the other only when its copy expired (outside probe of issue 22).
"""

from __future__ import annotations

import re
import secrets
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
    """Where pages and fragments are kept: each process's memory when the shared cache
    is files (settings.CACHES), else the shared cache itself."""
    return caches[settings.PAGE_CACHE_ALIAS]


def _shared():
    """Where the generation is kept: the one cache every process of the site reads."""
    return caches["default"]


def _new_generation() -> str:
    return secrets.token_hex(8)


def generation() -> str:
    """The current content generation: a random token, replaced by every invalidation.

    A token, not a counter: the file cache's incr() is a read and a write, so two
    bumps at once could both write the same next number, and a reader that had read
    that number in between would store the older page under a generation that then
    never changes. A fresh random token always differs from every token a reader
    could hold; and a token that is lost (culled, evicted) is replaced by a new one,
    never by an old value under which stale pages could still be stored.
    """
    cache = _shared()
    value = cache.get(GENERATION_KEY)
    if value is None:
        # add() so that two processes starting together agree on one value.
        cache.add(GENERATION_KEY, _new_generation(), timeout=None)
        value = cache.get(GENERATION_KEY) or _new_generation()
    return value


def invalidate() -> None:
    """Make every cached page stale (they are then rendered afresh on next request)."""
    _shared().set(GENERATION_KEY, _new_generation(), timeout=None)


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
    # A page that set the visitor's CSRF cookie used a token: it stays theirs.
    return shareable_response(response) and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")


def shareable_response(response: HttpResponse) -> bool:
    """What a view answered may be kept for others: a plain 200 of a cacheable type that
    set no cookie and is not marked no-cache, no-store or private (the anonymous cache,
    and the pages members share: gds_portal/sharedpages.py)."""
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
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
