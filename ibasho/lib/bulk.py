"""Writing many records already in hand: new ones inserted, the same fields of read ones
updated."""

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models


def update_fields(model: type[models.Model], records: Sequence[Any], fields: list[str]) -> None:
    """Save `fields` of `records` (rows the caller has read, by primary key) with one UPDATE
    run for every row (executemany). `bulk_update` builds a CASE over the whole batch for each
    field, which costs far more than the writing once thousands of rows change together."""
    if not records:
        return
    connection = _connection()
    quote = connection.ops.quote_name
    columns: list[Any] = [model._meta.get_field(name) for name in fields]
    pk: Any = model._meta.pk
    sets = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {quote(pk.column)} = %s"
    rows = [
        [field.get_db_prep_save(getattr(record, field.attname), connection) for field in columns]
        + [record.pk]
        for record in records
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def insert(model: type[models.Model], records: Sequence[Any]) -> None:
    """INSERT `records` (new, unsaved) with one statement run for every row (executemany),
    their values prepared by each field as `save` prepares them (timestamps set, notes
    encrypted). Unlike `bulk_create`, the ids the database gives are not read back, which
    spares building a statement of placeholders for every batch: the records are known by
    their codes. No signals are sent, as with `bulk_create`."""
    if not records:
        return
    connection = _connection()
    quote = connection.ops.quote_name
    meta = model._meta
    columns: list[Any] = [
        field
        for field in meta.local_concrete_fields
        if not field.generated and field is not meta.auto_field
    ]
    names = ", ".join(quote(field.column) for field in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"
    rows = [
        [field.get_db_prep_save(field.pre_save(record, True), connection) for field in columns]
        for record in records
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    for record in records:
        record._state.adding = False
        record._state.db = connection.alias


def _connection() -> Any:
    """The default database's connection itself: `django.db.connection` is a proxy that looks
    it up again (through a thread-local) at every use, and each field's value preparation
    uses it several times."""
    return connections[DEFAULT_DB_ALIAS]
