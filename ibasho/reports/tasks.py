"""Reports computed off the request path (django-tasks): one organisation's report for a long
period, or one report for every organisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

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


def every_organisation(kind: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    """One report for each organisation, one after another (figures are per organisation and
    never pooled, so each organisation's own suppression applies). Returns counts and totals."""
    done = 0
    headline_totals: dict[str, float] = {}
    for organisation in Organisation.objects.order_by("id").iterator():
        with organisation_scope(organisation.pk):
            report = services.build_report(kind, organisation, Period(CUSTOM, start, end))
        for headline in report.headlines:
            headline_totals[headline.key] = headline_totals.get(headline.key, 0) + (
                headline.value or 0
            )
        done += 1
    return {"organisations": done, "totals": headline_totals}


@task()
def report_every_organisation(kind: str, start: str, end: str) -> dict[str, Any]:
    return every_organisation(kind, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
