"""The attendance import (a platform's CSV report) and marking attendance by hand."""

import csv
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.identity import canonical_email
from tests.factories.webinars import FUTURE, WebinarFactory
from webinars.attendance import (
    MAX_ROWS,
    AttendanceFileError,
    AttendanceImportError,
    attendance_import,
    plan_import,
    registrations_set_attended,
)
from webinars.enums import RegistrationStatus
from webinars.models import Participant, Registration

pytestmark = pytest.mark.django_db

IMPORT = "/admin/webinars/registration/import/"
CHANGELIST = "/admin/webinars/registration/"
ZOOM_HEADER = [
    "Attended",
    "User Name (Original Name)",
    "Email",
    "Join Time",
    "Leave Time",
    "Time in Session (minutes)",
]


def _register(webinar, email: str, name: str = "Registrant", **fields) -> Registration:
    return Registration.objects.create(
        webinar=webinar,
        name=name,
        email=email,
        email_key=canonical_email(email),
        status=fields.pop("status", RegistrationStatus.CONFIRMED),
        **fields,
    )


def _csv(rows, header=ZOOM_HEADER, preamble=()) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in preamble:
        writer.writerow(line)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _row(email: str, name: str = "Someone", minutes="30", attended="Yes") -> list[str]:
    return [attended, name, email, "01/15/2021 11:02:35 AM", "01/15/2021 11:32:35 AM", minutes]


def _state(webinar) -> tuple[list, list]:
    participants = Participant.objects.filter(webinar=webinar).order_by("email_key")
    registrations = webinar.registrations.order_by("email_key")
    return (
        list(participants.values_list("email_key", "attended", "minutes", "registration_id")),
        list(registrations.values_list("email_key", "attended_at")),
    )


def _thousand_rows(webinar) -> tuple[str, list[int]]:
    """1,000 data lines: 40 registered here, the rest unknown addresses; every 97th line
    malformed (not an address, a bad number, a bad Attended value by turns)."""
    rows, bad_lines = [], []
    for n in range(1000):
        email = f"person{n}@example.org"
        row = _row(email, name=f"Person {n}", minutes=str(10 + n % 50))
        if n % 97 == 50:
            row[[2, 5, 0][n % 3]] = ["not-an-address", "ten", "maybe"][n % 3]
            bad_lines.append(n + 2)  # the header is line 1
        rows.append(row)
    for n in range(40):
        _register(webinar, f"Person{n}@Example.org")
    return _csv(rows), bad_lines


def test_a_thousand_rows_with_bad_lines_import_nothing_and_list_every_bad_line():
    webinar = WebinarFactory()
    text, bad_lines = _thousand_rows(webinar)
    before = _state(webinar)

    with pytest.raises(AttendanceImportError) as raised:
        attendance_import(webinar=webinar, text=text)

    plan = raised.value.plan
    assert [error.line for error in plan.errors] == bad_lines
    assert all(error.text.startswith(f"Line {error.line}: ") for error in plan.errors)
    assert _state(webinar) == before  # nothing written


