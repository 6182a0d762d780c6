"""An abstract's authors and their shared, numbered affiliations: written as rows, as
the one line of text the history records, and as the block the mails print."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from meetings.models import Abstract, AbstractAuthor, Affiliation


@dataclass
class AuthorData:
    name: str
    email: str = ""
    orcid: str = ""
    is_presenting: bool = False
    affiliations: list[str] = field(default_factory=list)


def author_list(authors: list[AuthorData]) -> str:
    """One line per author with numbered shared affiliations, as the history records it."""
    numbers = _affiliation_numbers(authors)
    lines = []
    for author in authors:
        marks = ",".join(str(numbers[_affiliation_key(a)][0]) for a in author.affiliations)
        extra = " (presenting)" if author.is_presenting else ""
        lines.append(f"{author.name} [{marks}]{extra}")
    lines += [f"[{number}] {name}" for number, name in numbers.values()]
    return "\n".join(lines)


def _affiliation_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _affiliation_numbers(authors: list[AuthorData]) -> dict[str, tuple[int, str]]:
    """Affiliations in order of first mention; the same name (any case) is one affiliation."""
    numbers: dict[str, tuple[int, str]] = {}
    for author in authors:
        for name in author.affiliations:
            key = _affiliation_key(name)
            numbers.setdefault(key, (len(numbers) + 1, " ".join(name.split())))
    return numbers


def _marks(numbers: Iterable[int]) -> str:
    return ",".join(str(n) for n in sorted(numbers))


@dataclass(frozen=True)
class ReceiptAuthor:
    """An author as a receipt shows them: name, affiliation numbers, presenting or not."""

    name: str
    marks: str  # affiliation numbers as printed, e.g. "1,2"
    is_presenting: bool


@dataclass(frozen=True)
class AuthorBlock:
    """The author list of an abstract as mails print it."""

    authors: list[ReceiptAuthor]
    affiliations: list[tuple[int, str]]  # (number, name) in order

    @classmethod
    def of(cls, abstract: Abstract) -> AuthorBlock:
        """Read from the database: for an abstract not written in this request."""
        rows = abstract.authors.prefetch_related("affiliations")
        return cls(
            authors=[
                ReceiptAuthor(
                    a.name, _marks(f.position for f in a.affiliations.all()), a.is_presenting
                )
                for a in rows
            ],
            affiliations=list(abstract.affiliations.values_list("position", "name")),
        )


def write_authors(
    abstract: Abstract, authors: list[AuthorData], *, fresh: bool = False
) -> AuthorBlock:
    """Replace the abstract's authors and affiliations: three inserts whatever the count.

    `fresh` says the abstract was just created, so there is nothing to delete. Returns
    what was written, so the receipt needs no second read.
    """
    if not fresh:
        abstract.authors.all().delete()
        abstract.affiliations.all().delete()
    numbers = _affiliation_numbers(authors)
    affiliations = Affiliation.objects.bulk_create(
        Affiliation(abstract=abstract, name=name, position=number)
        for number, name in numbers.values()
    )
    rows = dict(zip(numbers, affiliations, strict=True))
    created = AbstractAuthor.objects.bulk_create(
        AbstractAuthor(
            abstract=abstract,
            position=position,
            name=data.name,
            email=data.email,
            orcid=data.orcid,
            is_presenting=data.is_presenting,
        )
        for position, data in enumerate(authors, start=1)
    )
    # An author lists an affiliation once, however often it was typed.
    author_keys = [list(dict.fromkeys(map(_affiliation_key, a.affiliations))) for a in authors]
    link = AbstractAuthor.affiliations.through
    link.objects.bulk_create(
        link(abstractauthor_id=author.pk, affiliation_id=rows[key].pk)
        for author, keys in zip(created, author_keys, strict=True)
        for key in keys
    )
    return AuthorBlock(
        authors=[
            ReceiptAuthor(data.name, _marks(numbers[k][0] for k in keys), data.is_presenting)
            for data, keys in zip(authors, author_keys, strict=True)
        ],
        affiliations=list(numbers.values()),
    )
