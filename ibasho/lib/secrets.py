"""Secrets come from the environment in production; a laptop install generates its own once and
keeps them in the data directory (never in the repository).

The field keys may also be read from a file named by `IBASHO_FIELD_KEYS_FILE`, which must lie
outside the data directory: a copy of that directory (a backup, a stolen laptop folder) must not
hold both the encrypted data and its keys. `ibasho check --deploy` refuses keys that sit in the
data directory or beside the database (`ibasho.accounts.keycheck`)."""

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet


def private_directory(path: Path) -> None:
    """Create a directory only its owner can enter (0700)."""
    if not path.exists():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask


def private_file(path: Path) -> None:
    """Make sure a file exists and only its owner can read it (0600): the SQLite database is
    created empty this way before SQLite opens it, so it never exists world-readable."""
    private_directory(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    if path.stat().st_mode & 0o077 and path.stat().st_uid == os.getuid():
        os.chmod(path, 0o600)  # an older install's database, made before this rule


def _read_or_create(path: Path, make: Callable[[], str]) -> str:
    if not path.exists():
        private_directory(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(make())
    return path.read_text().strip()


def secret_key(data_dir: Path) -> str:
    return os.environ.get("IBASHO_SECRET_KEY") or _read_or_create(
        data_dir / "secret_key", lambda: secrets.token_urlsafe(50)
    )


def field_keys_file(data_dir: Path) -> Path | None:
    """The file the field keys are read from, or None when the environment holds them."""
    if os.environ.get("IBASHO_FIELD_KEYS"):
        return None
    named = os.environ.get("IBASHO_FIELD_KEYS_FILE")
    return Path(named) if named else data_dir / "field_keys"


def field_keys(data_dir: Path) -> list[str]:
    """Fernet keys for encrypted fields, newest first. Rotation: prepend a new key, run
    `ibasho rotate_field_keys`, then drop the old key."""
    path = field_keys_file(data_dir)
    if path is None:
        raw = os.environ["IBASHO_FIELD_KEYS"]
    elif os.environ.get("IBASHO_FIELD_KEYS_FILE"):
        raw = path.read_text()  # provided by the operator: never generated
    else:
        raw = _read_or_create(path, lambda: Fernet.generate_key().decode())
    return [key.strip() for key in raw.replace("\n", ",").split(",") if key.strip()]
