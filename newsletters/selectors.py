"""Reads for the reading pages, each with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from community.models import Person
from gds_portal.markdown import FigureImage
from newsletters.enums import KIND_HEADINGS, KIND_ORDER, SEASON_ORDER
from newsletters.models import Article, Authorship, Figure, Issue, Reference

AUTHORSHIPS = Prefetch(
    "authorships", queryset=Authorship.objects.select_related("person").order_by("order", "id")
)


def visible_issues() -> QuerySet[Issue]:
    return Issue.objects.visible()


# Issues on one archive page: ten years of four seasons. Older years are a link
# away (?before=YEAR), so the page costs the same however long the archive grows.
ARCHIVE_PAGE_ISSUES = 40


def _newest_first(issues: list[Issue]) -> list[Issue]:
    return sorted(issues, key=lambda i: (i.year, SEASON_ORDER[i.season]), reverse=True)


def archive_by_year(
    *, before: int | None = None
) -> tuple[list[tuple[int, list[Issue]]], int | None]:
    """Visible issues grouped by year, newest first, whole years only, one page's worth.

    Returns the years and the `before` value of the next (older) page, or None
    when this page reaches the first issue. One query, bounded by the page size.
    """
    issues = visible_issues() if before is None else visible_issues().filter(year__lt=before)
    rows = list(issues.order_by("-year")[: ARCHIVE_PAGE_ISSUES + 1])
    earlier = None
    if len(rows) > ARCHIVE_PAGE_ISSUES:
        # The first year left out may also have issues on this page: keep years whole.
        cut = rows[ARCHIVE_PAGE_ISSUES].year
        rows = [i for i in rows[:ARCHIVE_PAGE_ISSUES] if i.year != cut]
        earlier = cut + 1
    ordered = _newest_first(rows)
    return [(year, list(group)) for year, group in groupby(ordered, key=lambda i: i.year)], earlier


def latest_issue() -> Issue | None:
    # A year has at most four issues, so the newest is among the newest year's four.
    newest = _newest_first(list(visible_issues().order_by("-year")[:4]))
    return newest[0] if newest else None


def issue_articles(issue: Issue, *, preview: bool = False) -> QuerySet[Article]:
    """The issue's articles a reader sees: approved ones only. An editor's preview shows
    every article, whatever its review state."""
    return issue.articles.all() if preview else issue.articles.approved()


def _issue_articles(issue: Issue, *, preview: bool) -> list[Article]:
    return list(
        issue_articles(issue, preview=preview).prefetch_related(AUTHORSHIPS).order_by("order", "id")
    )


def issue_contents(issue: Issue, *, preview: bool = False) -> list[tuple[str, list[Article]]]:
    """The table of contents: articles grouped by kind, kinds in the usual order."""
    articles = sorted(
        _issue_articles(issue, preview=preview), key=lambda a: (KIND_ORDER[a.kind], a.order, a.id)
    )
    return [
        (KIND_HEADINGS[kind], list(group))
        for kind, group in groupby(articles, key=lambda a: a.kind)
    ]


def issue_for_reader(*, year: int, season: str) -> Issue:
    issue = visible_issues().filter(year=year, season=season).first()
    if issue is None:
        raise Http404("No such issue.")
    return issue


def issue_for_preview(*, pk: int) -> Issue:
    issue = Issue.objects.filter(pk=pk).first()
    if issue is None:
        raise Http404("No such issue.")
    return issue


@dataclass
class ArticleReading:
    article: Article
    previous: Article | None
    following: Article | None
    # Every article of the issue in reading order (id, slug, title, kind): the issue's
    # table of contents beside the article, from the query that finds the neighbours.
    contents: list[Article]


def article_in_issue(*, issue: Issue, slug: str, preview: bool = False) -> ArticleReading:
    """The article with its authors and references, its neighbours in reading order and
    the issue's contents: three queries, however many articles the issue has."""
    siblings = list(
        issue_articles(issue, preview=preview)
        .order_by("order", "id")
        .only("id", "slug", "title", "kind", "issue")
    )
    index = next((i for i, a in enumerate(siblings) if a.slug == slug), None)
    if index is None:
        raise Http404("No such article.")
    article = Article.objects.prefetch_related(AUTHORSHIPS, "references", "figures").get(
        pk=siblings[index].pk
    )
    article.issue = issue
    for sibling in siblings:
        sibling.issue = issue
    return ArticleReading(
        article=article,
        previous=siblings[index - 1] if index > 0 else None,
        following=siblings[index + 1] if index + 1 < len(siblings) else None,
        contents=siblings,
    )


def figure_images(figures: Iterable[Figure]) -> dict[str, FigureImage]:
    """An article's figures by name, as the Markdown renderer places them."""
    return {
        f.slug: FigureImage(
            src=f.image.url, width=f.width, height=f.height, alt=f.alt, caption=f.caption
        )
        for f in figures
    }


def reference_in_article(*, issue: Issue, slug: str, number: int) -> Reference:
    """The `number`-th reference (from 1, as the list shows it) of a visible article."""
    references = Reference.objects.filter(
        article__in=issue_articles(issue).filter(slug=slug).values("pk")
    )
    reference = references.order_by("order", "id")[number - 1 : number].first() if number else None
    if reference is None:
        raise Http404("No such reference.")
    return reference


def articles_by_person(person: Person) -> list[Article]:
    """Visible articles the person wrote, newest issue first."""
    return list(
        Article.objects.visible()
        .filter(authorships__person=person)
        .select_related("issue")
        .order_by("-issue__published_at", "order")
        .distinct()
    )


def recent_articles(limit: int = 30) -> list[Article]:
    return list(
        Article.objects.visible()
        .select_related("issue")
        .prefetch_related(AUTHORSHIPS)
        .order_by("-issue__published_at", "-issue_id", "-order")[:limit]
    )


def names_people_publicly() -> Q:
    """Authors of articles readers can see; an unreleased issue names nobody publicly
    (community.visibility)."""
    return Q(
        Exists(
            Authorship.objects.filter(person=OuterRef("pk"), article__in=Article.objects.visible())
        )
    )
