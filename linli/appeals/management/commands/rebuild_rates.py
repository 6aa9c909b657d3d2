"""`linli rebuild_rates`: recompute the daily counts behind the three rates from the appeals."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from linli.appeals.rates import rebuild_daily_rates


class Command(BaseCommand):
    help = (
        "Recompute the daily rate counts from the appeals: after loading appeals in bulk "
        "or changing TIME_ZONE. Appeals cannot be changed while it runs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        days = rebuild_daily_rates()
        self.stdout.write(f"{days} days")
