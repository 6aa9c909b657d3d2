"""The `linli` command: friendly names in front of Django's management commands."""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line

ALIASES = {
    "worker": ["db_worker"],
    "audit": ["audit"],
    "import-residents": ["import_residents"],
    "export-residents": ["export_residents"],
}

USAGE = """linli — 邻里 community mass-work system

  linli demo                      load the demo community (once) and print its logins
  linli serve [--port 8000]       serve linli with a background worker
  linli worker                    run background tasks (imports, reminders)
  linli import-residents FILE --community CODE [--user NAME]
  linli export-residents OUT.xlsx --community CODE [--full --user NAME]
  linli audit verify              check the audit trail's hash chain
  linli migrate | check | createsuperuser | ...   any Django management command
"""


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return
    command, rest = args[0], args[1:]
    translated = ALIASES.get(command, [command.replace("-", "_")])
    execute_from_command_line(["linli", *translated, *rest])


if __name__ == "__main__":
    main()
