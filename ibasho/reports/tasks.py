"""Reports computed off the request path (django-tasks): one organisation's report for a long
period, or one report for every organisation."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from typing import Any

from django.db import connections
from django.utils import timezone, translation
from django_tasks import task

from ibasho.accounts.models import Organisation
from ibasho.accounts.tenancy import organisation_scope
from ibasho.reports import services
from ibasho.reports.models import ReportJob
from ibasho.reports.periods import CUSTOM, Period


def run_job(job: ReportJob) -> ReportJob:
    """Compute a job's report, noting progress on the job as it goes."""
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING, progress=5)

    def progress(percent: int) -> None:
        ReportJob.objects.filter(pk=job.pk).update(progress=min(99, percent))

    period = Period(job.options.get("period", CUSTOM), job.date_from, job.date_to)
    try:
        with translation.override(job.language), organisation_scope(job.organisation_id):
            report = services.build_report(
                job.kind,
                job.organisation,
                period,
                rate_set=job.options.get("rate_set", ""),
                progress=progress,
            )
    except Exception as error:  # the job records what went wrong instead of vanishing
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.FAILED, error=str(error)[:300], finished_at=timezone.now()
        )
        raise
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.DONE,
        progress=100,
        result=report.as_json(),
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


@task()
def run_report_job(job_id: int) -> None:
    job = ReportJob.objects.select_related("organisation").get(pk=job_id)
    run_job(job)


# Organisations whose contact reports are read together: few enough that a chunk's people fit
# in one query's parameters on SQLite, many enough that the queries per organisation vanish.
CHUNK = 25


def some_organisations(item: tuple[list[int], str, dt.date, dt.date]) -> list[dict[str, float]]:
    """A chunk of organisations' reports (in a worker process): their headline figures. The
    実人数/延べ数 reports of the chunk are read together, a few queries for all of them."""
    organisation_ids, kind, start, end = item
    organisations = list(Organisation.objects.filter(pk__in=organisation_ids).order_by("id"))
    period = Period(CUSTOM, start, end)
    if kind == "contacts":
        reports = list(services.contact_reports(organisations, period).values())
    else:
        reports = []
        for organisation in organisations:
            with organisation_scope(organisation.pk):
                reports.append(services.build_report(kind, organisation, period))
    return [{h.key: h.value or 0 for h in report.headlines} for report in reports]


def every_organisation(
    kind: str, start: dt.date, end: dt.date, *, processes: int | None = None
) -> dict[str, Any]:
    """One report for each organisation (figures are per organisation and never pooled, so
    each organisation's own suppression applies), built a chunk of organisations at a time. On
    PostgreSQL the chunks go to `processes` worker processes (by default one per core); on
    SQLite one after another. Returns counts and totals."""
    ids = list(Organisation.objects.order_by("id").values_list("id", flat=True))
    work = [(ids[at : at + CHUNK], kind, start, end) for at in range(0, len(ids), CHUNK)]
    processes = min(processes or os.cpu_count() or 1, len(work))
    if processes > 1 and connections["default"].vendor == "postgresql":
        connections.close_all()  # each process opens its own connection
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            chunks = pool.map(some_organisations, work, chunksize=1)
    else:
        chunks = [some_organisations(item) for item in work]
    found = [headlines for chunk in chunks for headlines in chunk]
    headline_totals: dict[str, float] = {}
    for headlines in found:
        for key, value in headlines.items():
            headline_totals[key] = headline_totals.get(key, 0) + value
    return {"organisations": len(found), "totals": headline_totals}


@task()
def report_every_organisation(kind: str, start: str, end: str) -> dict[str, Any]:
    return every_organisation(kind, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
