"""An import killed part-way (kill -9, as a worker dies) leaves nothing half-written, and the
same import then runs through. It runs `ibasho import` in another process on a SQLite file."""

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.imports import files  # noqa: E402

SETUP = """
from ibasho.accounts.models import Membership, Organisation, Role, User
org = Organisation.objects.create(name="取込", prefecture="13")
user = User.objects.create_user(username="importer")
Membership.objects.create(organisation=org, user=user, role=Role.COORDINATOR)
print(org.code)
"""


def ibasho(env: dict[str, str], *args: str, **kwargs):  # type: ignore[no-untyped-def]
    return subprocess.run([sys.executable, "-m", "ibasho", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True, **kwargs)  # fmt: skip


def count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_a_killed_import_leaves_nothing_and_runs_again(tmp_path):
    database = tmp_path / "ibasho.sqlite3"
    env = {**os.environ, "IBASHO_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{database}",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    env.pop("DJANGO_SETTINGS_MODULE", None)
    ibasho(env, "migrate", "-v0")
    code = ibasho(env, "shell", "-c", SETUP).stdout.strip().splitlines()[-1]
    people, _contacts = files(800, 1, dt.date.today())
    source = tmp_path / "people.csv"
    source.write_bytes(people)
    command = [sys.executable, "-m", "ibasho", "import", str(source), "--kind", "people",
               "--organisation", code, "--user", "importer"]  # fmt: skip
    running = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.PIPE)
    seen = b""
    assert running.stderr is not None
    while b"/800" not in seen or b" 0/800" in seen.rsplit(b"\r", 1)[-1]:
        chunk = running.stderr.read(1)
        if not chunk:
            pytest.fail(f"the import ended before it was killed: {seen[-300:]!r}")
        seen += chunk
    os.kill(running.pid, signal.SIGKILL)  # part-way through writing the people
    running.wait()
    assert running.returncode == -signal.SIGKILL
    for table in ("people_person", "people_case", "imports_importedrow", "outreach_outreachplan"):
        assert count(database, table) == 0, table
    done = subprocess.run(command + ["--no-progress"], env=env, cwd=ROOT, capture_output=True,
                          text=True, check=True)  # fmt: skip
    assert "800 created" in done.stdout
    assert count(database, "people_person") == 800
    assert count(database, "imports_importedrow") == 800
