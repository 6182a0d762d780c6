"""The only way the portal writes spreadsheets (CSV and XLSX).

Spreadsheet programs run a cell that starts with =, +, -, @, tab, CR or NUL
as a formula ("CSV injection"): a member could type `=HYPERLINK(...)` into a
title and have it run on a committee member's machine. Every cell goes
through `neutralise`, which prefixes such text with an apostrophe.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(value):
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value).replace("\0", "")
    if text.startswith(FORMULA_TRIGGERS) or str(value).startswith("\0"):
        return "'" + text
    return text


def _clean_rows(header: Sequence[str], rows: Iterable[Sequence]) -> Iterable[list]:
    yield [neutralise(cell) for cell in header]
    for row in rows:
        yield [neutralise(cell) for cell in row]


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _attachment(f"{filename}.csv")
    response.write("\ufeff")  # BOM: Excel then reads UTF-8 names correctly
    writer = csv.writer(response)
    for row in _clean_rows(header, rows):
        writer.writerow(row)
    return response


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for row in _clean_rows(header, rows):
        # Strip characters XML cannot hold; openpyxl would refuse the whole file.
        sheet.append([_xml_safe(cell) for cell in row])
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


def _xml_safe(value):
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20)


def _attachment(filename: str) -> str:
    # Quotes, backslashes and non-ASCII letters in a title-derived name are
    # escaped or sent as filename*=, so the header can never be broken open.
    return content_disposition_header(as_attachment=True, filename=filename)
