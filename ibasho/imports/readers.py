"""Spreadsheets as a header and rows: .xlsx through openpyxl, .csv in UTF-8 (with or without
BOM) or Shift_JIS as Japanese Excel writes it (CP932, which adds 髙, 﨑, Ⅲ …).

The header row is the one among the first rows that names the most known columns, so a title
row or a merged group heading above it is passed over. Rows with nothing in them (Excel keeps
thousands of formatted empty rows) and totals rows are skipped, and their row numbers are
those the spreadsheet shows."""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ibasho.imports.values import is_total_row, text

HEADER_SEARCH_ROWS = 15


class UnreadableFile(ValueError):
    """The file is not a spreadsheet Ibasho can read."""


@dataclass
class Row:
    number: int  # as the spreadsheet numbers it (1 = the first line)
    values: list[Any]


@dataclass
class Table:
    headers: list[str]
    rows: list[Row]
    header_row: int
    skipped_totals: list[int] = field(default_factory=list)


def decode_csv(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else CP932 (Shift_JIS with Microsoft's extra characters)."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The file is neither UTF-8 nor Shift_JIS text."))


def _csv_rows(data: bytes) -> Iterable[list[Any]]:
    return csv.reader(io.StringIO(decode_csv(data), newline=""))


def _xlsx_rows(data: bytes) -> Iterable[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise UnreadableFile(_("The file is not an Excel workbook (.xlsx).")) from error
    sheet = book.worksheets[0]
    for values in sheet.iter_rows(values_only=True):
        yield list(values)
    book.close()


def read_table(data: bytes, filename: str, score: Callable[[list[str]], int]) -> Table:
    """The file's first sheet as a Table; `score` counts the known column names in a row."""
    rows = _xlsx_rows(data) if filename.lower().endswith(".xlsx") else _csv_rows(data)
    try:
        all_rows = [Row(number, values) for number, values in enumerate(rows, start=1)]
    except csv.Error as error:
        raise UnreadableFile(_("The CSV file is damaged: %(error)s") % {"error": error}) from None
    filled = [row for row in all_rows if any(text(v) for v in row.values)]
    if not filled:
        raise UnreadableFile(_("The file has no rows."))
    candidates = filled[:HEADER_SEARCH_ROWS]
    best = max(candidates, key=lambda row: score([text(v) for v in row.values]))
    if score([text(v) for v in best.values]) == 0:
        best = candidates[0]
    headers = [text(v) for v in best.values]
    # A heading merged down over the header row stands in a row above it.
    above = [row for row in filled if row.number < best.number]
    for index, header in enumerate(headers):
        if not header and above and len(above[-1].values) > index:
            headers[index] = text(above[-1].values[index])
    # A heading merged across several columns fills only its first cell: the others take
    # its name with a number, so that they can still be told apart and mapped.
    last, count = "", 0
    for index, header in enumerate(headers):
        if header:
            last, count = header, 1
        elif last and any(text(r.values[index]) for r in filled if len(r.values) > index):
            count += 1
            headers[index] = f"{last} ({count})"
    table = Table(headers=headers, rows=[], header_row=best.number)
    for row in filled:
        if row.number <= best.number:
            continue
        if is_total_row(row.values):
            table.skipped_totals.append(row.number)
            continue
        table.rows.append(
            Row(row.number, list(row.values) + [None] * (len(headers) - len(row.values)))
        )
    return table


def column_letter(index: int) -> str:
    """A, B, …, Z, AA: how Excel names a column (index from 0)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
