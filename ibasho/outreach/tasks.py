"""The daily reminder of quiet periods ending (django-tasks). Schedule
`ibasho remind_quiet_endings --enqueue` once a day, early in the morning (cron or a systemd
timer); a worker (`ibasho db_worker`) runs it. Running it twice reminds no one twice."""

from django_tasks import task

from ibasho.accounts.models import Organisation
from ibasho.accounts.tenancy import scopes_disabled
from ibasho.outreach import notices


@task()
def remind_quiet_endings() -> int:
    """Every organisation's quiet periods ending today; returns how many were reminded of."""
    with scopes_disabled():
        return sum(
            notices.remind_quiet_endings(organisation)
            for organisation in Organisation.objects.order_by("pk")
        )
