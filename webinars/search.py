from django.contrib.postgres.search import SearchRank
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat

from gds_portal.search import SearchResult, headline, highlight
from webinars.models import Webinar


class WebinarSearch:
    """Published webinars by title, description, speakers, host and topics.

    Matches the stored `search_vector` (GIN-indexed, rebuilt by
    services.webinar_reindex); nominations are never searchable.
    """

    kind = "Webinar"

    def search(self, query, limit: int) -> list[SearchResult]:
        rows = (
            Webinar.objects.published()
            .filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                snippet=headline(Concat("description", Value(""), output_field=TextField()), query),
            )
            .order_by("-rank", "-start_at")
            .values("title", "slug", "snippet", "rank", "start_at")[:limit]
        )
        return [
            SearchResult(
                kind=self.kind,
                title=row["title"],
                url=Webinar(slug=row["slug"]).get_absolute_url(),
                snippet=highlight(row["snippet"]),
                rank=row["rank"],
                date=row["start_at"],
            )
            for row in rows
        ]
