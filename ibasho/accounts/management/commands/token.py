from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ibasho.accounts.models import ApiToken, Membership


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (shown once; only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--organisation", help="organisation code, when the user has several")
        parser.add_argument("--name", default="cli", help="a label for the token")

    def handle(self, *args: Any, **options: Any) -> None:
        memberships = Membership.objects.active().filter(user__username=options["username"])
        if options.get("organisation"):
            memberships = memberships.filter(organisation__code=options["organisation"])
        found = list(memberships.select_related("organisation")[:2])
        if not found:
            raise CommandError(f"No active staff member called {options['username']!r}.")
        if len(found) > 1:
            raise CommandError(
                "This user belongs to several organisations; choose one with --organisation."
            )
        _, raw = ApiToken.issue(found[0], name=options["name"])
        self.stdout.write(raw)
