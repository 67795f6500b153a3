from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from ibasho.lib.fields import ENCRYPTED_FIELDS, rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the first key in IBASHO_FIELD_KEYS. "
        "Put the new key first, keep the old ones after it, run this, then drop the old keys."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            for model in apps.get_models():
                columns = [f.column for f in model._meta.fields if isinstance(f, ENCRYPTED_FIELDS)]
                if columns:
                    count = rotate_table(model._meta.db_table, columns)
                    self.stdout.write(f"{model._meta.label}: {count} rows")
            # Search hashes (phone numbers) are keyed by the newest key: compute them again.
            for model in apps.get_models():
                refresh = getattr(model, "refresh_search_hashes", None)
                if refresh is not None:
                    self.stdout.write(f"{model._meta.label}: {refresh()} search hashes")


def rotate_table(table: str, columns: list[str]) -> int:
    """Rotate raw ciphertext column by column, without the ORM decrypting it into objects."""
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(c)} = %s" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(quote(c) for c in columns)} FROM {quote(table)}")
        rows: list[Any] = cursor.fetchall()
        for pk, *tokens in rows:
            new = [rotate(t) if t else t for t in tokens]
            cursor.execute(f"UPDATE {quote(table)} SET {sets} WHERE id = %s", [*new, pk])
    return len(rows)
