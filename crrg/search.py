"""Site search over the public CRRG page: what the group does and its active interest
groups. Surveys are for signed-in members only and are never searched (the search page
is the same for everyone).

Both tables hold a handful of rows the coordinators edit, so, as for the flat pages, the
vector is computed in the query instead of being stored.
"""

from django.contrib.postgres.search import SearchVector
from django.db.models import F, QuerySet, Value
from django.urls import reverse_lazy
from django.utils.text import format_lazy

from crrg.models import CrrgPage
from crrg.selectors.answering import public_groups
from gds_portal.search import EXACT, PROSE, SearchHit, ranked, sources

TITLE = "COVID Research and Resources Group"


class CrrgPageSearch:
    kind = "Page"

    def _pages(self) -> QuerySet:
        return CrrgPage.objects.exclude(about="").annotate(
            search_vector=SearchVector(Value(TITLE), weight="A", config=PROSE)
            + SearchVector("about", weight="B", config=PROSE),
            suggestion=Value(TITLE),
        )

    def hits(self, query, limit: int) -> list[SearchHit]:
        rows = ranked(self._pages(), query, limit)
        return [
            SearchHit(
                id=row["pk"],
                kind=self.kind,
                title=TITLE,
                url=reverse_lazy("crrg:home"),
                rank=row["rank"],
            )
            for row in rows.values("pk", "rank")
        ]

    def texts(self, ids: list[int]) -> dict[int, str]:
        return sources(self._pages(), ids, "about")

    def titles(self) -> QuerySet:
        return self._pages()


class InterestGroupSearch:
    """Active interest groups (inactive ones are hidden publicly), by name and description."""

    kind = "CRRG interest group"

    def _groups(self) -> QuerySet:
        # The public page's groups, without the leads it prefetches (rows here are values).
        return (
            public_groups()
            .prefetch_related(None)
            .annotate(
                search_vector=SearchVector("name", weight="A", config=PROSE)
                + SearchVector("name", weight="A", config=EXACT)
                + SearchVector("description", weight="B", config=PROSE),
                suggestion=F("name"),
            )
        )

    def hits(self, query, limit: int) -> list[SearchHit]:
        rows = ranked(self._groups(), query, limit, "order", "name")
        return [
            SearchHit(
                id=row["pk"],
                kind=self.kind,
                title=row["name"],
                url=format_lazy("{}#group-{}", reverse_lazy("crrg:home"), row["slug"]),
                rank=row["rank"],
            )
            for row in rows.values("pk", "name", "slug", "rank")
        ]

    def texts(self, ids: list[int]) -> dict[int, str]:
        return sources(self._groups(), ids, "description")

    def titles(self) -> QuerySet:
        return self._groups()
