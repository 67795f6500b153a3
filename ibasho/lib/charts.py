"""Server-side SVG charts, the one chart module: line charts for score histories and stacked
bar charts for hours by month. Pure functions returning an SVG string.

Made for reading in Japanese and for print: a CJK font stack, text large enough on a phone,
series told apart by line pattern and marker shape as well as colour (so a black-and-white print
still works), cut-off lines labelled in words, and a text description of every point for screen
readers. The SVG scales to its container through its viewBox.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

FONT = "'Noto Sans CJK JP','Hiragino Sans','Yu Gothic','Meiryo',sans-serif"
# Colour-blind-safe colours, each paired with its own dash pattern and marker.
STYLES = (
    ("#1f4e79", "", "circle"),
    ("#b35806", "6 4", "square"),
    ("#2d7f3e", "2 3", "triangle"),
    ("#6a3d9a", "10 3 2 3", "diamond"),
)
ToX = Callable[[datetime.date], float]
ToY = Callable[[float], float]
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Point:
    day: datetime.date
    value: float
    note: str = ""  # shown in the tooltip, e.g. the band


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Line:
    """A horizontal reference line, e.g. a cut-off."""

    value: float
    label: str


@dataclass(frozen=True)
class Frame:
    width: int = 640
    height: int = 280
    left: int = 48
    right: int = 150
    top: int = 40
    bottom: int = 56

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom


def line_chart(
    *,
    title: str,
    series: Sequence[Series],
    y_min: float,
    y_max: float,
    lines: Sequence[Line] = (),
    lang: str = "ja",
    empty_text: str = "",
    frame: Frame | None = None,
    ident: str = "chart",
) -> str:
    """Render series over time as an SVG element (``<svg>…</svg>``).

    ``ident`` must be unique on the page: it prefixes the ids the accessible name refers to.
    """
    frame = frame or Frame()
    days = sorted(point.day for s in series for point in s.points)
    parts = [_open(frame, title, _describe(series, lines, lang), ident)]
    if not days:
        parts.append(_text(frame.width / 2, frame.height / 2, empty_text, anchor="middle"))
        parts.append("</svg>")
        return "".join(parts)
    start, end = _date_range(days[0], days[-1])
    low, high = min(y_min, *_values(series)), max(y_max, *_values(series))

    def x_of(day: datetime.date) -> float:
        return frame.left + frame.plot_width * (day - start).days / (end - start).days

    def y_of(value: float) -> float:
        return frame.top + frame.plot_height * (high - value) / (high - low)

    parts += _y_axis(frame, low, high, y_of)
    parts += _x_axis(frame, start, end, x_of, lang)
    for line in lines:
        y = y_of(line.value)
        parts.append(
            f'<line class="cutoff" x1="{frame.left}" x2="{frame.left + frame.plot_width}" '
            f'y1="{y:.1f}" y2="{y:.1f}" stroke="#c0392b" stroke-width="1.5" '
            'stroke-dasharray="5 3"/>'
        )
        parts.append(
            _text(frame.left + frame.plot_width + 6, y + 4, line.label, size=12, fill="#c0392b")
        )
    for index, one in enumerate(series):
        parts += _series(one, STYLES[index % len(STYLES)], x_of, y_of)
    parts += _legend(frame, series)
    parts.append("</svg>")
    return "".join(parts)


def _open(frame: Frame, title: str, description: str, ident: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {frame.height}" '
        f'width="100%" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="{FONT}" class="chart">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>'
        f'<rect x="0" y="0" width="{frame.width}" height="{frame.height}" fill="#ffffff"/>'
        + _text(frame.left, 22, title, size=15, weight="bold")
    )


def _describe(series: Sequence[Series], lines: Sequence[Line], lang: str) -> str:
    chunks = []
    for one in series:
        values = ", ".join(f"{format_date(p.day, lang)}: {_number(p.value)}" for p in one.points)
        chunks.append(f"{one.name}: {values}")
    chunks += [f"{line.label}: {_number(line.value)}" for line in lines]
    return " / ".join(chunks)


def _values(series: Sequence[Series]) -> list[float]:
    return [point.value for s in series for point in s.points]


def _date_range(first: datetime.date, last: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Pad the range so single points and points on the edges stay inside the plot."""
    pad = max(datetime.timedelta(days=15), (last - first) / 20)
    return first - pad, last + pad


