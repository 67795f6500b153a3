"""Small server-side SVG bar charts (no JavaScript, readable by screen readers).

The chart carries its own colours and a text description of every value, so it is legible on a
phone, in a PDF and with assistive technology alike.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

EN_MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[float, ...]  # one per series, stacked bottom first
    sublabel: str = ""

    @property
    def total(self) -> float:
        return sum(self.values)


def month_label(month: int, language: str) -> str:
    if language.startswith("ja"):
        return f"{month}月"
    return EN_MONTHS[month - 1]


def year_label(year: int, language: str) -> str:
    return f"{year}年" if language.startswith("ja") else str(year)


def month_bars(months: Sequence[tuple[int, int, tuple[float, ...]]], language: str) -> list[Bar]:
    """Bars for (year, month, values) rows; the year is shown under the first bar and January."""
    bars = []
    for index, (year, month, values) in enumerate(months):
        show_year = index == 0 or month == 1
        bars.append(
            Bar(
                label=month_label(month, language),
                values=values,
                sublabel=year_label(year, language) if show_year else "",
            )
        )
    return bars


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value else "0"


def _text_width(text: str, size: int) -> float:
    """Rough width for laying out the legend: CJK glyphs are about square, Latin ones narrower."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.6 for ch in text)


def _scale_max(bars: Sequence[Bar]) -> float:
    top = max((bar.total for bar in bars), default=0.0)
    return float(max(1, math.ceil(top)))


def bar_chart_svg(
    bars: Sequence[Bar],
    series: Sequence[Series],
    *,
    title: str,
    unit: str,
    chart_id: str = "chart",
    width: int = 480,
    height: int = 200,
) -> str:
    """An SVG document fragment with stacked bars, value labels, a legend and a text summary."""
    if any(len(bar.values) != len(series) for bar in bars):
        raise ValueError("every bar needs one value per series")
    left, right, top, bottom = 28, 8, 28, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    scale = _scale_max(bars)
    slot = plot_w / max(1, len(bars))
    bar_w = max(2.0, slot * 0.64)
    summary = ", ".join(f"{bar.sublabel}{bar.label} {_fmt(bar.total)} {unit}" for bar in bars)
    opening = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" class="bar-chart" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
    )
    parts = [
        opening,
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            'stroke="#ccc" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="#555">{_fmt(scale * fraction)}</text>'
        )
    for index, bar in enumerate(bars):
        x = left + slot * index + (slot - bar_w) / 2
        base = float(top + plot_h)
        for value, kind in zip(bar.values, series, strict=True):
            if value <= 0:
                continue
            h = plot_h * value / scale
            base -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f"fill={quoteattr(kind.colour)}><title>"
                f"{escape(f'{bar.label} {kind.name} {_fmt(value)} {unit}')}</title></rect>"
            )
        if bar.total > 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{base - 3:.1f}" font-size="10" '
                f'text-anchor="middle" fill="#222">{_fmt(bar.total)}</text>'
            )
        centre = x + bar_w / 2
        parts.append(
            f'<text x="{centre:.1f}" y="{top + plot_h + 14}" font-size="10" '
            f'text-anchor="middle" fill="#222">{escape(bar.label)}</text>'
        )
        if bar.sublabel:
            parts.append(
                f'<text x="{centre:.1f}" y="{top + plot_h + 27}" font-size="9" '
                f'text-anchor="middle" fill="#555">{escape(bar.sublabel)}</text>'
            )
    legend_x: float = left
    for kind in series:
        parts.append(
            f'<rect x="{legend_x:.0f}" y="8" width="10" height="10" fill={quoteattr(kind.colour)}/>'
        )
        parts.append(
            f'<text x="{legend_x + 14:.0f}" y="17" font-size="11" fill="#222">'
            f"{escape(kind.name)} ({escape(unit)})</text>"
        )
        legend_x += 30 + _text_width(f"{kind.name} ({unit})", 11)
    parts.append("</svg>")
    return "".join(parts)
