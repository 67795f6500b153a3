"""The organisation's provision records as an inspector asks for them: filtered by period,
direction and basis, on a page, as CSV (UTF-8 with BOM, for Excel) and as a PDF (A4)."""

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ibasho.lib.pdf import html_to_pdf
from ibasho.provisions.models import ProvisionRecord


@dataclass(frozen=True)
class Filters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    direction: str = ""
    basis: str = ""

    def apply(self, records: QuerySet[ProvisionRecord]) -> QuerySet[ProvisionRecord]:
        if self.date_from:
            records = records.filter(on__gte=self.date_from)
        if self.date_to:
            records = records.filter(on__lte=self.date_to)
        if self.direction:
            records = records.filter(direction=self.direction)
        if self.basis:
            records = records.filter(basis=self.basis)
        return records


def rows(records: QuerySet[ProvisionRecord]) -> list[ProvisionRecord]:
    return list(records.select_related("actor"))


def columns() -> list[str]:
    return [
        _("date"),
        _("direction"),
        _("recipient or source"),
        _("name"),
        _("birth date"),
        _("person's record code"),
        _("items"),
        _("legal basis"),
        _("by way of"),
        _("how the source obtained it"),
        _("reference"),
        _("done by"),
    ]


def values(record: ProvisionRecord) -> list[str]:
    return [
        record.on.isoformat(),
        str(record.get_direction_display()),
        record.counterpart_name,
        record.person_name,
        record.person_birth_date,
        str(record.person_code),
        "・".join(record.item_labels),
        str(record.get_basis_display()),
        str(record.get_via_display()),
        record.how_obtained,
        record.reference,
        record.actor_name,
    ]


def as_csv(records: list[ProvisionRecord]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns())
    for record in records:
        writer.writerow(values(record))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_pdf(records: list[ProvisionRecord], *, organisation: Any, filters: Filters) -> bytes:
    html = render_to_string(
        "provisions/pdf_records.html",
        {
            "organisation": organisation,
            "records": records,
            "filters": filters,
            "made_on": organisation.today(),
        },
    )
    return html_to_pdf(html)
