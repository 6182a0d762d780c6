"""Who attended: the video platform's report imported, or attendance marked by hand.

The import reads a CSV export (Zoom's attendee or registration report, or any file
with an email column), plans every row against what is recorded — create, update or
leave unchanged — and writes the plan in one transaction only when no row has an
error: a file with any bad row writes nothing and every bad row is listed. The plan
is computed again inside the transaction (the webinar's row locked), so what is
written is what the rows say at that moment, and importing the same file twice
changes nothing the second time.

An address that has no registration on this site is not an error: it is someone who
registered on the platform itself (every webinar before registration moved here) or
who was forwarded the join link. They are recorded as a `Participant` of their own
and counted as the distinct person they are; the preview says so row by row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.identity import canonical_email, typed_address
from webinars.models import Participant, Registration, Webinar

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_NAME = 200
# Headers as the platforms write them (compared case- and space-insensitively).
EMAIL_HEADERS = {"email", "user email", "email address", "attendee email", "registrant email"}
NAME_HEADERS = {"name", "user name", "name (original name)", "user name (original name)"}
NAME_HEADERS |= {"full name", "attendee name", "display name"}
FIRST_NAME_HEADERS = {"first name"}
LAST_NAME_HEADERS = {"last name"}
MINUTES_HEADERS = {"duration (minutes)", "time in session (minutes)", "minutes", "duration"}
ATTENDED_HEADERS = {"attended"}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
HEADER_SEARCH_LINES = 50  # a platform's preamble (title, topic, totals) comes first


class AttendanceFileError(Exception):
    """The file as a whole cannot be read (not a CSV, no email column, too many rows)."""


@dataclass
class ReportRow:
    """One address of the report; several lines for one address (rejoins) are merged."""

    line: int
    email_key: str
    name: str
    attended: bool
    minutes: int | None


@dataclass
class RowMessage:
    line: int
    text: str


@dataclass
class PlannedRow:
    row: ReportRow
    action: str  # "create", "update" or "unchanged"
    registration_id: int | None
    note: str = ""


@dataclass
class Plan:
    """What importing the file would do, row by row."""

    webinar: Webinar
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowMessage] = field(default_factory=list)
    skipped: list[RowMessage] = field(default_factory=list)
    lines_read: int = 0

    def _with(self, action: str) -> list[PlannedRow]:
        return [planned for planned in self.rows if planned.action == action]

    @property
    def to_create(self) -> list[PlannedRow]:
        return self._with("create")

    @property
    def to_update(self) -> list[PlannedRow]:
        return self._with("update")

    @property
    def unchanged(self) -> list[PlannedRow]:
        return self._with("unchanged")

    @property
    def changes_something(self) -> bool:
        return any(planned.action != "unchanged" for planned in self.rows)

    @property
    def can_import(self) -> bool:
        return not self.errors and self.changes_something


def header_key(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").strip().casefold().split())


@dataclass
class _Columns:
    email: int
    name: int | None = None
    first: int | None = None
    last: int | None = None
    minutes: int | None = None
    attended: int | None = None


def _columns(cells: list[str]) -> _Columns | None:
    keys = [header_key(cell) for cell in cells]

    def find(names: set[str]) -> int | None:
        return next((i for i, key in enumerate(keys) if key in names), None)

    email = find(EMAIL_HEADERS)
    if email is None:
        return None
    return _Columns(
        email=email,
        name=find(NAME_HEADERS),
        first=find(FIRST_NAME_HEADERS),
        last=find(LAST_NAME_HEADERS),
        minutes=find(MINUTES_HEADERS),
        attended=find(ATTENDED_HEADERS),
    )


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _minutes(text: str) -> int | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"minutes “{text[:40]}” is not a number") from None
    if value < 0 or value > 100_000:
        raise ValueError(f"minutes “{text[:40]}” is out of range")
    return round(value)


def _attended(text: str) -> bool:
    key = text.casefold()
    if not key or key in YES:
        return True
    if key in NO:
        return False
    raise ValueError(f"attended “{text[:40]}” is neither Yes nor No")


def _name(cells: list[str], columns: _Columns) -> str:
    name = _cell(cells, columns.name)
    if not name:
        name = " ".join(filter(None, [_cell(cells, columns.first), _cell(cells, columns.last)]))
    return name[:MAX_NAME]


def _parse_row(line: int, cells: list[str], columns: _Columns) -> ReportRow | None:
    """The row, or None for a row without an address; ValueError says what is wrong."""
    email = typed_address(_cell(cells, columns.email))
    if not email:
        return None
    if "\0" in "".join(cells):
        raise ValueError("the line holds a NUL character")
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(f"“{email[:80]}” is not an email address") from None
    return ReportRow(
        line=line,
        email_key=canonical_email(email),
        name=_name(cells, columns),
        attended=_attended(_cell(cells, columns.attended)),
        minutes=_minutes(_cell(cells, columns.minutes)),
    )


def _merge(into: ReportRow, row: ReportRow) -> None:
    """The same address on several lines: one who left and rejoined."""
    into.attended = into.attended or row.attended
    if row.minutes is not None:
        into.minutes = (into.minutes or 0) + row.minutes
    into.name = into.name or row.name


def _is_blank(cells: list[str]) -> bool:
    filled = [cell for cell in cells if cell.strip()]
    # A blank line, or a section title ("Attendee Details") between a report's tables.
    return not filled or (len(filled) == 1 and "@" not in filled[0])


def csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each record of a CSV file with the physical line it starts on.

    Raises AttendanceFileError for a file that is no valid CSV, and for a record that runs
    over several lines: the csv module reads a quote that is never closed as one field
    swallowing the rest of the file, silently. No platform's report quotes a line break,
    so such a record is an unclosed quote (the line it opens on is named).
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if end > start or any("\n" in cell or "\r" in cell for cell in cells):
                raise AttendanceFileError(
                    f"Line {start}: a quote opened here is never closed (the field runs on "
                    f"to line {max(end, start + 1)}). Nothing was imported; close the quote "
                    "and import again."
                )
            yield start, cells
    except csv.Error as error:
        raise AttendanceFileError(
            f"Line {reader.line_num}: the file is not a valid CSV ({error})."
        ) from None


def parse_report(text: str, plan: Plan) -> dict[str, ReportRow]:
    """The report's rows by canonical address; bad rows go to `plan.errors`."""
    columns: _Columns | None = None
    rows: dict[str, ReportRow] = {}
    for line, cells in csv_rows(text):
        if columns is None:
            columns = _columns(cells)
            if columns is None and line >= HEADER_SEARCH_LINES:
                break
            continue
        if _is_blank(cells):
            continue
        if (header := _columns(cells)) is not None:
            columns = header  # the next table of the report (hosts, panelists, attendees)
            continue
        plan.lines_read += 1
        if plan.lines_read > MAX_ROWS:
            raise AttendanceFileError(
                f"The file has more than {MAX_ROWS:,} rows; split it and import each part."
            )
        _read_row(line, cells, columns, rows, plan)
    if columns is None:
        raise AttendanceFileError(
            "No column of email addresses: the file needs a header row with a column named "
            "“Email” (or “User Email”, “Email Address”)."
        )
    return rows


