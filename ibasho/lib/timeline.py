"""A person's story as one timeline, newest first: contacts with their notes and next steps,
stage moves, instruments, safety events, programme attendance, family events. Each app
registers a source, so the page that shows it imports none of them."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TimelineEntry:
    on: dt.date  # the day, in the organisation's zone
    at: dt.time | None  # the time, when the record has one
    kind: str  # the filter key: "contact", "stage", "instrument", "safety", …
    title: str  # one line: "訪問 · 本人 · 60分"
    text: str = ""  # the note, as written
    next_step: str = ""
    by: str = ""
    url: str = ""

    def sort_key(self) -> tuple[dt.date, dt.time]:
        return (self.on, self.at or dt.time.min)


# A source gives every entry of one kind (or a few kinds) for a person; `kinds` names them
# with their labels so the page can offer filters.
TimelineSource = Callable[[Any, Any], Iterable[TimelineEntry]]
_sources: dict[str, tuple[TimelineSource, dict[str, str]]] = {}


def register_timeline(name: str, source: TimelineSource, kinds: dict[str, Any]) -> None:
    _sources[name] = (source, kinds)


def timeline_kinds() -> dict[str, str]:
    kinds: dict[str, str] = {}
    for _source, named in _sources.values():
        kinds.update({key: str(label) for key, label in named.items()})
    return kinds


def timeline(membership: Any, person: Any, kinds: set[str] | None = None) -> list[TimelineEntry]:
    """Every registered source's entries about `person`, newest first; only `kinds` if given."""
    entries = [
        entry
        for source, named in _sources.values()
        if kinds is None or kinds & set(named)
        for entry in source(membership, person)
        if kinds is None or entry.kind in kinds
    ]
    return sorted(entries, key=TimelineEntry.sort_key, reverse=True)
