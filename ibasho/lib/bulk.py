"""Writing the same fields of many records already in hand."""

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def update_fields(model: type[models.Model], records: Sequence[Any], fields: list[str]) -> None:
    """Save `fields` of `records` (rows the caller has read, by primary key) with one UPDATE
    run for every row (executemany). `bulk_update` builds a CASE over the whole batch for each
    field, which costs far more than the writing once thousands of rows change together."""
    if not records:
        return
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
