"""The `ibasho` command: Ibasho's own commands (demo, serve, seed, token) and every Django
management command (migrate, createsuperuser, ...) under one name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ibasho.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        # `ibasho export-organisation` names the command export_organisation.
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["ibasho", *args])


if __name__ == "__main__":
    main()
