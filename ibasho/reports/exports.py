"""The report files: CSV (UTF-8 with a BOM, so Excel opens it in Japanese), Excel and PDF
(A4, Noto CJK, with the organisation, the period and the date made). Every file is made from
a suppressed report."""

from __future__ import annotations

import csv
import io
import re

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ibasho.lib.pdf import html_to_pdf
from ibasho.reports.present import shown_tables, suppression_note
from ibasho.reports.tables import Report

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def preamble(report: Report) -> list[list[str]]:
    return [
        [report.title],
        [_("Organisation"), report.organisation],
        [_("Period"), report.period_label],
        [_("Made on"), report.made_on],
        [suppression_note(report)],
    ]


def as_rows(report: Report) -> list[list[str]]:
    rows = preamble(report)
    for headline in report.headlines:
        rows.append([headline.label, _cell(headline, report)])
    for table in shown_tables(report):
        rows += [[], [table.title], ["", *table.headers]]
        rows += [[row.label, *row.cells, row.note] if row.note else [row.label, *row.cells]
                 for row in table.rows]  # fmt: skip
        if table.note:
            rows.append([table.note])
        rows += [[s] for s in table.sentences]
    return rows


def _cell(headline, report: Report) -> str:  # type: ignore[no-untyped-def]
    from ibasho.reports.suppression import cell_text

    return cell_text(headline.value, headline.state, report.threshold, headline.kind)


def to_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(as_rows(report))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _sheet_name(report.title)
    for line in preamble(report):
        sheet.append(line)
    sheet["A1"].font = Font(bold=True, size=14)
    for headline in report.headlines:
        sheet.append([headline.label, _cell(headline, report)])
    for table in shown_tables(report):
        page = book.create_sheet(_sheet_name(table.title, book.sheetnames))
        page.append([table.title])
        page["A1"].font = Font(bold=True)
        page.append(["", *table.headers])
        for row in table.rows:
            page.append([row.label, *(_number_or_text(c) for c in row.cells), row.note])
        for text in [table.note, *table.sentences]:
            if text:
                page.append([text])
        page.column_dimensions["A"].width = 36
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _number_or_text(text: str) -> float | int | str:
    """Shown figures as numbers, so they can be summed in Excel; '<5' and 'x' stay text."""
    plain = text.replace(",", "")
    if re.fullmatch(r"-?\d+", plain):
        return int(plain)
    if re.fullmatch(r"-?\d+\.\d+", plain):
        return float(plain)
    return text


def _sheet_name(title: str, taken: list[str] | None = None) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:28] or "sheet"
    taken = taken or []
    base, n = name, 2
    while name in taken:
        name = f"{base[:25]} {n}"
        n += 1
    return name


def to_pdf(report: Report) -> bytes:
    html = render_to_string(
        "reports/pdf.html",
        {
            "report": report,
            "tables": shown_tables(report),
            "note": suppression_note(report),
            "headlines": [(h, _cell(h, report)) for h in report.headlines],
        },
    )
    return html_to_pdf(html)


def file_response(report: Report, fmt: str) -> HttpResponse:
    make = {"csv": to_csv, "xlsx": to_xlsx, "pdf": to_pdf}[fmt]
    response = HttpResponse(make(report), content_type=CONTENT_TYPES[fmt])
    name = f"ibasho-{report.kind}-{report.date_from}-{report.date_to}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
