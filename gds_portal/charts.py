"""Small server-rendered SVG charts: bar and line, from numbers and labels.

The SVG is built with format_html, so every label and title is escaped; it uses
presentation attributes (fill=, stroke=) only, never style=, so the strict CSP
(no inline styles) holds. Each chart has role="img" and a <title>/<desc>; pages
put an accessible data table of the same numbers beside it, so no reader
depends on the picture.
"""

from collections.abc import Sequence

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


def _nice_max(values: Sequence[float | None]) -> float:
    """A top for the axis that puts whole numbers on its four ticks."""
    top = max([v for v in values if v is not None] + [0])
    for step in (4, 8, 12, 20, 40, 60, 100, 200, 400, 1000, 2000, 4000):
        if top <= step:
            return step
    return float(4 * (int(top / 4) + 1))


def _frame(title: str, description: str, body: SafeString, ticks: SafeString) -> SafeString:
    return format_html(
        '<svg class="gds-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title><desc id="{}-d">{}</desc>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>{}{}</svg>',
        WIDTH,
        HEIGHT,
        _slug(title),
        _slug(title),
        _slug(title),
        title,
        _slug(title),
        description,
        MARGIN_LEFT,
        HEIGHT - MARGIN_BOTTOM,
        WIDTH - MARGIN_RIGHT,
        HEIGHT - MARGIN_BOTTOM,
        AXIS,
        ticks,
        body,
    )


def _slug(text: str) -> str:
    return "chart-" + "".join(ch if ch.isalnum() else "-" for ch in text.lower())[:40]


def _y(value: float, top: float) -> float:
    plot = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    return round(HEIGHT - MARGIN_BOTTOM - plot * (value / top if top else 0), 1)


def _y_ticks(top: float) -> SafeString:
    ticks = [top * i / 4 for i in range(5)]
    return format_html_join(
        "",
        '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="{}">{}</text>',
        ((MARGIN_LEFT - 6, _y(t, top) + 4, AXIS, f"{t:g}") for t in ticks),
    )


def bar_chart(
    *, title: str, labels: Sequence[str], values: Sequence[float], description: str = ""
) -> SafeString:
    """Vertical bars, one per label, with each value written above its bar."""
    top = _nice_max(values)
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    slot = plot_width / max(len(values), 1)
    bar = max(slot * 0.7, 1)
    parts = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = round(MARGIN_LEFT + slot * index + (slot - bar) / 2, 1)
        y = _y(value, top)
        centre = round(x + bar / 2, 1)
        part = format_html(
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
            f"{value:g}",
            centre,
            HEIGHT - MARGIN_BOTTOM + 14,
            centre,
            HEIGHT - MARGIN_BOTTOM + 14,
            label,
        )
        parts.append(part)
    body = format_html_join("", "{}", ((part,) for part in parts))
    return _frame(title, description or title, body, _y_ticks(top))


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    description: str = "",
    marker_label: str = "",
) -> SafeString:
    """A line through the values in order; every few labels are written on the x axis.

    A None value is a point still to come (the axis runs on to the deadline, the line
    stops). `marker_label`, when given, draws a dashed vertical line at the last value.
    """
    top = _nice_max(values)
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    step = plot_width / max(len(values) - 1, 1)
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
    path = " ".join(f"{x},{y}" for x, y in points)
    marker = ""
    if marker_label and points:
        x = points[-1][0]
        marker = format_html(
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
            marker_label,
        )
    body = format_html(
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>{}{}',
        path,
        LINE_STROKE,
        label_parts,
        marker,
    )
    return _frame(title, description or title, body, _y_ticks(top))
