"""Queries a page runs on every view, compiled once per process and bound on each request.

Django builds and compiles a queryset into SQL anew each time it runs: for the short queries of
a page that is most of their cost, more than running them. A `Prepared` query is written with
the ORM as usual, but the values that change from one request to the next (the organisation,
the user, the day) are `Slot`s. The first call builds the queryset and compiles it; every call
after that only binds the slots' values into the stored SQL and lets Django read the rows (model
instances, values, related rows, prefetches) as it would for the queryset itself.

    DUE = Prepared(Cadence, lambda key: Cadence.objects.filter(
        organisation_id=Slot("organisation", models.IntegerField()),
        next_due_on__lte=Slot("day", models.DateField())))
    rows = DUE.fetch(organisation=1, day=today)

Queries a page needs at the same point are asked for together, `together(DUE.later(...),
OTHER.later(...))`: on PostgreSQL they go in one pipeline, one round trip to the server for all
of them instead of one each (on SQLite, which has no round trips, they run one after the other).

Anything that changes the query's shape (a role that adds a condition, a limit) goes in `key`,
which names one compiled statement among several. The builder runs with the organisation scope
lifted, so it must filter by organisation itself (`visible_to` with `member_slots` does)."""

import copy
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE, MULTI
from django.utils import timezone
from django_scopes import scopes_disabled


class Slot(models.Expression):
    """A value given when a prepared query runs, prepared for the database by `output_field`
    as a filter's value would be."""

    def __init__(self, name: str, output_field: models.Field[Any, Any]) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        # The slot itself stands in the parameters until the query is bound.
        return "%s", [self]

    def bind(self, values: dict[str, Any], connection: Any) -> Any:
        if self.name not in values:
            raise TypeError(f"no value given for the slot {self.name!r}")
        return self.output_field.get_db_prep_value(values[self.name], connection, prepared=False)

    def __repr__(self) -> str:
        return f"Slot({self.name!r})"


# The slots most prepared queries share: the organisation and the person a page is about.
ORGANISATION = Slot("organisation", models.IntegerField())
PERSON = Slot("person", models.IntegerField())


@dataclass(frozen=True)
class MemberSlots:
    """Stands in for a membership while a prepared query is built: what varies from member to
    member is a slot, what decides the query's shape (the role) is the member's own."""

    role: str
    reads_personal_data: bool
    is_supervisor: bool
    organisation_id: Slot = ORGANISATION
    user_id: Slot = Slot("user", models.IntegerField())
    # Break-the-glass access (people.restriction) is compared with the time of the request.
    now: Slot = Slot("now", models.DateTimeField())


def member_shape(membership: Any) -> tuple[str, bool, bool]:
    """What of a membership decides the shape of the queries built for it: a prepared query's
    key, or part of it."""
    return (membership.role, membership.reads_personal_data, membership.is_supervisor)


def member_slots(shape: tuple[str, bool, bool]) -> MemberSlots:
    return MemberSlots(*shape)


def member_values(membership: Any) -> dict[str, Any]:
    """The slot values of `MemberSlots` for this membership, now."""
    return {
        "organisation": membership.organisation_id,
        "user": membership.user_id,
        "now": timezone.now(),
    }


@dataclass
class _Compiled:
    queryset: Any  # the queryset as built, never evaluated; its query is shared, read-only
    sql: str | None  # None: the query can match nothing (Django's EmptyResultSet)
    params: tuple[Any, ...]
    setup: dict[str, Any]  # what the compiler worked out besides the SQL, read by the iterables
    # How each column's value is converted, per connection (they are the connection's methods).
    converters: dict[int, Any] = field(default_factory=dict)


class _StoredCompiler(SQLCompiler):
    """A compiler that already knows its SQL: the stored statement with this call's values."""

    stored: _Compiled
    bound: list[Any]
    ready: Any = None  # a cursor the statement already ran on (`together`), else None

    def setup_query(self, with_col_aliases: bool = False) -> None:
        self.__dict__.update(self.stored.setup)

    def pre_sql_setup(self, with_col_aliases: bool = False) -> Any:
        self.setup_query()
        return None, None, None

    def as_sql(self, with_limits: bool = True, with_col_aliases: bool = False) -> Any:
        self.setup_query()
        return self.stored.sql, self.bound

    def execute_sql(  # type: ignore[override]
        self,
        result_type: Any = MULTI,
        chunked_fetch: bool = False,
        chunk_size: int = GET_ITERATOR_CHUNK_SIZE,
    ) -> Any:
        cursor, self.ready = self.ready, None
        if cursor is None or result_type != MULTI:
            return super().execute_sql(result_type, chunked_fetch, chunk_size)
        self.setup_query()
        try:
            with self.connection.wrap_database_errors:
                rows = cursor.fetchall()
        finally:
            cursor.close()
        if self.has_extra_select:  # columns selected only to order by, as Django trims them
            rows = [row[: self.col_count] for row in rows]
        return [rows] if rows else []

    def get_converters(self, expressions: Any) -> Any:
        # The same columns on every call: Django would work their converters out each time.
        kept = self.stored.converters
        found = kept.get(id(self.connection))
        if found is None:
            found = kept[id(self.connection)] = super().get_converters(expressions)
        return found


# The compiler's own state after compiling: select list, column maps, what the row iterables read.
_SETUP = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select", "where")


