"""The committee's exports, book of abstracts, dashboard and review list: contents,
formula safety and fixed query budgets."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.enums import Role
from gds_portal.charts import bar_chart, line_chart
from meetings.enums import Decision
from meetings.models import Abstract, Review, SpeakerNomination
from meetings.services import duplicates
from meetings.services.decisions import abstracts_decide
from tests.factories.accounts import UserFactory
from tests.factories.meetings import author, make_abstract

pytestmark = pytest.mark.django_db

TRIGGERS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTabbed", "\rCarriage"]


def _hostile_abstract(submitter, category):
    return make_abstract(
        submitter=submitter,
        category=category,
        title=TRIGGERS[0],
        body=TRIGGERS[1],
        keywords=TRIGGERS[2],
        funding=TRIGGERS[3],
        authors=[author(TRIGGERS[4], "x@example.org", affiliations=[TRIGGERS[5]])],
    )


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def _assert_safe(cells):
    for cell in cells:
        if isinstance(cell, str) and cell:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), repr(cell)


def test_csv_export_neutralises_formula_cells(personas, focus, client_for):
    _hostile_abstract(personas.member, focus)
    url = reverse("meetings:export", args=[focus.meeting.slug, "csv"])
    rows = _csv_rows(client_for(personas.program_committee).get(url))
    assert rows[0][0] == "Reference"
    assert len(rows) == 2
    _assert_safe(rows[1])
    assert rows[1][5] == "'" + TRIGGERS[0]
    assert "'\tTabbed" in rows[1][9]


def test_xlsx_export_opens_and_is_safe(personas, focus, client_for):
    _hostile_abstract(personas.member, focus)
    url = reverse("meetings:export", args=[focus.meeting.slug, "xlsx"])
    response = client_for(personas.program_committee).get(url)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Reference"
    _assert_safe(rows[1])
    assert rows[1][5] == "'" + TRIGGERS[0]
    for row in rows[1:]:
        for cell in row:
            assert not (isinstance(cell, str) and cell.startswith("=")), "a formula cell"


def test_exports_filter_by_category_and_state(personas, focus, client_for, meeting):
    from tests.factories.meetings import SortingCategoryFactory

    other = SortingCategoryFactory(meeting=meeting, code="23.04.00", title="Machine Learning")
    accepted = make_abstract(submitter=personas.member, category=focus, title="Kept")
    make_abstract(submitter=personas.member, category=focus, title="Undecided")
    make_abstract(submitter=personas.member, category=other, title="Elsewhere")
    make_abstract(submitter=personas.member, category=focus, title="A draft", submit=False)
    abstracts_decide(
        abstracts=[accepted], decision=Decision.ACCEPT_POSTER, by=personas.program_committee
    )
    url = reverse("meetings:export", args=[meeting.slug, "csv"])
    client = client_for(personas.program_committee)
    titles = [r[5] for r in _csv_rows(client.get(url, {"category": "23.01.01"}))[1:]]
    assert sorted(titles) == ["Kept", "Undecided"]
    titles = [r[5] for r in _csv_rows(client.get(url, {"state": "accepted_poster"}))[1:]]
    assert titles == ["Kept"]
    assert "A draft" not in [r[5] for r in _csv_rows(client.get(url))[1:]]


def test_book_of_abstracts_groups_by_category_with_maths(personas, focus, client_for):
    abstract = make_abstract(submitter=personas.member, category=focus, body="We find $x^2$.")
    abstracts_decide(
        abstracts=[abstract], decision=Decision.ACCEPT_ORAL, by=personas.program_committee
    )
    page = (
        client_for(personas.program_committee)
        .get(reverse("meetings:book", args=[focus.meeting.slug]))
        .content.decode()
    )
    assert "23.01.01 Big Data in Physics" in page
    assert "<math" in page


def test_charts_escape_labels_and_use_no_style_attribute():
    svg = str(bar_chart(title="<b>t</b>", labels=["<script>x</script>", "b"], values=[3, 0]))
    svg += str(line_chart(title="t", labels=["a&b", "c"], values=[0, 2], marker_label="<i>"))
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;" in svg
    assert "style=" not in svg
    assert svg.count('role="img"') == 2


def _reviewers(n):
    return [UserFactory(roles=[Role.PROGRAM_COMMITTEE]) for _ in range(n)]


def _world(n, focus):
    members = [UserFactory() for _ in range(n)]
    abstracts = [
        make_abstract(submitter=m, category=focus, title=f"Abstract {i} on {'xyz'[i % 3] * 9}")
        for i, m in enumerate(members)
    ]
    reviewers = _reviewers(n)
    abstracts_decide(abstracts=abstracts, decision=Decision.REJECT, by=reviewers[0])
    for member in members:
        SpeakerNomination.objects.create(
            meeting=focus.meeting,
            nominator=member,
            nominee_name="N",
            nominee_affiliation="A",
            nominee_email="n@example.org",
            talk_title="T",
            rationale="R",
        )
    for abstract in abstracts:
        for reviewer in reviewers:
            Review.objects.create(abstract=abstract, reviewer=reviewer, score=3)
    return reviewers


# Queries per page, whatever the number of abstracts, reviews and nominations.
BUDGETS = {
    # 13: + the review assignments' coverage (the viewer's own, the open abstracts, the
    # assignments with whether each is done).
    "meetings:dashboard": 12,
    # + the page count and the page's ids (its abstracts are then read alone); duplicate
    # flags are one read of the stored pairs. 17 when flags were computed on the page.
    # 17: + the reviewer's queue, first on the page; + the rubric, + the abstracts whose
    # scores the viewer may read (blind until scored).
    # 15: without the authors and their affiliations, which the list never showed.
    "meetings:review_list": 14,
    # Decisions, book, preview and exports: + one read of the abstracts the viewer is an
    # author of (conflict of interest: left out or blanked).
    # 13: + the abstracts whose scores the viewer may read (blind until scored).
    # 12: paged like the review list (+ the count and the page's ids), without the
    # authors and affiliations the list never showed (- 3).
    "meetings:decisions": 11,
    "meetings:book": 6,
    "meetings:nominations": 6,
    # 9: the authors of the pending abstracts, read in one query (every author is mailed).
    "meetings:decisions_preview": 8,
    "meetings:exports": 6,
}


@pytest.mark.parametrize("page", list(BUDGETS))
def test_committee_pages_have_fixed_query_counts(
    personas, focus, client_for, page, django_assert_num_queries
):
    client = client_for(personas.program_committee)
    url = reverse(page, args=[focus.meeting.slug])
    for n in (1, 2):  # 1, then 1 + 2 = 3 abstracts, reviewers and nominations
        _world(n, focus)
        client.get(url)  # warm the session and permission caches
        with django_assert_num_queries(BUDGETS[page]):
            assert client.get(url).status_code == 200


def test_review_form_has_a_fixed_query_count(
    personas, focus, client_for, django_assert_num_queries
):
    """Its duplicate flags are read, not computed: as many queries with 1 or 3 abstracts
    (17 when they were computed on the page; 13 before the reviewer's verified addresses
    were read once for both the permission and the conflict-of-interest check); 14 with
    the rubric and the reviews' criterion scores; 15 with the reviewer's queue (its
    position, "2 of 5 in your queue")."""
    client = client_for(personas.program_committee)
    for n in (1, 2):
        _world(n, focus)
        duplicates.check_pending()
        first = Abstract.objects.order_by("pk").first()
        url = reverse("meetings:review", args=[focus.meeting.slug, first.pk])
        client.get(url)  # warm the session and permission caches
        with django_assert_num_queries(14):
            assert client.get(url).status_code == 200


def test_submissions_by_day_runs_to_the_deadline(personas, db):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import time_machine

    from meetings.selectors.statistics import submissions_by_day
    from tests.factories.meetings import MeetingFactory, SortingCategoryFactory

    noon = datetime(2020, 10, 20, 12, 0, tzinfo=ZoneInfo("America/New_York"))
    with time_machine.travel(noon, tick=False):
        meeting = MeetingFactory(
            call_opens_at=noon - timedelta(days=3), call_closes_at=noon + timedelta(days=2)
        )
        category = SortingCategoryFactory(meeting=meeting)
        make_abstract(submitter=personas.member, category=category)
        make_abstract(submitter=personas.other_member, category=category, submit=False)
        series = submissions_by_day(meeting=meeting)
    assert [(day.day, total) for day, total in series] == [
        (17, 0),
        (18, 0),
        (19, 0),
        (20, 1),
        (21, None),
        (22, None),
    ]


def test_decision_list_is_paged_and_redacted_on_every_page(
    personas, focus, client_for, monkeypatch
):
    """50 to a page (2 here): each page is the viewer's view (their own abstract marked,
    not choosable, its state blank), and a decision posted from a page returns to it."""
    monkeypatch.setattr("meetings.selectors.reviews.REVIEW_PAGE_SIZE", 2)
    others = [make_abstract(submitter=personas.member, category=focus) for _ in range(2)]
    own = make_abstract(submitter=personas.program_committee, category=focus)
    url = reverse("meetings:decisions", args=[focus.meeting.slug])
    client = client_for(personas.program_committee)
    first, second = client.get(url), client.get(url, {"page": 2})
    assert [a.pk for a in first.context["abstracts"]] == [a.pk for a in others]
    assert [(a.pk, a.conflict) for a in second.context["abstracts"]] == [(own.pk, True)]
    assert f'value="{own.pk}"' not in second.content.decode()
    assert "Page 2 of 2 (3 abstracts)." in second.content.decode()
    posted = client.post(
        f"{url}?page=2", {"abstracts": [others[0].pk], "decision": Decision.ACCEPT_POSTER}
    )
    assert posted.status_code == 302 and posted["Location"] == f"{url}?page=2"
    others[0].refresh_from_db()
    assert others[0].state == Decision.ACCEPT_POSTER
