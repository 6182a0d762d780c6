"""The committee's import of a meeting's sorting categories from CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from community.models import Unit
from meetings.enums import CategoryKind
from meetings.models import CategoryCosponsor, Meeting, SortingCategory, validate_category_code

KIND_NAMES = {
    "invited": CategoryKind.INVITED_SYMPOSIUM,
    "invited symposium": CategoryKind.INVITED_SYMPOSIUM,
    "focus": CategoryKind.FOCUS_SESSION,
    "focus session": CategoryKind.FOCUS_SESSION,
    "standard": CategoryKind.STANDARD,
    "standard category": CategoryKind.STANDARD,
    "heading": CategoryKind.HEADING,
}


class CategoryImportError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class _Row:
    line: int
    code: str
    title: str
    kind: str
    units: list[Unit]


def _split_units(text: str) -> list[str]:
    return [code.strip().upper() for code in text.replace(";", ",").split(",") if code.strip()]


def _parse_row(
    line: int, cells: list[str], units: dict[str, Unit], errors: list[str]
) -> _Row | None:
    if len(cells) < 3 or len(cells) > 4:
        errors.append(f"Line {line}: expected 3 or 4 columns (code,title,kind,co-sponsors).")
        return None
    code, title, kind = (cell.strip() for cell in cells[:3])
    problems = []
    try:
        validate_category_code(code)
    except ValidationError:
        problems.append(f"code {code!r} is not like 23.01.01")
    if not title:
        problems.append("the title is empty")
    if kind.casefold() not in KIND_NAMES:
        problems.append(f"kind {kind!r} is not one of {', '.join(sorted(KIND_NAMES))}")
    codes = _split_units(cells[3] if len(cells) == 4 else "")
    if unknown := [c for c in codes if c not in units]:
        problems.append(f"unknown co-sponsor unit {', '.join(unknown)}")
    if problems:
        errors.append(f"Line {line}: {'; '.join(problems)}.")
        return None
    return _Row(line, code, title, KIND_NAMES[kind.casefold()], [units[c] for c in codes])


def _parse_csv(text: str) -> list[_Row]:
    units = {unit.code.upper(): unit for unit in Unit.objects.all()}
    rows: list[_Row] = []
    errors: list[str] = []
    seen: dict[str, int] = {}  # code: the line it first appears on
    for line, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if line == 1 and cells[0].strip().casefold() == "code":
            continue  # a header row
        row = _parse_row(line, cells, units, errors)
        if row is None:
            continue
        if row.code in seen:
            errors.append(f"Line {line}: code {row.code} already appears on line {seen[row.code]}.")
            continue
        seen[row.code] = line
        rows.append(row)
    if errors:
        raise CategoryImportError(errors)
    if not rows:
        raise CategoryImportError(["The file has no category rows."])
    return rows


@transaction.atomic
def categories_import(*, meeting: Meeting, text: str) -> tuple[int, int]:
    """Create or update `meeting`'s sorting categories from CSV text; (created, updated).

    Columns: code,title,kind,co-sponsors (units separated by commas or semicolons
    inside the quoted cell). Each row belongs to the nearest heading row above it.
    Validates every row first: on any error raises CategoryImportError listing each
    bad line and writes nothing. Side effects: SortingCategory and CategoryCosponsor
    rows of `meeting` (co-sponsors replaced in the listed order).
    """
    rows = _parse_csv(text)
    created = updated = 0
    heading = None
    for row in rows:
        category, was_created = SortingCategory.objects.update_or_create(
            meeting=meeting,
            code=row.code,
            defaults={
                "title": row.title,
                "kind": row.kind,
                "accepts_contributed": row.kind in CategoryKind.contributed(),
                "parent": None if row.kind == CategoryKind.HEADING else heading,
            },
        )
        created += was_created
        updated += not was_created
        if row.kind == CategoryKind.HEADING:
            heading = category
        category.cosponsorships.all().delete()
        CategoryCosponsor.objects.bulk_create(
            CategoryCosponsor(category=category, unit=unit, position=position)
            for position, unit in enumerate(row.units)
        )
    return created, updated
