"""The whole-organisation archive of the busiest organisation: how long the export takes, and
the round trip (export, then import into a new empty database of the same kind, as a move to
another server would). Also the backup of the whole installation."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg
from django.db import connection
from django_scopes import scopes_disabled

from bench.reports import busiest_organisation
from ibasho.exchange.backup import backup
from ibasho.exchange.organisation import export_organisation

PASSPHRASE = "benchmark passphrase, not a secret"


def _ibasho(args: list[str], database_url: str) -> float:
    env = {**os.environ, "DATABASE_URL": database_url}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ibasho", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - started


def _scratch_database(work: Path) -> tuple[str, Any]:
    """A new empty database of the same kind as this one, and how to drop it."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{work / 'roundtrip.sqlite3'}", lambda: None
    name = f"{params['NAME']}_roundtrip"
    auth = f"{params['USER'] or 'postgres'}" + (
        f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    )
    host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"

    def admin(sql: str) -> None:
        with psycopg.connect(f"postgresql://{auth}@{host}/postgres", autocommit=True) as db:
            db.execute(sql)

    admin(f'DROP DATABASE IF EXISTS "{name}"')
    admin(f'CREATE DATABASE "{name}"')
    return f"postgres://{auth}@{host}/{name}", lambda: admin(f'DROP DATABASE "{name}" WITH (FORCE)')


def exchange_figures(round_trip: bool = True) -> dict[str, Any]:
    with scopes_disabled():
        organisation = busiest_organisation()
    figures: dict[str, Any] = {"database": connection.vendor}
    with tempfile.TemporaryDirectory(prefix="ibasho-bench-") as work_dir:
        work = Path(work_dir)
        archive = work / "organisation.zip"
        started = time.perf_counter()
        manifest = export_organisation(organisation, archive, PASSPHRASE)
        figures["export_seconds"] = round(time.perf_counter() - started, 1)
        rows = {t["table"]: t["rows"] for t in manifest["tables"]}
        figures["people"] = rows["people.person"]
        figures["contacts"] = rows["outreach.contact"]
        figures["rows"] = sum(rows.values())
        figures["archive_mb"] = round(archive.stat().st_size / 1e6, 1)
        if round_trip:
            passphrase_file = work / "passphrase"
            passphrase_file.write_text(PASSPHRASE)
            url, drop = _scratch_database(work)
            try:
                _ibasho(["migrate", "-v0"], url)
                figures["import_seconds"] = round(
                    _ibasho(["import-organisation", str(archive), "--passphrase-file",
                             str(passphrase_file)], url), 1,
                )  # fmt: skip
            finally:
                drop()
            figures["round_trip_seconds"] = round(
                figures["export_seconds"] + figures["import_seconds"], 1
            )
        started = time.perf_counter()
        made = backup(connection.settings_dict, work / "backup.zip", PASSPHRASE)
        figures["backup_seconds"] = round(time.perf_counter() - started, 1)
        figures["backup_mb"] = round(made["size"] / 1e6, 1)
    return figures


def table(figures: dict[str, Any]) -> str:
    return "\n".join(f"{key:<20} {value}" for key, value in figures.items())
