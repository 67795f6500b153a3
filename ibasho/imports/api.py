"""GET /api/v1/imports and /api/v1/imports/{code}: where an import stands and what it did,
for the same coordinators and admins as the wizard. Files are uploaded through the wizard or
`ibasho import`."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from ibasho.accounts.api_auth import member_or_404
from ibasho.accounts.models import SUPERVISOR_ROLES
from ibasho.audit.services import audit_read
from ibasho.imports import services
from ibasho.imports.models import ImportJob
from ibasho.lib.schemas import Pages

router = Router(tags=["imports"])


class RowErrorOut(Schema):
    row: int
    column: str  # as Excel names it (A, B, …)
    header: str
    message: str


class ImportOut(Schema):
    code: str
    kind: str
    filename: str
    status: str
    progress: int  # percent, while it runs
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    only_valid: bool
    uploaded_at: dt.datetime
    finished_at: dt.datetime | None
    failure: str


class ImportDetailOut(ImportOut):
    errors: list[RowErrorOut]


def _out(job: ImportJob) -> dict[str, Any]:
    running = job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    return {
        "code": str(job.code), "kind": job.kind, "filename": job.filename,
        "status": job.status, "rows": job.rows, "created": job.created,
        "updated": job.updated, "unchanged": job.unchanged, "rejected": job.rejected,
        "only_valid": job.only_valid, "uploaded_at": job.created_at,
        "finished_at": job.finished_at, "failure": job.failure,
        "progress": services.progress_of(job) if running else
        (100 if job.status == ImportJob.Status.DONE else 0),
        "errors": job.errors,
    }  # fmt: skip


@router.get("", response=list[ImportOut])
@paginate(Pages)
def import_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    membership = member_or_404(request, *SUPERVISOR_ROLES)
    return [_out(j) for j in ImportJob.objects.visible_to(membership).defer("content")[:500]]


@router.get("/{code}", response=ImportDetailOut)
def import_detail(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    membership = member_or_404(request, *SUPERVISOR_ROLES)
    job = get_object_or_404(ImportJob.objects.visible_to(membership).defer("content"), code=code)
    audit_read(request, "imports.results.read", job, count=job.rejected)
    return _out(job)
