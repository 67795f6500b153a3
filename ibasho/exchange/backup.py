"""A backup of the whole installation, taken while it runs, in the same encrypted container as
the organisation archive (AES-256 ZIP, see container.py):

- SQLite: the online backup API copies the database in one step, so the copy is one
  consistent moment even while requests write (WAL lets them go on);
- PostgreSQL: `pg_dump -Fc` (one snapshot by itself), streamed into the archive.

The field-encryption keys (IBASHO_FIELD_KEYS) are NOT in the backup: encrypted columns stay
encrypted in it, and a backup is useless without the keys, which are kept apart (see
docs/operations.md). The manifest names the keys' fingerprints so a restore can say whether
the keys at hand fit."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.exchange import container

FORMAT = "ibasho-backup"
VERSION = 1
CHUNK = 1 << 20
FILES = {"sqlite": "ibasho.sqlite3", "postgresql": "ibasho.pgdump"}

README = """Ibasho backup / Ibasho のバックアップ

Restore with: ibasho restore FILE --passphrase-file F (into an empty database)
復元: ibasho restore FILE --passphrase-file F（空のデータベースへ）

The field-encryption keys are not in this file: notes stay encrypted without them.
記録の暗号鍵はこのファイルに含まれていません。鍵がなければ暗号化された記録は読めません。
"""


def vendor(database: dict[str, Any]) -> str:
    engine = database["ENGINE"]
    if engine.endswith("sqlite3"):
        if str(database["NAME"]) == ":memory:" or "mode=memory" in str(database["NAME"]):
            raise ValidationError(_("A database in memory has no file to back up or restore."))
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise ValidationError(_("Backups support SQLite and PostgreSQL only."))


def key_fingerprints(keys: list[str]) -> list[str]:
    """Enough to recognise a key, nothing to recover it."""
    return [hashlib.sha256(key.encode()).hexdigest()[:16] for key in keys]


def _pg_env(database: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for name, key in [("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                      ("PGPASSWORD", "PASSWORD")]:  # fmt: skip
        if database.get(key):
            env[name] = str(database[key])
    return env


def backup(database: dict[str, Any], out: str | Path, passphrase: str) -> dict[str, Any]:
    """Write an encrypted backup of `database` (a DATABASES entry) to `out`."""
    container.check_passphrase(passphrase)
    kind = vendor(database)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "database": kind,
        "started_at": timezone.now().isoformat(),
        "file": FILES[kind],
        "field_keys": key_fingerprints(list(settings.FIELD_ENCRYPTION_KEYS)),
    }
    with container.writing(out, passphrase) as archive:
        archive.put("README.txt", README.encode())
        with archive.entry(FILES[kind]) as entry:
            if kind == "sqlite":
                _sqlite_copy_into(Path(database["NAME"]), Path(out).parent, entry)
            else:
                _pg_dump_into(database, entry)
        manifest["size"] = entry.size
        manifest["sha256"] = archive.sums[FILES[kind]]
        manifest["finished_at"] = timezone.now().isoformat()
        archive.put("manifest.json", json.dumps(manifest, indent=1).encode())
    return manifest


def _sqlite_copy_into(source: Path, beside: Path, entry: container.HashingWriter) -> None:
    # The copy is a plain database file (its notes still encrypted), removed at once.
    with tempfile.TemporaryDirectory(dir=beside, prefix=".ibasho-backup-") as work:
        copy = Path(work) / "copy.sqlite3"
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst)  # all pages in one step: one consistent moment
        finally:
            dst.close()
            src.close()
        with copy.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                entry.write(chunk)


def _pg_dump_into(database: dict[str, Any], entry: container.HashingWriter) -> None:
    command = ["pg_dump", "-Fc", "--no-owner", "--no-privileges", database["NAME"]]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_pg_env(database)
    ) as process:
        assert process.stdout is not None
        while chunk := process.stdout.read(CHUNK):
            entry.write(chunk)
        error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode:
        raise ValidationError(_("pg_dump failed: %(e)s") % {"e": error.strip()[:500]})


# -- restore ---------------------------------------------------------------------------------


def _sqlite_tables(path: Path) -> int:
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return int(
            db.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        )


def _pg_tables(database: dict[str, Any]) -> int:
    import psycopg

    params = {
        k.lower(): database[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if database.get(k)
    }
    with psycopg.connect(dbname=database["NAME"], **params) as db:
        row = db.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    return int(row[0]) if row else 0


def restore(database: dict[str, Any], path: str | Path, passphrase: str) -> dict[str, Any]:
    """Restore a backup into `database`, which must be empty (no tables). Returns the manifest,
    with `keys_fit`: whether the configured field keys include the one the data was written
    with."""
    kind = vendor(database)
    with container.reading(path, passphrase) as archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except (KeyError, ValueError) as error:
            raise ValidationError(_("The file is not an Ibasho backup.")) from error
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise ValidationError(_("The file is not an Ibasho backup (version 1)."))
        if manifest["database"] != kind:
            raise ValidationError(
                _("This is a %(was)s backup; the database here is %(is)s.")
                % {"was": manifest["database"], "is": kind}
            )
        tables = (
            _sqlite_tables(Path(database["NAME"])) if kind == "sqlite" else _pg_tables(database)
        )
        if tables:
            raise ValidationError(
                _("The database is not empty (%(n)s tables): restore only into an empty one.")
                % {"n": tables}
            )
        if kind == "sqlite":
            _sqlite_restore(archive, manifest, Path(database["NAME"]))
        else:
            _pg_restore(archive, manifest, database)
    fitting = set(key_fingerprints(list(settings.FIELD_ENCRYPTION_KEYS)))
    manifest["keys_fit"] = bool(manifest["field_keys"]) and manifest["field_keys"][0] in fitting
    return manifest


def _checked(archive: container.Archive, manifest: dict[str, Any]) -> Any:
    """The database file's chunks, checked against the manifest at the end."""
    digest = hashlib.sha256()
    with archive.zip.open(manifest["file"]) as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            yield chunk
    if digest.hexdigest() != manifest["sha256"]:
        raise ValidationError(_("The backup does not match its checksum: it is damaged."))


def _sqlite_restore(archive: container.Archive, manifest: dict[str, Any], target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        dir=target.parent, prefix=".ibasho-restore-", delete=False
    ) as out:
        partial = Path(out.name)
        try:
            for chunk in _checked(archive, manifest):
                out.write(chunk)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.move(partial, target)


def _pg_restore(
    archive: container.Archive, manifest: dict[str, Any], database: dict[str, Any]
) -> None:
    # One transaction: a failed restore leaves the database as empty as it was.
    command = ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
               "--exit-on-error", "-d", database["NAME"]]  # fmt: skip
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=_pg_env(database)
    ) as process:
        assert process.stdin is not None
        try:
            for chunk in _checked(archive, manifest):
                process.stdin.write(chunk)
        except ValidationError:
            process.kill()
            raise
        finally:
            process.stdin.close()
        error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode:
        raise ValidationError(_("pg_restore failed: %(e)s") % {"e": error.strip()[:500]})
