"""Encrypted free text. Notes about a person's health and family are special-care-required
personal information, so they are stored encrypted and decrypted only in the application."""

import json
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core import validators
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
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


class _Unsearchable:
    """An encrypted value cannot be compared in the database (each encryption differs), so
    every lookup but `isnull` is refused instead of silently matching nothing."""

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)  # type: ignore[misc]


class EncryptedCharField(_Unsearchable, EncryptedTextField):
    """A one-line value (a phone number, a status from a list of choices) kept encrypted.
    `max_length` is checked in Python; the column is text, as ciphertext is longer."""

    one_line = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        if not self.choices:
            kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)


class EncryptedJSONField(_Unsearchable, models.TextField):
    """Any JSON value (answers, flags, a label in two languages, a yes/no) kept encrypted."""

    holds_json = True
    # For the type checker (django-stubs): the field takes and gives any JSON value.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return json.loads(decrypt(value))

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return value
        return encrypt(json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder))

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), cls=DjangoJSONEncoder)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return forms.JSONField(**kwargs)


class EncryptedBooleanField(EncryptedJSONField):
    """A yes/no kept encrypted (such as violence in the household)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        found = super().from_db_value(value, expression, connection)
        return None if found is None else bool(found)

    def get_prep_value(self, value: Any) -> Any:
        return super().get_prep_value(None if value is None else bool(value))

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return forms.BooleanField(required=False, label=self.verbose_name, **{
            k: v for k, v in kwargs.items() if k in ("initial", "help_text")
        })  # fmt: skip


def encrypt_stored(value: Any, kind: str) -> Any:
    """A value as a migration finds it in a plain column, encrypted as the field stores it:
    `text` as is, `json` parsed from its stored text, `bool` from any stored spelling."""
    if value is None or (kind == "text" and value == ""):
        return value
    if kind == "text":
        return encrypt(str(value))
    if kind == "bool":
        return encrypt(json.dumps(str(value).strip().lower() in {"1", "true", "t"}))
    parsed = json.loads(value) if isinstance(value, str) else value
    return encrypt(json.dumps(parsed, ensure_ascii=False))


def decrypt_stored(value: Any, kind: str) -> Any:
    """The reverse of `encrypt_stored`, for a migration taking encryption off again."""
    if value is None or value == "":
        return value
    text = decrypt(value)
    if kind == "bool":
        return "1" if json.loads(text) else "0"
    return text


def encrypt_columns(model_name: str, fields: dict[str, str]) -> Any:
    """A migration step that encrypts the plain values of `fields` (name → "text", "json" or
    "bool", see `encrypt_stored`) of `model_name` ("app.Model") in place, row by row; reversed,
    it decrypts them. It runs while the columns are plain text: the migration first turns each
    column into text, then runs this, then declares the encrypted field."""
    from django.db import migrations

    def convert(apps: Any, convert_value: Any) -> None:
        model = apps.get_model(model_name)
        rows = model._base_manager.values_list("pk", *fields).order_by("pk")
        for pk, *values in rows.iterator(chunk_size=2000):
            changed = {
                name: convert_value(value, kind)
                for (name, kind), value in zip(fields.items(), values, strict=True)
            }
            model._base_manager.filter(pk=pk).update(**changed)

    return migrations.RunPython(
        lambda apps, schema_editor: convert(apps, encrypt_stored),
        lambda apps, schema_editor: convert(apps, decrypt_stored),
    )


# Every kind of encrypted field (key rotation, the at-rest tests and docs list them by this).
ENCRYPTED_FIELDS = (EncryptedTextField, EncryptedJSONField)
