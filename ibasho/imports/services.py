"""The import's writes: keeping an uploaded file, remembering a mapping, confirming, and the
run itself (in a background task for the web app, directly for `ibasho import`)."""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.audit.services import record_audit
from ibasho.imports import columns
from ibasho.imports.engine import Checked, Importer, Progress, Summary
from ibasho.imports.models import ColumnMapping, ImportJob, Kind
from ibasho.imports.readers import Table, UnreadableFile, read_table
from ibasho.lib.fields import fernet
from ibasho.lib.sqlite_writes import writes_serialised

MAX_BYTES = 30 * 1024 * 1024


def table_of(data: bytes, filename: str, kind: str) -> Table:
    try:
        return read_table(data, filename, columns.scorer(kind))
    except UnreadableFile as error:
        raise ValidationError({"file": str(error)}) from None


def remembered(organisation: Any, kind: str) -> dict[str, str]:
    return dict(
        ColumnMapping.objects.filter(organisation=organisation, kind=kind).values_list(
            "header", "target"
        )
    )


@transaction.atomic
def upload(*, by: Any, organisation: Any, kind: str, filename: str, data: bytes) -> ImportJob:
    """Keep an uploaded file (encrypted) with its first mapping: the organisation's earlier
    choices, then the headings recognised by name."""
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose what the file holds.")})
    if not filename.lower().endswith((".xlsx", ".csv")):
        raise ValidationError({"file": _("Upload an Excel workbook (.xlsx) or a CSV file.")})
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 30 MB: split it.")})
    table = table_of(data, filename, kind)
    mapping = columns.recognise(kind, table.headers, remembered(organisation, kind))
    job = ImportJob.objects.create(
        organisation=organisation,
        kind=kind,
        filename=filename[-200:],
        content=fernet().encrypt(data),
        mapping=mapping,
        uploaded_by=by,
    )
    record_audit(
        "imports.file.uploaded", by=by, organisation=organisation, target=job, fields=["file"]
    )
    return job


def file_of(job: ImportJob) -> bytes:
    return fernet().decrypt(bytes(job.content))


def table_for(job: ImportJob) -> Table:
    return table_of(file_of(job), job.filename, job.kind)


@transaction.atomic
def set_mapping(job: ImportJob, *, by: Any, mapping: dict[str, str]) -> ImportJob:
    """Change which column fills which field, and remember it for the organisation's next file
    of this kind."""
    if job.status != ImportJob.Status.UPLOADED:
        raise ValidationError({"mapping": _("This file has already been imported.")})
    keys = {t.key for t in columns.TARGETS[job.kind]}
    headers = set(table_for(job).headers)
    chosen = [k for k in mapping.values() if k]
    if set(mapping) - headers or set(chosen) - keys:
        raise ValidationError({"mapping": _("Choose a field for the file's own columns only.")})
    if len(chosen) != len(set(chosen)):
        raise ValidationError({"mapping": _("Each field can be filled from one column only.")})
    job.mapping = {h: k for h, k in mapping.items() if k}
    job.save(update_fields=["mapping", "updated_at"])
    for header, key in mapping.items():
        ColumnMapping.objects.update_or_create(
            organisation=job.organisation,
            kind=job.kind,
            header=header[:200],
            defaults={"target": key},
        )
    record_audit(
        "imports.mapping.changed",
        by=by,
        organisation=job.organisation,
        target=job,
        fields=["mapping"],
    )
    return job


def check(job: ImportJob) -> list[Checked]:
    return Importer(job.organisation, job.kind, table_for(job), job.mapping).check()


@transaction.atomic
def confirm(job: ImportJob, *, by: Any, only_valid: bool, language: str = "ja") -> ImportJob:
    """Queue the import. With rows in error, only when the user chose to leave them out."""
    if job.status != ImportJob.Status.UPLOADED:
        raise ValidationError({"only_valid": _("This file has already been imported.")})
    rows = check(job)
    if any(not r.ok for r in rows) and not only_valid:
        raise ValidationError(
            {
                "only_valid": _(
                    "Some rows have errors: correct the file and "
                    "upload it again, or choose to import only the valid rows."
                )
            }
        )
    job.only_valid = only_valid
    job.language = language[:10]
    job.status = ImportJob.Status.QUEUED
    job.save(update_fields=["only_valid", "language", "status", "updated_at"])
    record_audit(
        "imports.import.confirmed",
        by=by,
        organisation=job.organisation,
        target=job,
        fields=["only_valid"],
    )
    from ibasho.imports.tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def progress_file(job: ImportJob) -> Path:
    """Progress is kept beside the database, not in it: the import's own transaction holds
    the database (on SQLite, its only writer) until it commits."""
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{job.code}.progress"


def progress_of(job: ImportJob) -> int:
    """Percent done of a running import."""
    try:
        done, total = json.loads(progress_file(job).read_text())
    except (OSError, ValueError):
        return 0
    return min(99, int(100 * done / total)) if total else 0


def run_job(job: ImportJob) -> ImportJob:
    """Import a confirmed file. Everything is written in one transaction, so a run that is
    stopped half-way (even killed) leaves nothing, and the same job or file can run again."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    path = progress_file(job)

    def progress(done: int, total: int) -> None:
        if done == total or done % 200 == 0:
            path.write_text(json.dumps([done, total]))

    try:
        summary = import_rows(
            job.organisation,
            job.kind,
            table_for(job),
            job.mapping,
            by=job.uploaded_by,
            only_valid=job.only_valid,
            progress=progress,
        )
    except Exception as error:  # the job says what went wrong instead of vanishing
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, failure=_failure(error), finished_at=timezone.now()
        )
        raise
    finally:
        path.unlink(missing_ok=True)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE,
        rows=summary.rows,
        created=summary.created,
        updated=summary.updated,
        unchanged=summary.unchanged,
        rejected=summary.rejected,
        errors=summary.errors,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def _failure(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)[:300]
    return _("The import stopped on an unexpected error; nothing was written.")


def import_rows(
    organisation: Any,
    kind: str,
    table: Table,
    mapping: dict[str, str],
    *,
    by: Any,
    only_valid: bool,
    progress: Progress | None = None,
) -> Summary:
    """Check every row and write them (all, or with `only_valid` the valid ones) in one
    transaction, with one audit entry for the import itself."""
    importer = Importer(organisation, kind, table, mapping)
    with writes_serialised(), transaction.atomic():
        rows = importer.check()
        summary = importer.apply(rows, by=by, only_valid=only_valid, progress=progress)
        if summary.created or summary.updated:
            record_audit(
                "imports.import.done",
                by=by,
                organisation=organisation,
                count=summary.created + summary.updated,
            )
    return summary


def rejected_rows(table: Table, errors: list[dict[str, Any]]) -> Iterable[list[Any]]:
    """The file's header and its rejected rows, each with an error column at the end."""
    reasons: dict[int, list[str]] = {}
    for error in errors:
        where = f"{error['column']}:{error['header']}" if error["column"] else error["header"]
        reasons.setdefault(error["row"], []).append(f"{where} {error['message']}")
    yield [*table.headers, _("Errors")]
    for row in table.rows:
        if row.number in reasons:
            yield [*row.values[: len(table.headers)], " / ".join(reasons[row.number])]
