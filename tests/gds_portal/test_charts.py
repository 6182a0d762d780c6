"""The one chart module: escaped text, accessible names, scales, and empty data."""

import xml.etree.ElementTree as ET

import pytest

from gds_portal import charts
from gds_portal.charts import Series, bar_chart, horizontal_bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script>"&'


def _parse(svg) -> ET.Element:
    """The chart as XML: a label that broke out of its element would not parse."""
    return ET.fromstring(str(svg))  # noqa: S314 -- our own chart, just rendered


def _texts(root: ET.Element) -> list[str]:
    return [text.text for text in root.iter(f"{SVG}text")]


def _every_kind(**text):
    """One chart of each kind with `text` in every place text goes."""
    return [
        bar_chart(
            title=text["title"], description=text["desc"], labels=[text["label"]], values=[3]
        ),
        line_chart(
            title=text["title"],
            description=text["desc"],
            labels=[text["label"], "b"],
            values=[1, 2],
            marker_label=text["label"],
        ),
        horizontal_bar_chart(
            title=text["title"],
            description=text["desc"],
            labels=[text["label"], "b"],
            series=[Series(text["label"], [1, None]), Series("two", [2, 3])],
            missing=text["label"],
        ),
    ]


def test_every_text_is_escaped_in_every_kind():
    for svg in _every_kind(title=HOSTILE, desc=HOSTILE, label=HOSTILE):
        assert "<script>" not in svg
        root = _parse(svg)  # the quotes and ampersand did not break an attribute either
        assert root.find(f"{SVG}title").text == HOSTILE
        assert root.find(f"{SVG}desc").text == HOSTILE
        assert HOSTILE in _texts(root)


def test_a_chart_id_cannot_break_out_of_its_attribute():
    svg = bar_chart(title="t", labels=["a"], values=[1], chart_id='x" onload="alert(1)')
    root = _parse(svg)
    assert "onload" not in root.attrib
    assert root.attrib["aria-labelledby"] == 'x" onload="alert(1)-t'


def test_charts_use_presentation_attributes_never_inline_style():
    for svg in _every_kind(title="t", desc="d", label="l"):
        assert "style=" not in svg
        assert "<script" not in svg


def test_each_chart_is_an_image_named_by_its_title_and_described_by_its_desc():
    for svg in _every_kind(title="Abstracts per category", desc="Per category.", label="l"):
        root = _parse(svg)
        assert root.attrib["role"] == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert (title.attrib["id"], title.text) == (root.attrib["aria-labelledby"], title.text)
        assert desc.attrib["id"] == root.attrib["aria-describedby"]
        assert (title.text, desc.text) == ("Abstracts per category", "Per category.")


def test_the_description_defaults_to_the_title_and_ids_to_a_slug_of_it():
    root = _parse(bar_chart(title="Responses per day", labels=[], values=[]))
    assert root.find(f"{SVG}desc").text == "Responses per day"
    assert root.find(f"{SVG}title").attrib["id"] == "chart-responses-per-day-t"


def test_two_charts_with_the_same_title_get_distinct_ids_when_given():
    one = horizontal_bar_chart(title="Same", labels=["a"], series=[Series("n", [1])], chart_id="q1")
    two = horizontal_bar_chart(title="Same", labels=["a"], series=[Series("n", [1])], chart_id="q2")
    assert _parse(one).attrib["aria-labelledby"] != _parse(two).attrib["aria-labelledby"]


@pytest.mark.parametrize(
    ("values", "top"),
    [([], 4), ([0, 0], 4), ([3], 4), ([4], 4), ([5], 8), ([13], 20), ([4001], 4004)],
)
def test_the_value_axis_ends_at_a_round_number_above_the_largest_value(values, top):
    root = _parse(bar_chart(title="t", labels=[str(v) for v in values], values=values))
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.attrib.get("text-anchor") == "end"]
    assert ticks[:5] == [f"{top * i / 4:g}" for i in range(5)]


def test_vertical_bars_are_as_tall_as_their_share_of_the_axis():
    root = _parse(bar_chart(title="t", labels=["a", "b", "c"], values=[4, 2, 0]))
    heights = [float(rect.attrib["height"]) for rect in root.iter(f"{SVG}rect")]
    plot = charts.HEIGHT - charts.MARGIN_TOP - charts.MARGIN_BOTTOM
    assert heights == [plot, plot / 2, 0]
    assert _texts(root)[5:] == ["4", "a", "2", "b", "0", "c"]  # after the five ticks


def test_the_line_stops_at_the_last_known_value_and_the_marker_stands_there():
    root = _parse(
        line_chart(title="t", labels=["1", "2", "3"], values=[0, 4, None], marker_label="today")
    )
    points = root.find(f"{SVG}polyline").attrib["points"].split()
    assert len(points) == 2
    marker = [line for line in root.iter(f"{SVG}line") if "stroke-dasharray" in line.attrib]
    assert marker[0].attrib["x1"] == points[-1].split(",")[0]
    assert "today" in _texts(root)


def test_every_known_point_of_a_line_has_a_dot_so_one_day_is_visible():
    one = _parse(line_chart(title="t", labels=["1"], values=[3]))
    assert [(c.attrib["cx"], c.attrib["cy"]) for c in one.iter(f"{SVG}circle")] == [
        tuple(one.find(f"{SVG}polyline").attrib["points"].split(","))
    ]
    some = _parse(line_chart(title="t", labels=["1", "2", "3"], values=[0, 4, None]))
    assert len(list(some.iter(f"{SVG}circle"))) == 2  # none for the value still to come


def test_horizontal_bars_scale_to_the_largest_value_and_withheld_values_have_no_bar():
    root = _parse(
        horizontal_bar_chart(
            title="t",
            labels=["Women", "Europe"],
            series=[Series("nominated", [10, None]), Series("scheduled", [5, 0])],
            missing="<5",
        )
    )
    widths = [int(rect.attrib["width"]) for rect in root.iter(f"{SVG}rect")]
    assert widths[:3] == [charts.BAR_AREA, charts.BAR_AREA // 2, 0]  # then the legend swatches
    texts = _texts(root)
    assert texts[:5] == ["Women", "10", "5", "Europe", "<5"]
    assert texts[-2:] == ["nominated", "scheduled"]  # the legend


def test_one_series_has_no_legend_and_long_labels_are_shortened():
    label = "A very long answer to a question that goes on and on"
    root = _parse(horizontal_bar_chart(title="t", labels=[label], series=[Series("n", [2])]))
    assert _texts(root) == [label[: charts.MAX_LABEL - 1] + "…", "2"]
    assert len(list(root.iter(f"{SVG}rect"))) == 1


def test_empty_data_draws_an_empty_but_valid_chart_of_every_kind():
    empty = [
        bar_chart(title="t", labels=[], values=[]),
        line_chart(title="t", labels=[], values=[], marker_label="today"),
        horizontal_bar_chart(title="t", labels=[], series=[]),
        horizontal_bar_chart(title="t", labels=[], series=[Series("n", [])]),
    ]
    for svg in empty:
        root = _parse(svg)
        assert list(root.iter(f"{SVG}rect")) == []
        assert int(root.attrib["height"]) > 0
    assert _parse(empty[1]).find(f"{SVG}polyline").attrib["points"] == ""


def test_a_series_must_have_a_value_for_every_label():
    with pytest.raises(ValueError):
        horizontal_bar_chart(title="t", labels=["a", "b"], series=[Series("n", [1])])
    with pytest.raises(ValueError):
        bar_chart(title="t", labels=["a", "b"], values=[1])
