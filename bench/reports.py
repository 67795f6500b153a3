"""The fiscal-year 実人数/延べ数 report for one organisation, timed against hand-written SQL
returning the same totals; and the same report for every organisation, as the background job
runs it."""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.db import connection
from django.db.models import Count, Max

from ibasho.accounts.models import Organisation
from ibasho.accounts.tenancy import organisation_scope
from ibasho.lib.dates import fiscal_year
from ibasho.outreach.models import Contact
from ibasho.reports import periods, tasks
from ibasho.reports.services import build_report

FLOOR_SQL = """
SELECT COUNT(DISTINCT person_id), COUNT(*) FROM outreach_contact
WHERE organisation_id = %s AND occurred_at >= %s AND occurred_at < %s
"""
BY_CHANNEL_SQL = """
SELECT channel, COUNT(DISTINCT person_id), COUNT(*) FROM outreach_contact
WHERE organisation_id = %s AND occurred_at >= %s AND occurred_at < %s GROUP BY channel
"""


def busiest_organisation() -> Organisation:
    found = (
        Contact.unscoped.values("organisation_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("organisation_id", flat=True)
        .first()
    )
    if found is None:
        raise SystemExit("No contacts: load a scale first (ibasho seed --scale prefecture).")
    return Organisation.objects.get(pk=found)


def last_full_fiscal_year(organisation: Organisation) -> periods.Period:
    """The fiscal year before the one holding the organisation's latest contact."""
    latest = Contact.unscoped.filter(organisation=organisation).aggregate(m=Max("occurred_at"))["m"]
    start_month = organisation.fiscal_year_start_month
    year = fiscal_year(latest.astimezone(organisation.zone).date(), start_month)
    return periods.fiscal_year_period(year - 1, start_month)


def fiscal_year_report(repeats: int = 5) -> dict[str, Any]:
    organisation = busiest_organisation()
    period = last_full_fiscal_year(organisation)
    start, end = period.bounds(organisation.zone)
    # As the ORM sends them (SQLite stores UTC text).
    params: list[Any] = [
        organisation.pk,
        connection.ops.adapt_datetimefield_value(start),
        connection.ops.adapt_datetimefield_value(end),
    ]
    app_times, sql_times, cpu_times = [], [], []
    report = None
    floor: tuple[int, int] = (0, 0)
    for _ in range(repeats):
        started, cpu = time.perf_counter(), time.process_time()
        with organisation_scope(organisation.pk):
            report = build_report("contacts", organisation, period)
        app_times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, params)
            floor = cursor.fetchone()
            cursor.execute(BY_CHANNEL_SQL, params)
            cursor.fetchall()
        sql_times.append(time.perf_counter() - started)
    assert report is not None
    total = report.table("month").total
    assert total is not None
    app, sql = statistics.median(app_times), statistics.median(sql_times)
    return {
        "organisation": organisation.name,
        "period": f"{period.start} – {period.end}",
        "unique_people": total.values[0],
        "total_contacts": total.values[1],
        "sql_unique_people": floor[0],
        "sql_total_contacts": floor[1],
        "same_numbers": list(total.values[:2]) == list(floor),
        "tables": len(report.tables),
        "report_ms": round(app * 1000, 1),
        "report_fastest_ms": round(min(app_times) * 1000, 1),
        # This process's CPU time (on SQLite the database's work too): less swayed by others.
        "report_cpu_ms": round(statistics.median(cpu_times) * 1000, 1),
        "sql_floor_ms": round(sql * 1000, 1),
        "sql_floor_fastest_ms": round(min(sql_times) * 1000, 1),
        "ratio": round(app / sql, 2) if sql else None,
    }


EVERY_FLOOR_SQL = """
SELECT organisation_id, COUNT(DISTINCT person_id), COUNT(*) FROM outreach_contact
WHERE occurred_at >= %s AND occurred_at < %s GROUP BY organisation_id
"""


def every_organisation_report(processes: int | None = None) -> dict[str, Any]:
    """The job's report for every organisation, and the same totals by one hand-written
    query over every organisation (all organisations share the benchmark's time zone)."""
    organisation = busiest_organisation()
    period = last_full_fiscal_year(organisation)
    started = time.perf_counter()
    found = tasks.every_organisation("contacts", period.start, period.end, processes=processes)
    seconds = time.perf_counter() - started
    start, end = period.bounds(organisation.zone)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            EVERY_FLOOR_SQL,
            [connection.ops.adapt_datetimefield_value(start),
             connection.ops.adapt_datetimefield_value(end)],
        )  # fmt: skip
        rows = cursor.fetchall()
    floor = time.perf_counter() - started
    return {
        **found,
        "period": f"{period.start} – {period.end}",
        "seconds": round(seconds, 1),
        "sql_unique_people": sum(r[1] for r in rows),
        "sql_total_contacts": sum(r[2] for r in rows),
        "same_numbers": [found["totals"].get("people"), found["totals"].get("contacts")]
        == [sum(r[1] for r in rows), sum(r[2] for r in rows)],
        "sql_floor_seconds": round(floor, 2),
        "ratio": round(seconds / floor, 1) if floor else None,
    }


def table(found: dict[str, Any]) -> str:
    return (
        f"Fiscal-year report ({found['period']}, {found['organisation']}): "
        f"{found['unique_people']:,} unique people, {found['total_contacts']:,} contacts in "
        f"{found['tables']} tables: {found['report_ms']} ms (CPU {found['report_cpu_ms']} ms, "
        f"fastest {found['report_fastest_ms']} ms); raw SQL floor (totals and by channel): "
        f"{found['sql_floor_ms']} ms (fastest {found['sql_floor_fastest_ms']} ms) = "
        f"{found['ratio']}x; "
        f"same numbers: {found['same_numbers']}"
    )
