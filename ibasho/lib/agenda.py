"""A worker's agenda: what is booked for a day and at what time, gathered from every app that
books things (outreach: visits and calls; programmes: sessions) without Today importing them."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ibasho.lib.prepared import Pending, together
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


@dataclass(frozen=True)
class AgendaSource:
    """One app's part of the agenda: its query for a member from `first` to `last` (both
    included), and its items made from that query's rows."""

    query: Callable[[Any, dt.date, dt.date], Pending]
    items: Callable[[Any, dt.date, dt.date, list[Any]], list[AgendaItem]]


_sources: dict[str, AgendaSource] = {}


def register_agenda(name: str, source: AgendaSource) -> None:
    _sources[name] = source


def agenda_queries(membership: Any, first: dt.date, last: dt.date) -> list[Pending]:
    """Every source's query, for a page to ask together with its own (`agenda_from`)."""
    return [source.query(membership, first, last) for source in _sources.values()]


def agenda_from(
    membership: Any, first: dt.date, last: dt.date, found: list[list[Any]]
) -> list[AgendaItem]:
    """Every source's items from the rows of `agenda_queries`, in day and time order (untimed
    items last)."""
    items = [
        item
        for source, rows in zip(_sources.values(), found, strict=True)
        for item in source.items(membership, first, last, rows)
    ]
    return sorted(items, key=AgendaItem.sort_key)


def agenda(membership: Any, first: dt.date, last: dt.date) -> list[AgendaItem]:
    return agenda_from(membership, first, last, together(*agenda_queries(membership, first, last)))
