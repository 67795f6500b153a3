"""Family support's part of a person's timeline: safety events and the steps the family saw
the person take."""

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ibasho.families.models import BehaviourChange, SafetyEvent
from ibasho.lib.timeline import TimelineEntry, person_rows, person_rows_by_clock

KINDS = {
    "safety": gettext_lazy("Safety events"),
    "family": gettext_lazy("What the family saw"),
}


def _events(events: Any) -> Any:
    return events.select_related("raised_by").order_by("-created_at", "-pk")


def _changes(changes: Any) -> Any:
    return changes.select_related("reported_by", "recorded_by").order_by("-occurred_on", "-pk")


def entries(membership: Any, person: Any, newest: int | None = None) -> Iterator[TimelineEntry]:
    """Each kind newest first, the newest `newest` of each if given (see lib.timeline)."""
    zone = membership.organisation.zone
    events = person_rows_by_clock(
        SafetyEvent, _events, membership, person, newest, "created_at", zone
    )
    for event in events:
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
    for change in person_rows(BehaviourChange, _changes, membership, person, newest):
        reporter = change.reported_by.name if change.reported_by else ""
        yield TimelineEntry(
            on=change.occurred_on,
            at=None,
            kind="family",
            title=" · ".join(part for part in (change.get_kind_display(), reporter) if part),
            text=change.note,
            by=str(change.recorded_by or ""),
        )
