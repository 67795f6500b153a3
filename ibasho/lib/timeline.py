"""A person's story as one timeline, newest first: contacts with their notes and next steps,
stage moves, instruments, safety events, programme attendance, family events. Each app
registers a source, so the page that shows it imports none of them."""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from ibasho.lib.prepared import PERSON, Pending, Prepared, together
from ibasho.lib.rows import Row


@dataclass(frozen=True)
class TimelineEntry(Row):
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

# A source gives the entries of one kind (or a few kinds) for a person, built or deferred;
# `kinds` names them with their labels so the page can offer filters. Called with `newest`,
# it gives at least the newest that many of each kind, in the order `sort_key` puts them
# (ties in the order it gives them unsliced), so that the newest N of the merged story are
# the newest N of the merged newest Ns. A source that defers registers a builder: given
# keys, the entries of those records (a record gone is left out).
TimelineSource = Callable[..., Iterable[Item]]
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


def timeline(
    membership: Any, person: Any, kinds: set[str] | None = None, newest: int | None = None
) -> list[Item]:
    """Every registered source's entries about `person`, newest first; only `kinds` if given,
    only the `newest` that many if given (each source then reads no more than it must). Some
    are deferred: pass the ones shown through `built`."""
    sources = [source for source, named in _sources.values() if kinds is None or kinds & set(named)]
    with _read_together(sources, membership, person, newest):
        entries = [
            entry
            for source in sources
            for entry in source(membership, person, newest=newest)
            if kinds is None or entry.kind in kinds
        ]
    # Stable: entries of the same minute keep the order their sources gave them.
    entries.sort(key=lambda entry: entry.sort_key(), reverse=True)
    return entries if newest is None else entries[:newest]


# The most a clock is ever set back (a summer time's end is an hour; a few zones moved two).
SET_BACK = dt.timedelta(hours=3)


def newest_rows(rows: QuerySet[Any], newest: int | None) -> list[Any]:
    """`rows` (ordered newest first as their entries sort) as a list, the newest `newest`."""
    return list(rows if newest is None else rows[:newest])


def newest_by_clock(
    rows: QuerySet[Any], newest: int | None, instant: str, zone: ZoneInfo
) -> list[Any]:
    """Rows ordered by an instant (`instant` descending, then pk descending) whose entries
    sort by the local clock's minute, cut to the newest `newest`. Where the clock was set back
    an earlier instant reads later, so the cut could miss a row the clock puts first: then the
    rows up to SET_BACK older than the last one kept are kept too (one more query, only then).
    `rows` are models or named values rows with `pk` and `instant`."""
    return _cut_by_clock(newest_rows(rows, newest), newest, instant, zone, lambda: rows)


def _cut_by_clock(
    kept: list[Any],
    newest: int | None,
    instant: str,
    zone: ZoneInfo,
    rows: Callable[[], QuerySet[Any]],
) -> list[Any]:
    if newest is None or len(kept) < newest:
        return kept

    def clock(row: Any) -> dt.datetime:
        local = getattr(row, instant).astimezone(zone)
        return local.replace(tzinfo=None, second=0, microsecond=0)

    last = kept[-1]
    at = getattr(last, instant)
    steady = (at - SET_BACK).astimezone(zone).utcoffset() == at.astimezone(zone).utcoffset()
    if steady and clock(last) <= min(clock(row) for row in kept):
        return kept  # every older row reads no later than the last kept: none goes first
    older = Q(**{f"{instant}__lt": at}) | Q(**{instant: at, "pk__lt": last.pk})
    return kept + list(rows().filter(older, **{f"{instant}__gte": at - SET_BACK}))


# A page of the timeline reads each source's rows through a query compiled once per page size
# (ibasho.lib.prepared); longer reads (the printed record, far pages) are built each time.
PREPARED_NEWEST = 1000
_prepared: dict[Callable[..., Any], Prepared] = {}

Shape = Callable[[QuerySet[Any]], QuerySet[Any]]


