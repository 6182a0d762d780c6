from django.contrib.postgres.search import SearchRank
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat
from django.urls import reverse

from gds_portal.search import SearchResult, headline, highlight
from newsletters.models import Article


class ArticleSearch:
    """Articles of visible issues; title weighs more than standfirst, standfirst more than body.

    The vector is stored (a generated column) and GIN-indexed (`article_search_idx`),
    so PostgreSQL answers from the index instead of parsing every body.
    """

    kind = "Article"

    def search(self, query, limit: int) -> list[SearchResult]:
        rows = (
            Article.objects.visible()
            .filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                snippet=headline(
                    Concat("standfirst", Value(" … "), "body", output_field=TextField()), query
                ),
            )
            .order_by("-rank", "-issue__published_at")
            .values(
                "title", "slug", "snippet", "rank", "issue__year", "issue__season",
                "issue__title", "issue__published_at",
            )[:limit]
        )  # fmt: skip
        return [self._result(row) for row in rows]

    def _result(self, row) -> SearchResult:
        url = reverse(
            "newsletters:article",
            kwargs={
                "year": row["issue__year"],
                "season": row["issue__season"],
                "slug": row["slug"],
            },
        )
        return SearchResult(
            kind=f"Article · {row['issue__title']}",
            title=row["title"],
            url=url,
            snippet=highlight(row["snippet"]),
            rank=row["rank"],
            date=row["issue__published_at"],
        )
