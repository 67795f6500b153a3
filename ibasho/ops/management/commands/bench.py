import datetime as dt
import json
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from ibasho.ops.synthetic.scale import SCALES


class Command(BaseCommand):
    help = (
        "Benchmark the production server over HTTP against DATABASE_URL: p50/p95/p99, "
        "requests per second at each concurrency, SQL queries per request, the Today queue "
        "against hand-written SQL, and peak memory. Prints a table and writes "
        "bench/results/<label>-<database>.json."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--load",
            choices=sorted(SCALES),
            help="migrate and load this scale first (into an empty database)",
        )
        parser.add_argument("--label", help="name for the results file (default: the scale)")
        parser.add_argument(
            "--requests",
            type=int,
            default=None,
            help="requests per scenario and concurrency (default 200; with --pages, 40)",
        )
        parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--threads", type=int, default=1)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
        parser.add_argument(
            "--reports", action="store_true", help="only the fiscal-year report benchmark"
        )
        parser.add_argument(
            "--export",
            action="store_true",
            help="only the organisation archive: export time of the busiest organisation, its "
            "round trip into a new empty database, and the backup",
        )
        parser.add_argument(
            "--import",
            dest="import_",
            action="store_true",
            help="only the import benchmark: a new organisation's people and contact history "
            "from Shift_JIS CSV files (sizes from --import-people and --import-contacts)",
        )
        parser.add_argument(
            "--pages",
            action="store_true",
            help="only the CPU per request of Today (worker, coordinator), the person page and "
            "the timeline, in this process through the test client (--requests after warm-up)",
        )
        parser.add_argument(
            "--page",
            action="append",
            dest="only_pages",
            help="with --pages: only this page (today_worker, today_coordinator, person_page, "
            "timeline); may be repeated",
        )
        parser.add_argument(
            "--profile",
            metavar="DIR",
            help="with --pages: also write a pyinstrument profile of each page to DIR",
        )
        parser.add_argument("--import-people", type=int, default=10_000)
        parser.add_argument("--import-contacts", type=int, default=200_000)
        parser.add_argument(
            "--every-organisation",
            action="store_true",
            help="with --reports: also the report for every organisation (the background job)",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="with --every-organisation: worker processes (default: one per core)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sys.path.insert(0, str(settings.BASE_DIR))
        from bench import reports, run

        if options["export"]:
            from bench import exchange

            self.stdout.write(exchange.table(exchange.exchange_figures()))
            return
        if options["pages"]:
            from pathlib import Path

            from bench import pages

            figures = pages.run(
                options["requests"] or 40,
                Path(options["profile"]) if options["profile"] else None,
                options["only_pages"],
            )
            self.stdout.write(pages.table(figures, pages.describe_database))
            return
        if options["import_"]:
            from bench import imports

            found = imports.run(options["import_people"], options["import_contacts"])
            self.stdout.write(json.dumps(found))
            return
        if options["reports"]:
            found = reports.fiscal_year_report()
            self.stdout.write(reports.table(found))
            if options["every_organisation"]:
                found = reports.every_organisation_report(options["processes"])
                self.stdout.write(json.dumps(found, ensure_ascii=False))
            return
        today = options["today"] or dt.date.today()
        if options["load"]:
            call_command("migrate", verbosity=0)
            call_command("seed", scale=options["load"], seed=options["seed"], today=today)
        report = run.run(
            label=options["label"] or options["load"] or "bench",
            requests=options["requests"] or 200,
            concurrencies=tuple(options["concurrency"]),
            workers=options["workers"],
            threads=options["threads"],
            seed=options["seed"],
            today=today,
        )
        self.stdout.write(run.table(report))
        self.stdout.write(json.dumps(report["today_queue_vs_sql"]))
        self.stdout.write(reports.table(reports.fiscal_year_report()))
