"""The SVG line chart (no database)."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from ibasho.lib.charts import (
    Line,
    Point,
    Series,
    format_month,
    line_chart,
    month_ticks,
    nice_ticks,
)

NS = {"s": "http://www.w3.org/2000/svg"}
D = datetime.date


def _k6_history():
    return Series(
        "K6", (Point(D(2024, 4, 1), 14), Point(D(2024, 10, 1), 9), Point(D(2025, 4, 1), 4))
    )


def _parse(svg):
    return ET.fromstring(svg)


def test_the_chart_is_well_formed_svg_with_a_title_and_description():
    svg = line_chart(title="K6 の推移 <心理的苦痛>", series=[_k6_history()], y_min=0, y_max=24)
    root = _parse(svg)
    assert root.find("s:title", NS).text == "K6 の推移 <心理的苦痛>"
    assert "2024年4月1日: 14" in root.find("s:desc", NS).text


def test_one_marker_per_point():
    root = _parse(line_chart(title="t", series=[_k6_history()], y_min=0, y_max=24))
    assert len(root.findall(".//s:g[@class='point']", NS)) == 3


def test_higher_values_are_drawn_higher():
    root = _parse(line_chart(title="t", series=[_k6_history()], y_min=0, y_max=24))
    ys = [float(c.get("cy")) for c in root.findall(".//s:g[@class='point']/s:circle", NS)]
    assert ys[0] < ys[1] < ys[2]  # 14, 9, 4: SVG y grows downwards


def test_cutoff_lines_are_drawn_and_labelled():
    lines = [Line(5, "カットオフ 5"), Line(13, "重度 13")]
    svg = line_chart(title="t", series=[_k6_history()], y_min=0, y_max=24, lines=lines)
    root = _parse(svg)
    cutoffs = root.findall(".//s:line[@class='cutoff']", NS)
    assert len(cutoffs) == 2
    assert float(cutoffs[0].get("y1")) > float(cutoffs[1].get("y1"))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "カットオフ 5" in texts and "重度 13" in texts


def test_two_series_get_a_legend_and_different_line_patterns():
    worker = Series("支援者", (Point(D(2024, 4, 1), 3), Point(D(2024, 9, 1), 4)))
    person = Series("本人", (Point(D(2024, 4, 1), 2), Point(D(2024, 9, 1), 2)))
    root = _parse(line_chart(title="t", series=[person, worker], y_min=1, y_max=5))
    polylines = root.findall(".//s:polyline", NS)
    assert {p.get("stroke-dasharray") for p in polylines} == {None, "6 4"}
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "本人" in texts and "支援者" in texts


def test_a_single_point_is_inside_the_plot():
    series = Series("K6", (Point(D(2025, 1, 15), 7),))
    root = _parse(line_chart(title="t", series=[series], y_min=0, y_max=24))
    x = float(root.find(".//s:circle", NS).get("cx"))
    assert 48 < x < 640 - 150


def test_an_empty_history_shows_the_empty_text():
    svg = line_chart(
        title="t", series=[Series("K6", ())], y_min=0, y_max=24, empty_text="記録はまだありません"
    )
    assert "記録はまだありません" in svg
    _parse(svg)


def test_ids_are_unique_per_chart():
    svg = line_chart(title="t", series=[_k6_history()], y_min=0, y_max=24, ident="k6-abc")
    assert 'id="k6-abc-title"' in svg


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (0, 24, [0, 5, 10, 15, 20]),
        (1, 5, [1, 2, 3, 4, 5]),
        (3, 9, [4, 6, 8]),
        (0, 100, [0, 20, 40, 60, 80, 100]),
    ],
)
def test_nice_ticks(low, high, ticks):
    assert nice_ticks(low, high) == ticks


def test_month_ticks_are_thinned_over_two_years():
    ticks = month_ticks(D(2023, 4, 10), D(2025, 3, 20))
    assert len(ticks) <= 6 and ticks[0] == D(2023, 5, 1)


@pytest.mark.parametrize(("lang", "text"), [("ja", "2025年4月"), ("en", "Apr 2025")])
def test_month_labels(lang, text):
    assert format_month(D(2025, 4, 1), lang) == text
