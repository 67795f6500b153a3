"""Start-up self-test of the field encryption keys."""

from pathlib import Path
from typing import Any

from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError


def verify_field_keys() -> None:
    """Decrypt each organisation's key-check value with the configured keys; a wrong or
    missing key stops start-up with a clear message instead of showing ciphertext later.
    A database that is empty or not yet migrated has nothing to check."""
    from ibasho.accounts.models import KEY_CHECK_TEXT, Organisation  # after apps load

    try:
        values = list(Organisation.objects.values_list("key_check", flat=True)[:1000])
    except DatabaseError:
        return
    if any(value != KEY_CHECK_TEXT for value in values):
        raise ImproperlyConfigured("The field encryption key check decrypted to the wrong value.")


def keys_beside_data(**kwargs: Any) -> list[CheckMessage]:
    """Deploy check: the field keys must not be read from a file in the data directory or in
    the database's folder, where one copy would hold both the data and its keys."""
    from django.conf import settings

    key_file = getattr(settings, "FIELD_KEYS_FILE", None)
    if key_file is None:
        return []
    key_dir = Path(key_file).resolve().parent
    places = [Path(settings.DATA_DIR).resolve()]
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and database["NAME"] not in ("", ":memory:"):
        places.append(Path(database["NAME"]).resolve().parent)
    if any(key_dir == place or place in key_dir.parents for place in places):
        return [
            Error(
                "The field encryption keys are read from a file in the data directory or beside "
                "the database.",
                hint="Set IBASHO_FIELD_KEYS from your secret store, or IBASHO_FIELD_KEYS_FILE to "
                "a file outside the data directory (readable by the service account only).",
                id="ibasho.E001",
            )
        ]
    return []
