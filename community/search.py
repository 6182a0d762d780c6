from django.contrib.postgres.search import SearchRank
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat

from community.models import Person
from gds_portal.search import SearchResult, headline, highlight


class PersonSearch:
    kind = "Person"

    def search(self, query, limit: int) -> list[SearchResult]:
        rows = (
            Person.objects.filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                snippet=headline(
                    Concat(
                        "position",
                        Value(" · "),
                        "affiliation",
                        Value(" — "),
                        "bio",
                        output_field=TextField(),
                    ),
                    query,
                ),
            )
            .order_by("-rank", "name")
            .values("name", "slug", "snippet", "rank")[:limit]
        )
        return [
            SearchResult(
                kind=self.kind,
                title=row["name"],
                url=Person(slug=row["slug"]).get_absolute_url(),
                snippet=highlight(row["snippet"]),
                rank=row["rank"],
            )
            for row in rows
        ]
