"""The only way the portal writes spreadsheets (CSV and XLSX).

Spreadsheet programs run a cell that starts with =, +, -, @, tab or CR as a
formula ("CSV injection"): a member could type `=HYPERLINK(...)` into a title
and have it run on a committee member's machine. Every cell goes through
`cell`, which makes the text the file will hold (NUL removed; for XLSX every
character XML cannot carry removed too) and only then neutralises it: a cell
whose text, past any leading whitespace or invisible characters, starts with a
trigger gets an apostrophe in front. Neutralising first and stripping after
once let "\\x01=HYPERLINK(...)" through as a live formula (issue 15, break 11).
"""

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook

# The full-width forms count: some spreadsheet locales take them as the ASCII ones.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Invisible: whitespace (Unicode's, not only ASCII's), control and format characters
# (zero-width space, BOM, bidi marks). A program may skip them before looking for "=".
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp"}


def _invisible(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in INVISIBLE_CATEGORIES


def _xml_safe(text: str) -> str:
    # XML 1.0 cannot hold other C0 controls; openpyxl would refuse the whole file.
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)


def neutralise(text: str) -> str:
    """`text` as typed, or behind an apostrophe if a spreadsheet could run it.

    The last step for every cell: nothing may change the text after it.
    """
    first_visible = next((ch for ch in text if not _invisible(ch)), "")
    if text.startswith(("\t", "\r", "\n")) or first_visible in FORMULA_TRIGGERS:
        return "'" + text
    return text


def cell(value, *, xml: bool = False):
    """What one cell of a CSV (or, with `xml`, an XLSX) file holds for `value`."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value).replace("\0", "")  # PostgreSQL text never holds NUL; neither do files
    if xml:
        text = _xml_safe(text)
    return neutralise(text)


def _clean_rows(header: Sequence[str], rows: Iterable[Sequence], *, xml: bool) -> Iterable[list]:
    yield [cell(value, xml=xml) for value in header]
    for row in rows:
        yield [cell(value, xml=xml) for value in row]


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _attachment(f"{filename}.csv")
    response.write("\ufeff")  # BOM: Excel then reads UTF-8 names correctly
    writer = csv.writer(response)
    for row in _clean_rows(header, rows, xml=False):
        writer.writerow(row)
    return response


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for row in _clean_rows(header, rows, xml=True):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(filename, header, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _attachment(f"{filename}.xlsx")
    return response


def _attachment(filename: str) -> str:
    # Quotes, backslashes and non-ASCII letters in a title-derived name are
    # escaped or sent as filename*=, so the header can never be broken open.
    return content_disposition_header(as_attachment=True, filename=filename)
