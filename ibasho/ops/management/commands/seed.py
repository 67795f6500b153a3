import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ibasho.lib.dbstats import refresh_planner_statistics
from ibasho.ops.synthetic import DEMO_PASSWORD, create_organisation, scale
from ibasho.ops.synthetic.scale import SCALES


class Command(BaseCommand):
    help = "Create a synthetic organisation with staff and a caseload (deterministic per --seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--people", type=int, default=150)
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="the day the data is built around (YYYY-MM-DD), default today",
        )
        parser.add_argument("--prefix", default="", help="prefix for the staff usernames")
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="with --scale on PostgreSQL: organisations loaded in parallel",
        )
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            help="load many organisations through the bulk path instead of one demo organisation",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"]:
            started = time.perf_counter()
            totals = scale.load(
                options["scale"], seed=options["seed"], today=options["today"], jobs=options["jobs"]
            )
            took = time.perf_counter() - started
            self.stdout.write(
                ", ".join(f"{v:,} {k}" for k, v in totals.items()) + f" in {took:,.0f} s"
            )
            self.stdout.write(f"Staff usernames o<N>-<role>-<n>, password {scale.BENCH_PASSWORD}")
            return
        demo = create_organisation(
            seed=options["seed"],
            people=options["people"],
            today=options["today"],
            username_prefix=options["prefix"],
        )
        refresh_planner_statistics()
        self.stdout.write(f"Created {demo.organisation.name} with {options['people']} people.")
        for username, role in demo.logins:
            self.stdout.write(f"  {username:<12} {role}  password: {DEMO_PASSWORD}")
