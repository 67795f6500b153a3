import csv
import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ibasho.accounts.models import Membership, Organisation, User
from ibasho.accounts.tenancy import organisation_scope
from ibasho.imports import columns
from ibasho.imports.models import Kind
from ibasho.imports.services import import_rows, rejected_rows, remembered, table_of


class Command(BaseCommand):
    help = (
        "Import people, family members, contact history or consents from an .xlsx or .csv file "
        "into one organisation: every row is checked first and nothing is written unless all are "
        "valid (or --only-valid). Importing the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", choices=Kind.values, required=True)
        parser.add_argument(
            "--mapping",
            default="",
            help="a JSON file or JSON text {column heading: field}, added to the headings "
            "recognised by name and those the organisation mapped before",
        )
        parser.add_argument("--organisation", required=True, help="the organisation's code")
        parser.add_argument("--user", required=True, help="the staff username the import is by")
        parser.add_argument(
            "--only-valid",
            action="store_true",
            help="import the valid rows and leave out those with errors",
        )
        parser.add_argument(
            "--rejected", type=Path, help="write the rejected rows here (CSV with an error column)"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation = Organisation.objects.filter(code=options["organisation"]).first()
        except ValidationError:
            organisation = None
        user = User.objects.filter(username=options["user"]).first()
        if (
            organisation is None
            or user is None
            or not Membership.objects.holds(user, organisation.pk)
        ):
            raise CommandError("No such organisation, or the user is not its active staff.")
        kind = options["kind"]
        data = options["file"].read_bytes()
        with organisation_scope(organisation.pk):
            try:
                table = table_of(data, options["file"].name, kind)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
            mapping = columns.recognise(kind, table.headers, remembered(organisation, kind))
            mapping.update(_mapping(options["mapping"]))
            bar = tqdm(
                total=len(table.rows), unit="row", disable=options["no_progress"], file=sys.stderr
            )

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            summary = import_rows(
                organisation,
                kind,
                table,
                mapping,
                by=user,
                only_valid=options["only_valid"],
                progress=progress,
            )
            bar.close()
        for problem in summary.errors:
            column = f"{problem['column']} " if problem["column"] else ""
            self.stderr.write(
                f"row {problem['row']}, {column}{problem['header']}: {problem['message']}"
            )
        if options["rejected"] and summary.errors:
            with options["rejected"].open("w", encoding="utf-8-sig", newline="") as out:
                csv.writer(out).writerows(rejected_rows(table, summary.errors))
        written = summary.created + summary.updated
        if summary.rejected and not options["only_valid"]:
            raise CommandError(
                f"{summary.rejected} of {summary.rows} rows have errors: nothing was imported."
            )
        self.stdout.write(
            f"{summary.rows} rows: {summary.created} created, {summary.updated} updated, "
            f"{summary.unchanged} unchanged, {summary.rejected} rejected ({written} written)."
        )


def _mapping(value: str) -> dict[str, str]:
    if not value:
        return {}
    path = Path(value)
    raw = path.read_text(encoding="utf-8") if path.is_file() else value
    try:
        mapping = json.loads(raw)
    except ValueError:
        raise CommandError('--mapping must be JSON: {"column heading": "field"}.') from None
    if not isinstance(mapping, dict):
        raise CommandError('--mapping must be JSON: {"column heading": "field"}.')
    return {str(k): str(v) for k, v in mapping.items()}
