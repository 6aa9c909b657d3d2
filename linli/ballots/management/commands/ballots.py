"""`linli ballots recount FILE`: recount a published bulletin and compare with its totals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from linli.ballots.tally import tally


class Command(BaseCommand):
    help = "Recount a ballot's bulletin file (downloaded from its bulletin page)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="command", required=True)
        recount = sub.add_parser("recount", help="recount FILE and compare with its totals")
        recount.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = json.loads(options["file"].read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取公告文件 Cannot read the bulletin: {exc}") from exc
        published = data.get("totals")
        recounted = json.loads(json.dumps(tally(data)))
        self.stdout.write(json.dumps(recounted, ensure_ascii=False, indent=1, sort_keys=True))
        if published != recounted:
            raise CommandError(
                "重新计票结果与公布结果不一致 The recount differs from the published totals"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"重新计票与公布结果一致 Recount matches: {recounted['cast']} ballots"
            )
        )
