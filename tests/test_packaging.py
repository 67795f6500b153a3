"""An install from the package alone (no checkout, no `make`, no gettext tools) serves the same
templates and static files and speaks Japanese."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import os, django
from django.utils import translation
django.setup()
import ibasho
from django.contrib.staticfiles import finders
from django.template.loader import get_template
translation.activate("ja")
print(ibasho.__file__)
print(translation.gettext("Today"))
print(translation.gettext("Unknown report: %(kind)s"))
print(bool(finders.find("css/ibasho.css")), bool(get_template("base.html")))
"""


def source_tree(into: Path) -> Path:
    """The project's files as a fresh clone has them: no compiled catalogues."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    for name in listed:
        if (ROOT / name).is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, into / name)
    assert not list(into.rglob("*.mo"))
    return into


def test_a_wheel_installed_without_make_speaks_japanese(tmp_path):
    source, wheels, target = source_tree(tmp_path / "src"), tmp_path / "wheels", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", wheels, source], check=True, cwd=tmp_path)
    (wheel,) = wheels.glob("ibasho-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", target, wheel], check=True)
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(target),  # before the checkout's editable install
        "DJANGO_SETTINGS_MODULE": "ibasho.settings",
        "IBASHO_DATA_DIR": str(tmp_path / "var"),
    }
    shown = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    where, today, app_string, assets = shown.stdout.splitlines()
    assert where.startswith(str(target))
    assert (today, app_string) == ("今日", "不明な報告: %(kind)s")
    assert assets == "True True"
