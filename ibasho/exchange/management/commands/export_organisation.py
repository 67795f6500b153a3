import contextlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ibasho.accounts.models import Organisation
from ibasho.exchange.container import read_passphrase
from ibasho.exchange.organisation import export_organisation


def find_organisation(given: str) -> Organisation:
    """By code (UUID), by id, or by exact name."""
    found = Organisation.objects.filter(name=given)
    if given.isdigit():
        found = Organisation.objects.filter(pk=int(given))
    elif len(given) >= 32:
        with contextlib.suppress(ValidationError):
            found = Organisation.objects.filter(code=given)
    organisation = found.first() if found.count() == 1 else None
    if organisation is None:
        raise CommandError(f"No single organisation matches {given!r} (give its code or id).")
    return organisation


class Command(BaseCommand):
    help = (
        "Write one organisation's every table (CSV and JSON, with a manifest and checksums) to "
        "a ZIP archive encrypted with AES-256 under the passphrase in --passphrase-file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="its code (UUID), id or exact name")
        parser.add_argument("--out", required=True)
        parser.add_argument("--passphrase-file", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = find_organisation(options["organisation"])
        try:
            passphrase = read_passphrase(options["passphrase_file"])
            with tqdm(total=100, unit="%", disable=options["verbosity"] < 1) as bar:
                manifest = export_organisation(
                    organisation,
                    options["out"],
                    passphrase,
                    progress=lambda p: bar.update(p - bar.n),
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        rows = sum(t["rows"] for t in manifest["tables"])
        self.stdout.write(f"{len(manifest['tables'])} tables, {rows:,} rows → {options['out']}")
