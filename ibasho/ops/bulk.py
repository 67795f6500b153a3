"""Fast bulk loading for synthetic data at scale: COPY on PostgreSQL, executemany in large
transactions on SQLite. Rows are plain tuples in the model's concrete-field order, with ids
assigned here so that related rows can refer to them without reading anything back."""

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache, partial
from typing import Any

from django.db import connection, connections, models

from ibasho.lib.fields import EncryptedJSONField, EncryptedTextField, encrypt


def columns(model: type[models.Model]) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


@cache
def encrypted(text: str) -> str:
    """Synthetic text comes from small pools; encrypting each phrase once keeps a load of
    millions of rows fast. (Real records are always encrypted one by one.)"""
    return encrypt(text) if text else ""


def allocate(counts: dict[type[models.Model], int]) -> dict[type[models.Model], Iterator[int]]:
    """Reserve ids for rows about to be loaded, so related rows can point at each other before
    anything is written. On PostgreSQL they come from the table's own sequence, so several
    loader processes never collide; on SQLite (one writer) they follow the current maximum."""
    reserved: dict[type[models.Model], Iterator[int]] = {}
    for model, count in counts.items():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [model._meta.db_table, count],
                )
                reserved[model] = iter([row[0] for row in cursor.fetchall()])
        else:
            first = next_id(model)
            reserved[model] = iter(range(first, first + count))
    return reserved


def next_id(model: type[models.Model]) -> int:
    # Every organisation's rows: the base manager is never scoped.
    last = model._base_manager.aggregate(m=models.Max("id"))["m"]
    return (last or 0) + 1


# Fields whose Python values the database drivers take as they are.
PLAIN_FIELDS = (
    models.CharField, models.TextField, models.IntegerField, models.BooleanField,
    models.DateField, models.ForeignKey,
)  # fmt: skip


def encrypted_or_empty(value: Any) -> str:
    return encrypted(value or "")


def unchanged(value: Any) -> Any:
    return value


def prepare_for_database(field: Any, connection_: Any, value: Any) -> Any:
    return field.get_db_prep_save(value, connection_)


def converters(fields: Sequence[Any]) -> list[Callable[[Any], Any]]:
    """One value converter per field: encryption from a cache, the identity for plain values,
    and Django's own preparation for the rest (UUIDs, JSON, aware datetimes on SQLite)."""
    real = connections["default"]
    result: list[Callable[[Any], Any]] = []
    for field in fields:
        if isinstance(field, EncryptedTextField):
            result.append(encrypted_or_empty)
        elif isinstance(field, EncryptedJSONField):
            result.append(partial(prepare_for_database, field, real))
        elif isinstance(field, PLAIN_FIELDS) and not isinstance(field, models.DateTimeField):
            result.append(unchanged)
        elif real.vendor == "postgresql" and isinstance(
            field, models.DateTimeField | models.UUIDField
        ):
            result.append(unchanged)  # psycopg adapts aware datetimes and UUIDs natively
        else:
            result.append(partial(prepare_for_database, field, real))
    return result


def insert_objects(model: type[models.Model], objects: Iterable[models.Model]) -> int:
    """Insert model instances (ids already set) through the bulk path."""
    fields = list(model._meta.concrete_fields)
    convert = list(zip(fields, converters(fields), strict=True))
    # pre_save fills auto_now(_add) timestamps exactly as Model.save() would.
    rows = (tuple(c(f.pre_save(obj, True)) for f, c in convert) for obj in objects)
    return insert_rows(model, rows)


def insert_dicts(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """Insert plain dicts keyed by attribute name (`person_id`, not `person`), skipping model
    instances entirely: the fastest path for tens of millions of rows. Missing fields take
    their default, which must not be a per-row one (every row gives its own `code`)."""
    fields = list(model._meta.concrete_fields)
    defaults = [(f.attname, f.get_default()) for f in fields]
    convert = list(zip(defaults, converters(fields), strict=True))
    return insert_rows(
        model, (tuple(c(row.get(name, default)) for (name, default), c in convert) for row in rows)
    )


def insert_rows(model: type[models.Model], rows: Iterable[tuple[Any, ...]]) -> int:
    table, cols = model._meta.db_table, columns(model)
    quote = connection.ops.quote_name
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in cols)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            placeholders = ", ".join(["%s"] * len(cols))
            sql = (
                f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in cols)}) "
                f"VALUES ({placeholders})"
            )
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= 10_000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


@contextmanager
def indexes_dropped(*models_: type[models.Model]) -> Iterator[None]:
    """On PostgreSQL, drop the tables' secondary indexes for a large load and build them again
    afterwards: one sorted build is far cheaper than millions of incremental updates. Indexes
    that back a primary key or unique constraint stay. Elsewhere, does nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models_]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [tables],
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            # Deferred foreign-key checks must fire before an index can be built.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _, definition in found:
                cursor.execute(definition)