def _y_axis(frame: Frame, low: float, high: float, y_of: ToY) -> list[str]:
    parts = []
    for value in nice_ticks(low, high):
        y = y_of(value)
        parts.append(
            f'<line x1="{frame.left}" x2="{frame.left + frame.plot_width}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="#dddddd" stroke-width="1"/>'
        )
        parts.append(_text(frame.left - 6, y + 4, _number(value), size=12, anchor="end"))
    return parts


def _x_axis(
    frame: Frame, start: datetime.date, end: datetime.date, x_of: ToX, lang: str
) -> list[str]:
    base = frame.top + frame.plot_height
    parts = [
        f'<line x1="{frame.left}" x2="{frame.left + frame.plot_width}" y1="{base}" y2="{base}" '
        f'stroke="#333333" stroke-width="1"/>'
    ]
    for day in month_ticks(start, end):
        x = x_of(day)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{base}" y2="{base + 5}" stroke="#333333"/>'
        )
        parts.append(_text(x, base + 20, format_month(day, lang), size=12, anchor="middle"))
    return parts


def _series(one: Series, style: tuple[str, str, str], x_of: ToX, y_of: ToY) -> list[str]:
    colour, dash, marker = style
    points = sorted(one.points, key=lambda p: p.day)
    coords = " ".join(f"{x_of(p.day):.1f},{y_of(p.value):.1f}" for p in points)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    parts = [
        f'<polyline class="series" points="{coords}" fill="none" stroke="{colour}" '
        f'stroke-width="2"{dash_attr}/>'
    ]
    for p in points:
        tip = f"{one.name} {p.day.isoformat()}: {_number(p.value)}" + (
            f" ({p.note})" if p.note else ""
        )
        parts.append(
            f'<g class="point">{_marker(marker, x_of(p.day), y_of(p.value), colour)}'
            f"<title>{escape(tip)}</title></g>"
        )
    return parts


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        return _polygon([(x, y - 5), (x - 5, y + 4), (x + 5, y + 4)], colour)
    if shape == "diamond":
        return _polygon([(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)], colour)
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def _polygon(corners: list[tuple[float, float]], colour: str) -> str:
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)
    return f'<polygon points="{points}" fill="{colour}"/>'


