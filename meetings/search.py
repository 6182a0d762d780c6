"""Site search over meetings and their sorting categories (both public)."""

from django.contrib.postgres.search import SearchRank, SearchVector
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat

from gds_portal.search import SearchResult, headline, highlight
from meetings.models import Meeting, SortingCategory

# Weighted like the GIN indexes on Meeting and SortingCategory (meetings/models.py).
MEETING_VECTOR = SearchVector("name", weight="A", config="english") + SearchVector(
    "description", weight="B", config="english"
)
CATEGORY_VECTOR = SearchVector("code", "title", weight="A", config="english") + SearchVector(
    "description", weight="B", config="english"
)


class MeetingSearch:
    kind = "Meeting"

    def search(self, query, limit: int) -> list[SearchResult]:
        rows = (
            Meeting.objects.annotate(document=MEETING_VECTOR)
            .filter(document=query)
            .annotate(rank=SearchRank(F("document"), query), snippet=headline("description", query))
            .order_by("-rank", "-starts_on")
            .only("name", "slug", "starts_on")[:limit]
        )
        return [
            SearchResult(
                kind=self.kind,
                title=row.name,
                url=row.get_absolute_url(),
                snippet=highlight(row.snippet),
                rank=row.rank,
            )
            for row in rows
        ]


class SortingCategorySearch:
    kind = "Sorting category"

    def search(self, query, limit: int) -> list[SearchResult]:
        rows = (
            SortingCategory.objects.annotate(document=CATEGORY_VECTOR)
            .filter(document=query)
            .annotate(
                rank=SearchRank(F("document"), query),
                snippet=headline(
                    Concat("meeting__name", Value(" — "), "description", output_field=TextField()),
                    query,
                ),
            )
            .select_related("meeting")
            .order_by("-rank", "code")[:limit]
        )
        return [
            SearchResult(
                kind=self.kind,
                title=f"{row.code} {row.title}",
                url=f"{row.meeting.get_call_url()}#category-{row.code}",
                snippet=highlight(row.snippet),
                rank=row.rank,
            )
            for row in rows
        ]
