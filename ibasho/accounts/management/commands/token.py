from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ibasho.accounts.models import TOKEN_DAYS, ApiToken, Membership
from ibasho.accounts.tokens import issue_token


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (shown once; only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--organisation", help="organisation code, when the user has several")
        parser.add_argument("--name", default="cli", help="a label for the token")
        parser.add_argument(
            "--scope",
            choices=ApiToken.Scope.values,
            default=ApiToken.Scope.READ,
            help="read (the default) or write (reads and writes)",
        )
        parser.add_argument(
            "--expires", type=int, default=TOKEN_DAYS, metavar="DAYS", help="days until it expires"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        memberships = Membership.objects.active().filter(user__username=options["username"])
        if options.get("organisation"):
            memberships = memberships.filter(organisation__code=options["organisation"])
        found = list(memberships.select_related("organisation", "user")[:2])
        if not found:
            raise CommandError(f"No active staff member called {options['username']!r}.")
        if len(found) > 1:
            raise CommandError(
                "This user belongs to several organisations; choose one with --organisation."
            )
        try:
            _, raw = issue_token(
                found[0],
                name=options["name"],
                scope=options["scope"],
                days=options["expires"],
                by=None,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(raw)
