"""A report as its outputs show it: each cell as text ("<5", "x" or the figure) and a chart
for the tables that have one, drawn from the cells as shown."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ibasho.lib.charts import Bin, histogram_svg
from ibasho.reports.suppression import cell_text
from ibasho.reports.tables import SHOWN, Report, Row, Table

# Which column each table's chart draws.
CHART_COLUMN = {
    "month": "contacts",
    "method": "contacts",
    "with_whom": "contacts",
    "age_band": "people",
    "gender": "people",
    "stage": "people",
    "new_continuing": "people",
    "programmes": "attendances",
    "milestones": "people",
    "attempts": "people",
    "days_to_reply": "people",
    "days_to_twenty": "people",
    "consistency": "people",
    "unreached": "estimated",
}


@dataclass
class ShownRow:
    label: str
    cells: list[str]
    note: str = ""
    is_total: bool = False


@dataclass
class ShownTable:
    key: str
    title: str
    term: str
    headers: list[str]
    rows: list[ShownRow]
    note: str = ""
    chart: str = ""
    sentences: list[str] = field(default_factory=list)


def row_cells(table: Table, row: Row, threshold: int) -> list[str]:
    return [
        cell_text(value, row.state(i), threshold, table.columns[i].kind)
        for i, value in enumerate(row.values)
    ]


def shown_table(table: Table, threshold: int, *, chart_id: str = "") -> ShownTable:
    rows = [ShownRow(r.label, row_cells(table, r, threshold), r.note) for r in table.rows]
    if table.total is not None:
        rows.append(
            ShownRow(table.total.label, row_cells(table, table.total, threshold), is_total=True)
        )
    return ShownTable(
        table.key,
        table.title,
        table.term,
        [c.label for c in table.columns],
        rows,
        table.note,
        chart_for(table, threshold, chart_id or f"chart-{table.key}"),
    )


def chart_for(table: Table, threshold: int, chart_id: str) -> str:
    column_key = CHART_COLUMN.get(table.key)
    if column_key is None or not table.rows:
        return ""
    index = next(i for i, c in enumerate(table.columns) if c.key == column_key)
    bins = []
    for row in table.rows:
        text = cell_text(row.values[index], row.state(index), threshold, table.columns[index].kind)
        value = row.values[index] if row.state(index) == SHOWN else None
        if table.key == "unreached":
            known = row_cells(table, row, threshold)[2]
            text = f"{known} / {text}"
        bins.append(Bin(row.label, None if value is None else float(value), text))
    title = f"{table.title}: {table.columns[index].label}"
    return histogram_svg(bins, title=title, unit=table.columns[index].label, chart_id=chart_id)


def shown_tables(report: Report) -> list[ShownTable]:
    found = [shown_table(t, report.threshold) for t in report.tables]
    for table in found:
        if table.key == "attempts":
            table.sentences = report.sentences
    return found


def suppression_note(report: Report) -> str:
    if report.suppressed:
        return _(
            "Counts from 1 to %(below)s are shown as '<%(threshold)s'; cells shown as 'x' are "
            "hidden so that those cannot be worked out from the totals."
        ) % {"below": report.threshold - 1, "threshold": report.threshold}
    return _("Internal report: not suppressed. Do not share it outside the organisation.")
