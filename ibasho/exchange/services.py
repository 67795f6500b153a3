from __future__ import annotations

from typing import Any

from django.db import transaction

from ibasho.accounts.models import Organisation
from ibasho.audit.services import record_audit
from ibasho.exchange.container import check_passphrase
from ibasho.exchange.models import OrganisationExport


def start_organisation_export(
    organisation: Organisation, *, passphrase: str, by: Any
) -> OrganisationExport:
    """Queue the organisation's archive, to be encrypted with `passphrase`. Audited."""
    from ibasho.exchange.tasks import run_organisation_export

    check_passphrase(passphrase)
    with transaction.atomic():
        job = OrganisationExport.objects.create(
            organisation=organisation, passphrase=passphrase, requested_by=by
        )
        record_audit("exchange.organisation_export_started", by=by, target=job)
        transaction.on_commit(lambda: run_organisation_export.enqueue(job.pk))
    return job
