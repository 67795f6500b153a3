"""GET /api/v1/reports/{kind}: the same suppressed figures as the report pages."""

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from ibasho.accounts.api_auth import member_or_404
from ibasho.accounts.models import Role
from ibasho.reports import definitions as d
from ibasho.reports import periods, services
from ibasho.reports.suppression import cell_text

router = Router(tags=["reports"])


class ReportQuery(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    group_by: str | None = None
    rate_set: str = d.DEFAULT_RATE_SET


class CellOut(Schema):
    value: float | None  # None when withheld
    text: str  # as shown: the figure, "<5" or "x"


class RowOut(Schema):
    key: str
    label: str
    cells: list[CellOut]
    note: str = ""


class TableOut(Schema):
    key: str
    title: str
    definition: str
    columns: list[str]
    rows: list[RowOut]
    total: RowOut | None


class HeadlineOut(Schema):
    key: str
    label: str
    value: float | None
    text: str


class ReportOut(Schema):
    kind: str
    title: str
    date_from: dt.date
    date_to: dt.date
    made_on: dt.date
    threshold: int
    suppressed: bool
    headlines: list[HeadlineOut]
    tables: list[TableOut]
    sentences: list[str]


def _row(table, row, threshold):  # type: ignore[no-untyped-def]
    return {
        "key": row.key,
        "label": row.label,
        "note": row.note,
        "cells": [
            {
                "value": value,
                "text": cell_text(value, row.state(i), threshold, table.columns[i].kind),
            }  # fmt: skip
            for i, value in enumerate(row.values)
        ],
    }


@router.get(
    "/{kind}",
    response=ReportOut,
    summary="A report's figures, suppressed",
    description=(
        "kind: contacts, programmes, outcomes, persistence or unreached. The period is "
        "from–to (dates, inclusive); without them, the current month. group_by picks one "
        "table by its key (e.g. method, with_whom, age_band, month). Counts below the "
        "organisation's threshold are withheld (value null, text '<5'), and further cells are "
        "withheld (text 'x') so that they cannot be worked out from the totals."
    ),
    url_name="report",
)
def report(request: HttpRequest, kind: str, query: Query[ReportQuery]):  # type: ignore[no-untyped-def]
    membership = member_or_404(request, *Role.values)  # aggregates: every role, analysts too
    organisation = membership.organisation
    if kind not in services.KINDS:
        raise HttpError(404, _("Unknown report: %(kind)s") % {"kind": kind})
    if query.rate_set not in d.RATE_SETS:
        raise HttpError(422, _("Unknown prevalence rates: %(code)s") % {"code": query.rate_set})
    today = organisation.today()
    if query.date_from and query.date_to:
        if query.date_to < query.date_from:
            raise HttpError(422, _("date_to is before date_from."))
        period = periods.Period(periods.CUSTOM, query.date_from, query.date_to)
    elif query.date_from or query.date_to:
        raise HttpError(422, _("Give both date_from and date_to, or neither."))
    else:
        period = periods.month_period(today.year, today.month)
    if period.days > d.LONGEST_INLINE_DAYS:
        raise HttpError(
            422,
            _("Periods longer than %(days)s days are computed as background jobs.")
            % {"days": d.LONGEST_INLINE_DAYS},
        )
    built = services.build_report(kind, organisation, period, rate_set=query.rate_set)
    published = services.add_sentences(services.publish(built, organisation))
    tables = published.tables
    if query.group_by:
        tables = [t for t in tables if t.key == query.group_by]
        if not tables:
            keys = ", ".join(t.key for t in published.tables)
            raise HttpError(422, _("group_by must be one of: %(keys)s") % {"keys": keys})
    threshold = published.threshold
    return {
        "kind": kind,
        "title": published.title,
        "date_from": period.start,
        "date_to": period.end,
        "made_on": today,
        "threshold": threshold,
        "suppressed": True,
        "sentences": published.sentences,
        "headlines": [
            {
                "key": h.key,
                "label": h.label,
                "value": h.value,
                "text": cell_text(h.value, h.state, threshold, h.kind),
            }  # fmt: skip
            for h in published.headlines
        ],
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "definition": t.term,
                "columns": [c.label for c in t.columns],
                "rows": [_row(t, r, threshold) for r in t.rows],
                "total": _row(t, t.total, threshold) if t.total else None,
            }
            for t in tables
        ],
    }
