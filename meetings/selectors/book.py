"""The book of abstracts as data: groups of abstracts (a heading and its abstracts),
whatever the grouping, so that the PDF (meetings/book.py) knows nothing of categories
or sessions. Grouped by session (the program, with what no session holds after it by
category) or by sorting category."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from meetings.enums import ACCEPTED_STATES, REVIEWABLE_STATES
from meetings.models import Abstract, Meeting, SessionTalk, SortingCategory
from meetings.selectors.meetings import accepted_by_category

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class BookAuthor:
    name: str
    marks: tuple[int, ...]  # the positions of the author's affiliations on the abstract
    presenting: bool


@dataclass(frozen=True)
class BookAbstract:
    key: int  # the abstract's pk: the PDF's label for it, for the author index's pages
    reference: str
    title: str  # as typed, maths `$…$` included
    authors: tuple[BookAuthor, ...]
    affiliations: tuple[tuple[int, str], ...]  # (position, name)
    body: str  # the portal's Markdown with maths


@dataclass(frozen=True)
class BookGroup:
    heading: str
    abstracts: tuple[BookAbstract, ...]


@dataclass(frozen=True)
class Book:
    title: str  # the meeting's name
    subtitle: str  # "Book of abstracts", or what a committee draft is
    groups: tuple[BookGroup, ...]
    # The committee's copy notes an abstract that had to be printed as typed.
    committee: bool = False

    @property
    def abstracts(self) -> list[BookAbstract]:
        return [abstract for group in self.groups for abstract in group.abstracts]


def book_abstract(abstract: Abstract, *, hide_authors: bool = False) -> BookAbstract:
    """`abstract` as the book prints it (its authors and affiliations prefetched); with
    `hide_authors` (anonymised review, meetings.see_authors) without its authors and
    affiliations, so the author index is empty too."""
    if hide_authors:
        return BookAbstract(
            key=abstract.pk,
            reference=abstract.reference or "",
            title=abstract.title,
            authors=(),
            affiliations=(),
            body=abstract.body,
        )
    authors = tuple(
        BookAuthor(
            name=author.name,
            marks=tuple(sorted(a.position for a in author.affiliations.all())),
            presenting=author.is_presenting,
        )
        for author in abstract.authors.all()
    )
    return BookAbstract(
        key=abstract.pk,
        reference=abstract.reference or "",
        title=abstract.title,
        authors=authors,
        affiliations=tuple((a.position, a.name) for a in abstract.affiliations.all()),
        body=abstract.body,
    )


BY_SESSION = "session"
BY_CATEGORY = "category"


def _by_category(
    groups: Iterable[tuple[SortingCategory, list[Abstract]]], *, hide_authors: bool = False
) -> list[BookGroup]:
    return [
        BookGroup(
            heading=f"{category.code} {category.title}",
            abstracts=tuple(book_abstract(a, hide_authors=hide_authors) for a in abstracts),
        )
        for category, abstracts in groups
    ]


def _grouped(
    *,
    meeting: Meeting,
    groups: list[tuple[SortingCategory, list[Abstract]]],
    by: str,
    published_only: bool,
    hide_authors: bool = False,
) -> tuple[BookGroup, ...]:
    """`groups` (by category, already filtered for the reader) as the book's chapters.

    By session: the meeting's sessions in program order (published ones only for
    `published_only`), each with its talks in order, as far as they are among `groups`
    (so a reader never gets an abstract the category grouping would not give them);
    then what no such session holds, by category. One query beyond `groups`."""
    if by != BY_SESSION:
        return tuple(_by_category(groups, hide_authors=hide_authors))
    by_pk = {a.pk: a for _, abstracts in groups for a in abstracts}
    talks = SessionTalk.objects.filter(session__meeting=meeting).select_related("session")
    if published_only:
        talks = talks.filter(session__published_at__isnull=False)
    talks = talks.order_by(
        "session__starts_at", "session__code", "session__title", "session__id", "position", "id"
    )
    chapters: dict[int, tuple[str, list[Abstract]]] = {}
    placed: set[int] = set()
    for talk in talks:
        abstract = by_pk.get(talk.abstract_id)
        if abstract is None:
            continue
        heading = f"{talk.session.code} {talk.session.title}".strip()
        chapters.setdefault(talk.session_id, (heading, []))[1].append(abstract)
        placed.add(abstract.pk)
    rest = [
        (category, [a for a in abstracts if a.pk not in placed]) for category, abstracts in groups
    ]
    return tuple(
        [
            BookGroup(
                heading=heading,
                abstracts=tuple(book_abstract(a, hide_authors=hide_authors) for a in abstracts),
            )
            for heading, abstracts in chapters.values()
        ]
        + _by_category([(c, a) for c, a in rest if a], hide_authors=hide_authors)
    )


def committee_book(
    *,
    meeting: Meeting,
    viewer: User,
    include_submitted: bool,
    by: str = BY_CATEGORY,
    hide_authors: bool = False,
) -> Book:
    """The committee's book: accepted abstracts (with `include_submitted`, submitted and
    decided ones too), decision mail sent or not, leaving out the viewer's own abstracts
    (conflict of interest, as the HTML book does). Marked as a draft until published.
    `by` groups by session (every session, published or not) or category;
    `hide_authors` leaves out authors and affiliations (anonymised review)."""
    states = REVIEWABLE_STATES if include_submitted else ACCEPTED_STATES
    groups = accepted_by_category(meeting=meeting, states=states, viewer=viewer)
    subtitle = "Book of abstracts — Program committee draft, not for distribution"
    if include_submitted:
        subtitle = "Submitted and decided abstracts — Program committee only"
    chapters = _grouped(
        meeting=meeting, groups=groups, by=by, published_only=False, hide_authors=hide_authors
    )
    return Book(title=meeting.name, subtitle=subtitle, groups=chapters, committee=True)


def public_book(*, meeting: Meeting) -> Book:
    """Everyone's book: accepted abstracts whose decision mail has gone out, as the
    public meeting page lists them (no author learns a decision from the book first),
    in the published sessions' order, then the rest by category.
    The caller checks that the meeting's accepted abstracts are published."""
    groups = accepted_by_category(meeting=meeting, sent_only=True)
    chapters = _grouped(meeting=meeting, groups=groups, by=BY_SESSION, published_only=True)
    return Book(title=meeting.name, subtitle="Book of abstracts", groups=chapters)
