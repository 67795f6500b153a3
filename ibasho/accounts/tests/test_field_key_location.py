from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from ibasho.accounts.keycheck import keys_beside_data
from ibasho.lib import secrets


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def ids(messages) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.id for m in messages]


def test_keys_in_the_data_directory_fail_the_deploy_check(data_dir, settings):
    settings.FIELD_KEYS_FILE = data_dir / "field_keys"
    assert ids(keys_beside_data()) == ["ibasho.E001"]
    settings.FIELD_KEYS_FILE = data_dir / "keys" / "field_keys"
    assert ids(keys_beside_data()) == ["ibasho.E001"]
    with pytest.raises(SystemCheckError, match="ibasho.E001"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


def test_keys_beside_the_sqlite_database_fail_too(tmp_path, settings, monkeypatch):
    # Only what the check reads: the connections already made keep their own settings.
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": tmp_path / "db" / "x.db"}
    monkeypatch.setitem(settings.DATABASES, "default", sqlite)
    settings.FIELD_KEYS_FILE = tmp_path / "db" / "field_keys"
    assert ids(keys_beside_data()) == ["ibasho.E001"]


def test_keys_from_the_environment_or_a_file_elsewhere_pass(data_dir, settings, tmp_path):
    settings.FIELD_KEYS_FILE = None
    assert keys_beside_data() == []
    settings.FIELD_KEYS_FILE = tmp_path / "secrets" / "field_keys"
    assert keys_beside_data() == []


def test_the_key_file_is_read_from_where_the_environment_says(tmp_path, monkeypatch):
    monkeypatch.delenv("IBASHO_FIELD_KEYS", raising=False)
    outside = tmp_path / "elsewhere" / "keys"
    outside.parent.mkdir()
    outside.write_text("a-key\nolder-key\n")
    monkeypatch.setenv("IBASHO_FIELD_KEYS_FILE", str(outside))
    assert secrets.field_keys_file(tmp_path / "data") == outside
    assert secrets.field_keys(tmp_path / "data") == ["a-key", "older-key"]
    assert not (tmp_path / "data").exists()  # nothing generated beside the data
    monkeypatch.setenv("IBASHO_FIELD_KEYS", "k1,k2")
    assert secrets.field_keys_file(tmp_path) is None


def test_generated_laptop_keys_are_private(tmp_path, monkeypatch):
    monkeypatch.delenv("IBASHO_FIELD_KEYS", raising=False)
    monkeypatch.delenv("IBASHO_FIELD_KEYS_FILE", raising=False)
    data = tmp_path / "var"
    assert len(secrets.field_keys(data)) == 1
    assert (Path(data) / "field_keys").stat().st_mode & 0o777 == 0o600
    assert data.stat().st_mode & 0o777 == 0o700
