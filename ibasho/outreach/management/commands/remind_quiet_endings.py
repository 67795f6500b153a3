"""`ibasho remind_quiet_endings` tells each worker of the quiet periods that end today (once per
period, however often it runs); `--enqueue` queues the same job for the task worker instead."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ibasho.outreach.tasks import remind_quiet_endings


class Command(BaseCommand):
    help = "Remind workers of the quiet periods that end today (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="queue the daily job")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            remind_quiet_endings.enqueue()
            self.stdout.write("queued")
            return
        count = remind_quiet_endings.call()
        self.stdout.write(f"{count} quiet period(s) reminded of")
