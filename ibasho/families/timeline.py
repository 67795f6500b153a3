"""Family support's part of a person's timeline: safety events and the steps the family saw
the person take."""

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ibasho.families.models import BehaviourChange, SafetyEvent
from ibasho.lib.timeline import TimelineEntry, newest_by_clock, newest_rows

KINDS = {
    "safety": gettext_lazy("Safety events"),
    "family": gettext_lazy("What the family saw"),
}


def entries(membership: Any, person: Any, newest: int | None = None) -> Iterator[TimelineEntry]:
    """Each kind newest first, the newest `newest` of each if given (see lib.timeline)."""
    zone = membership.organisation.zone
    events = SafetyEvent.objects.visible_to(membership).filter(person=person)
    events = events.select_related("raised_by").order_by("-created_at", "-pk")
    for event in newest_by_clock(events, newest, "created_at", zone):
        local = event.created_at.astimezone(zone)
        state = _("resolved") if event.resolved_at else _("open")
        yield TimelineEntry(
            on=local.date(),
            at=local.time().replace(second=0, microsecond=0),
            kind="safety",
            title=f"{event.get_kind_display()} · {event.get_severity_display()} · {state}",
            text=event.description,
            by=str(event.raised_by or ""),
        )
    changes = BehaviourChange.objects.visible_to(membership).filter(person=person)
    changes = changes.select_related("reported_by", "recorded_by")
    for change in newest_rows(changes.order_by("-occurred_on", "-pk"), newest):
        reporter = change.reported_by.name if change.reported_by else ""
        yield TimelineEntry(
            on=change.occurred_on,
            at=None,
            kind="family",
            title=" · ".join(part for part in (change.get_kind_display(), reporter) if part),
            text=change.note,
            by=str(change.recorded_by or ""),
        )
