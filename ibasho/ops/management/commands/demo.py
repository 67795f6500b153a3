import os
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from ibasho.accounts.models import Organisation
from ibasho.lib.dbstats import refresh_planner_statistics
from ibasho.ops.management.commands.serve import gunicorn_command
from ibasho.ops.synthetic import DEMO_PASSWORD, STAFF, create_organisation


class Command(BaseCommand):
    help = "Set up the embedded database with a demo organisation and start the web app."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("IBASHO_PORT", "8000")))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--people", type=int, default=150)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-serve", action="store_true", help="prepare only")

    def handle(self, *args: Any, **options: Any) -> None:
        # Demo admins and coordinators are not pushed into second-factor enrolment at once
        # (the server below reads this; a real installation keeps 3).
        os.environ.setdefault("IBASHO_SECOND_FACTOR_GRACE_LOGINS", "50")
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        if not Organisation.objects.exists():
            self.stdout.write("Creating the demo organisation and its caseload…")
            create_organisation(seed=int(options["seed"]), people=int(options["people"]))
            refresh_planner_statistics()
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"\nIbasho is running at {url}\n"))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, display, _, role in STAFF:
            self.stdout.write(f"  {username:<10} {display}  ({role.label})")
        self.stdout.write("Stop with Ctrl+C.\n")
        sys.stdout.flush()
        if options["no_serve"]:
            return
        worker = subprocess.Popen([sys.executable, "-m", "ibasho", "db_worker"])
        try:
            subprocess.run(
                gunicorn_command(f"{options['host']}:{options['port']}", 3, 1), check=False
            )
        except KeyboardInterrupt:
            pass
        finally:
            worker.terminate()
