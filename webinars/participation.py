"""Broadening participation, measured: aggregate counts of the voluntary flags per year.

Only counts leave this module, and every count under SUPPRESS_BELOW is
replaced by None (shown as "<5"), so no cell can point at one nominee.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, ExtractYear

from webinars.enums import NominationStatus, Region
from webinars.models import SpeakerNomination
from webinars.regions import region_of

SUPPRESS_BELOW = 5
FLAGS = [
    ("women", "Women", "nominee_is_woman"),
    ("urm", "Under-represented minority groups", "nominee_is_urm"),
    ("outside_us", "Based outside the United States", "nominee_outside_us"),
]


def suppress(value: int) -> int | None:
    return value if value >= SUPPRESS_BELOW else None


@dataclass
class Row:
    key: str
    label: str
    nominated: int | None
    scheduled: int | None


def _flag_counts(queryset, year_expression) -> dict[int, dict[str, int]]:
    aggregates = {key: Count("pk", filter=Q(**{field: True})) for key, _, field in FLAGS}
    rows = (
        queryset.annotate(year=year_expression)
        .values("year")
        .annotate(total=Count("pk"), **aggregates)
    )
    return {row.pop("year"): row for row in rows}


def _region_counts(queryset, year_expression) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = queryset.annotate(year=year_expression).values("year", "country").annotate(n=Count("pk"))
    for row in rows:
        counts[row["year"]][region_of(row["country"])] += row["n"]
    return counts


def _year_rows(year: int, flags: dict, regions: dict) -> list[Row]:
    nominated, scheduled = flags["nominated"].get(year, {}), flags["scheduled"].get(year, {})
    rows = [
        Row("all", "All speaker nominations", nominated.get("total", 0), scheduled.get("total", 0))
    ]
    rows += [Row(k, label, nominated.get(k, 0), scheduled.get(k, 0)) for k, label, _ in FLAGS]
    # Every region is listed, empty or not: a row appearing only when someone is
    # counted in it would itself tell that a nominee came from there.
    for region in Region:
        n = regions["nominated"].get(year, {}).get(region, 0)
        s = regions["scheduled"].get(year, {}).get(region, 0)
        rows.append(Row(f"region-{region.value}", f"Region: {region.label}", n, s))
    for row in rows:
        row.nominated, row.scheduled = suppress(row.nominated), suppress(row.scheduled)
    return rows


def participation_by_year() -> list[dict]:
    """Per year, newest first: suppressed counts of nominations and scheduled speakers.

    Nominations count in the year they were made; scheduled speakers in the
    year of their webinar (or of the nomination when no webinar is linked).
    """
    nominated = SpeakerNomination.objects.exclude(status=NominationStatus.WITHDRAWN)
    scheduled = SpeakerNomination.objects.filter(status=NominationStatus.SCHEDULED)
    nominated_year = ExtractYear("created_at")
    scheduled_year = Coalesce(ExtractYear("webinar__start_at"), ExtractYear("created_at"))
    flags = {
        "nominated": _flag_counts(nominated, nominated_year),
        "scheduled": _flag_counts(scheduled, scheduled_year),
    }
    regions = {
        "nominated": _region_counts(nominated, nominated_year),
        "scheduled": _region_counts(scheduled, scheduled_year),
    }
    years = sorted(set(flags["nominated"]) | set(flags["scheduled"]), reverse=True)
    result = []
    for year in years:
        rows = _year_rows(year, flags, regions)
        result.append({"year": year, "rows": rows})
    return result
