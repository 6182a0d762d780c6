"""Reads for webinar pages, each with its joins declared so query counts stay fixed."""

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TypedDict, TypeVar

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import (
    Case,
    Exists,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone

from accounts.identity import canonical_email, has_verified_address
from accounts.models import User
from community.models import Person
from webinars.enums import ACTIVE_REGISTRATION
from webinars.models import (
    AnyNomination,
    HostVolunteer,
    Registration,
    SpeakerNomination,
    Topic,
    TopicSuggestion,
    Webinar,
    WebinarQuerySet,
    WebinarSpeaker,
)

ARCHIVE_PAGE_SIZE = 12
LAST_ARCHIVE_PAGE = 10_000  # beyond any real archive; keeps OFFSET a sane number
UPCOMING_LIMIT = 20  # the series never has more than a few months scheduled
SPEAKER_FILTER_LIMIT = 50  # a name shared by more speakers needs more letters
SUGGESTION_LIMIT = 10
SUGGESTION_MIN_LETTERS = 2
NAME_MAX_WORDS = 5
NAME_MAX_WORD_LENGTH = 40
# Must match the "person_name_words_idx" index on community.Person for it to be used.
NAME_WORDS = SearchVector("name", config="simple")


# A queryset of webinars, kept as precise as it came (a WebinarQuerySet keeps its methods).
_Webinars = TypeVar("_Webinars", bound=QuerySet[Webinar])


def _with_people(queryset: _Webinars) -> _Webinars:
    return queryset.select_related("host").prefetch_related(
        Prefetch("speaker_slots", queryset=WebinarSpeaker.objects.select_related("person")),
        "topics",
    )


def _prefetch_people(webinars: list[Webinar]) -> None:
    """Speakers and topics of several lists at once: two queries for any number of lists."""
    prefetch_related_objects(
        webinars,
        Prefetch("speaker_slots", queryset=WebinarSpeaker.objects.select_related("person")),
        "topics",
    )


def public_webinars() -> WebinarQuerySet[Webinar]:
    return Webinar.objects.published()


# --- Speakers by name -----------------------------------------------------------------


def _name_query(text: str) -> SearchQuery | None:
    """Every word typed is the start of a word of the name: "ada lov" finds Ada Lovelace.

    Only letters and digits reach the query (quoted), so nothing typed can be
    read as query syntax.
    """
    words = re.findall(r"[^\W_]+", text.lower())[:NAME_MAX_WORDS]
    if not words:
        return None
    raw = " & ".join(f"'{word[:NAME_MAX_WORD_LENGTH]}':*" for word in words)
    return SearchQuery(raw, config="simple", search_type="raw")


def _speakers() -> QuerySet[Person]:
    """People who spoke at a published webinar (nobody else is listed or suggested)."""
    spoke = WebinarSpeaker.objects.filter(person=OuterRef("pk"), webinar__is_published=True)
    return Person.objects.filter(Exists(spoke)).only("pk", "name", "slug", "affiliation")


def speaker_suggestions(text: str) -> list[Person]:
    """At most SUGGESTION_LIMIT speakers whose names match what was typed, by name.

    One query through the name-words index; the work grows with how many names
    start with the typed letters, so fewer than two letters ask for nothing.
    """
    query = _name_query(text)
    if query is None or sum(c.isalnum() for c in text) < SUGGESTION_MIN_LETTERS:
        return []
    matching = _speakers().annotate(name_words=NAME_WORDS).filter(name_words=query)
    return list(matching.order_by("name", "pk")[:SUGGESTION_LIMIT])


@dataclass(frozen=True)
class SpeakerMatch:
    """What the archive's speaker box resolved to."""

    text: str
    people: tuple[Person, ...]
    exact: Person | None = None  # the box held a speaker's slug (links from cards, old links)
    more: bool = False  # more speakers match than the filter takes

    @property
    def ids(self) -> list[int]:
        return [self.exact.pk] if self.exact else [p.pk for p in self.people]


def speaker_match(text: str) -> SpeakerMatch:
    """The speakers the archive filter means: one by slug, or up to 50 by name. One query."""
    query = _name_query(text)
    condition = Q(slug=text)
    speakers = _speakers()
    if query is not None:
        speakers = speakers.annotate(name_words=NAME_WORDS)
        condition |= Q(name_words=query)
    exact_first = Case(When(slug=text, then=Value(0)), default=Value(1))
    people = list(
        speakers.filter(condition).order_by(exact_first, "name", "pk")[: SPEAKER_FILTER_LIMIT + 1]
    )
    if people and people[0].slug == text:
        return SpeakerMatch(text, (people[0],), exact=people[0])
    more = len(people) > SPEAKER_FILTER_LIMIT
    return SpeakerMatch(text, tuple(people[:SPEAKER_FILTER_LIMIT]), more=more)


# --- The archive ----------------------------------------------------------------------


@dataclass(frozen=True)
class ArchiveFilters:
    topic: str = ""
    year: int | None = None
    kind: str = ""
    speaker: SpeakerMatch | None = None

    @property
    def active(self) -> bool:
        return bool(self.topic or self.year or self.kind or self.speaker)

    def apply(self, queryset: _Webinars) -> _Webinars:
        if self.topic:
            queryset = queryset.filter(topics__slug=self.topic)
        if self.year:
            queryset = queryset.filter(start_at__year=self.year)
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.speaker is not None:
            ids = self.speaker.ids
            if not ids:
                return queryset.none()
            slots = WebinarSpeaker.objects.filter(webinar=OuterRef("pk"), person_id__in=ids)
            queryset = queryset.filter(Exists(slots))
        return queryset


def upcoming_webinars(
    filters: ArchiveFilters | None = None, *, limit: int = UPCOMING_LIMIT
) -> list[Webinar]:
    queryset = (filters or ArchiveFilters()).apply(public_webinars().upcoming())
    return list(_with_people(queryset.order_by("start_at"))[:limit])


@dataclass(frozen=True)
class ArchivePage:
    """One page of the archive, newest first. Nothing counts the whole archive:
    the page reads one row more than it shows to know whether an older page exists."""

    object_list: list[Webinar]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def _page_number(value: str | None) -> int:
    if value is None:
        return 1
    try:
        number = int(value)
    except ValueError:
        return 1
    return min(max(number, 1), LAST_ARCHIVE_PAGE)


def archive_listing(filters: ArchiveFilters, page: str | None) -> tuple[list[Webinar], ArchivePage]:
    """The archive page's webinars: upcoming ones (on the first page) and one page of the
    held and cancelled ones. Four queries, or three on later pages."""
    number = _page_number(page)
    upcoming: list[Webinar] = []
    if number == 1:
        queryset = filters.apply(public_webinars().upcoming()).order_by("start_at")
        upcoming = list(queryset.select_related("host")[:UPCOMING_LIMIT])
    archived = filters.apply(public_webinars().archived()).order_by("-start_at", "-pk")
    start = (number - 1) * ARCHIVE_PAGE_SIZE
    rows = list(archived.select_related("host")[start : start + ARCHIVE_PAGE_SIZE + 1])
    shown = rows[:ARCHIVE_PAGE_SIZE]
    _prefetch_people([*upcoming, *shown])
    return upcoming, ArchivePage(shown, number, has_next=len(rows) > ARCHIVE_PAGE_SIZE)


class FilterOptions(TypedDict):
    topics: list[tuple[str, str]]  # (slug, name)
    years: list[int]  # newest first


def filter_options() -> FilterOptions:
    """Topics with a published webinar, and the years from the first webinar to the last.

    Two queries whose cost does not grow with the archive: one index probe per
    topic (a short, curated list), and the first and last start from an index.
    """
    with_webinar = Webinar.topics.through.objects.filter(
        topic=OuterRef("pk"), webinar__is_published=True
    )
    topics = Topic.objects.filter(Exists(with_webinar)).order_by("name")
    span = public_webinars().aggregate(first=Min("start_at"), last=Max("start_at"))
    years: list[int] = []
    if span["first"] is not None:
        first, last = (timezone.localtime(span[end]).year for end in ("first", "last"))
        years = list(range(last, first - 1, -1))
    return {"topics": list(topics.values_list("slug", "name")), "years": years}


def webinar_for_page(slug: str, *, preview: bool) -> Webinar:
    """A published webinar, or any webinar for someone allowed to preview drafts."""
    queryset = Webinar.objects.all() if preview else public_webinars()
    webinar = _with_people(queryset).filter(slug=slug).first()
    if webinar is None:
        raise Http404("No such webinar.")
    return webinar


def webinar_by_pk(pk: int | str) -> Webinar:
    """The webinar a page was rendered for (a visitor part names it by its id)."""
    return Webinar.objects.get(pk=pk)


def topic_with_webinars(slug: str) -> tuple[Topic, list[Webinar]]:
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise Http404("No such topic.")
    webinars = _with_people(public_webinars().filter(topics=topic).order_by("-start_at"))
    return topic, list(webinars)


def names_people_publicly() -> Q:
    """Speakers and hosts of published webinars: a draft names nobody publicly, so a
    nominee drafted into a webinar stays private until it is published."""
    published = Webinar.objects.published()
    spoke = WebinarSpeaker.objects.filter(person=OuterRef("pk"), webinar__in=published)
    hosted = published.filter(host=OuterRef("pk"))
    return Q(Exists(spoke)) | Q(Exists(hosted))


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


def my_nominations(user: User) -> list[AnyNomination]:
    """The member's own nominations of every kind, newest first."""
    items: list[AnyNomination] = [
        *TopicSuggestion.objects.filter(nominator=user),
        *SpeakerNomination.objects.filter(nominator=user),
        *HostVolunteer.objects.filter(nominator=user).select_related("nominator"),  # for __str__
    ]
    return sorted(items, key=lambda item: item.created_at, reverse=True)


def _own_registrations(user: User) -> QuerySet[Registration]:
    """The member's registrations: those under their verified address, whoever made them
    (a guest registration from before they signed in is theirs too)."""
    if not has_verified_address(user, user.email):
        return Registration.objects.none()
    return Registration.objects.filter(email_key=canonical_email(user.email))


def registration_for(webinar: Webinar, user: User) -> Registration | None:
    """The signed-in member's registration for `webinar`, if any (one query)."""
    if not user.is_authenticated:
        return None
    return _own_registrations(user).filter(webinar=webinar).first()


def waiting_position(registration: Registration) -> int:
    """1 for the first on the waiting list."""
    ahead = Registration.objects.filter(
        webinar_id=registration.webinar_id, status=registration.status
    ).filter(
        Q(queued_at__lt=registration.queued_at)
        | Q(queued_at=registration.queued_at, id__lt=registration.pk)
    )
    return ahead.count() + 1


def my_registrations(user: User) -> list[Registration]:
    """The member's places and turns for upcoming published webinars, soonest first."""
    upcoming = Webinar.objects.published().upcoming()
    return list(
        _own_registrations(user)
        .filter(status__in=ACTIVE_REGISTRATION, webinar__in=upcoming)
        .select_related("webinar")
        .order_by("webinar__start_at", "id")
    )
