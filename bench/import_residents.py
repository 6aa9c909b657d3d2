"""Benchmark: import 100,000 residents from xlsx with linli and with django-import-export.

Each importer runs in its own process on a fresh SQLite database (same models, same file),
reporting wall time, rows/s and its own peak RSS. Prints the ratio linli / peer.
Target (issue #2): linli ≥ 10× faster than django-import-export, peak RSS < 300 MB.

    make bench                       # or: python bench/import_residents.py [--rows N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench"


def make_workbook(path: Path, rows: int) -> None:
    """A realistic registry: households of 1–4 in numbered buildings, valid ID numbers."""
    import django
    from openpyxl import Workbook
    from stdnum.cn import ric

    os.environ.update(child_environment(CACHE / "unused.sqlite3"))
    sys.path.insert(0, str(ROOT))
    django.setup()
    from linli.people.importing import TEMPLATE_HEADERS

    rng = random.Random(100_000)
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉梅文辉海燕鹏飞东春"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("居民")
    sheet.append(TEMPLATE_HEADERS)
    written, flat, used = 0, 0, set()
    while written < rows:
        flat += 1
        building, entrance, room = 1 + flat // 400, 1 + (flat // 40) % 10, 101 + flat % 40
        for member in range(min(rng.choice((1, 2, 2, 3, 3, 4)), rows - written)):
            birth = dt.date(rng.randint(1935, 2020), rng.randint(1, 12), rng.randint(1, 28))
            body = f"110105{birth:%Y%m%d}{rng.randint(0, 999):03d}"
            while body in used:
                body = f"110105{birth:%Y%m%d}{rng.randint(0, 999):03d}"
            used.add(body)
            sheet.append(
                [
                    rng.choice(surnames) + rng.choice(given) + rng.choice(given),
                    body + ric.calc_check_digit(body + "0"),
                    f"13{rng.randint(100_000_000, 999_999_999)}",
                    str(building),
                    str(entrance),
                    str(room),
                    "",
                    "户主" if member == 0 else rng.choice(("配偶", "子女", "父母")),
                    rng.choice(("", "", "", "党员", "独居老人", "居民代表")),
                    "",
                    "2015-06-01",
                ]
            )
            written += 1
    workbook.save(path)


def child_environment(db: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "linli.settings",
        "LINLI_ENV": "test",
        "LINLI_SECRET_KEY": "bench-secret-" + "x" * 40,
        "LINLI_FIELD_KEY": "bench-field-key-" + "y" * 30,
        "DATABASE_URL": f"sqlite:///{db}",
        "LINLI_VAR_DIR": str(db.parent),
        "LINLI_IMPORT_MAX_BYTES": str(200 * 1024 * 1024),
        "PYTHONPATH": str(ROOT),
    }


def setup_django_and_community():  # type: ignore[no-untyped-def]
    """Django with a migrated database (migrated by the parent, as in production)."""
    import django

    django.setup()
    from linli.core.models import Community, District, Subdistrict

    district, _ = District.objects.get_or_create(name="基准区")
    subdistrict, _ = Subdistrict.objects.get_or_create(district=district, name="基准街道")
    community, _ = Community.objects.get_or_create(
        code="bench", defaults={"subdistrict": subdistrict, "name": "基准社区"}
    )
    return community


def run_linli(path: Path, repeat: bool) -> dict[str, float]:
    community = setup_django_and_community()
    from linli.core.access import SYSTEM
    from linli.people.importing import check_rows, read_rows
    from linli.people.imports import import_residents

    def once() -> tuple[float, dict[str, int]]:
        start = time.perf_counter()
        data = path.read_bytes()
        checked = check_rows(read_rows(data, path.name), community)
        assert checked.error_count == 0, checked.errors[:3]
        result = import_residents(
            actor=SYSTEM, community=community, rows=checked.rows, file_name=path.name
        )
        return time.perf_counter() - start, result.as_dict()

    seconds, result = once()
    if repeat:
        return {"reimport_seconds": seconds, "reimport_unchanged": result["unchanged"]}
    report: dict[str, float] = {"seconds": seconds, "created": result["created"]}
    report.update(time_searches(community))
    return report


SEARCHES = {
    "name (contains)": "秀英",
    "pinyin initials": "zxy",
    "phone tail": "1234",
    "address 楼-单元-房": "12-3-121",
}


def time_searches(community) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Median time of the residents page's two queries (count + first page) per search kind."""
    import statistics

    from linli.people.models import Resident

    sample = Resident.objects.filter(community=community).order_by("pk")[5000]
    queries = {**SEARCHES, "ID number": sample.id_number}
    timings = {}
    for label, query in queries.items():
        runs = []
        for _ in range(15):
            start = time.perf_counter()
            found = Resident.objects.filter(community=community).active().search(query)
            found.count()
            list(found.select_related("household__entrance__building").order_by("name", "pk")[:30])
            runs.append(time.perf_counter() - start)
        timings[f"search: {label}"] = statistics.median(runs) * 1000
    return timings


