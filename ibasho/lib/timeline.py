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


@dataclass(frozen=True)
class Deferred:
    """An entry known only by its place in time: what a source with a long history (contacts)
    gives for every record, so that the page sorts and cuts the whole story cheaply and the
    source builds (decrypts, formats, links) only the entries of the page shown."""

    on: dt.date
    at: dt.time | None
    kind: str
    source: str  # the name the source was registered under
    key: Any  # what the source's builder needs to find the record (its id)

    def sort_key(self) -> tuple[dt.date, dt.time]:
        return (self.on, self.at or dt.time.min)


Item = TimelineEntry | Deferred

# A source gives every entry of one kind (or a few kinds) for a person, built or deferred;
# `kinds` names them with their labels so the page can offer filters. A source that defers
# registers a builder: given keys, the entries of those records (a record gone is left out).
TimelineSource = Callable[[Any, Any], Iterable[Item]]
TimelineBuilder = Callable[[Any, list[Any]], dict[Any, TimelineEntry]]
_sources: dict[str, tuple[TimelineSource, dict[str, str]]] = {}
_builders: dict[str, TimelineBuilder] = {}


def register_timeline(
    name: str,
    source: TimelineSource,
    kinds: dict[str, Any],
    build: TimelineBuilder | None = None,
) -> None:
    _sources[name] = (source, kinds)
    if build is not None:
        _builders[name] = build


def timeline_kinds() -> dict[str, str]:
    kinds: dict[str, str] = {}
    for _source, named in _sources.values():
        kinds.update({key: str(label) for key, label in named.items()})
    return kinds


def timeline(membership: Any, person: Any, kinds: set[str] | None = None) -> list[Item]:
    """Every registered source's entries about `person`, newest first; only `kinds` if given.
    Some are deferred: pass the ones shown through `built`."""
    entries = [
        entry
        for source, named in _sources.values()
        if kinds is None or kinds & set(named)
        for entry in source(membership, person)
        if kinds is None or entry.kind in kinds
    ]
    return sorted(entries, key=lambda entry: entry.sort_key(), reverse=True)


def built(membership: Any, items: Iterable[Item]) -> list[TimelineEntry]:
    """The entries themselves, in the same order: the deferred ones built by their source, one
    batch per source."""
    items = list(items)
    wanted: dict[str, list[Any]] = {}
    for item in items:
        if isinstance(item, Deferred):
            wanted.setdefault(item.source, []).append(item.key)
    made = {
        (name, key): entry
        for name, keys in wanted.items()
        for key, entry in _builders[name](membership, keys).items()
    }
    found: list[TimelineEntry] = []
    for item in items:
        if isinstance(item, TimelineEntry):
            found.append(item)
        elif (item.source, item.key) in made:
            found.append(made[(item.source, item.key)])
    return found
