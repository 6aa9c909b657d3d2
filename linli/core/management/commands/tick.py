"""`linli tick [--every SECONDS]`: every app's reminders and escalations (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from linli.core.ticks import run_ticks


class Command(BaseCommand):
    help = "Send reminders and escalations (appeals, care visits); with --every, keep doing it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            counts = run_ticks()
            if options["verbosity"] > 1 or any(counts.values()):
                self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
            if not options["every"]:
                return
            time.sleep(options["every"])
