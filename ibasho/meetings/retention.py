"""How long a meeting's minutes (非公開) are kept: IBASHO_MEETING_MINUTES_YEARS after the
meeting (default 5), then the daily retention job empties them. The meeting itself (date,
law, organisations, members) stays as the record of the legal basis of what was shared."""

import datetime as dt

from django.conf import settings
from django.db import transaction

from ibasho.accounts.models import Organisation
from ibasho.audit.services import record_audit
from ibasho.lib.dates import add_months
from ibasho.meetings.models import SupportMeeting


def prune_minutes(organisation: Organisation, today: dt.date | None = None) -> int:
    today = today or organisation.today()
    years = int(getattr(settings, "IBASHO_MEETING_MINUTES_YEARS", 5))
    cutoff = add_months(today, -12 * years)
    old = SupportMeeting.unscoped.filter(organisation=organisation, held_on__lt=cutoff)
    with transaction.atomic():
        ids = [m.pk for m in old.only("minutes") if m.minutes]
        count = SupportMeeting.unscoped.filter(pk__in=ids).update(minutes="")
        if count:
            record_audit(
                "lifecycle.meeting_minutes.pruned", by=None, organisation=organisation, count=count
            )
    return int(count)