class Prepared:
    """One query (or one per `key`), compiled on first use in each process.

    `build(*key)` returns the queryset; with `per_member`, `build(member, *key)` where `member`
    is the `MemberSlots` of the role (give `membership=` to `fetch`)."""

    def __init__(
        self, model: type[models.Model], build: Callable[..., Any], *, per_member: bool = False
    ) -> None:
        self.model, self.build, self.per_member = model, build, per_member
        self._compiled: dict[tuple[str, Hashable], _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str, key: tuple[Any, ...]) -> _Compiled:
        found = self._compiled.get((alias, key))
        if found is not None:
            return found
        with scopes_disabled():
            if self.per_member:
                queryset = self.build(member_slots(key[0]), *key[1:])
            else:
                queryset = self.build(*key)
        queryset = queryset.using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            sql, params = None, ()
        setup = {name: getattr(compiler, name) for name in _SETUP if hasattr(compiler, name)}
        compiled = _Compiled(queryset, sql, tuple(params), setup)
        with self._lock:
            self._compiled.setdefault((alias, key), compiled)
        return compiled

    def later(self, *key: Hashable, membership: Any = None, **values: Any) -> "Pending":
        """The query bound to these values, run by `together` (or by `Pending.rows`)."""
        if self.per_member:
            key = (member_shape(membership), *key)
            values.update(member_values(membership))
        stored = self._compile(router.db_for_read(self.model) or "default", key)
        connection = connections[stored.queryset.db]
        bound = [p.bind(values, connection) if isinstance(p, Slot) else p for p in stored.params]
        return Pending(stored, bound)

    def fetch(self, *key: Hashable, membership: Any = None, **values: Any) -> list[Any]:
        """The rows, as the built queryset would give them, for these slot values."""
        return self.later(*key, membership=membership, **values).rows()

    def first(self, *key: Hashable, membership: Any = None, **values: Any) -> Any:
        rows = self.fetch(*key, membership=membership, **values)
        return rows[0] if rows else None

    def count(self, *key: Hashable, membership: Any = None, **values: Any) -> int:
        """For a query built with `counted()`: the number of rows it counts."""
        return self.later(*key, membership=membership, **values).count()


class Pending:
    """A prepared query bound to one call's values, not yet read."""

    def __init__(self, stored: _Compiled, bound: list[Any]) -> None:
        self.stored, self.bound = stored, bound
        self.alias: str = stored.queryset.db
        self.cursor: Any = None  # set by `together` once the statement is sent

    def rows(self) -> list[Any]:
        if self.stored.sql is None:
            return []
        query = copy.copy(self.stored.queryset.query)
        alias, stored, bound = self.alias, self.stored, self.bound

        def get_compiler(
            using: Any = None, connection: Any = None, elide_empty: bool = True
        ) -> Any:
            compiler = _StoredCompiler(query, connections[alias], alias)
            compiler.stored, compiler.bound = stored, bound
            compiler.ready, self.cursor = self.cursor, None
            return compiler

        query.get_compiler = get_compiler  # type: ignore[method-assign]
        queryset = stored.queryset._chain()
        queryset._query = query  # not the `query` setter: it would turn values_list into values
        return list(queryset)

    def count(self) -> int:
        """For a query built with `counted()`: the number of rows it counts."""
        return count_of(self.rows())


# Queries a request will read later (the unread count in every page's header) ride along with
# the first `together` of the request, if there is one, instead of a round trip of their own.
_riders: ContextVar[list[Pending] | None] = ContextVar("riders", default=None)


@contextmanager
def riders_welcome() -> Iterator[None]:
    """Around a request: `ride_along` queries go with its first `together`."""
    token = _riders.set([])
    try:
        yield
    finally:
        _riders.reset(token)


def ride_along(pending: Pending) -> Pending:
    """`pending`, sent with the next `together` (its rows read later by `rows` or `count`)."""
    riders = _riders.get()
    if riders is not None:
        riders.append(pending)
    return pending


def together(*pending: Pending) -> list[list[Any]]:
    """Each query's rows, in order. On PostgreSQL the statements are sent in one pipeline and
    their results read back at once: one wait for the server where each query alone is one."""
    riders = _riders.get() or []
    sent = [(p, p.stored.sql) for p in (*pending, *riders) if p.stored.sql is not None]
    aliases = {p.alias for p, _sql in sent}
    if len(sent) > 1 and len(aliases) == 1:
        connection = connections[aliases.pop()]
        if connection.vendor == "postgresql" and settings.PG_PIPELINE:
            cursors = [connection.cursor() for _ in sent]
            # Leaving the pipeline waits for every result; an error in any is raised there.
            with connection.wrap_database_errors, connection.connection.pipeline():
                for (query, sql), cursor in zip(sent, cursors, strict=True):
                    cursor.execute(sql, query.bound)
            for (query, _sql), cursor in zip(sent, cursors, strict=True):
                query.cursor = cursor
            riders.clear()
    return [p.rows() for p in pending]


def count_of(rows: list[Any]) -> int:
    """The number a `counted()` query's rows carry (on the first row; no rows, none counted)."""
    return int(rows[0]) if rows else 0


def counted(queryset: Any) -> Any:
    """The queryset's row count as a query that can be prepared (`Prepared.count`): a window
    count read from the first row, none when there are no rows."""
    return (
        queryset.order_by()
        .annotate(_counted=models.Window(models.Count("*")))
        .values_list("_counted", flat=True)[:1]
    )