def test_a_thousand_rows_import_in_one_go_and_again_change_nothing(django_assert_num_queries):
    webinar = WebinarFactory()
    text, bad_lines = _thousand_rows(webinar)
    lines = text.splitlines()
    fixed = "\n".join(line for number, line in enumerate(lines, 1) if number not in bad_lines)

    plan = attendance_import(webinar=webinar, text=fixed)

    kept = 1000 - len(bad_lines)
    assert (len(plan.to_create), len(plan.to_update), len(plan.unchanged)) == (kept, 0, 0)
    # Unknown addresses are people of their own, each with a message in the preview.
    notes = [p for p in plan.rows if p.note]
    assert len(notes) == kept - 40
    assert notes[0].note.startswith("Not registered on this site")
    participants, registrations = _state(webinar)
    assert len(participants) == kept
    assert sum(1 for _, attended_at in registrations if attended_at) == 40
    linked = Participant.objects.filter(webinar=webinar, registration__isnull=False).count()
    assert linked == 40

    # The same file again: every row unchanged, nothing written (no UPDATE, no INSERT).
    state = _state(webinar)
    with django_assert_num_queries(5) as captured:  # savepoint, lock, 2 reads, release
        again = attendance_import(webinar=webinar, text=fixed)
    assert (len(again.to_create), len(again.to_update), len(again.unchanged)) == (0, 0, kept)
    assert not again.changes_something
    assert not [q for q in captured.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert _state(webinar) == state


def test_zoom_report_with_preamble_sections_and_rejoins():
    webinar = WebinarFactory()
    registrant = _register(webinar, "ada@example.org", name="Ada")
    text = _csv(
        [
            _row("ADA@example.org", "Ada L.", minutes="20"),
            ["Attendee Details"],
            ZOOM_HEADER,  # the next table of the report
            _row("ada@example.org", "", minutes="15"),  # rejoined: minutes add up
            _row("", "Phone caller", minutes="5"),  # dial-in: no address, not counted
            _row("bob@example.org", "Bob", minutes="", attended="No"),
        ],
        preamble=[["Attendee Report"], ["Topic", "Demo"], []],
    )
    plan = attendance_import(webinar=webinar, text=text)

    assert [m.text for m in plan.skipped] == ["Line 9: no email address; not counted."]
    participants, _ = _state(webinar)
    assert participants == [
        ("ada@example.org", True, 35, registrant.pk),
        ("bob@example.org", False, None, None),
    ]
    registrant.refresh_from_db()
    assert registrant.attended_at is not None


def test_a_file_without_an_email_column_is_refused():
    with pytest.raises(AttendanceFileError, match="No column of email addresses"):
        plan_import(webinar=WebinarFactory(), text="Name,Minutes\nAda,3\n")


def test_too_many_rows_are_refused_with_a_clear_message():
    text = _csv([_row(f"p{n}@example.org") for n in range(MAX_ROWS + 1)])
    with pytest.raises(AttendanceFileError, match="more than 20,000 rows"):
        plan_import(webinar=WebinarFactory(), text=text)


def test_a_changed_report_updates_rows_and_never_clears_attendance():
    webinar = WebinarFactory()
    registrant = _register(webinar, "ada@example.org")
    attendance_import(webinar=webinar, text=_csv([_row("ada@example.org", minutes="10")]))
    registrant.refresh_from_db()
    marked = registrant.attended_at

    plan = attendance_import(
        webinar=webinar, text=_csv([_row("ada@example.org", minutes="50", attended="No")])
    )

    assert [p.action for p in plan.rows] == ["update"]
    registrant.refresh_from_db()
    assert registrant.attended_at == marked  # the committee's record stays
    assert _state(webinar)[0] == [("ada@example.org", False, 50, registrant.pk)]


def test_marking_not_attended_corrects_the_imported_rows_too():
    webinar = WebinarFactory()
    registrant = _register(webinar, "ada@example.org")
    attendance_import(webinar=webinar, text=_csv([_row("ada@example.org")]))

    changed = registrations_set_attended(
        registrations=Registration.objects.filter(pk=registrant.pk), attended=False
    )

    assert changed == 1
    assert _state(webinar) == (
        [("ada@example.org", False, 30, registrant.pk)],
        [("ada@example.org", None)],
    )


# --- The admin pages ----------------------------------------------------------------


def _upload(text: str, name="report.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_committee_previews_then_confirms_an_import(client_for, personas):
    webinar = WebinarFactory()
    _register(webinar, "ada@example.org", name="Ada")
    text = _csv([_row("ada@example.org"), _row("walk.in@example.org", name="Walk In")])
    client = client_for(personas.webinar_committee)

    preview = client.post(IMPORT, {"webinar": webinar.pk, "file": _upload(text)})

    page = preview.content.decode()
    assert "2 to add, 0 to update, 0 unchanged" in page
    assert "walk.in@example.org — Not registered on this site" in page
    assert Participant.objects.count() == 0  # a preview writes nothing

    done = client.post(IMPORT, {"webinar": webinar.pk, "text": text})

    assert "2 added, 0 updated, 0 unchanged" in done.content.decode()
    assert Participant.objects.filter(webinar=webinar).count() == 2
    again = client.post(IMPORT, {"webinar": webinar.pk, "file": _upload(text)})
    assert "This file changes nothing" in again.content.decode()
    assert 'value="Import these' not in again.content.decode()


def test_preview_lists_errors_and_offers_no_import(client_for, personas):
    webinar = WebinarFactory()
    text = _csv([_row("ada@example.org"), _row("nope"), _row("b@example.org", minutes="-3")])
    client = client_for(personas.webinar_committee)

    page = client.post(IMPORT, {"webinar": webinar.pk, "file": _upload(text)}).content.decode()

    assert "Line 3: “nope” is not an email address." in page
    assert "Line 4: minutes “-3” is out of range." in page
    assert 'value="Import these' not in page
    # Sending the text anyway (a forged confirm) writes nothing either.
    client.post(IMPORT, {"webinar": webinar.pk, "text": text})
    assert Participant.objects.count() == 0


def test_an_oversized_or_non_utf8_file_is_refused(client_for, personas, monkeypatch):
    monkeypatch.setattr("webinars.forms.MAX_BYTES", 100)
    webinar = WebinarFactory()
    client = client_for(personas.webinar_committee)
    big = client.post(IMPORT, {"webinar": webinar.pk, "file": _upload("Email\n" + "a" * 200)})
    assert "The file is larger than" in big.content.decode()
    latin = SimpleUploadedFile("r.csv", "Email\nzoë@example.org\n".encode("latin-1"))
    bad = client.post(IMPORT, {"webinar": webinar.pk, "file": latin})
    assert "The file is not UTF-8 text" in bad.content.decode()


def test_mark_actions_set_and_clear_attendance_and_log_who(client_for, personas):
    webinar = WebinarFactory()
    ada, bob = _register(webinar, "ada@example.org"), _register(webinar, "bob@example.org")
    client = client_for(personas.webinar_committee)

    client.post(CHANGELIST, {"action": "mark_attended", "_selected_action": [ada.pk, bob.pk]})
    assert list(webinar.registrations.filter(attended_at__isnull=False)) == [ada, bob]
    client.post(CHANGELIST, {"action": "mark_not_attended", "_selected_action": [bob.pk]})

    assert list(webinar.registrations.filter(attended_at__isnull=False)) == [ada]
    log = LogEntry.objects.filter(user=personas.webinar_committee).order_by("id")
    assert [entry.get_change_message() for entry in log] == [
        "Marked attended.",
        "Marked attended.",
        "Marked not attended.",
    ]


@pytest.mark.parametrize("who", ["member", "program_committee", "executive"])
def test_others_cannot_import_or_mark(client_for, personas, who):
    webinar = WebinarFactory()
    ada = _register(webinar, "ada@example.org")
    client = client_for(getattr(personas, who))
    text = _csv([_row("ada@example.org")])

    responses = [
        client.post(IMPORT, {"webinar": webinar.pk, "text": text}),
        client.post(CHANGELIST, {"action": "mark_attended", "_selected_action": [ada.pk]}),
    ]

    assert [r.status_code in (302, 403) for r in responses] == [True, True]
    assert Participant.objects.count() == 0
    ada.refresh_from_db()
    assert ada.attended_at is None


def test_preview_shows_names_from_the_report_as_text(client_for, personas):
    """Attendees choose their display names; the preview escapes them, never runs them."""
    webinar = WebinarFactory()
    text = _csv([_row("a@example.org", name="<script>alert(1)</script>{{ 7|add:1 }}")])
    client = client_for(personas.webinar_committee)

    page = client.post(IMPORT, {"webinar": webinar.pk, "file": _upload(text)}).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7|add:1 }}" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize("n", [1, 3])
