"""Site search over meetings, their sorting categories and the accepted abstracts
the meeting pages list (all public)."""

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import F, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.urls import reverse_lazy
from django.utils.text import format_lazy

from gds_portal.search import SearchHit, ranked, sources
from meetings.models import Meeting, SortingCategory
from meetings.selectors.meetings import public_abstracts


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
        # The description is Markdown: a block of its own after the meeting's name.
        text = Concat("meeting__name", Value(" —\n\n"), "description", output_field=TextField())
        return sources(SortingCategory.objects.all(), ids, text)

    def titles(self) -> QuerySet:
        return SortingCategory.objects.annotate(suggestion=F("title"))


class AbstractSearch:
    """Accepted abstracts where the meeting page lists them (`public_abstracts`), found by
    reference and title; the snippet is what that list shows beside them: the authors
    and the category. Nothing of a draft, an undecided or a rejected abstract, nor of an
    accepted one whose decision is unsent, is ever searched.
    """

    kind = "Abstract"

    def hits(self, query, limit: int) -> list[SearchHit]:
        rows = ranked(public_abstracts(), query, limit, "reference")
        return [
            SearchHit(
                id=row["pk"],
                kind=self.kind,
                title=f"{row['reference']} {row['title']}",
                url=format_lazy(
                    "{}#abstract-{}",
                    reverse_lazy("meetings:detail", kwargs={"slug": row["meeting__slug"]}),
                    row["reference"],
                ),
                rank=row["rank"],
            )
            for row in rows.values("pk", "reference", "title", "meeting__slug", "rank")
        ]

    def texts(self, ids: list[int]) -> dict[int, str]:
        # Author names as the list shows them, then the meeting and the category.
        authors = StringAgg("authors__name", delimiter=", ", order_by="authors__position")
        text = Concat(
            authors,
            Value(" — "),
            "meeting__name",
            Value(", "),
            "category__code",
            Value(" "),
            "category__title",
            output_field=TextField(),
        )
        return sources(public_abstracts(), ids, text)

    def titles(self) -> QuerySet:
        return public_abstracts().annotate(suggestion=F("title"))
