"""Site-wide search: one query box, results from every app that registers a provider.

An app registers a provider once, in its AppConfig.ready():

    from gds_portal.search import registry
    registry.register(ArticleSearch())

A provider implements `search(query, limit)` and returns up to `limit`
`SearchResult`s ordered by its own rank (PostgreSQL full-text search with
`websearch` syntax, via `websearch_query`). The view merges providers by rank
and paginates; `highlight` turns ts_headline output into safe HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# ts_headline marks matches with these; they cannot occur in real text, so
# escaping everything else and swapping them for <mark> yields safe HTML.
START, STOP = "\x02", "\x03"
MAX_RESULTS = 200  # bounded: the 11th page of a vague query is never worth the cost


@dataclass(frozen=True)
class SearchResult:
    kind: str  # what the reader sees, e.g. "Article", "Person", "Webinar"
    title: str
    url: str
    snippet: SafeString
    rank: float
    date: datetime | None = None


class SearchProvider(Protocol):
    kind: str

    def search(self, query: SearchQuery, limit: int) -> list[SearchResult]: ...


def websearch_query(text: str, config: str = "english") -> SearchQuery:
    """Web-search syntax: "quoted phrases", OR, -excluded words."""
    return SearchQuery(text, search_type="websearch", config=config)


def headline(expression, query: SearchQuery, config: str = "english") -> SearchHeadline:
    return SearchHeadline(
        expression,
        query,
        config=config,
        start_sel=START,
        stop_sel=STOP,
        max_words=35,
        min_words=15,
        max_fragments=2,
    )


def highlight(raw: str | None) -> SafeString:
    """Escape a ts_headline result and turn its match markers into <mark> tags."""
    text = escape(raw or "")
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 -- escaped above


class SearchRegistry:
    def __init__(self):
        self._providers: dict[str, SearchProvider] = {}

    def register(self, provider: SearchProvider) -> None:
        self._providers[type(provider).__qualname__] = provider

    @property
    def providers(self) -> list[SearchProvider]:
        return list(self._providers.values())

    def search(self, text: str, *, limit: int = MAX_RESULTS) -> list[SearchResult]:
        text = text.strip()
        if not text:
            return []
        query = websearch_query(text)
        results = [r for p in self.providers for r in p.search(query, limit)]
        results.sort(key=lambda r: r.rank, reverse=True)
        return results[:limit]


registry = SearchRegistry()
