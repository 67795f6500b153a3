"""`ibasho retention --preview` prepares (and shows) each organisation's batch of people due
for shredding; `--apply BATCH --by USERNAME` confirms one as that organisation admin;
`--prune-audit` deletes audit entries past their retention; `--enqueue` queues the daily job
(schedule it once a day)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ibasho.accounts.models import Organisation, User
from ibasho.accounts.tenancy import scopes_disabled
from ibasho.lifecycle import retention
from ibasho.lifecycle.models import ShreddingBatch
from ibasho.lifecycle.tasks import daily_retention


class Command(BaseCommand):
    help = "Prepare, show and confirm shredding of records past their retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--preview", action="store_true")
        group.add_argument("--apply", metavar="BATCH")
        group.add_argument("--prune-audit", action="store_true")
        group.add_argument("--enqueue", action="store_true")
        parser.add_argument("--by", metavar="USERNAME", help="the admin who confirms (--apply)")

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            if options["enqueue"]:
                daily_retention.enqueue()
                self.stdout.write("queued")
            elif options["preview"]:
                for organisation in Organisation.objects.order_by("pk"):
                    batch = retention.prepare_retention_batch(organisation)
                    self._show(organisation, batch)
            elif options["prune_audit"]:
                for organisation in Organisation.objects.order_by("pk"):
                    count = retention.prune_audit(organisation)
                    self.stdout.write(f"{organisation.pk}: {count} audit entries deleted")
            else:
                self._apply(options["apply"], options["by"])

    def _show(self, organisation: Organisation, batch: ShreddingBatch | None) -> None:
        if batch is None:
            self.stdout.write(f"{organisation.pk}: no one is due")
            return
        summary = batch.summary()
        types = ", ".join(f"{label}: {n}" for label, n in summary["types"])
        self.stdout.write(
            f"{organisation.pk}: batch {batch.code}: {summary['people']} people ({types})"
        )

    def _apply(self, code: str, username: str | None) -> None:
        if not username:
            raise CommandError("--apply needs --by USERNAME (an organisation admin)")
        try:
            batch = ShreddingBatch.unscoped.get(code=code)
            user = User.objects.get(username=username)
        except (ShreddingBatch.DoesNotExist, User.DoesNotExist, ValidationError) as error:
            raise CommandError("unknown batch or user") from error
        try:
            batch = retention.confirm_batch(batch, by=user)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"batch {batch.code}: {batch.get_status_display()}")
