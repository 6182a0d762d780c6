"""The book of abstracts as a PDF, typeset on the server (gds_portal/typeset.py).

A title page with the meeting's name, the contents, one chapter per group (a session or
a sorting category: meetings/selectors/book.py), each abstract with its reference, title
(as typed), authors with affiliation marks, affiliations and body (its maths typeset),
then an index of authors with the references and pages of their abstracts.

Building takes a second or more, so a built book is kept in the shared cache under a
hash of everything printed in it (and of the tools' versions): an edit, a decision or
a publication changes the book's data and so its key, and a stale book is never served.

One abstract cannot break the book: a body that cannot be typeset as Markdown (nested too
deep, or anything else its conversion trips on) prints as typed, in plain text; if the
compiler still fails, the book is built once more with every body as typed. The
committee's copy says on the abstract's page when it was printed so. A book that cannot
be built at all is remembered for a few minutes under the same key, so that readers
asking again do not each spend the build's time on it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict
from importlib.metadata import version

from django.core.cache import caches
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from gds_portal.typeset import (
    COMPILE_TIMEOUT,
    Maths,
    TypesetError,
    compile_pdf,
    markdown,
    raw,
    string,
    text,
)
from meetings.selectors.book import Book, BookAbstract

logger = logging.getLogger(__name__)

# Raise when the layout below changes: books built before are then built afresh.
LAYOUT_VERSION = 2
CACHE_SECONDS = 7 * 24 * 3600
# A book that failed is not tried again for this long (any edit changes its key).
FAILURE_SECONDS = 10 * 60
FAILED = "build-failed"
# A retry with plain bodies is worth starting only with this much of the time left.
RETRY_MIN_SECONDS = 3

UNAVAILABLE = (
    "The book of abstracts could not be built. The cause has been logged for the site's "
    "administrators; asking again will not help until it is fixed."
)

PREAMBLE = """#set document(title: {title})
#set page(paper: "us-letter", margin: (x: 2.2cm, y: 2.4cm), numbering: none)
#set text(size: 10pt, lang: "en", hyphenate: false)
#set par(justify: true)
#show heading.where(level: 1): it => {{
  pagebreak(weak: true)
  block(below: 1.2em, text(size: 15pt, it))
}}
#show heading.where(level: 2): it => block(above: 1.8em, below: 0.6em, text(size: 11pt, it))
#page(align(center + horizon)[
  #text(size: 24pt, weight: "bold")[{name}]
  #v(1.2em)
  #text(size: 15pt)[{subtitle}]
  #v(2.5em)
  #text(size: 11pt)[#"Topical Group on Data Science (GDS) of the American Physical Society";]
])
#set page(numbering: "1")
#counter(page).update(1)
#outline(title: [Contents], depth: 1)
"""


def cache_key(book: Book) -> str:
    data = json.dumps(
        {
            "book": asdict(book),
            "layout": LAYOUT_VERSION,
            "typst": version("typst"),
            "pandoc": version("pypandoc-binary"),
        },
        sort_keys=True,
    )
    return f"meetings:book:{hashlib.sha256(data.encode()).hexdigest()}"


def book_pdf(book: Book) -> bytes:
    """The PDF of `book`, from the cache when the same book was built before.
    Raises gds_portal.typeset.TypesetError when it cannot be built, or failed to be
    built in the last FAILURE_SECONDS (the failure is cached under the book's key)."""
    cache = caches["default"]
    key = cache_key(book)
    cached: bytes | str | None = cache.get(key)
    if cached == FAILED:
        raise TypesetError("This book failed to build a few minutes ago (cached failure).")
    if isinstance(cached, bytes):
        return cached
    try:
        pdf = _build(book)
    except TypesetError:
        cache.set(key, FAILED, FAILURE_SECONDS)
        raise
    cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def _build(book: Book) -> bytes:
    """Compile `book`; when the compiler fails on it (not by running out of time), once
    more with every body printed as typed, within the compiler's one time budget."""
    source = book_source(book)  # pandoc's time is bounded apart (PANDOC_TIMEOUT)
    deadline = time.monotonic() + COMPILE_TIMEOUT
    try:
        return compile_pdf(source, timeout=deadline - time.monotonic())
    except TypesetError as error:
        remaining = deadline - time.monotonic()
        if error.timed_out or remaining < RETRY_MIN_SECONDS:
            raise
        logger.warning(
            "The book %r failed to build; again with plain bodies: %s", book.title, error
        )
    return compile_pdf(book_source(book, plain=True), timeout=remaining)


def book_response(book: Book, *, filename: str) -> HttpResponse:
    """`book` as a PDF download; 503 with a plain message when it cannot be built (the
    cause goes to the log, not to the reader)."""
    try:
        pdf = book_pdf(book)
    except TypesetError:
        logger.exception("The book of abstracts %r could not be built.", filename)
        return HttpResponse(UNAVAILABLE, content_type="text/plain; charset=utf-8", status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def book_source(book: Book, *, plain: bool = False) -> str:
    """The book as a Typst document (every member-written text in it a string literal,
    its maths converted by gds_portal.typeset); with `plain`, every body as typed."""
    maths = Maths()
    parts = [
        PREAMBLE.format(
            title=string(f"{book.title}: {book.subtitle}"),
            name=text(book.title),
            subtitle=text(book.subtitle),
        )
    ]
    for group in book.groups:
        parts.append(f"= {text(group.heading)}\n\n")
        parts.extend(
            _abstract(abstract, maths, plain=plain, notes=book.committee)
            for abstract in group.abstracts
        )
    if not book.groups:
        parts.append("#pagebreak(weak: true)\n_No abstracts to show yet._\n")
    parts.append(_author_index(book))
    return maths.fill("".join(parts))


PRESENTER_NOTE = "#linebreak()#super[\\*]Presenting author"


def _label(abstract: BookAbstract) -> str:
    return f"<abstract-{int(abstract.key)}>"


AS_TYPED_NOTE = (
    "Note for the committee: this abstract could not be typeset and is printed as typed "
    "(see the site's log)."
)


def _body(abstract: BookAbstract, maths: Maths, *, plain: bool, notes: bool) -> str:
    """The body as Typst: its Markdown and maths typeset or, when that fails, as typed
    (with a note in the committee's copy)."""
    if not plain:
        try:
            return markdown(abstract.body, maths)
        # Member-written text must not take the book down, whatever the converter trips
        # on (Unprintable, RecursionError in the tree code, a parser's own bug): that
        # abstract alone prints as typed.
        except Exception:
            logger.warning(
                "Abstract %s printed as typed in the book.", abstract.reference, exc_info=True
            )
    note = f'#text(size: 8.5pt, style: "italic")[{text(AS_TYPED_NOTE)}]\n\n' if notes else ""
    return note + raw(abstract.body, block=True) + "\n\n"


def _abstract(abstract: BookAbstract, maths: Maths, *, plain: bool, notes: bool) -> str:
    # As typed: titles take no maths (the abstract form says so; every page shows them
    # so), only the body's maths is typeset.
    title = text(abstract.title)
    authors = ", ".join(
        text(author.name)
        + (f"#super[{text(','.join(str(m) for m in author.marks))}]" if author.marks else "")
        + ("#super[\\*]" if author.presenting else "")
        for author in abstract.authors
    )
    affiliations = "#linebreak()".join(
        f"#super[{text(str(position))}]{text(name)}" for position, name in abstract.affiliations
    )
    if any(author.presenting for author in abstract.authors):
        affiliations += PRESENTER_NOTE
    return (
        f"== {text(abstract.reference)} #h(0.6em) {title} {_label(abstract)}\n\n"
        f"#block(below: 0.4em)[{authors}]\n\n"
        f'#block(below: 0.9em, text(size: 8.5pt, style: "italic")[{affiliations}'
        "])\n\n"
        f"{_body(abstract, maths, plain=plain, notes=notes)}\n"
    )


def _surname_first(name: str) -> str:
    words = name.split()
    if len(words) < 2:
        return " ".join(words)
    return f"{words[-1]}, {' '.join(words[:-1])}"


def _author_index(book: Book) -> str:
    """Each author once (names compared with case and spacing folded), surname first,
    with the references of their abstracts and the pages they are printed on."""
    entries: dict[str, tuple[str, list[BookAbstract]]] = {}
    for abstract in book.abstracts:
        for author in abstract.authors:
            key = " ".join(author.name.split()).casefold()
            if not key:
                continue
            name, abstracts = entries.setdefault(key, (_surname_first(author.name), []))
            if abstract not in abstracts:
                abstracts.append(abstract)
    lines = []
    for name, abstracts in sorted(entries.values(), key=lambda e: (e[0].casefold(), e[0])):
        where = ", ".join(
            f"#link({_label(a)})[{text(a.reference)}] "
            f"(p. #context counter(page).at({_label(a)}).first())"
            for a in abstracts
        )
        lines.append(f"{text(name)} #h(1fr) {where}")
    body = "#linebreak()\n".join(lines)
    return f"= Author index\n\n#set par(justify: false)\n#text(size: 9pt)[{body}]\n"
