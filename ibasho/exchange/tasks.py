"""The organisation archive written off the request path (django-tasks)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils import timezone
from django_tasks import task

from ibasho.exchange.models import OrganisationExport
from ibasho.exchange.organisation import export_organisation

log = logging.getLogger(__name__)


def export_dir() -> Path:
    path = Path(settings.IBASHO_EXPORT_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


@contextmanager
def progress_writer(job_pk: int) -> Iterator[Callable[[int], None]]:
    """Progress written on a connection of its own: the export reads inside one read-only
    snapshot (PostgreSQL refuses an UPDATE there, and on SQLite a write would hold the write
    lock until the archive is done). Progress is advisory: a failed write is logged, not fatal."""
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    table = connections[DEFAULT_DB_ALIAS].ops.quote_name(OrganisationExport._meta.db_table)

    def progress(percent: int) -> None:
        try:
            with own.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET progress = %s WHERE id = %s", [min(99, percent), job_pk]
                )
        except DatabaseError:
            log.warning("export %s: progress not written", job_pk, exc_info=True)

    try:
        yield progress
    finally:
        own.close()


def run_export(job: OrganisationExport) -> OrganisationExport:
    """Write the job's archive, then forget its passphrase. Only the newest finished archive of
    an organisation is kept: each one holds everything the last one did."""
    jobs = OrganisationExport.objects.filter(pk=job.pk)
    jobs.update(status=OrganisationExport.Status.RUNNING, progress=1)
    name = f"ibasho-{job.organisation.code}-{timezone.now():%Y%m%d-%H%M%S}.zip"

    try:
        with progress_writer(job.pk) as progress:
            manifest = export_organisation(
                job.organisation,
                export_dir() / name,
                job.passphrase,
                by=job.requested_by,
                progress=progress,
            )
    except Exception as error:  # the job says what went wrong instead of vanishing
        jobs.update(
            status=OrganisationExport.Status.FAILED,
            error=str(error)[:300],
            passphrase="",
            finished_at=timezone.now(),
        )
        raise
    older = OrganisationExport.objects.filter(
        organisation_id=job.organisation_id, status=OrganisationExport.Status.DONE
    ).exclude(pk=job.pk)
    for previous in older:
        (export_dir() / previous.file_name).unlink(missing_ok=True)
    older.update(file_name="")
    jobs.update(
        status=OrganisationExport.Status.DONE,
        progress=100,
        passphrase="",
        file_name=name,
        size=(export_dir() / name).stat().st_size,
        rows=sum(t["rows"] for t in manifest["tables"]),
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


@task()
def run_organisation_export(job_id: int) -> None:
    run_export(OrganisationExport.objects.select_related("organisation").get(pk=job_id))
