"""Benchmark data for newsletters: issues, articles, their authors and references."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.generate import Generator


def generate(g: Generator, people: list) -> None:
    Issue, Article = g.model("newsletters.Issue"), g.model("newsletters.Article")
    Authorship = g.model("newsletters.Authorship")
    Reference = g.model("newsletters.Reference")
    kinds = [c for c, _ in Article._meta.get_field("kind").choices]
    seasons = ["winter", "spring", "summer", "fall"]
    count = 40 * g.scale
    first_year = g.now.year - (count + 3) // 4
    issues = []
    for i in range(count):
        year, season = first_year + i // 4, seasons[i % 4]
        published = datetime(year, 1 + 3 * (i % 4), 15, 12, tzinfo=UTC)
        issues.append(
            Issue(
                title=f"{season.capitalize()} {year}",
                slug=f"{season}-{year}",
                season=season,
                year=year,
                volume=i // 4 + 1,
                number=i % 4 + 1,
                summary=g.text(2),
                status="published",
                published_at=min(published, g.now - timedelta(days=1)),
            )
        )
    issues = g.insert("newsletter issues", issues)
    articles = []
    for issue in issues:
        for order in range(12):
            title = g.title()
            articles.append(
                Article(
                    issue=issue,
                    order=order,
                    kind=kinds[order % len(kinds)],
                    title=title,
                    slug=f"a{order}-{title.lower()[:40]}".replace(" ", "-"),
                    standfirst=g.text(1),
                    body=g.paragraphs(5),
                    # Readers see approved articles only (newsletters ArticleQuerySet):
                    # left at the default (draft), every issue read empty and every
                    # article answered 404.
                    state="approved",
                )
            )
    articles = g.insert("articles", articles)
    authorships, references = [], []
    for article in articles:
        for order, person in enumerate(g.random.sample(people, g.random.randint(1, 3))):
            authorships.append(
                Authorship(article=article, person=person, order=order, role=person.position)
            )
        for order in range(g.random.randint(2, 5)):
            references.append(
                Reference(
                    article=article,
                    order=order,
                    citation=f"{g.name()} et al., {g.title()}, Phys. Rev. E "
                    f"{g.random.randint(90, 110)}, {g.random.randint(1, 9999)} "
                    f"({g.random.randint(2000, 2025)}).",
                    doi=g.doi(),
                )
            )
    g.insert("authorships", authorships)
    g.insert("references", references)
