"""Secrets come from the environment in production; a laptop install generates its own once and
keeps them in the data directory (never in the repository)."""

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet


def _read_or_create(path: Path, make: Callable[[], str]) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(make())
    return path.read_text().strip()


def secret_key(data_dir: Path) -> str:
    return os.environ.get("IBASHO_SECRET_KEY") or _read_or_create(
        data_dir / "secret_key", lambda: secrets.token_urlsafe(50)
    )


def field_keys(data_dir: Path) -> list[str]:
    """Fernet keys for encrypted fields, newest first. Rotation: prepend a new key, run
    `ibasho rotate_field_keys`, then drop the old key."""
    raw = os.environ.get("IBASHO_FIELD_KEYS") or _read_or_create(
        data_dir / "field_keys", lambda: Fernet.generate_key().decode()
    )
    return [key.strip() for key in raw.split(",") if key.strip()]
