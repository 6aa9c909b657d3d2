"""`linli export-residents OUT.xlsx --community CODE`: the registry as a workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from linli.core.access import SYSTEM
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Community, User
from linli.people.exporting import export_residents


class Command(BaseCommand):
    help = "Export the registry to xlsx (masked unless --full, which needs a leader's account)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path)
        parser.add_argument("--community", required=True)
        parser.add_argument("--full", action="store_true", help="unmasked ID numbers and phones")
        parser.add_argument("--user", help="the leader recorded as exporting (needed for --full)")

    def handle(self, *args: Any, **options: Any) -> None:
        community = Community.objects.filter(code=options["community"]).first()
        if community is None:
            raise CommandError(f"没有这个社区 No community {options['community']!r}")
        actor: Any = SYSTEM
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"没有这个用户 No user {options['user']!r}")
        elif options["full"]:
            raise CommandError("--full 需要 --user 指定社区领导 --full needs --user (a leader)")
        try:
            with options["out"].open("wb") as out:
                count = export_residents(
                    actor=actor, community=community, out=out, full=options["full"]
                )
        except (DomainError, AccessDenied) as exc:
            options["out"].unlink(missing_ok=True)
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"已导出 exported {count} → {options['out']}"))
