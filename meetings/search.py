"""Site search over meetings and their sorting categories (both public)."""

from django.contrib.postgres.search import SearchRank
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat

from gds_portal.search import SearchResult, headline, highlight
from meetings.models import Meeting, SortingCategory


class MeetingSearch:
    kind = "Meeting"

    def search(self, query, limit: int) -> list[SearchResult]:
        rows = (
            Meeting.objects.filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query), snippet=headline("description", query)
            )
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
            SortingCategory.objects.filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query),
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