# While `timeline` reads a page, the prepared reads its sources will make: first listed (each
# source run once with no rows, noting what it asks for), then their rows, all read together.
_asking: ContextVar[dict[Any, Pending] | None] = ContextVar("timeline_asking", default=None)
_read: ContextVar[dict[Any, list[Any]] | None] = ContextVar("timeline_read", default=None)


@contextmanager
def _read_together(
    sources: list[TimelineSource], membership: Any, person: Any, newest: int | None
) -> Iterator[None]:
    """Sources read their rows through `person_rows`, one query each, one after the other; a
    page's reads are instead sent together (one round trip, ibasho.lib.prepared.together).
    Sources only read: running one with no rows asks for the same queries it will ask for."""
    if newest is None or newest > PREPARED_NEWEST:
        yield
        return
    asked: dict[Any, Pending] = {}
    token = _asking.set(asked)
    try:
        for source in sources:
            for _entry in source(membership, person, newest=newest):
                pass
    finally:
        _asking.reset(token)
    found = dict(zip(asked, together(*asked.values()), strict=True))
    reading = _read.set(found)
    try:
        yield
    finally:
        _read.reset(reading)


def person_rows(
    model: Any, shape: Shape, membership: Any, person: Any, newest: int | None, path: str = "person"
) -> list[Any]:
    """A source's rows about `person`, newest first, the newest `newest` if given: `shape`
    (order, related rows, columns) applied to the member's guarded rows of `model` whose
    `path` leads to the person."""
    if newest is None or newest > PREPARED_NEWEST:
        return newest_rows(_about(model, shape, membership, person, path), newest)
    key = (shape, newest, person.pk, membership.pk)
    asking, read = _asking.get(), _read.get()
    if asking is not None:
        asking[key] = _prepared_rows(model, shape, path).later(
            newest, membership=membership, person=person.pk
        )
        return []
    if read is not None and key in read:
        return read.pop(key)
    return _prepared_rows(model, shape, path).fetch(newest, membership=membership, person=person.pk)


def _prepared_rows(model: Any, shape: Shape, path: str) -> Prepared:
    prepared = _prepared.get(shape)
    if prepared is None:
        prepared = _prepared.setdefault(
            shape,
            Prepared(
                model,
                lambda member, n: _about(model, shape, member, PERSON, path)[:n],
                per_member=True,
            ),
        )
    return prepared


def _about(model: Any, shape: Shape, membership: Any, person: Any, path: str) -> Any:
    return shape(model.objects.visible_to(membership).filter(**{path: person}))


def person_rows_by_clock(
    model: Any,
    shape: Shape,
    membership: Any,
    person: Any,
    newest: int | None,
    instant: str,
    zone: ZoneInfo,
    path: str = "person",
) -> list[Any]:
    """`person_rows` for rows ordered by an instant, cut as `newest_by_clock` cuts them."""
    kept = person_rows(model, shape, membership, person, newest, path)
    return _cut_by_clock(
        kept,
        newest,
        instant,
        zone,
        lambda: _about(model, shape, membership, person, path),
    )


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


# The furthest page asked for is read as this one (a number past it would ask the database
# for more rows than it can count); past the story's end shows its last page anyway.
FURTHEST_PAGE = 100_000


@dataclass(frozen=True)
class TimelinePage:
    """A page of the timeline, newest first: knows whether older entries follow (from one
    entry more than the page), not how many pages there are, which would mean reading all."""

    number: int
    object_list: list[Any]
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def page_number(asked: str | None) -> int:
    """The page asked for in a query string; page 1 for anything that is not a page."""
    try:
        number = int(asked or "1")
    except ValueError:
        return 1
    return min(max(number, 1), FURTHEST_PAGE)


def timeline_page(
    membership: Any, person: Any, kinds: set[str] | None, number: int, size: int
) -> TimelinePage:
    """Page `number` of the timeline (still deferred: see `built`); past the end, the last
    page that has entries (or page 1)."""
    items = timeline(membership, person, kinds, newest=number * size + 1)
    if len(items) <= (number - 1) * size:  # past the end, so `items` is the whole story
        number = max(1, -(-len(items) // size))
    start = (number - 1) * size
    return TimelinePage(number, items[start : start + size], len(items) > start + size)
