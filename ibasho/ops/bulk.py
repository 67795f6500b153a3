"""Fast bulk loading for synthetic data at scale: COPY on PostgreSQL, executemany in large
transactions on SQLite. Rows are plain tuples in the model's concrete-field order, with ids
assigned here so that related rows can refer to them without reading anything back."""

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from django.db import connection, models

from ibasho.lib.fields import EncryptedTextField, encrypt


def columns(model: type[models.Model]) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


def field_names(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


@cache
def encrypted(text: str) -> str:
    """Synthetic text comes from small pools; encrypting each phrase once keeps a load of
    millions of rows fast. (Real records are always encrypted one by one.)"""
    return encrypt(text) if text else ""


def next_id(model: type[models.Model]) -> int:
    last = model._default_manager.aggregate(m=models.Max("id"))["m"]  # type: ignore[attr-defined]
    return (last or 0) + 1


def row_from(obj: models.Model, fields: Sequence[Any]) -> tuple[Any, ...]:
    values = []
    for field in fields:
        # pre_save fills auto_now(_add) timestamps exactly as Model.save() would.
        value = field.pre_save(obj, True)
        if isinstance(field, EncryptedTextField):
            value = encrypted(value or "")
        else:
            value = field.get_db_prep_save(value, connection)
        values.append(value)
    return tuple(values)


def insert_objects(model: type[models.Model], objects: Iterable[models.Model]) -> int:
    """Insert model instances (ids already set) through the bulk path."""
    fields = list(model._meta.concrete_fields)
    return insert_rows(model, (row_from(obj, fields) for obj in objects))


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


def reset_sequences(*models_: type[models.Model]) -> None:
    """After inserting explicit ids, move PostgreSQL's id sequences past them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 1))"
            )
