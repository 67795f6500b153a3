"""The encrypted container of exports and backups: a ZIP archive whose entries are encrypted
with AES-256 (the WinZip AE-2 scheme, which 7-Zip, WinZip, Keka, The Unarchiver and
`7z x -pPASSPHRASE file.zip` open). The key is derived from the passphrase by the scheme
itself (PBKDF2-HMAC-SHA1, 1000 rounds, a random salt per entry), so a long passphrase matters."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyzipper
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Shorter passphrases fall to guessing: the archive may leave the building.
PASSPHRASE_MIN = 12


def read_passphrase(path: str | Path) -> str:
    """The first line of a file (so it never appears in a process list or shell history)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValidationError(
            _("The passphrase file cannot be read: %(e)s") % {"e": error}
        ) from error
    return check_passphrase(text.splitlines()[0] if text.strip() else "")


def check_passphrase(passphrase: str) -> str:
    if len(passphrase) < PASSPHRASE_MIN:
        raise ValidationError(
            _("The passphrase needs at least %(n)s characters.") % {"n": PASSPHRASE_MIN}
        )
    return passphrase


class HashingWriter:
    """Writes to an archive entry and keeps its SHA-256 and size."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.handle.write(data)
        self.sha256.update(data)
        self.size += len(data)


class Archive:
    def __init__(self, zipfile: Any) -> None:
        self.zip = zipfile
        self.sums: dict[str, str] = {}

    @contextmanager
    def entry(self, name: str) -> Iterator[HashingWriter]:
        with self.zip.open(name, "w", force_zip64=True) as handle:
            writer = HashingWriter(handle)
            yield writer
        self.sums[name] = writer.sha256.hexdigest()

    def put(self, name: str, data: bytes) -> None:
        with self.entry(name) as writer:
            writer.write(data)

    def lines(self, name: str) -> Iterator[bytes]:
        with self.zip.open(name) as handle:
            yield from handle

    def read(self, name: str) -> bytes:
        return bytes(self.zip.read(name))

    def names(self) -> list[str]:
        return list(self.zip.namelist())


@contextmanager
def writing(out: str | Path, passphrase: str) -> Iterator[Archive]:
    """An encrypted archive at `out`, written beside it first and moved into place only when
    complete, so that a failure never leaves a partial archive under the name."""
    out = Path(out)
    partial = out.with_name(out.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        with pyzipper.AESZipFile(
            partial, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
        ) as handle:
            handle.setpassword(passphrase.encode())
            handle.setencryption(pyzipper.WZ_AES, nbits=256)
            yield Archive(handle)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)


@contextmanager
def reading(path: str | Path, passphrase: str) -> Iterator[Archive]:
    try:
        handle = pyzipper.AESZipFile(path)
    except (OSError, pyzipper.BadZipFile) as error:
        raise ValidationError(
            _("The file is not an Ibasho archive: %(e)s") % {"e": error}
        ) from error
    with handle:
        handle.setpassword(passphrase.encode())
        try:
            handle.read(handle.namelist()[0])
        except RuntimeError as error:  # pyzipper's answer to a wrong password
            raise ValidationError(_("The passphrase does not open this archive.")) from error
        yield Archive(handle)