def _legend(frame: Frame, series: Sequence[Series]) -> list[str]:
    if len(series) < 2:
        return []
    parts = []
    y = frame.height - 12
    x = float(frame.left)
    for index, one in enumerate(series):
        colour, dash, marker = STYLES[index % len(STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x:.1f}" x2="{x + 24:.1f}" y1="{y - 4}" y2="{y - 4}" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>'
        )
        parts.append(_marker(marker, x + 12, y - 4, colour))
        parts.append(_text(x + 30, y, one.name, size=12))
        x += 40 + 13 * len(one.name)
    return parts


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: int = 13,
    anchor: str = "start",
    weight: str = "normal",
    fill: str = "#222222",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f"font-weight={quoteattr(weight)} fill={quoteattr(fill)}>{escape(content)}</text>"
    )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round tick values from low to high, at most ``most`` of them (steps of 1, 2, 5, 10 …)."""
    span = high - low
    step = 1.0
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100):
        step = float(candidate)
        if span / candidate <= most - 1:
            break
    first = int(low // step) * step
    ticks = []
    value = first if first >= low else first + step
    while value <= high + 1e-9:
        ticks.append(value)
        value += step
    return ticks


def month_ticks(start: datetime.date, end: datetime.date, most: int = 6) -> list[datetime.date]:
    """First-of-month dates inside [start, end], thinned to at most ``most`` evenly spaced."""
    months = []
    day = datetime.date(start.year, start.month, 1)
    if day < start:
        day = _next_month(day)
    while day <= end:
        months.append(day)
        day = _next_month(day)
    if len(months) <= most:
        return months
    stride = -(-len(months) // most)  # ceiling division
    return months[::stride]


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def format_month(day: datetime.date, lang: str) -> str:
    if lang == "ja":
        return f"{day.year}年{day.month}月"
    return f"{MONTHS_EN[day.month - 1]} {day.year}"


def format_date(day: datetime.date, lang: str) -> str:
    if lang == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


# -- stacked bars ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BarSeries:
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
    return MONTHS_EN[month - 1]


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
    series: Sequence[BarSeries],
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


# -- histograms and single-series bars for reports ------------------------------------------


@dataclass(frozen=True)
class Bin:
    """One bar: its label, its height (None when the figure is withheld) and the text written
    above it (e.g. "12", or "<5" for a withheld small count)."""

    label: str
    value: float | None
    text: str


def histogram_svg(
    bins: Sequence[Bin],
    *,
    title: str,
    unit: str,
    chart_id: str = "histogram",
    width: int = 560,
    height: int = 220,
    colour: str = "#1f4e79",
) -> str:
    """Adjacent bars, one per bin (a histogram; with gaps between bars when used for
    categories). Withheld figures get no bar, only their text, so a printed chart never shows a
    number the table hides."""
    left, right, top, bottom = 36, 8, 30, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    heights = [b.value or 0.0 for b in bins]
    scale = max(max(heights, default=0.0), 1.0)
    slot = plot_w / max(1, len(bins))
    summary = ", ".join(f"{b.label}: {b.text}" for b in bins)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" class="histogram" font-family="{FONT}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)} ({escape(unit)})</desc>',
        f'<text x="{left}" y="16" font-size="13" font-weight="bold" fill="#222">'
        f"{escape(title)}</text>",
    ]
    for value in nice_ticks(0, scale, most=4):
        y = top + plot_h * (1 - value / scale)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            'stroke="#ddd" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="#555">{_number(value)}</text>'
        )
    for index, one in enumerate(bins):
        x = left + slot * index
        centre = x + slot / 2
        h = plot_h * (one.value or 0) / scale
        if h > 0:
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{slot - 2:.1f}" '
                f'height="{h:.1f}" fill={quoteattr(colour)}>'
                f"<title>{escape(f'{one.label}: {one.text} {unit}')}</title></rect>"
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{top + plot_h - h - 4:.1f}" font-size="10" '
            f'text-anchor="middle" fill="#222">{escape(one.text)}</text>'
        )
        parts.append(
            f'<text x="{centre:.1f}" y="{top + plot_h + 14}" font-size="10" '
            f'text-anchor="middle" fill="#222">{escape(one.label)}</text>'
        )
    parts.append(
        f'<text x="{width - right}" y="{height - 6}" font-size="10" text-anchor="end" '
        f'fill="#555">{escape(unit)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def sparkline_svg(values: Sequence[float | None], *, label: str, width: int = 120,
                  height: int = 28) -> str:  # fmt: skip
    """A small line of recent values (withheld ones leave a gap), with its values in words."""
    known = [v for v in values if v is not None]
    high = max(known, default=0) or 1
    step = width / max(1, len(values) - 1)
    segments: list[list[str]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            segments.append([])
            continue
        y = height - 2 - (height - 4) * value / high
        segments[-1].append(f"{index * step:.1f},{y:.1f}")
    lines = "".join(
        f'<polyline points="{" ".join(s)}" fill="none" stroke="#1f4e79" stroke-width="1.5"/>'
        for s in segments
        if len(s) > 1
    )
    words = ", ".join("—" if v is None else _number(v) for v in values)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="sparkline" '
        f"aria-label={quoteattr(f'{label}: {words}')}>{lines}</svg>"
    )
