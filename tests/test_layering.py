"""The apps form layers: an app imports only from the apps below it, so there is no import
loop and no app knows about the ones built on it. Tests may import anything."""

import ast
from pathlib import Path

import ibasho

LAYERS = [
    "lib",
    "audit",
    "accounts",
    "notifications",
    "people",
    "provisions",
    "outreach",
    "programmes",
    "families",
    "outcomes",
    "imports",
    "lifecycle",
    "exchange",
    "meetings",
    "referrals",
    "reports",
    "ops",
]
ROOT = Path(ibasho.__file__).parent


def imported_apps(path: Path) -> set[str]:
    """The ibasho apps a module imports, wherever in the module the import stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "ibasho" and len(parts) > 1 and parts[1] in LAYERS:
                found.add(parts[1])
    return found


def upward_imports() -> list[str]:
    problems = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        app = relative.parts[0]
        if app not in LAYERS:
            continue  # project modules (settings, urls, api) wire the apps together
        level = LAYERS.index(app)
        for other in imported_apps(path):
            if LAYERS.index(other) > level:
                problems.append(f"{relative} imports ibasho.{other}")
    return problems


def test_every_app_is_in_a_layer():
    apps = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    assert apps <= set(LAYERS), apps - set(LAYERS)


def test_no_app_imports_an_app_above_it():
    assert upward_imports() == []