def _read_row(
    line: int, cells: list[str], columns: _Columns, rows: dict[str, ReportRow], plan: Plan
) -> None:
    try:
        row = _parse_row(line, cells, columns)
    except ValueError as error:
        plan.errors.append(RowMessage(line, f"Line {line}: {error}."))
        return
    if row is None:
        plan.skipped.append(RowMessage(line, f"Line {line}: no email address; not counted."))
    elif row.email_key in rows:
        _merge(rows[row.email_key], row)
    else:
        rows[row.email_key] = row


def _registrations(webinar: Webinar, keys: list[str]) -> dict[str, Registration]:
    found = Registration.objects.filter(webinar=webinar, email_key__in=keys)
    return {r.email_key: r for r in found.only("pk", "email_key", "attended_at")}


def _participants(webinar: Webinar, keys: list[str]) -> dict[str, Participant]:
    found = Participant.objects.filter(webinar=webinar, email_key__in=keys)
    return {p.email_key: p for p in found}


def _note(row: ReportRow, registration: Registration | None, webinar: Webinar) -> str:
    if registration is not None or not webinar.registers_here:
        return ""
    if row.attended:
        return "Not registered on this site: counted as an attendee who registered elsewhere."
    return "Not registered on this site: counted as a registrant who did not attend."


