from django.db.models import F, QuerySet
from django.urls import reverse_lazy

from gds_portal.search import SearchHit, ranked, sources
from webinars.models import Webinar


class WebinarSearch:
    """Published webinars by title, description, speakers, host and topics.

    Matches the stored `search_vector` (GIN-indexed, rebuilt by
    services.webinar_reindex); nominations are never searchable.
    """

    kind = "Webinar"

    def hits(self, query, limit: int) -> list[SearchHit]:
        rows = ranked(Webinar.objects.published(), query, limit, "-start_at")
        return [
            SearchHit(
                id=row["pk"],
                kind=self.kind,
                title=row["title"],
                url=reverse_lazy("webinars:detail", kwargs={"slug": row["slug"]}),
                rank=row["rank"],
                date=row["start_at"],
            )
            for row in rows.values("pk", "title", "slug", "rank", "start_at")
        ]

    def texts(self, ids: list[int]) -> dict[int, str]:
        return sources(Webinar.objects.all(), ids, "description")

    def titles(self) -> QuerySet:
        return Webinar.objects.published().annotate(suggestion=F("title"))
