from django.db.models import F, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.urls import reverse_lazy

from community.selectors import public_persons
from gds_portal.search import SearchHit, ranked, sources

# What a person's snippet is cut from: their role, then their bio.
PERSON_TEXT = Concat(
    # The bio is Markdown: it starts a block of its own, so its first heading or list is one.
    "position",
    Value(" · "),
    "affiliation",
    Value(" —\n\n"),
    "bio",
    output_field=TextField(),
)


class PersonSearch:
    kind = "Person"

    def hits(self, query, limit: int) -> list[SearchHit]:
        rows = ranked(public_persons(), query, limit, "name")
        return [
            SearchHit(
                id=row["pk"],
                kind=self.kind,
                title=row["name"],
                url=reverse_lazy("community:person", kwargs={"slug": row["slug"]}),
                rank=row["rank"],
            )
            for row in rows.values("pk", "name", "slug", "rank")
        ]

    def texts(self, ids: list[int]) -> dict[int, str]:
        return sources(public_persons(), ids, PERSON_TEXT)

    def titles(self) -> QuerySet:
        return public_persons().annotate(suggestion=F("name"))
