import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from ibasho.exchange.backup import backup
from ibasho.exchange.container import read_passphrase

PASSPHRASE_ENV = "IBASHO_BACKUP_PASSPHRASE_FILE"


def backup_passphrase(given: str | None) -> str:
    """From --passphrase-file or IBASHO_BACKUP_PASSPHRASE_FILE, never from inside the data
    directory (whatever copies that directory would carry the passphrase with the data)."""
    name = given or os.environ.get(PASSPHRASE_ENV)
    if not name:
        raise CommandError(f"Give --passphrase-file or set {PASSPHRASE_ENV}.")
    path = Path(name).resolve()
    if path.is_relative_to(Path(settings.DATA_DIR).resolve()):
        raise CommandError("Keep the passphrase file outside the data directory.")
    try:
        return read_passphrase(path)
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from error


class Command(BaseCommand):
    help = (
        "Write an encrypted backup of the database while the app runs (SQLite online backup, "
        "or pg_dump -Fc). The field-encryption keys are not included: keep them apart."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True)
        parser.add_argument("--passphrase-file", help=f"default: ${PASSPHRASE_ENV}")

    def handle(self, *args: Any, **options: Any) -> None:
        passphrase = backup_passphrase(options["passphrase_file"])
        try:
            manifest = backup(connection.settings_dict, options["out"], passphrase)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"{manifest['database']} backup, {manifest['size']:,} bytes → {options['out']}\n"
            "The field-encryption keys (IBASHO_FIELD_KEYS) are not in it: keep them apart."
        )
