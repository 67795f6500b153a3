"""Outcomes' part of a person's timeline: the instruments administered and their results."""

from collections.abc import Iterator
from typing import Any

from django.utils.translation import get_language, gettext_lazy

from ibasho.lib.timeline import TimelineEntry, person_rows
from ibasho.outcomes.models import Administration

KINDS = {"instrument": gettext_lazy("Instruments")}


def _administered(rows: Any) -> Any:
    return rows.select_related("created_by").order_by("-administered_on", "-pk")


def entries(membership: Any, person: Any, newest: int | None = None) -> Iterator[TimelineEntry]:
    """Newest first, the newest `newest` if given (see lib.timeline)."""
    language = (get_language() or "ja")[:2]
    for row in person_rows(Administration, _administered, membership, person, newest):
        name = row.instrument_name.get(language) or row.instrument
        band = row.band_label.get(language) or row.band
        yield TimelineEntry(
            on=row.administered_on,
            at=None,
            kind="instrument",
            title=f"{name} · {row.total} · {band}",
            by=str(row.created_by or ""),
        )
