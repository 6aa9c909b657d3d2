"""`linli tick [--every SECONDS]`: appeal reminders and escalations (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from linli.appeals.actions import tick


class Command(BaseCommand):
    help = "Send appeal reminders and escalations; with --every, keep doing it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            counts = tick()
            if options["verbosity"] > 1 or any(counts.values()):
                self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
            if not options["every"]:
                return
            time.sleep(options["every"])
