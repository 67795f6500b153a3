import re
from xml.etree import ElementTree

import pytest

from ibasho.lib.charts import Bar, bar_chart_svg, month_bars, month_label
from ibasho.lib.charts import BarSeries as Series

SVG = "{http://www.w3.org/2000/svg}"
SERIES = (Series("two-way", "#2a6f97"), Series("family", "#a9d6e5"))


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


@pytest.mark.parametrize(
    ("month", "language", "expected"),
    [(4, "ja", "4月"), (12, "ja", "12月"), (4, "en", "Apr"), (1, "en-gb", "Jan")],
)
def test_month_label(month, language, expected):
    assert month_label(month, language) == expected


def test_month_bars_show_the_year_on_the_first_bar_and_january():
    bars = month_bars([(2024, 11, (1.0, 0.0)), (2024, 12, (0, 0)), (2025, 1, (2, 0))], "ja")
    assert [(b.label, b.sublabel) for b in bars] == [
        ("11月", "2024年"),
        ("12月", ""),
        ("1月", "2025年"),
    ]


def test_chart_is_well_formed_with_one_label_per_month_and_a_text_summary():
    bars = month_bars([(2025, m, (float(m), 0.5)) for m in range(1, 7)], "en")
    svg = bar_chart_svg(bars, SERIES, title="Hours per month", unit="h")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Hours per month"
    desc = root.find(f"{SVG}desc").text
    assert "2025Jan 1.5 h" in desc and "Jun 6.5 h" in desc
    labels = [t.text for t in root.iter(f"{SVG}text")]
    for name in ("Jan", "Feb", "Mar", "Apr", "May", "Jun"):
        assert name in labels


def test_bar_heights_are_proportional_and_empty_months_draw_nothing():
    bars = [Bar("a", (2.0, 0.0)), Bar("b", (0.0, 0.0)), Bar("c", (4.0, 0.0))]
    root = parse(bar_chart_svg(bars, SERIES, title="t", unit="h"))
    heights = [
        float(r.get("height"))
        for r in root.iter(f"{SVG}rect")
        if r.get("height") != "10"  # legend swatches
    ]
    assert len(heights) == 2
    assert heights[1] == pytest.approx(2 * heights[0], rel=0.01)


def test_text_is_escaped():
    bars = [Bar("<b>", (1.0, 0.0))]
    svg = bar_chart_svg(bars, SERIES, title='a & "b"', unit="h")
    parse(svg)  # would raise on unescaped markup
    assert "<b>" not in svg


def test_japanese_labels_render():
    bars = month_bars([(2025, 4, (1.0, 0.0))], "ja")
    svg = bar_chart_svg(
        bars,
        (Series("本人と双方向", "#000"), Series("家族", "#999")),
        title="月別時間",
        unit="時間",
    )
    assert "4月" in svg and "本人と双方向" in svg
    parse(svg)


def test_all_zero_chart_still_has_a_scale():
    svg = bar_chart_svg([Bar("a", (0.0, 0.0))], SERIES, title="t", unit="h")
    assert re.search(r">1<", svg)  # the scale top is at least 1 hour


def test_bars_must_match_series():
    with pytest.raises(ValueError):
        bar_chart_svg([Bar("a", (1.0,))], SERIES, title="t", unit="h")