def _action(
    row: ReportRow, registration: Registration | None, participant: Participant | None
) -> str:
    registration_id = registration.pk if registration else None
    if participant is None:
        return "create"
    same = (participant.name, participant.attended, participant.minutes) == (
        row.name,
        row.attended,
        row.minutes,
    ) and participant.registration_id == registration_id
    marks = row.attended and registration is not None and registration.attended_at is None
    return "unchanged" if same and not marks else "update"


def plan_import(*, webinar: Webinar, text: str) -> Plan:
    """What importing `text` for `webinar` would do; writes nothing. Three queries."""
    plan = Plan(webinar=webinar)
    rows = parse_report(text, plan)
    registrations = _registrations(webinar, list(rows))
    participants = _participants(webinar, list(rows))
    for key, row in rows.items():
        registration = registrations.get(key)
        plan.rows.append(
            PlannedRow(
                row=row,
                action=_action(row, registration, participants.get(key)),
                registration_id=registration.pk if registration else None,
                note=_note(row, registration, webinar),
            )
        )
    plan.rows.sort(key=lambda planned: planned.row.line)
    return plan


class AttendanceImportError(Exception):
    def __init__(self, plan: Plan):
        super().__init__(f"{len(plan.errors)} rows have errors")
        self.plan = plan


def attendance_import(*, webinar: Webinar, text: str) -> Plan:
    """Import a platform report for `webinar`: all rows or none.

    Side effects, in one transaction: a Participant row created or updated for each
    address of the report (linked to the registration of that address, if any), and
    `Registration.attended_at` set for each registrant the report lists as attended
    (never cleared: a report does not undo what the committee marked by hand). Raises
    AttendanceImportError (nothing written) when any row has an error; returns the
    plan that was carried out (nothing written when every row is unchanged).
    """
    with transaction.atomic():
        Webinar.objects.select_for_update().filter(pk=webinar.pk).first()
        plan = plan_import(webinar=webinar, text=text)
        if plan.errors:
            raise AttendanceImportError(plan)
        if plan.changes_something:
            _write(plan)
    return plan


def _write(plan: Plan) -> None:
    now = timezone.now()
    webinar = plan.webinar
    changed = [p for p in plan.rows if p.action != "unchanged"]
    existing = _participants(webinar, [p.row.email_key for p in plan.to_update])
    creates, updates = [], []
    for planned in changed:
        row = planned.row
        values = {
            "name": row.name,
            "attended": row.attended,
            "minutes": row.minutes,
            "registration_id": planned.registration_id,
        }
        participant = existing.get(row.email_key)
        if participant is None:
            creates.append(Participant(webinar=webinar, email_key=row.email_key, **values))
        else:
            for name, value in values.items():
                setattr(participant, name, value)
            participant.imported_at = now
            updates.append(participant)
    Participant.objects.bulk_create(creates, batch_size=1000)
    fields = ["name", "attended", "minutes", "registration_id", "imported_at"]
    Participant.objects.bulk_update(updates, fields, batch_size=1000)
    attended = [p.registration_id for p in changed if p.registration_id and p.row.attended]
    Registration.objects.filter(pk__in=attended, attended_at__isnull=True).update(attended_at=now)


def registrations_set_attended(*, registrations: QuerySet[Registration], attended: bool) -> int:
    """Mark registrants as attended (or not) by hand; returns how many changed.

    Side effects: `attended_at` set (to now, where it was empty) or cleared; when
    cleared, the imported rows of the same people are marked not attended too, so the
    figures (which count anyone either record says attended) follow the correction.
    """
    with transaction.atomic():
        if attended:
            return registrations.filter(attended_at__isnull=True).update(attended_at=timezone.now())
        marked = list(registrations.filter(attended_at__isnull=False).values_list("pk", flat=True))
        Participant.objects.filter(registration__in=registrations).update(attended=False)
        Registration.objects.filter(pk__in=marked).update(attended_at=None)
        return len(marked)
