from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from ibasho.exchange.backup import restore
from ibasho.exchange.management.commands.backup import PASSPHRASE_ENV, backup_passphrase


class Command(BaseCommand):
    help = "Restore a backup written by `ibasho backup` into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup")
        parser.add_argument("--passphrase-file", help=f"default: ${PASSPHRASE_ENV}")

    def handle(self, *args: Any, **options: Any) -> None:
        passphrase = backup_passphrase(options["passphrase_file"])
        connection.close()  # SQLite: the file is replaced under this process
        try:
            manifest = restore(connection.settings_dict, options["backup"], passphrase)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Restored the backup started at {manifest['started_at']}.")
        if not manifest["keys_fit"]:
            self.stderr.write(
                "The configured IBASHO_FIELD_KEYS do not include the key this backup's notes "
                "were encrypted with: set the keys kept with the backup before starting Ibasho."
            )
