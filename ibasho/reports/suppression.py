"""Small-cell suppression for every statistical output.

Primary: a count of people or contacts from 1 to threshold − 1 is hidden and shown as "<5".
Hours and averages in a row whose people cell is hidden are hidden with it.
Complementary: in every column with a published total, further cells are hidden (the smallest
first) until no hidden cell can be worked out from the total and the cells still shown — that is,
until every small cell could still hold at least two values. `feasible_range` is that check, from
the reader's side: it knows the total, the cells shown, that "<5" means 1–4 and, knowing this
rule, that a cell hidden as "x" holds at least the threshold.
"""

from __future__ import annotations

import copy
from dataclasses import replace

from ibasho.reports.tables import (
    COUNTED,
    HIDDEN,
    HOURS,
    NUMBER,
    SHOWN,
    SMALL,
    Headline,
    Report,
    Row,
    Table,
)


def is_small(value: float | int | None, threshold: int) -> bool:
    return value is not None and 0 < value < threshold


def feasible_range(
    column: list[tuple[float, str]], total: float, threshold: int, index: int
) -> tuple[float, float]:
    """The least and greatest value cell `index` could hold, to a reader who sees the total and
    each cell's state: shown cells exactly, small ones in [1, threshold − 1], hidden ones at
    least the threshold (and at most what the total leaves)."""
    rest = total - sum(value for value, state in column if state == SHOWN)

    def bounds(value: float, state: str) -> tuple[float, float]:
        if state == SMALL:
            return 1, threshold - 1
        if state == HIDDEN:
            return threshold, rest
        return value, value

    low_others = high_others = 0.0
    for position, (value, state) in enumerate(column):
        if position != index and state != SHOWN:
            low, high = bounds(value, state)
            low_others, high_others = low_others + low, high_others + high
    own_low, own_high = bounds(*column[index])
    return max(own_low, rest - high_others), min(own_high, rest - low_others)


def recoverable(column: list[tuple[float, str]], total: float, threshold: int) -> bool:
    """Whether some small cell of a column can be pinned to one value."""
    for index, (_, state) in enumerate(column):
        if state == SMALL:
            low, high = feasible_range(column, total, threshold, index)
            if high - low < 1:
                return True
    return False


def suppress_table(table: Table, threshold: int) -> Table:
    """A copy of the table with small cells hidden, and enough others to protect them."""
    table = copy.deepcopy(table)
    rows = table.all_rows()
    for row in rows:
        row.states = [SHOWN] * len(row.values)
        for index, column in enumerate(table.columns):
            if column.kind in COUNTED and is_small(row.values[index], threshold):
                row.states[index] = SMALL
    for index, column in enumerate(table.columns):
        if column.kind in COUNTED and table.total is not None:
            _complement(table, index, threshold)
    key = table.key_column
    for row in rows:
        if key is not None and row.states[key] != SHOWN:
            for index, column in enumerate(table.columns):
                if column.kind in (HOURS, NUMBER):
                    row.states[index] = HIDDEN
        row.values = [
            None if s != SHOWN else v for v, s in zip(row.values, row.states, strict=True)
        ]
    table.suppressed = True
    return table


def _complement(table: Table, index: int, threshold: int) -> None:
    assert table.total is not None
    total = table.total.values[index]
    if total is None or table.total.states[index] != SHOWN:
        return
    while True:
        column = [(float(r.values[index] or 0), r.state(index)) for r in table.rows]
        if not recoverable(column, float(total), threshold):
            return
        candidates = [
            (value, position)
            for position, (value, state) in enumerate(column)
            if state == SHOWN and value > 0
        ]
        if not candidates:
            # Nothing left to hide beside it: hide the total instead.
            table.total.states[index] = HIDDEN
            return
        _, position = min(candidates)
        table.rows[position].states[index] = HIDDEN


def suppress_headline(headline: Headline, threshold: int) -> Headline:
    if headline.kind in COUNTED and is_small(headline.value, threshold):
        return replace(headline, value=None, state=SMALL)
    return headline


def suppress_report(report: Report, threshold: int) -> Report:
    report = copy.deepcopy(report)
    report.tables = [suppress_table(t, threshold) for t in report.tables]
    report.headlines = [suppress_headline(h, threshold) for h in report.headlines]
    report.suppressed = True
    report.threshold = threshold
    return report


def cell_text(value: float | int | None, state: str, threshold: int, kind: str = "") -> str:
    """How a cell reads in every output: "<5" when small, "x" when hidden."""
    from django.utils.translation import gettext

    if state == SMALL:
        return gettext("<%(threshold)s") % {"threshold": threshold}
    if state == HIDDEN:
        return "x"
    if value is None:
        return "—"
    if kind == HOURS or (isinstance(value, float) and not value.is_integer()):
        return f"{value:,.1f}"
    return f"{int(value):,}"


__all__ = ["Row", "cell_text", "feasible_range", "suppress_report", "suppress_table"]
