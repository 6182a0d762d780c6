from django.contrib.postgres.search import SearchRank, SearchVector
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat

from community.models import Person
from gds_portal.search import SearchResult, headline, highlight

# Weighted like the GIN index on Person (community/models.py): name counts most.
PERSON_VECTOR = (
    SearchVector("name", weight="A", config="english")
    + SearchVector("affiliation", "position", weight="B", config="english")
    + SearchVector("bio", weight="C", config="english")
)


class PersonSearch:
    kind = "Person"

    def search(self, query, limit: int) -> list[SearchResult]:
        rows = (
            Person.objects.annotate(document=PERSON_VECTOR)
            .filter(document=query)
            .annotate(
                rank=SearchRank(F("document"), query),
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
