"""The book of abstracts as data: groups of abstracts (a heading and its abstracts),
whatever the grouping, so that the PDF (meetings/book.py) knows nothing of categories.
Grouped by sorting category here; a grouping by session builds the same `Book`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from meetings.enums import ACCEPTED_STATES, REVIEWABLE_STATES
from meetings.models import Abstract, Meeting, SortingCategory
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

    @property
    def abstracts(self) -> list[BookAbstract]:
        return [abstract for group in self.groups for abstract in group.abstracts]


def book_abstract(abstract: Abstract) -> BookAbstract:
    """`abstract` as the book prints it (its authors and affiliations prefetched)."""
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


def _by_category(
    groups: Iterable[tuple[SortingCategory, list[Abstract]]],
) -> tuple[BookGroup, ...]:
    return tuple(
        BookGroup(
            heading=f"{category.code} {category.title}",
            abstracts=tuple(book_abstract(a) for a in abstracts),
        )
        for category, abstracts in groups
    )


def committee_book(*, meeting: Meeting, viewer: User, include_submitted: bool) -> Book:
    """The committee's book: accepted abstracts (with `include_submitted`, submitted and
    decided ones too), decision mail sent or not, leaving out the viewer's own abstracts
    (conflict of interest, as the HTML book does). Marked as a draft until published."""
    states = REVIEWABLE_STATES if include_submitted else ACCEPTED_STATES
    groups = accepted_by_category(meeting=meeting, states=states, viewer=viewer)
    subtitle = "Book of abstracts — Program committee draft, not for distribution"
    if include_submitted:
        subtitle = "Submitted and decided abstracts — Program committee only"
    return Book(title=meeting.name, subtitle=subtitle, groups=_by_category(groups))


def public_book(*, meeting: Meeting) -> Book:
    """Everyone's book: accepted abstracts whose decision mail has gone out, as the
    public meeting page lists them (no author learns a decision from the book first).
    The caller checks that the meeting's accepted abstracts are published."""
    groups = accepted_by_category(meeting=meeting, sent_only=True)
    return Book(title=meeting.name, subtitle="Book of abstracts", groups=_by_category(groups))
