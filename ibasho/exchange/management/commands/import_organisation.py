from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ibasho.exchange.container import read_passphrase
from ibasho.exchange.organisation import import_organisation


class Command(BaseCommand):
    help = (
        "Load an archive written by export-organisation into this installation, which must "
        "hold no organisation yet. Everything or nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--passphrase-file", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            passphrase = read_passphrase(options["passphrase_file"])
            with tqdm(total=100, unit="%", disable=options["verbosity"] < 1) as bar:
                organisation = import_organisation(
                    options["archive"], passphrase, progress=lambda p: bar.update(p - bar.n)
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Imported {organisation.name} ({organisation.code}).")
