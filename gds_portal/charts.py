"""The site's one chart module: small server-rendered SVG charts from numbers and labels.

Three kinds, for what the apps draw: vertical bars (`bar_chart`), a line over time
(`line_chart`) and labelled horizontal bars with one or more series per label
(`horizontal_bar_chart`). Apps shape their own numbers in their selectors and
call these; this module knows no domain.

Why it is built this way:
- Every label, title and value goes through format_html, so text a member or a
  committee wrote (a question, a category) is escaped, never markup.
- Colours and sizes are presentation attributes (fill=, font-size=), never
  style=, so the strict CSP (no inline styles) holds and no stylesheet is needed.
- Each chart is role="img", named by its <title> and described by its <desc>;
  pages put a table of the same numbers beside it, so no reader depends on the
  picture.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
HEIGHT = 260
MARGIN_LEFT = 44
MARGIN_RIGHT = 12
MARGIN_TOP = 16
MARGIN_BOTTOM = 64
BAR_FILL = "#2f5d8a"
LINE_STROKE = "#2f5d8a"
AXIS = "#555555"
TEXT = "#212529"
# Horizontal bars: the first series dark, the second light (titles may say so).
SERIES_FILLS = ("#2f5d8a", "#6ea8dc", "#9a5b13", "#5b7f3a")
LABEL_WIDTH = 260
BAR_AREA = 300
VALUE_ROOM = 50
MAX_LABEL = 40  # characters that fit LABEL_WIDTH at 12 px; the table has the rest
LEGEND_HEIGHT = 24


def _nice_max(values: Sequence[float | None]) -> float:
    """A top for the axis that puts whole numbers on its four ticks."""
    top = max([v for v in values if v is not None] + [0])
    for step in (4, 8, 12, 20, 40, 60, 100, 200, 400, 1000, 2000, 4000):
        if top <= step:
            return step
    return float(4 * (int(top / 4) + 1))


def _number(value: float) -> str:
    return f"{value:g}"


def _slug(text: str) -> str:
    return "chart-" + "".join(ch if ch.isalnum() else "-" for ch in text.lower())[:40]


def _svg(
    *, chart_id: str, title: str, description: str, size: tuple[int, int], body: SafeString
) -> SafeString:
    """The frame every chart shares: the accessible name and description, then `body`."""
    width, height = size
    return format_html(
        '<svg class="gds-chart" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-t" aria-describedby="{}-d" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>',
        width,
        height,
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description or title,
        body,
    )


def _y(value: float, top: float) -> float:
    plot = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    return round(HEIGHT - MARGIN_BOTTOM - plot * (value / top if top else 0), 1)


def _axes(top: float) -> SafeString:
    """The x axis line and five ticks up the y axis, from 0 to `top`."""
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="{}">{}</text>',
        (
            (MARGIN_LEFT - 6, _y(t, top) + 4, AXIS, _number(t))
            for t in (top * i / 4 for i in range(5))
        ),
    )
    baseline = HEIGHT - MARGIN_BOTTOM
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>{}',
        MARGIN_LEFT,
        baseline,
        WIDTH - MARGIN_RIGHT,
        baseline,
        AXIS,
        ticks,
    )


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    description: str = "",
    chart_id: str = "",
) -> SafeString:
    """Vertical bars, one per label, with each value written above its bar."""
    top = _nice_max(values)
    slot = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / max(len(values), 1)
    bar = max(slot * 0.7, 1)
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = round(MARGIN_LEFT + slot * index + (slot - bar) / 2, 1)
        bars.append(_vertical_bar(x, bar, value, label, top))
    body = format_html_join("", "{}", ((b,) for b in bars))
    return _svg(
        chart_id=chart_id or _slug(title),
        title=title,
        description=description,
        size=(WIDTH, HEIGHT),
        body=format_html("{}{}", _axes(top), body),
    )


def _vertical_bar(x: float, bar: float, value: float, label: str, top: float) -> SafeString:
    """A bar, its value above it and its label slanted under the axis."""
    y = _y(value, top)
    centre = round(x + bar / 2, 1)
    label_y = HEIGHT - MARGIN_BOTTOM + 14
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>'
        '<text x="{}" y="{}" font-size="10" text-anchor="end" '
        'transform="rotate(-45 {} {})">{}</text>',
        x,
        y,
        round(bar, 1),
        round(HEIGHT - MARGIN_BOTTOM - y, 1),
        BAR_FILL,
        centre,
        y - 3,
        _number(value),
        centre,
        label_y,
        centre,
        label_y,
        label,
    )


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    description: str = "",
    marker_label: str = "",
    chart_id: str = "",
) -> SafeString:
    """A line through the values in order; every few labels are written on the x axis.

    A None value is a point still to come (the axis runs on to the deadline, the line
    stops). `marker_label`, when given, draws a dashed vertical line at the last value.
    Each known value also gets a dot: a line through one point draws nothing, and a
    series of one day was a blank chart.
    """
    top = _nice_max(values)
    step = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / max(len(values) - 1, 1)
    xs = [round(MARGIN_LEFT + step * i, 1) for i in range(len(values))]
    points = [(x, _y(v, top)) for x, v in zip(xs, values, strict=True) if v is not None]
    every = max(len(labels) // 6, 1)
    label_parts = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="{}">{}</text>',
        (
            (x, HEIGHT - MARGIN_BOTTOM + 16, AXIS, label)
            for index, (x, label) in enumerate(zip(xs, labels, strict=True))
            if index % every == 0 or (index == len(labels) - 1 and index % every > every / 2)
        ),
    )
    dots = format_html_join(
        "", '<circle cx="{}" cy="{}" r="3.5" fill="{}"/>', ((x, y, LINE_STROKE) for x, y in points)
    )
    body = format_html(
        '{}<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>{}{}{}',
        _axes(top),
        " ".join(f"{x},{y}" for x, y in points),
        LINE_STROKE,
        dots,
        label_parts,
        _marker(points[-1][0], marker_label) if marker_label and points else "",
    )
    return _svg(
        chart_id=chart_id or _slug(title),
        title=title,
        description=description,
        size=(WIDTH, HEIGHT),
        body=body,
    )


def _marker(x: float, label: str) -> SafeString:
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-dasharray="4 3"/>'
        '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="{}">{}</text>',
        x,
        MARGIN_TOP,
        x,
        HEIGHT - MARGIN_BOTTOM,
        AXIS,
        x - 4,
        MARGIN_TOP + 10,
        AXIS,
        label,
    )


@dataclass(frozen=True)
class Series:
    """One set of bars in a horizontal chart: its name (for the legend) and a value per
    label. A None value is a number withheld (say, too small to show): no bar, and the
    chart's `missing` text where the value would be."""

    name: str
    values: Sequence[float | None]


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def horizontal_bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    description: str = "",
    chart_id: str = "",
    missing: str = "—",
) -> SafeString:
    """One row per label, with a bar per series, the value written at each bar's end.

    Bars are scaled to the largest value. Long labels are shortened with "…" (the
    table beside the chart has them in full). With more than one series a legend
    names each series' colour under the rows.
    """
    bar = 18 if len(series) == 1 else 11
    row = len(series) * (bar + 2) + 8
    scale = BAR_AREA / max([v or 0 for one in series for v in one.values] + [1])
    # One tuple of values (a value per series) for each label.
    columns = list(zip(*(one.values for one in series), strict=True)) or [()] * len(labels)
    rows = format_html_join(
        "",
        "{}",
        (
            (_row(label, values, top=index * row, bar=bar, scale=scale, missing=missing),)
            for index, (label, values) in enumerate(zip(labels, columns, strict=True))
        ),
    )
    legend = _legend(series, y=len(labels) * row) if len(series) > 1 else ""
    height = max(len(labels), 1) * row + (LEGEND_HEIGHT if legend else 0)
    return _svg(
        chart_id=chart_id or _slug(title),
        title=title,
        description=description,
        size=(LABEL_WIDTH + BAR_AREA + VALUE_ROOM, height),
        body=format_html("{}{}", rows, legend),
    )


