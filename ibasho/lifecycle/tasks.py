"""The daily retention job (django-tasks). Schedule `ibasho retention --enqueue` once a day
(cron or a systemd timer); a worker (`ibasho db_worker`) runs it."""

from django_tasks import task

from ibasho.accounts.tenancy import scopes_disabled
from ibasho.lifecycle import retention


@task()
def daily_retention() -> int:
    """Every organisation's batch of people due for shredding; returns how many batches."""
    with scopes_disabled():
        return len(retention.daily())
