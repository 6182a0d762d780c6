"""Server-rendered SVG bar charts: geometry computed here, drawn by crrg/_bar_chart.html.

No chart script runs in the browser; every chart sits next to a table with the
same numbers, which is what screen readers and spreadsheets use.
"""

from dataclasses import dataclass

from crrg.selectors import Bar

LABEL_WIDTH = 260
BAR_AREA = 320
ROW_HEIGHT = 28
BAR_HEIGHT = 18
MAX_LABEL = 38


@dataclass
class ChartRow:
    label: str
    count: int
    y: int
    text_y: int
    width: int
    value_x: int


@dataclass
class Chart:
    width: int
    height: int
    label_width: int
    rows: list[ChartRow]


def bar_chart(bars: list[Bar]) -> Chart:
    top = max((bar.count for bar in bars), default=0) or 1
    rows = []
    for index, bar in enumerate(bars):
        y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        width = round(BAR_AREA * bar.count / top)
        label = bar.label if len(bar.label) <= MAX_LABEL else bar.label[: MAX_LABEL - 1] + "…"
        rows.append(
            ChartRow(
                label=label,
                count=bar.count,
                y=y,
                text_y=y + BAR_HEIGHT - 4,
                width=width,
                value_x=LABEL_WIDTH + width + 6,
            )
        )
    return Chart(
        width=LABEL_WIDTH + BAR_AREA + 50,
        height=max(len(bars), 1) * ROW_HEIGHT,
        label_width=LABEL_WIDTH,
        rows=rows,
    )
