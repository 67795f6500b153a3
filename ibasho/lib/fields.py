"""Encrypted free text. Notes about a person's health and family are special-care-required
personal information, so they are stored encrypted and decrypted only in the application."""

from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class FieldKeyError(ImproperlyConfigured):
    """Raised instead of ever showing ciphertext when the configured keys cannot decrypt."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise FieldKeyError("No field encryption key configured (IBASHO_FIELD_KEYS).")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise FieldKeyError(f"A field encryption key is malformed: {exc}") from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise FieldKeyError(
            "Encrypted data cannot be read with the configured IBASHO_FIELD_KEYS: "
            "the key is wrong or was removed before rotation finished."
        ) from exc


def rotate(token: str) -> str:
    return fernet().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """A TextField whose value is Fernet-encrypted in the database. Not searchable by design."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
