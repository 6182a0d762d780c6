"""Site-wide search: one query box, results from every app that registers a provider.

An app registers a provider once, in its AppConfig.ready():

    from gds_portal.search import registry
    registry.register(ArticleSearch())

A provider answers two questions, one query each (PostgreSQL full-text search
over a stored, GIN-indexed `search_vector`, with `websearch` syntax):

- `hits(query, limit)`: its matches as `SearchHit`s, best first, ranked within a
  bounded candidate set (`ranked`): at most `limit` of them, without snippets.
- `snippets(query, ids)`: the ts_headline text of the rows with these primary
  keys (`headlines`), asked only for the hits on the page being shown.

The registry merges the providers' hits by rank, paginates, and fetches the
snippets of the displayed page; `highlight` turns ts_headline output into safe
HTML. Every step is bounded, so a search costs the same whatever the size of
the archive: at most 2 queries per provider.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db.models import F, Func, QuerySet, TextField, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# ts_headline marks matches with these. Stored text could hold them too (a member
# can type them), so `headline` deletes them from the text before ts_headline runs:
# then every marker in its output is ts_headline's own, and escaping everything
# else and swapping the markers for <mark> yields safe HTML (issue 15, break 12).
START, STOP = "\x02", "\x03"
# Bounded: at most this many results are listed (5 pages), and each provider
# ranks at most one more candidate than that, so "more than 100" can be told.
# The ranking work grows with this number, never with the archive.
MAX_RESULTS = 100
PAGE_SIZE = 20


@dataclass(frozen=True)
class SearchHit:
    """One match as a provider ranks it: everything the page shows but the snippet."""

    id: int  # the primary key the provider's `snippets` takes
    kind: str  # what the reader sees, e.g. "Article", "Person", "Webinar"
    title: str
    url: str  # reverse_lazy: only the displayed page's URLs are worked out
    rank: float
    date: datetime | None = None


@dataclass(frozen=True)
class SearchResult:
    """A hit on the displayed page, with its highlighted snippet."""

    kind: str
    title: str
    url: str
    snippet: SafeString
    rank: float
    date: datetime | None = None


class SearchProvider(Protocol):
    kind: str

    def hits(self, query: SearchQuery, limit: int) -> list[SearchHit]: ...

    def snippets(self, query: SearchQuery, ids: list[int]) -> dict[int, str]: ...


@dataclass(frozen=True)
class SearchPage:
    page: Page  # of SearchResult
    more: bool  # more than MAX_RESULTS matched: the count shown is a lower bound


def websearch_query(text: str, config: str = "english") -> SearchQuery:
    """Web-search syntax: "quoted phrases", OR, -excluded words."""
    return SearchQuery(text, search_type="websearch", config=config)


def ranked(queryset: QuerySet, query: SearchQuery, limit: int, *tiebreak: str) -> QuerySet:
    """Rows of `queryset` whose `search_vector` matches `query`, best first, at most `limit`.

    Only a bounded candidate set is ranked: the first `limit` matches found
    (in storage order, roughly the oldest rows first), not every match.
    Ranking every match would cost time in proportion to the archive for a
    vague query; the price is that when more than `limit` rows of one kind
    match, the best of them may lie outside the candidates. A more precise
    query (another word, a "quoted phrase") narrows the matches until all are
    ranked. The candidates' default ordering is dropped: sorting them would
    visit every match.
    """
    candidates = queryset.filter(search_vector=query).order_by().values("pk")[:limit]
    return (
        queryset.filter(pk__in=candidates)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", *tiebreak, "pk")
    )


def without_markers(expression) -> Func:
    """`expression` (a field name or text expression) with START and STOP deleted, in SQL."""
    if isinstance(expression, str):
        expression = F(expression)
    return Func(
        expression,
        Value(START + STOP),
        Value(""),
        function="translate",
        output_field=TextField(),
    )


def headline(expression, query: SearchQuery, config: str = "english") -> SearchHeadline:
    return SearchHeadline(
        without_markers(expression),
        query,
        config=config,
        start_sel=START,
        stop_sel=STOP,
        max_words=35,
        min_words=15,
        max_fragments=2,
    )


def headlines(queryset: QuerySet, ids: Iterable[int], text, query: SearchQuery) -> dict[int, str]:
    """ts_headline of `text` for the rows with these primary keys: {pk: raw headline}."""
    rows = queryset.filter(pk__in=ids).order_by().annotate(snippet=headline(text, query))
    return dict(rows.values_list("pk", "snippet"))


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

    def page(self, text: str, number) -> SearchPage:
        """Page `number` of the results for `text`; no query at all for blank text."""
        text = text.strip()
        query = websearch_query(text)
        found = self._hits(query) if text else []
        page = Paginator(found[:MAX_RESULTS], PAGE_SIZE).get_page(number)
        page.object_list = self._results(query, page.object_list)
        return SearchPage(page=page, more=len(found) > MAX_RESULTS)

    def _hits(self, query: SearchQuery) -> list[tuple[SearchHit, SearchProvider]]:
        # One more than is listed, so that "more than MAX_RESULTS" can be told.
        found = [(hit, p) for p in self.providers for hit in p.hits(query, MAX_RESULTS + 1)]
        found.sort(key=lambda pair: pair[0].rank, reverse=True)  # stable: ties keep their order
        return found

    def _results(self, query: SearchQuery, found) -> list[SearchResult]:
        """The page's hits with their snippets: one query per provider with hits on it."""
        ids = defaultdict(list)
        for hit, provider in found:
            ids[provider].append(hit.id)
        snippets = {provider: provider.snippets(query, pks) for provider, pks in ids.items()}
        return [
            SearchResult(
                kind=hit.kind,
                title=hit.title,
                url=hit.url,
                snippet=highlight(snippets[provider].get(hit.id)),
                rank=hit.rank,
                date=hit.date,
            )
            for hit, provider in found
        ]


registry = SearchRegistry()


class FlatPageSearch:
    """The site's flat pages (About, the diversity statement, the Code of Conduct).

    Django's FlatPage is not ours to give a stored `search_vector` column; the table
    holds a handful of committee pages, so the vector is computed in the query. Pages
    that need a sign-in are left out (the search page is the same for everyone).
    """

    kind = "Page"

    def _pages(self) -> QuerySet:
        from django.conf import settings
        from django.contrib.flatpages.models import FlatPage
        from django.contrib.postgres.search import SearchVector

        return FlatPage.objects.filter(
            sites=settings.SITE_ID, registration_required=False
        ).annotate(
            search_vector=SearchVector("title", weight="A", config="english")
            + SearchVector("content", weight="B", config="english")
        )

    def hits(self, query: SearchQuery, limit: int) -> list[SearchHit]:
        rows = ranked(self._pages(), query, limit, "title")
        return [
            SearchHit(
                id=row["pk"], kind=self.kind, title=row["title"], url=row["url"], rank=row["rank"]
            )
            for row in rows.values("pk", "title", "url", "rank")
        ]

    def snippets(self, query: SearchQuery, ids: list[int]) -> dict[int, str]:
        return headlines(self._pages(), ids, "content", query)