def test_import_preview_query_budget(client_for, personas, django_assert_num_queries, n):
    webinar = WebinarFactory()
    for i in range(n):
        _register(webinar, f"r{i}@example.org")
    text = _csv([_row(f"r{i}@example.org") for i in range(n)] + [_row("new@example.org")])
    client = client_for(personas.webinar_committee)
    client.get(IMPORT)  # warm caches (content types, site settings)
    # Session and user 2, groups and permissions 3, the chosen webinar 1, registrations
    # and imported rows of the file's addresses 2 (the preview shows no webinar menu).
    with django_assert_num_queries(7):
        response = client.post(IMPORT, {"webinar": webinar.pk, "file": _upload(text)})
    assert len(response.context["plan"].to_create) == n + 1


@pytest.mark.parametrize("n", [1, 3])
def test_imported_rows_list_query_budget(client_for, personas, django_assert_num_queries, n):
    webinar = WebinarFactory()
    attendance_import(webinar=webinar, text=_csv([_row(f"p{i}@example.org") for i in range(n)]))
    client = client_for(personas.webinar_committee)
    url = f"/admin/webinars/participant/?webinar__id__exact={webinar.pk}"
    client.get(url)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.context["cl"].result_count == n


def test_no_attendance_for_a_webinar_that_has_not_started(client_for, personas):
    upcoming = WebinarFactory(start_at=FUTURE)
    client = client_for(personas.webinar_committee)
    client.post(IMPORT, {"webinar": upcoming.pk, "text": _csv([_row("a@example.org")])})
    assert Participant.objects.count() == 0
