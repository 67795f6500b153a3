"""Outcomes' part of a person's timeline: the instruments administered and their results."""

from collections.abc import Iterator
from typing import Any

from django.utils.translation import get_language, gettext_lazy

from ibasho.lib.timeline import TimelineEntry
from ibasho.outcomes.models import Administration

KINDS = {"instrument": gettext_lazy("Instruments")}


def entries(membership: Any, person: Any) -> Iterator[TimelineEntry]:
    language = (get_language() or "ja")[:2]
    rows = Administration.objects.visible_to(membership).filter(person=person)
    for row in rows.select_related("created_by"):
        name = row.instrument_name.get(language) or row.instrument
        band = row.band_label.get(language) or row.band
        yield TimelineEntry(
            on=row.administered_on,
            at=None,
            kind="instrument",
            title=f"{name} · {row.total} · {band}",
            by=str(row.created_by or ""),
        )
