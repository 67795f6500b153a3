"""Imports run off the request path (django-tasks; `ibasho db_worker`)."""

from django.utils import translation
from django_tasks import task

from ibasho.accounts.tenancy import organisation_scope
from ibasho.imports.models import ImportJob
from ibasho.imports.services import run_job


@task()
def run_import_job(job_id: int) -> None:
    job = ImportJob.unscoped.select_related("organisation", "uploaded_by").get(pk=job_id)
    with translation.override(job.language), organisation_scope(job.organisation_id):
        run_job(job)
