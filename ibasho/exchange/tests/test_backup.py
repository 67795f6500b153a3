"""Backups taken while writes go on hold every row committed before they began, as one
consistent moment; restores go only into an empty database."""

import sqlite3
import threading
import time
from pathlib import Path

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from ibasho.exchange import container
from ibasho.exchange.backup import backup, restore

PASSPHRASE = "backup passphrase kept apart"
SQLITE = "django.db.backends.sqlite3"


class Writer(threading.Thread):
    """Inserts pairs of rows, one pair per transaction, noting each pair once committed."""

    def __init__(self, connect, placeholder):
        super().__init__(daemon=True)
        self.connect = connect
        self.insert = f"INSERT INTO written (batch) VALUES ({placeholder})"
        self.committed: list[int] = []
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self):
        try:
            db = self.connect()
            batch = 0
            while not self.stop.is_set():
                db.execute("BEGIN")
                db.execute(self.insert, (batch,))
                db.execute(self.insert, (batch,))
                db.execute("COMMIT")
                self.committed.append(batch)
                batch += 1
            db.close()
        except BaseException as error:  # reported by the test
            self.error = error

    def wait_for(self, count):
        deadline = time.monotonic() + 60
        while len(self.committed) < count and time.monotonic() < deadline and not self.error:
            time.sleep(0.01)
        assert self.error is None and len(self.committed) >= count


def assert_consistent(batches: list[int], before: list[int]):
    """Every pair committed before the backup, whole pairs only, and no gap."""
    assert set(before) <= set(batches)
    counts: dict[int, int] = {}
    for b in batches:
        counts[b] = counts.get(b, 0) + 1
    assert set(counts.values()) == {2}
    assert sorted(counts) == list(range(len(counts)))


def test_a_sqlite_backup_during_writes_restores_every_committed_row(tmp_path, settings):
    source = tmp_path / "live.sqlite3"
    db = sqlite3.connect(source, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE written (id INTEGER PRIMARY KEY, batch INTEGER)")
    # Bulk, so that the copy takes long enough for writes to land during it.
    db.execute("CREATE TABLE ballast (data BLOB)")
    db.executemany("INSERT INTO ballast VALUES (randomblob(4096))", [()] * 4000)
    db.close()
    writer = Writer(
        lambda: sqlite3.connect(source, isolation_level=None, timeout=30, check_same_thread=False),
        "?",
    )
    writer.start()
    writer.wait_for(20)
    before = list(writer.committed)
    archive = tmp_path / "backup.zip"
    manifest = backup({"ENGINE": SQLITE, "NAME": str(source)}, archive, PASSPHRASE)
    during = len(writer.committed)
    writer.wait_for(during + 5)
    writer.stop.set()
    writer.join()
    assert during > len(before) or len(writer.committed) > len(before)
    assert manifest["database"] == "sqlite" and manifest["field_keys"]
    target = tmp_path / "restored" / "ibasho.sqlite3"
    restored = restore({"ENGINE": SQLITE, "NAME": str(target)}, archive, PASSPHRASE)
    assert restored["keys_fit"]
    batches = [r[0] for r in sqlite3.connect(target).execute("SELECT batch FROM written")]
    assert_consistent(batches, before)
    assert len(set(batches)) < len(writer.committed)  # a moment, not the end


def test_a_restore_refuses_a_database_that_is_not_empty_and_a_wrong_passphrase(tmp_path):
    source = tmp_path / "a.sqlite3"
    sqlite3.connect(source).execute("CREATE TABLE kept (id INTEGER)").connection.commit()
    archive = tmp_path / "b.zip"
    backup({"ENGINE": SQLITE, "NAME": str(source)}, archive, PASSPHRASE)
    with pytest.raises(ValidationError, match="not empty"):
        restore({"ENGINE": SQLITE, "NAME": str(source)}, archive, PASSPHRASE)
    with pytest.raises(ValidationError, match="passphrase"):
        restore({"ENGINE": SQLITE, "NAME": str(tmp_path / "new.sqlite3")}, archive, "x" * 12)
    with container.reading(archive, PASSPHRASE) as opened:  # an ordinary AES ZIP
        assert set(opened.names()) == {"README.txt", "ibasho.sqlite3", "manifest.json"}


def test_the_field_keys_are_not_in_the_backup(tmp_path, settings):
    source = tmp_path / "a.sqlite3"
    sqlite3.connect(source).execute("CREATE TABLE t (id INTEGER)").connection.commit()
    archive = tmp_path / "b.zip"
    backup({"ENGINE": SQLITE, "NAME": str(source)}, archive, PASSPHRASE)
    with container.reading(archive, PASSPHRASE) as opened:
        everything = b"".join(opened.read(name) for name in opened.names())
    for key in settings.FIELD_ENCRYPTION_KEYS:
        assert key.encode() not in everything


@pytest.mark.django_db
def test_the_commands_refuse_a_passphrase_kept_in_the_data_directory(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    inside = tmp_path / "passphrase"
    inside.write_text(PASSPHRASE)
    with pytest.raises(CommandError, match="outside the data directory"):
        call_command("backup", "--out", str(tmp_path / "x.zip"), "--passphrase-file", str(inside))
    with pytest.raises(CommandError, match="passphrase-file"):
        call_command("restore", str(tmp_path / "x.zip"))


def _pg(database: str | None = None):
    params = connection.settings_dict
    return psycopg.connect(
        dbname=database or params["NAME"], host=params["HOST"] or None,
        port=params["PORT"] or None, user=params["USER"] or None,
        password=params["PASSWORD"] or None, autocommit=True,
    )  # fmt: skip


@pytest.fixture
def scratch_databases():
    """A live database and an empty one beside the test database, dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backup runs in the PostgreSQL suite")
    base = connection.settings_dict["NAME"]
    names = [f"{base}_live", f"{base}_restored"]
    with _pg("postgres") as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    yield names
    with _pg("postgres") as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db
def test_a_postgresql_backup_during_writes_restores_every_committed_row(
    scratch_databases, tmp_path
):
    live, empty = scratch_databases
    with _pg(live) as db:
        db.execute("CREATE TABLE written (id serial PRIMARY KEY, batch integer)")
        db.execute("CREATE TABLE ballast AS SELECT md5(g::text) AS data "
                   "FROM generate_series(1, 300000) g")  # fmt: skip
    writer = Writer(lambda: _pg(live), "%s")
    writer.start()
    writer.wait_for(20)
    before = list(writer.committed)
    archive = tmp_path / "backup.zip"
    settings_of = lambda name: {**connection.settings_dict, "NAME": name}  # noqa: E731
    backup(settings_of(live), archive, PASSPHRASE)
    writer.wait_for(len(writer.committed) + 5)
    writer.stop.set()
    writer.join()
    restore(settings_of(empty), archive, PASSPHRASE)
    with _pg(empty) as db:
        batches = [r[0] for r in db.execute("SELECT batch FROM written")]
    assert_consistent(batches, before)
    assert len(set(batches)) < len(writer.committed)
    with pytest.raises(ValidationError, match="not empty"):
        restore(settings_of(empty), archive, PASSPHRASE)
    assert Path(archive).exists()
