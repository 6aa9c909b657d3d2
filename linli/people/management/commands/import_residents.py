"""`linli import-residents FILE --community CODE`: check, then import, a residents' workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from linli.core.access import SYSTEM
from linli.core.errors import AccessDenied, DomainError
from linli.core.models import Community, User
from linli.people.importing import check_rows, read_rows
from linli.people.imports import import_residents


class Command(BaseCommand):
    help = "Import residents from an xlsx or csv file (nothing is imported if any row is bad)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--community", required=True, help="community code, e.g. xingfuli")
        parser.add_argument("--user", help="username recorded as the importer (default: linli)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            community = Community.objects.get(code=options["community"])
        except Community.DoesNotExist:
            raise CommandError(f"没有这个社区 No community {options['community']!r}") from None
        actor: Any = SYSTEM
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"没有这个用户 No user {options['user']!r}")
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        try:
            with tqdm(desc="检查 checking", unit=" rows", disable=None) as bar:

                def checking(done: int, _total: int) -> None:
                    bar.update(done - bar.n)

                checked = check_rows(read_rows(data, path.name), community, progress=checking)
            if checked.error_count:
                for error in checked.errors:
                    self.stderr.write(
                        f"第 {error.row} 行 row {error.row} · {error.column}: {error.message}"
                    )
                raise CommandError(
                    f"{checked.error_count} 处错误，未导入任何数据 "
                    f"{checked.error_count} problems; nothing imported"
                )
            with tqdm(
                total=len(checked.rows), desc="导入 importing", unit=" rows", disable=None
            ) as bar:

                def importing(done: int, _total: int) -> None:
                    bar.update(done - bar.n)

                result = import_residents(
                    actor=actor,
                    community=community,
                    rows=checked.rows,
                    file_name=path.name,
                    columns=checked.columns,
                    progress=importing,
                )
        except (DomainError, AccessDenied) as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"新增 created {result.created} · 更新 updated {result.updated} · "
                f"未变 unchanged {result.unchanged}"
            )
        )
