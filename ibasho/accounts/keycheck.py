"""Start-up self-test of the field encryption keys."""

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
