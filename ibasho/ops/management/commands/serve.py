import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from ibasho.accounts.keycheck import verify_field_keys
from ibasho.lib.dbstats import refresh_planner_statistics

# The access log names the path without its query string (search terms are names) and leaves
# out the referrer (a previous page's query string).
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'


def gunicorn_command(bind: str, workers: int, threads: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "ibasho.wsgi:application",
        "--bind", bind, "--workers", str(workers), "--threads", str(threads),
        "--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT, "--timeout", "60",
    ]  # fmt: skip


class Command(BaseCommand):
    help = "Run the production web server (gunicorn). Run `ibasho db_worker` beside it for tasks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("IBASHO_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("IBASHO_WORKERS", "3"))
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("IBASHO_THREADS", "1"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verify_field_keys()
        # Hashed static file names are served from the manifest: keep it in step with the code.
        call_command("collectstatic", interactive=False, verbosity=0)
        if connection.vendor == "sqlite":
            # SQLite has no autovacuum to keep planner statistics current; a restart does.
            refresh_planner_statistics()
        command = gunicorn_command(
            str(options["bind"]),
            int(options["workers"]),
            int(options["threads"]),
        )
        os.execv(sys.executable, command)
