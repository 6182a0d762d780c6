"""The PDF book of abstracts (issue 16, item 6): built on the server with its maths
typeset, for the committee before publishing and for everyone after, never with an
unsent decision, and with member-written text that stays text."""

import io
import itertools
import re

import pytest
from django.core.cache import caches
from django.urls import reverse
from pypdf import PdfReader

from accounts.enums import Role
from gds_portal import typeset
from meetings import demo
from meetings.book import FAILED, UNAVAILABLE, book_source, cache_key
from meetings.enums import ACCEPTED_STATES, Decision
from meetings.models import Abstract, DecisionNotification, Meeting
from meetings.selectors.book import committee_book
from meetings.services.decisions import abstracts_decide
from tests.factories.accounts import UserFactory
from tests.factories.meetings import author, make_abstract

pytestmark = pytest.mark.django_db

MATHS_TITLE = r"Scaling of $\alpha$ with $N$ in learned codecs"


def pdf_text(response) -> str:
    """The PDF's text layer, with runs of blank space as one space."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def accept(abstracts, *, send=False):
    """Accept `abstracts` (by a committee member who is none of their authors) and, with
    `send`, record their decision mail as sent."""
    decider = UserFactory(roles=[Role.PROGRAM_COMMITTEE])
    abstracts_decide(abstracts=abstracts, decision=Decision.ACCEPT_ORAL, by=decider)
    for abstract in abstracts if send else []:
        abstract.refresh_from_db()
        DecisionNotification.objects.create(abstract=abstract, state=abstract.state)


def committee_pdf(client, meeting, query=""):
    return client.get(reverse("meetings:book_pdf", args=[meeting.slug]) + query)


def public_pdf(client, meeting):
    return client.get(reverse("meetings:public_book_pdf", args=[meeting.slug]))


def test_the_demo_book_builds_with_every_accepted_title_and_typeset_maths(personas, client_for):
    demo.load(io.StringIO())
    march = Meeting.objects.get(slug="march-2021")
    accepted = list(
        Abstract.objects.filter(meeting=march, state__in=ACCEPTED_STATES).order_by("reference")
    )
    assert len(accepted) >= 2
    text = pdf_text(committee_pdf(client_for(personas.program_committee), march))
    assert march.name in text  # the title page
    for abstract in accepted:
        assert abstract.reference in text
        assert " ".join(abstract.title.split()) in text
    # The demo bodies' $\chi^2/\nu \approx 1$, typeset: maths italic chi and nu, no TeX.
    assert "\U0001d712" in text and "\U0001d708" in text and "\u2248" in text
    assert "\\chi" not in text and "\\approx" not in text
    assert "Author index" in text


def test_the_body_maths_is_typeset_the_title_printed_as_typed(personas, focus, client_for):
    """Titles take no maths (the form says so, every page shows them as typed): the book
    prints the title's `$` as typed and typesets the body's maths."""
    abstract = make_abstract(
        submitter=personas.member,
        category=focus,
        title=MATHS_TITLE,
        body=r"We bound $\sum_i x_i \leq \epsilon$ for all $N$.",
        authors=[
            author("Ada Lovelace", "ada@example.org", affiliations=["University of London"]),
            author("Grace Hopper", "grace@example.org", presenting=False, affiliations=["Navy"]),
        ],
    )
    accept([abstract])
    text = pdf_text(committee_pdf(client_for(personas.program_committee), focus.meeting))
    assert "Scaling of $\\alpha$ with $N$ in learned codecs" in text  # as typed
    assert "\u2211" in text and "\u2264" in text  # sum and less-or-equal from the body
    assert "23.01.01 Big Data in Physics" in text
    assert "Ada Lovelace1*" in text and "Grace Hopper2" in text
    assert "1University of London" in text and "2Navy" in text
    index = text.split("Author index")[-1]
    assert "Hopper, Grace" in index and "Lovelace, Ada" in index
    assert f"{abstract.reference} (p. 2)" in index


HOSTILE_TITLE = '#read("/etc/passwd") ]`x` <l> @l $#str(6*7)$ $\\text{#str(6*7)}$'
HOSTILE_BODY = "\n\n".join(
    [
        '#import "@preview/cetz:0.2.2": * #eval("6*7")',
        '```\n#read("/etc/passwd")\n```',
        '$\\label{x}$ and $@ref$ and $x // y$ and $#read("/etc/passwd")$',
        '$$\\text{\\#" ]) #read("/etc/passwd")}$$',
        "Backslashes \\\\ \\# \\$ and ] [ { } * _ = + - / ~ < > `#raw` end",
        '[#link](javascript:alert(1)) ![#image("/etc/passwd")](x.png)',
        '| #read("/etc/passwd") |\n|-|\n| $x$ |',
    ]
)


def test_hostile_text_is_printed_literally_and_never_runs(personas, focus, client_for):
    """Typst markup, code, raw blocks, backslashes and maths games in a title, body,
    author, affiliation and category: the book builds, shows them as typed, and nothing
    runs (no file read, no evaluation: 6*7 never becomes 42)."""
    focus.title = '"; #read("/etc/passwd") //'
    focus.save()
    abstract = make_abstract(
        submitter=personas.member,
        category=focus,
        title=HOSTILE_TITLE,
        body=HOSTILE_BODY,
        authors=[
            author(
                'Eve #set page(width: 1cm) "',
                "eve@example.org",
                affiliations=[']#read("/etc/passwd")[ \\'],
            )
        ],
    )
    accept([abstract])
    text = pdf_text(committee_pdf(client_for(personas.program_committee), focus.meeting))
    assert "root:" not in text and "42" not in text.replace(abstract.reference, "")
    for literal in [
        '#read("/etc/passwd") ]`x` <l> @l',
        '#import "@preview/cetz:0.2.2": * #eval("6*7")',
        "Backslashes \\ # $ and ] [ { } * _ = + - / ~ < > ",
        'Eve #set page(width: 1cm) "',
        ']#read("/etc/passwd")[ \\',
        '"; #read("/etc/passwd") //',
        "$\\label{x}$",
    ]:
        assert literal in text, literal
    assert text.count('#read("/etc/passwd")') >= 6


def test_the_typst_source_holds_member_text_only_in_strings(personas, focus):
    abstract = make_abstract(
        submitter=personas.member, category=focus, title=HOSTILE_TITLE, body=HOSTILE_BODY
    )
    accept([abstract])
    source = book_source(
        committee_book(
            meeting=focus.meeting, viewer=personas.program_committee, include_submitted=False
        )
    )
    # Outside string literals, no member text: no "read(", "import" or "eval(" as code.
    code = _outside_strings(source)
    for word in ("read(", "import", "eval(", "/etc/passwd", "cetz"):
        assert word not in code, word


def _outside_strings(source: str) -> str:
    out, position = [], 0
    while position < len(source):
        char = source[position]
        if char == '"':
            position += 1
            while source[position] != '"':
                position += 2 if source[position] == "\\" else 1
        else:
            out.append(char)
        position += 1
    return "".join(out)


@pytest.fixture
def published(personas, focus):
    """A published meeting: one accepted abstract told, one accepted not yet told, one
    submitted and undecided."""
    sent = make_abstract(submitter=personas.member, category=focus, title="Told and accepted")
    unsent = make_abstract(submitter=personas.member, category=focus, title="Accepted, untold")
    make_abstract(submitter=personas.member, category=focus, title="Still under review")
    accept([sent], send=True)
    accept([unsent])
    Meeting.objects.filter(pk=focus.meeting_id).update(contributed_published=True)
    focus.meeting.refresh_from_db()
    return focus.meeting


def test_everyone_reads_the_published_book_without_unsent_decisions(published, client_for):
    text = pdf_text(public_pdf(client_for(None), published))
    assert "Told and accepted" in text
    assert "Accepted, untold" not in text and "Still under review" not in text
    assert "Program committee" not in text


def test_before_publishing_the_public_book_does_not_exist(personas, published, client_for):
    Meeting.objects.filter(pk=published.pk).update(contributed_published=False)
    for who in (None, personas.member, personas.program_committee, personas.staff):
        assert public_pdf(client_for(who), published).status_code == 404


def test_the_committee_book_has_unsent_decisions_but_not_the_viewers_own(
    personas, published, client_for
):
    own = make_abstract(
        submitter=personas.other_member,
        category=published.categories.get(code="23.01.01"),
        title="The committee member's own",
        authors=[author("Pat Committee", personas.program_committee.email)],
    )
    accept([own])
    response = committee_pdf(client_for(personas.program_committee), published)
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response)
    assert "Told and accepted" in text and "Accepted, untold" in text
    assert "The committee member's own" not in text
    assert "Still under review" not in text
    assert "Program committee draft" in text
    everything = pdf_text(
        committee_pdf(client_for(personas.program_committee), published, "?all=1")
    )
    assert "Still under review" in everything
    assert "The committee member's own" not in everything


def test_the_links_to_the_book(personas, published, client_for):
    page = client_for(None).get(published.get_absolute_url()).content.decode()
    assert reverse("meetings:public_book_pdf", args=[published.slug]) in page
    book_page = client_for(personas.program_committee).get(
        reverse("meetings:book", args=[published.slug])
    )
    assert reverse("meetings:book_pdf", args=[published.slug]) in book_page.content.decode()
    Meeting.objects.filter(pk=published.pk).update(contributed_published=False)
    page = client_for(None).get(published.get_absolute_url()).content.decode()
    assert "book.pdf" not in page


def test_a_built_book_is_cached_by_its_content_and_rebuilt_when_it_changes(published, client_for):
    client = client_for(None)
    first = public_pdf(client, published).content
    from meetings.selectors.book import public_book

    book = public_book(meeting=published)
    assert caches["default"].get(cache_key(book)) == first
    assert public_pdf(client, published).content == first
    Abstract.objects.filter(title="Told and accepted").update(title="Renamed after the mail")
    text = pdf_text(public_pdf(client, published))
    assert "Renamed after the mail" in text and "Told and accepted" not in text
    assert cache_key(public_book(meeting=published)) != cache_key(book)


@pytest.mark.parametrize("page", ["committee", "public"])
def test_the_book_has_a_fixed_query_count(
    personas, focus, client_for, page, django_assert_num_queries
):
    Meeting.objects.filter(pk=focus.meeting_id).update(contributed_published=True)
    focus.meeting.refresh_from_db()
    viewer = personas.program_committee if page == "committee" else None
    client = client_for(viewer)
    fetch = committee_pdf if page == "committee" else public_pdf
    # Public: the meeting, then the abstracts, their authors, the authors' affiliations
    # and the abstracts' affiliations. The committee's: + the session, the user, their
    # roles and their verified addresses (the abstracts they are an author of: left out).
    # The public book also reads the published sessions' talks (its order).
    budget = {"committee": 8, "public": 6}[page]
    for n in (1, 2):  # 1, then 1 + 2 = 3 accepted abstracts, told
        abstracts = [
            make_abstract(submitter=personas.member, category=focus, title=f"Abstract {n} {i}")
            for i in range(n)
        ]
        accept(abstracts, send=True)
        fetch(client, focus.meeting)  # warm the session and permission caches
        with django_assert_num_queries(budget):
            assert fetch(client, focus.meeting).status_code == 200


# --- Grouped by session ----------------------------------------------------------------


def _session(meeting, title, code, abstracts, *, published):
    from django.utils import timezone

    from meetings.models import ContributedSession, SessionTalk

    session = ContributedSession.objects.create(
        meeting=meeting, title=title, code=code, published_at=timezone.now() if published else None
    )
    for position, abstract in enumerate(abstracts, start=1):
        SessionTalk.objects.create(session=session, abstract=abstract, position=position)
    return session


def test_the_public_book_follows_the_published_sessions_then_the_rest(personas, focus, client_for):
    first, second, third, loose = (
        make_abstract(submitter=personas.member, category=focus, title=f"Talk {name}")
        for name in ("Alpha", "Bravo", "Charlie", "Delta")
    )
    accept([first, second, third, loose], send=True)
    _session(focus.meeting, "Ordered talks", "B12", [third, first], published=True)
    _session(focus.meeting, "Draft session", "C01", [second], published=False)
    Meeting.objects.filter(pk=focus.meeting_id).update(contributed_published=True)
    text = pdf_text(public_pdf(client_for(None), focus.meeting))
    # The published session first, its talks in the committee's order; the draft
    # session is no chapter: its talk and the loose one follow by category.
    assert "B12 Ordered talks" in text and "Draft session" not in text
    # (The contents page lists the chapters first: the talks are read after it.)
    body = text[text.index("Talk Charlie") :]
    assert body.index("Talk Alpha") < body.index("23.01.01 Big Data in Physics")
    chapter = text.split("23.01.01 Big Data in Physics")[-1]
    assert "Talk Bravo" in chapter and "Talk Delta" in chapter
    assert "Talk Alpha" not in chapter.split("Author index")[0]


def test_the_committee_book_by_session_has_draft_sessions_but_never_the_viewers_own(
    personas, focus, client_for
):
    mine = make_abstract(
        submitter=personas.other_member,
        category=focus,
        title="Talk of the viewer",
        authors=[author("Pat Committee", personas.program_committee.email)],
    )
    other = make_abstract(submitter=personas.member, category=focus, title="Talk Echo")
    accept([mine, other])
    _session(focus.meeting, "Draft session", "C01", [mine, other], published=False)
    client = client_for(personas.program_committee)
    text = pdf_text(committee_pdf(client, focus.meeting, "?by=session"))
    assert "C01 Draft session" in text and "Talk Echo" in text
    assert "Talk of the viewer" not in text
    by_category = pdf_text(committee_pdf(client, focus.meeting))
    assert "Draft session" not in by_category and "Talk Echo" in by_category
    page = client.get(reverse("meetings:book", args=[focus.meeting.slug])).content.decode()
    assert "?by=session" in page


# The outside probe's bodies, each of which once took the whole book down (a worker
# timeout, a RecursionError's 500, or the compiler's 503).
_MACROS = [f"\\z{chr(ord('a') + i)}" for i in range(20)]
DOUBLING_MACROS = "".join(
    [f"\\newcommand{{{_MACROS[0]}}}{{xx}}"]
    + [f"\\newcommand{{{b}}}{{{a}{a}}}" for a, b in itertools.pairwise(_MACROS)]
    + [_MACROS[-1]]
)
HOSTILE_BODIES = {
    "macros": f"Expand me $${DOUBLING_MACROS}$$",
    "emphasis": "*" * 600 + "x" + "*" * 600,
    "subscripts": "$$" + "x_" * 600 + "y$$",
    "roots": "$" + "\\sqrt{" * 400 + "x" + "}" * 400 + "$",
    "bare roots": r"Roots $\sqrt\sqrt x$ here",
    "quotes": ">" * 1000 + " deep",
}


def test_hostile_bodies_print_as_source_and_the_book_still_builds(personas, focus, client_for):
    """Each hostile body alone is printed as typed (its formula or its whole text); the
    other abstracts keep their typeset maths, and the committee copy says which
    abstracts were printed as typed."""
    hostile = [
        make_abstract(submitter=personas.member, category=focus, title=f"Hostile {name}", body=body)
        for name, body in HOSTILE_BODIES.items()
    ]
    fine = make_abstract(
        submitter=personas.member, category=focus, title="Fine", body=r"Here $\chi^2/\nu$."
    )
    accept([*hostile, fine], send=True)
    text = pdf_text(committee_pdf(client_for(personas.program_committee), focus.meeting))
    assert "\U0001d712" in text and "\U0001d708" in text  # the fine abstract's maths
    assert DOUBLING_MACROS in text.replace(" ", "")  # the macros as typed, never expanded
    assert "xxxxxxxx" not in text
    assert r"$\sqrt\sqrt x$" in text
    # The two bodies the Markdown converter cannot take, as typed, each with the note.
    assert text.count("Note for the committee: this abstract could not be typeset") == 2
    assert "deep" in text and "***x***" in text.replace(" ", "")

    Meeting.objects.filter(pk=focus.meeting_id).update(contributed_published=True)
    public = pdf_text(public_pdf(client_for(None), focus.meeting))
    assert "Hostile quotes" in public and "Note for the committee" not in public


def test_a_compiler_failure_rebuilds_the_book_with_bodies_as_typed(
    personas, focus, client_for, monkeypatch
):
    """Whatever else the compiler may one day refuse, the book still builds: once more
    with every body as typed, each noted in the committee's copy. (The check that
    stops `sqrt(√)` is switched off to make the compiler fail as it used to.)"""
    monkeypatch.setattr(typeset, "_DANGLING_ROOT", re.compile(r"(?!)"))
    broken = make_abstract(
        submitter=personas.member, category=focus, title="Breaks", body=r"$\sqrt\sqrt x$"
    )
    fine = make_abstract(submitter=personas.member, category=focus, title="Fine", body="*Fine*.")
    accept([broken, fine])
    text = pdf_text(committee_pdf(client_for(personas.program_committee), focus.meeting))
    assert r"$\sqrt\sqrt x$" in text and "*Fine*." in text
    assert text.count("Note for the committee: this abstract could not be typeset") == 2


def test_a_failed_book_is_remembered_and_answered_plainly(personas, focus, client_for, monkeypatch):
    """A book that cannot be built at all: 503 with a message that does not invite a
    retry, and the failure is cached under the book's key, so asking again does not
    build again (the build would succeed now, yet the cached failure answers)."""
    accept([make_abstract(submitter=personas.member, category=focus, title="Any")])
    client = client_for(personas.program_committee)
    monkeypatch.setattr(typeset, "MAX_SOURCE_CHARS", 10)
    response = committee_pdf(client, focus.meeting)
    assert (response.status_code, response.content.decode()) == (503, UNAVAILABLE)
    assert "try again" not in UNAVAILABLE.lower()
    book = committee_book(
        meeting=focus.meeting, viewer=personas.program_committee, include_submitted=False
    )
    assert caches["default"].get(cache_key(book)) == FAILED
    monkeypatch.undo()
    assert committee_pdf(client, focus.meeting).status_code == 503
    caches["default"].delete(cache_key(book))
    assert "Any" in pdf_text(committee_pdf(client, focus.meeting))
