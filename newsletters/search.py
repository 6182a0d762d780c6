from django.db.models import F, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.urls import reverse_lazy

from gds_portal.search import SearchHit, ranked, sources
from newsletters.models import Article

# What an article's snippet is cut from (its title is shown beside it).
# Markdown both: a blank line keeps the body's first block (a heading, a list) one.
ARTICLE_TEXT = Concat("standfirst", Value(" …\n\n"), "body", output_field=TextField())


class ArticleSearch:
    """Articles of visible issues; title weighs more than standfirst, standfirst more than body.

    The vector is stored (a generated column) and GIN-indexed (`article_search_idx`),
    so PostgreSQL answers from the index instead of parsing every body. An article is
    also found by its authors' names, through their people's indexed vectors
    (Küçükbenli's perspective for "kucukbenli"), even where its text never names them.
    """

    kind = "Article"

    def hits(self, query, limit: int) -> list[SearchHit]:
        visible = Article.objects.visible()
        by_author = visible.filter(authorships__person__search_vector=query)
        rows = ranked(visible, query, limit, "-issue__published_at", also=by_author).values(
            "pk",
            "title",
            "slug",
            "rank",
            "issue__year",
            "issue__season",
            "issue__title",
            "issue__published_at",
        )
        return [self._hit(row) for row in rows]

    def _hit(self, row) -> SearchHit:
        url = reverse_lazy(
            "newsletters:article",
            kwargs={
                "year": row["issue__year"],
                "season": row["issue__season"],
                "slug": row["slug"],
            },
        )
        return SearchHit(
            id=row["pk"],
            kind=f"Article · {row['issue__title']}",
            title=row["title"],
            url=url,
            rank=row["rank"],
            date=row["issue__published_at"],
        )

    def texts(self, ids: list[int]) -> dict[int, str]:
        return sources(Article.objects.all(), ids, ARTICLE_TEXT)

    def titles(self) -> QuerySet:
        return Article.objects.visible().annotate(suggestion=F("title"))
