"""Site search over meetings and their sorting categories (both public)."""

from django.db.models import F, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.urls import reverse_lazy
from django.utils.text import format_lazy

from gds_portal.search import SearchHit, ranked, sources
from meetings.models import Meeting, SortingCategory


class MeetingSearch:
    kind = "Meeting"

    def hits(self, query, limit: int) -> list[SearchHit]:
        rows = ranked(Meeting.objects.all(), query, limit, "-starts_on")
        return [
            SearchHit(
                id=row["pk"],
                kind=self.kind,
                title=row["name"],
                url=reverse_lazy("meetings:detail", kwargs={"slug": row["slug"]}),
                rank=row["rank"],
            )
            for row in rows.values("pk", "name", "slug", "rank")
        ]

    def texts(self, ids: list[int]) -> dict[int, str]:
        return sources(Meeting.objects.all(), ids, "description")

    def titles(self) -> QuerySet:
        return Meeting.objects.annotate(suggestion=F("name"))


class SortingCategorySearch:
    kind = "Sorting category"

    def hits(self, query, limit: int) -> list[SearchHit]:
        rows = ranked(SortingCategory.objects.all(), query, limit, "code")
        return [
            SearchHit(
                id=row["pk"],
                kind=self.kind,
                title=f"{row['code']} {row['title']}",
                url=format_lazy(
                    "{}#category-{}",
                    reverse_lazy("meetings:call", kwargs={"slug": row["meeting__slug"]}),
                    row["code"],
                ),
                rank=row["rank"],
            )
            for row in rows.values("pk", "code", "title", "meeting__slug", "rank")
        ]

    def texts(self, ids: list[int]) -> dict[int, str]:
        text = Concat("meeting__name", Value(" — "), "description", output_field=TextField())
        return sources(SortingCategory.objects.all(), ids, text)

    def titles(self) -> QuerySet:
        return SortingCategory.objects.annotate(suggestion=F("title"))
