"""Reads for the reading pages, each with a fixed number of queries."""

from __future__ import annotations

from itertools import groupby

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from community.models import Person
from newsletters.enums import KIND_HEADINGS, KIND_ORDER, SEASON_ORDER
from newsletters.models import Article, Authorship, Issue

AUTHORSHIPS = Prefetch(
    "authorships", queryset=Authorship.objects.select_related("person").order_by("order", "id")
)


def visible_issues() -> QuerySet[Issue]:
    return Issue.objects.visible()


def archive_by_year() -> list[tuple[int, list[Issue]]]:
    """Visible issues grouped by year, newest year first, seasons in reverse order."""
    issues = sorted(visible_issues(), key=lambda i: (i.year, SEASON_ORDER[i.season]), reverse=True)
    return [(year, list(group)) for year, group in groupby(issues, key=lambda i: i.year)]


def latest_issue() -> Issue | None:
    issues = sorted(visible_issues(), key=lambda i: (i.year, SEASON_ORDER[i.season]))
    return issues[-1] if issues else None


def _issue_articles(issue: Issue) -> list[Article]:
    return list(issue.articles.prefetch_related(AUTHORSHIPS).order_by("order", "id"))


def issue_contents(issue: Issue) -> list[tuple[str, list[Article]]]:
    """The table of contents: articles grouped by kind, kinds in the usual order."""
    articles = sorted(_issue_articles(issue), key=lambda a: (KIND_ORDER[a.kind], a.order, a.id))
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


def article_in_issue(*, issue: Issue, slug: str) -> tuple[Article, Article | None, Article | None]:
    """The article with its authors and references, and its neighbours in reading order."""
    siblings = list(issue.articles.order_by("order", "id").only("id", "slug", "title", "issue"))
    index = next((i for i, a in enumerate(siblings) if a.slug == slug), None)
    if index is None:
        raise Http404("No such article.")
    article = Article.objects.prefetch_related(AUTHORSHIPS, "references").get(pk=siblings[index].pk)
    article.issue = issue
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    for neighbour in (previous, following):
        if neighbour is not None:
            neighbour.issue = issue
    return article, previous, following


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