def _row(
    label: str, values: Sequence[float | None], *, top: int, bar: int, scale: float, missing: str
) -> SafeString:
    """A label, right-aligned before the bars, then a bar per series under each other."""
    row = len(values) * (bar + 2) + 8
    bars = format_html_join(
        "",
        "{}",
        (
            (
                _horizontal_bar(
                    value, y=top + 5 + n * (bar + 2), bar=bar, n=n, scale=scale, missing=missing
                ),
            )
            for n, value in enumerate(values)
        ),
    )
    return format_html(
        '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="{}">{}</text>{}',
        LABEL_WIDTH - 8,
        top + row // 2 + 5,
        TEXT,
        _short(label),
        bars,
    )


def _horizontal_bar(
    value: float | None, *, y: int, bar: int, n: int, scale: float, missing: str
) -> SafeString:
    """One bar and its value; a withheld value (None) is only its `missing` text."""
    if value is None:
        return _value_text(missing, x=LABEL_WIDTH + 4, y=y, bar=bar)
    width = round(value * scale)
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>{}',
        LABEL_WIDTH,
        y,
        width,
        bar,
        SERIES_FILLS[n % len(SERIES_FILLS)],
        _value_text(_number(value), x=LABEL_WIDTH + width + 4, y=y, bar=bar),
    )


def _value_text(text: str, *, x: int, y: int, bar: int) -> SafeString:
    return format_html(
        '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>', x, y + bar // 2 + 4, TEXT, text
    )


def _legend(series: Sequence[Series], *, y: int) -> SafeString:
    """A swatch and the name of each series, in a row under the bars."""
    slot = (BAR_AREA + VALUE_ROOM) // len(series)
    return format_html_join(
        "",
        '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
        '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
        (
            (x, y + 8, SERIES_FILLS[n % len(SERIES_FILLS)], x + 16, y + 18, TEXT, one.name)
            for n, one in enumerate(series)
            for x in [LABEL_WIDTH + n * slot]
        ),
    )
