"""Reads for webinar pages, each with its joins declared so query counts stay fixed."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from community.models import Person
from webinars.models import (
    HostVolunteer,
    SeriesTotals,
    SpeakerNomination,
    Topic,
    TopicSuggestion,
    Webinar,
    WebinarSpeaker,
)

ARCHIVE_PAGE_SIZE = 12
UPCOMING_LIMIT = 20  # the series never has more than a few months scheduled


def _with_people(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("host").prefetch_related(
        Prefetch("speaker_slots", queryset=WebinarSpeaker.objects.select_related("person")),
        "topics",
    )


def public_webinars() -> QuerySet:
    return Webinar.objects.published()


@dataclass(frozen=True)
class ArchiveFilters:
    topic: str = ""
    year: int | None = None
    kind: str = ""
    speaker: str = ""

    @property
    def active(self) -> bool:
        return bool(self.topic or self.year or self.kind or self.speaker)

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.topic:
            queryset = queryset.filter(topics__slug=self.topic)
        if self.year:
            queryset = queryset.filter(start_at__year=self.year)
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.speaker:
            queryset = queryset.filter(speakers__slug=self.speaker)
        return queryset


def upcoming_webinars(filters: ArchiveFilters | None = None, *, limit: int = UPCOMING_LIMIT):
    queryset = (filters or ArchiveFilters()).apply(public_webinars().upcoming())
    return list(_with_people(queryset.order_by("start_at"))[:limit])


def archive_page(filters: ArchiveFilters, page_number) -> Page:
    queryset = filters.apply(public_webinars().archived()).order_by("-start_at", "-pk")
    return Paginator(_with_people(queryset), ARCHIVE_PAGE_SIZE).get_page(page_number)


def filter_options() -> dict:
    published = Q(webinars__is_published=True)
    return {
        "topics": list(Topic.objects.filter(published).distinct().values_list("slug", "name")),
        "years": [d.year for d in public_webinars().dates("start_at", "year", order="DESC")],
        "speakers": list(
            Person.objects.filter(webinar_slots__webinar__is_published=True)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        ),
    }


def series_numbers() -> dict:
    """Webinars held, distinct speakers and registrants: computed, never typed in.

    One query reads the stored totals; they are recounted only when a webinar
    changed or the next one has ended (see SeriesTotals).
    """
    from webinars.services import series_totals_refresh

    totals = SeriesTotals.objects.filter(pk=SeriesTotals.ROW).first()
    if totals is None or not totals.is_fresh(timezone.now()):
        totals = series_totals_refresh()
    return totals.as_dict()


def webinar_for_page(slug: str, *, preview: bool) -> Webinar:
    """A published webinar, or any webinar for someone allowed to preview drafts."""
    queryset = Webinar.objects.all() if preview else public_webinars()
    webinar = _with_people(queryset).filter(slug=slug).first()
    if webinar is None:
        raise Http404("No such webinar.")
    return webinar


def topic_with_webinars(slug: str) -> tuple[Topic, list[Webinar]]:
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise Http404("No such topic.")
    webinars = _with_people(public_webinars().filter(topics=topic).order_by("-start_at"))
    return topic, list(webinars)


def person_webinars(person: Person) -> list[Webinar]:
    queryset = public_webinars().filter(Q(speakers=person) | Q(host=person)).distinct()
    return list(queryset.order_by("-start_at").prefetch_related("topics"))


def feed_webinars(*, limit: int = 200) -> list[Webinar]:
    """Published, not cancelled: upcoming ones and the last year's, newest first."""
    since = timezone.now() - timedelta(days=365)
    queryset = public_webinars().filter(is_cancelled=False, start_at__gte=since)
    return list(_with_people(queryset.order_by("-start_at"))[:limit])


def atom_webinars(*, limit: int = 30) -> list[Webinar]:
    queryset = public_webinars().filter(is_cancelled=False).order_by("-start_at")
    return list(_with_people(queryset)[:limit])


def my_nominations(user) -> list:
    """The member's own nominations of every kind, newest first."""
    items = [
        *TopicSuggestion.objects.filter(nominator=user),
        *SpeakerNomination.objects.filter(nominator=user),
        *HostVolunteer.objects.filter(nominator=user).select_related("nominator"),  # for __str__
    ]
    return sorted(items, key=lambda item: item.created_at, reverse=True)