def run_import_export(path: Path) -> dict[str, float]:
    """The same file into the same models with django-import-export's defaults."""
    community = setup_django_and_community()
    import tablib
    from import_export import fields, resources

    from linli.core import crypto
    from linli.people import validation
    from linli.people.models import Building, Entrance, Household, Resident

    places: dict[tuple[str, str, str], int] = {}

    def household_id(b: str, e: str, r: str) -> int:
        key = (b, e, r)
        if key not in places:
            building, _ = Building.objects.get_or_create(community=community, number=b)
            entrance, _ = Entrance.objects.get_or_create(building=building, number=e)
            household, _ = Household.objects.get_or_create(
                community=community, entrance=entrance, room=r
            )
            places[key] = household.pk
        return places[key]

    class ResidentResource(resources.ModelResource):  # type: ignore[misc]
        name = fields.Field(attribute="name", column_name="姓名")
        id_number = fields.Field(attribute="id_number", column_name="身份证号码")
        phone = fields.Field(attribute="phone", column_name="手机号码")
        id_hash = fields.Field(attribute="id_hash", column_name="id_hash")
        community = fields.Field(attribute="community_id", column_name="community")

        class Meta:
            model = Resident
            # Matched like linli: community + keyed hash, served by the same unique index.
            import_id_fields = ("community", "id_hash")
            fields = ("name", "id_number", "phone", "id_hash", "community")

        def before_import_row(self, row, **kwargs):  # type: ignore[no-untyped-def]
            info = validation.check_id_number(str(row["身份证号码"]))
            row["id_hash"] = crypto.lookup_hash(info.number)
            row["_info"] = info
            row["_household"] = household_id(str(row["楼栋"]), str(row["单元"]), str(row["房号"]))

        def before_save_instance(self, instance, row, **kwargs):  # type: ignore[no-untyped-def]
            info = row["_info"]
            instance.household_id = row["_household"]
            instance.birth_date, instance.gender = info.birth_date, info.gender
            instance.name_initials, instance.name_pinyin = validation.pinyin_keys(instance.name)
            instance.phone_tail = instance.phone[-4:]

    start = time.perf_counter()
    with path.open("rb") as handle:
        dataset = tablib.Dataset().load(handle, format="xlsx")
    # The match key is computed per row (as linli does); the column must exist up front.
    dataset.append_col([""] * len(dataset), header="id_hash")
    dataset.append_col([community.pk] * len(dataset), header="community")
    result = ResidentResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "created": result.totals["new"]}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(which: str, path: Path, repeat: bool) -> None:
    report = run_linli(path, repeat) if which == "linli" else run_import_export(path)
    if repeat:
        report["reimport_peak_rss_mb"] = peak_rss_mb()
        print("RESULT " + json.dumps(report))
        return
    report["peak_rss_mb"] = peak_rss_mb()
    print("RESULT " + json.dumps(report))


def measure(which: str, path: Path, repeat: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        subprocess.run(
            [sys.executable, "-m", "linli.cli", "migrate", "-v", "0"],
            env=child_environment(db),
            check=True,
            capture_output=True,
        )
        report: dict[str, float] = {}
        # The first import and the re-import run in separate processes, so that each one's
        # peak memory is its own.
        for again in [False, True] if repeat else [False]:
            output = subprocess.run(
                [sys.executable, __file__, "--child", which, "--file", str(path)]
                + (["--repeat"] if again else []),
                env=child_environment(db),
                capture_output=True,
                text=True,
                check=False,
            )
            if output.returncode:
                print(output.stdout[-2000:], output.stderr[-4000:])
                raise SystemExit(f"{which} failed")
            line = next(x for x in output.stdout.splitlines() if x.startswith("RESULT "))
            report.update(json.loads(line.removeprefix("RESULT ")))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", choices=["linli", "import-export"])
    parser.add_argument("--file", type=Path)
    parser.add_argument("--repeat", action="store_true")
    parser.add_argument("--skip-peer", action="store_true", help="measure linli only")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file, args.repeat)
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"residents-{args.rows}.xlsx"
    if not path.exists():
        print(f"generating {path.name} …", flush=True)
        make_workbook(path, args.rows)
    print(f"workbook: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB")
    ours = measure("linli", path, repeat=True)
    print(
        f"linli:                 {ours['seconds']:7.2f} s  {args.rows / ours['seconds']:9,.0f}"
        " rows/s"
        f"  peak RSS {ours['peak_rss_mb']:6.0f} MB  (created {ours['created']:,.0f})"
    )
    for key, value in ours.items():
        if key.startswith("search: "):
            print(f"  {key:<30} {value:6.1f} ms  (count + first page of 30)")
    print(
        f"linli, same file again:{ours['reimport_seconds']:7.2f} s  "
        f"peak RSS {ours['reimport_peak_rss_mb']:6.0f} MB  "
        f"(unchanged {ours['reimport_unchanged']:,.0f})"
    )
    if args.skip_peer:
        return
    peer = measure("import-export", path)
    print(
        f"django-import-export:  {peer['seconds']:7.2f} s  {args.rows / peer['seconds']:9,.0f}"
        " rows/s"
        f"  peak RSS {peer['peak_rss_mb']:6.0f} MB  (created {peer['created']:,.0f})"
    )
    ratio = peer["seconds"] / ours["seconds"]
    print(
        f"ratio: linli is {ratio:.1f}× faster than django-import-export "
        f"(target ≥ 10×); linli peak RSS {ours['peak_rss_mb']:.0f} MB (target < 300 MB)"
    )


if __name__ == "__main__":
    main()
