"""`linli audit verify`: check the audit trail's hash chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from linli.core.audit import verify


class Command(BaseCommand):
    help = "Work with the audit trail (verify its hash chain)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify()
        if not result.ok:
            raise CommandError(result.problem)
        self.stdout.write(
            self.style.SUCCESS(
                _("Audit trail intact: %(count)s events checked.") % {"count": result.checked}
            )
        )
