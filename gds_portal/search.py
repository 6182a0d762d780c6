"""Site-wide search: one query box, results from every app that registers a provider.

An app registers a provider once, in its AppConfig.ready():

    from gds_portal.search import registry
    registry.register(ArticleSearch())

A provider answers three questions, one query each (PostgreSQL full-text search
over a stored, GIN-indexed `search_vector`):

- `hits(query, limit)`: its matches as `SearchHit`s, best first, ranked within a
  bounded candidate set (`ranked`): at most `limit` of them, without snippets.
- `texts(ids)`: the Markdown source a snippet is cut from, for the rows with these
  primary keys (`sources`), asked only for the hits on the page being shown.
- `titles()`: a queryset of its public rows with their title or name annotated as
  `suggestion`, for "did you mean" when a search finds nothing.

What the search forgives (issue 19): accents on either side (`unaccent` in both text
search configurations below), a last word still being typed ("bayes" finds
"Bayesian": it is matched as a prefix), and English word forms in prose ("analyses"
finds "analysis") while names and codes match as written ("23.01.12").

The registry merges the providers' hits by rank, paginates, turns the displayed
page's sources into the plain text a reader sees (`plain_text`: no Markdown, TeX or
HTML) and cuts all their snippets in one query; `highlight` turns ts_headline output
into safe HTML. Every step is bounded, so a search costs the same whatever the size
of the archive: one query per provider to rank, one per provider with hits on the
shown page, and one for all the page's snippets.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import CombinedSearchQuery, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import F, FloatField, Func, Q, QuerySet, TextField, Value
from django.db.models.sql import Query
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gds_portal.markdown import plain_text

# The two text-search configurations (gds_portal migration 0009), both with `unaccent`:
# PROSE stems English words, EXACT keeps names and codes as written. A search vector
# indexes each field with one of them; a query is parsed with both, so it matches either.
PROSE = "gds_english"
EXACT = "gds_simple"

# ts_headline marks matches with these. Stored text could hold them too (a member
# can type them), so `headlines` deletes them from the text before ts_headline runs:
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

    def texts(self, ids: list[int]) -> dict[int, str]: ...

    def titles(self) -> QuerySet: ...


@dataclass(frozen=True)
class SearchPage:
    page: Page  # of SearchResult
    more: bool  # more than MAX_RESULTS matched: the count shown is a lower bound
    suggestions: list[str]  # "did you mean", only when nothing matched


# The last word as typed: word characters, with dots inside ("23.01.1", "bayes").
# Only these characters reach to_tsquery's syntax, inside quotes, so no input can
# make a syntax error or an operator of them (issue 19).
LAST_WORD = re.compile(r"\w(?:[\w.]*\w)?$")
EXCLUDED = re.compile(r"(?:^|\s)-$")
# A prefix this long is no longer being typed; tsquery refuses words over 2047 bytes.
MAX_PREFIX = 64
# How alike (pg_trgm word_similarity, 0 to 1) a title must be to what was typed to be
# suggested, and how many suggestions are offered.
SUGGESTION_THRESHOLD = 0.4
MAX_SUGGESTIONS = 3


def websearch_query(text: str, config: str = PROSE) -> SearchQuery:
    """Web-search syntax: "quoted phrases", OR, -excluded words; never a syntax error."""
    return SearchQuery(text, search_type="websearch", config=config)


def _prefix(word: str, config: str) -> SearchQuery:
    # `word` matched LAST_WORD: no quote, backslash or operator can be in it.
    return SearchQuery(f"'{word}':*", search_type="raw", config=config)


def search_query(text: str) -> SearchQuery | CombinedSearchQuery:
    """What a reader typed as one tsquery: every word, in prose or as a name or code.

    The text is parsed twice, stemmed (PROSE) and as written (EXACT), so that
    "analyses" finds "analysis" in a body and "Bayes" finds a person called Bayes;
    the alternatives are joined with OR. The last word also matches as a prefix
    ("bayes" finds "Bayesian", "kucuk" finds "Küçükbenli") unless it is excluded
    (-word) or inside an unclosed "phrase: the rest of the query must match as well.
    """
    query = websearch_query(text, PROSE) | websearch_query(text, EXACT)
    last = LAST_WORD.search(text)
    if last is None or len(last.group()) > MAX_PREFIX:
        return query
    head = text[: last.start()]
    # "-word" excludes a word (a hyphen inside "x-ra" does not); an odd quote opens a phrase.
    if EXCLUDED.search(head) or head.count('"') % 2:
        return query
    for config in (PROSE, EXACT):
        prefix: SearchQuery | CombinedSearchQuery = _prefix(last.group(), config)
        if head.strip():
            prefix = websearch_query(head, config) & prefix
        query |= prefix
    return query


def ranked(
    queryset: QuerySet, query, limit: int, *tiebreak: str, also: QuerySet | None = None
) -> QuerySet:
    """Rows of `queryset` whose `search_vector` matches `query`, best first, at most `limit`.

    Only a bounded candidate set is ranked: the first `limit` matches found
    (in storage order, roughly the oldest rows first), not every match.
    Ranking every match would cost time in proportion to the archive for a
    vague query; the price is that when more than `limit` rows of one kind
    match, the best of them may lie outside the candidates. A more precise
    query (another word, a "quoted phrase") narrows the matches until all are
    ranked. The candidates' default ordering is dropped: sorting them would
    visit every match.

    `also`: rows of `queryset` that match in another table's vector (an article
    by its authors' names), up to `limit` more candidates, found through that
    table's own index; they rank by their own vector like the others.
    """
    candidates = queryset.filter(search_vector=query).order_by().values("pk")[:limit]
    if also is not None:
        candidates = candidates.union(also.order_by().values("pk")[:limit])
    return (
        queryset.filter(pk__in=candidates)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", *tiebreak, "pk")
    )


def sources(queryset: QuerySet, ids: Iterable[int], text) -> dict[int, str]:
    """`text` (a field name or text expression) of the rows with these primary keys."""
    if isinstance(text, str):
        text = F(text)
    rows = queryset.filter(pk__in=ids).order_by().annotate(snippet_source=text)
    return dict(rows.values_list("pk", "snippet_source"))


def compiled_query(query) -> tuple[str, list]:
    """The SQL of a search query expression, to use it outside a queryset."""
    sql_query = Query(None)
    compiler = sql_query.get_compiler(connection=connection)
    sql, params = compiler.compile(query.resolve_expression(sql_query))
    return sql, list(params)


HEADLINE_OPTIONS = f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, MaxFragments=2"


def headlines(query, texts: list[str]) -> list[str]:
    """ts_headline of each plain text, in one query: the snippets of a page, in order.

    Stored text could hold the match markers (a member can type them), so they are
    deleted before ts_headline runs: then every marker in its output is its own, and
    escaping everything else and swapping the markers for <mark> yields safe HTML
    (issue 15, break 12).
    """
    if not texts:
        return []
    clean = [text.translate({ord(START): None, ord(STOP): None}) for text in texts]
    query_sql, query_params = compiled_query(query)
    sql = (
        f"SELECT ts_headline(%s::regconfig, t, {query_sql}, %s) "  # noqa: S608 -- Django's compiled SQL, every value a parameter
        "FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [PROSE, *query_params, HEADLINE_OPTIONS, clean])
        return [row[0] for row in cursor.fetchall()]


def highlight(raw: str | None) -> SafeString:
    """Escape a ts_headline result and turn its match markers into <mark> tags."""
    text = escape(raw or "")
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 -- escaped above


def unaccented(expression) -> Func:
    """`expression` without accents, in SQL: gds_unaccent (gds_portal migration 0009) is
    `unaccent` declared immutable, so that indexes can hold it (`trigram_index`)."""
    if isinstance(expression, str):
        expression = F(expression)
    return Func(expression, function="gds_unaccent", output_field=TextField())


def trigram_index(field: str, name: str, condition: Q | None = None) -> GinIndex:
    """The index "did you mean" reads for a provider's titles: trigrams of the unaccented
    `field`, so that finding titles like what was typed reads no more than the matches."""
    return GinIndex(OpClass(unaccented(field), name="gin_trgm_ops"), name=name, condition=condition)


class SearchRegistry:
    def __init__(self):
        self._providers: dict[str, SearchProvider] = {}

    def register(self, provider: SearchProvider) -> None:
        self._providers[type(provider).__qualname__] = provider

    @property
    def providers(self) -> list[SearchProvider]:
        return list(self._providers.values())

    def page(self, text: str, number) -> SearchPage:
        """Page `number` of the results for `text`; no query at all for blank text.

        When nothing matches, one more query looks for titles like what was typed.
        """
        text = text.strip()
        query = search_query(text)
        found = self._hits(query) if text else []
        page = Paginator(found[:MAX_RESULTS], PAGE_SIZE).get_page(number)
        page.object_list = self._results(query, page.object_list)
        suggestions = self.suggestions(text) if text and not found else []
        return SearchPage(page=page, more=len(found) > MAX_RESULTS, suggestions=suggestions)

    def _hits(self, query) -> list[tuple[SearchHit, SearchProvider]]:
        # One more than is listed, so that "more than MAX_RESULTS" can be told.
        found = [(hit, p) for p in self.providers for hit in p.hits(query, MAX_RESULTS + 1)]
        found.sort(key=lambda pair: pair[0].rank, reverse=True)  # stable: ties keep their order
        return found

    def _results(self, query, found) -> list[SearchResult]:
        """The page's hits with their snippets: one query per provider with hits on it
        for the sources, one for all the snippets (cut from the plain text)."""
        ids = defaultdict(list)
        for hit, provider in found:
            ids[provider].append(hit.id)
        texts = {provider: provider.texts(pks) for provider, pks in ids.items()}
        snippets = headlines(
            query, [plain_text(texts[provider].get(hit.id)) for hit, provider in found]
        )
        return [
            SearchResult(
                kind=hit.kind,
                title=hit.title,
                url=hit.url,
                snippet=highlight(snippet),
                rank=hit.rank,
                date=hit.date,
            )
            for (hit, provider), snippet in zip(found, snippets, strict=True)
        ]

    def suggestions(self, text: str) -> list[str]:
        """Titles and names most like `text` (pg_trgm, accents ignored): two queries.

        Asked only when a search found nothing ("did you mean"); each provider offers
        its public rows' titles, so nothing is suggested that the search would not show.
        The `%>` operator lets PostgreSQL answer from each title's trigram index
        (`trigram_index`); its threshold is set for this transaction only.
        """
        typed = unaccented(Value(text[: MAX_PREFIX * 2]))
        similar = [
            provider.titles()
            .annotate(unaccented_suggestion=unaccented("suggestion"))
            .filter(unaccented_suggestion__trigram_word_similar=typed)
            .annotate(
                similarity=Func(
                    typed,
                    F("unaccented_suggestion"),
                    function="word_similarity",
                    output_field=FloatField(),
                )
            )
            .order_by()
            .values_list("suggestion", "similarity")
            for provider in self.providers
        ]
        if not similar:
            return []
        rows = similar[0].union(*similar[1:], all=True).order_by("-similarity", "suggestion")
        # No savepoint: set_config(..., true) lasts to the end of the transaction either way.
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                [str(SUGGESTION_THRESHOLD)],
            )
            found = [title for title, _ in rows[: MAX_SUGGESTIONS * 3]]
        return list(dict.fromkeys(found))[:MAX_SUGGESTIONS]


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
            search_vector=SearchVector("title", weight="A", config=PROSE)
            + SearchVector("content", weight="B", config=PROSE),
            suggestion=F("title"),
        )

    def hits(self, query: SearchQuery, limit: int) -> list[SearchHit]:
        rows = ranked(self._pages(), query, limit, "title")
        return [
            SearchHit(
                id=row["pk"], kind=self.kind, title=row["title"], url=row["url"], rank=row["rank"]
            )
            for row in rows.values("pk", "title", "url", "rank")
        ]

    def texts(self, ids: list[int]) -> dict[int, str]:
        return sources(self._pages(), ids, "content")

    def titles(self) -> QuerySet:
        return self._pages()
