"""Small builders for programme tests."""

import datetime as dt
from typing import Any

from ibasho.programmes.models import Programme, Session


def make_programme(organisation: Any, **fields: Any) -> Programme:
    values: dict[str, Any] = {
        "kind": Programme.Kind.GROUP_IBASHO,
        "name_ja": "水曜の居場所",
        "name_en": "Wednesday ibasho",
        "starts_at": dt.time(13, 0),
        "duration_minutes": 120,
    }
    values.update(fields)
    return Programme.objects.create(organisation=organisation, **values)


def make_session(programme: Programme, day: dt.date | None = None, **fields: Any) -> Session:
    return Session.objects.create(
        organisation=programme.organisation,
        programme=programme,
        date=day or dt.date(2026, 5, 13),
        starts_at=fields.pop("starts_at", programme.starts_at),
        duration_minutes=fields.pop("duration_minutes", programme.duration_minutes),
        **fields,
    )
