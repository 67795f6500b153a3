"""A worker's agenda: what is booked for a day and at what time, gathered from every app that
books things (outreach: visits and calls; programmes: sessions) without Today importing them."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ibasho.lib.rows import Row


@dataclass(frozen=True)
class AgendaItem(Row):
    day: dt.date
    time: dt.time | None
    kind: str  # what it is, translated: "Door visit", "Group ibasho"…
    title: str  # whom or what it is about
    url: str
    person_code: Any = None  # when the item is about one person (counted in the read audit)
    done: bool = False
    cancel_url: str = ""

    def sort_key(self) -> tuple[dt.date, dt.time]:
        return (self.day, self.time or dt.time.max)


# Each source gives the items of one member of staff from `first` to `last`, both included.
AgendaSource = Callable[[Any, dt.date, dt.date], list[AgendaItem]]
_sources: dict[str, AgendaSource] = {}


def register_agenda(name: str, source: AgendaSource) -> None:
    _sources[name] = source


def agenda(membership: Any, first: dt.date, last: dt.date) -> list[AgendaItem]:
    """Every source's items for the member, in day and time order (untimed items last)."""
    items = [item for source in _sources.values() for item in source(membership, first, last)]
    return sorted(items, key=AgendaItem.sort_key)
