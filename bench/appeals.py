"""Benchmark: appeals at district scale on PostgreSQL (issue #4).

Generates N appeals (default 1,000,000) across 100 communities with COPY, then measures, each
beside its reference in the same run:
  (a) a staff member's to-do list (count + first page) vs the plain SQL a DBA would write;
  (b) the three-rates dashboard of a subdistrict, one month and one year, vs plain SQL;
  (c) submitting an appeal through the web endpoint vs a minimal Django view.
Targets: (a) within 2x of plain SQL; (b) faster than plain SQL, p95 < 100 ms for a year;
(c) at least 0.3 of the minimal view's throughput.

    python bench/appeals.py [--appeals 1000000]     (needs PostgreSQL; LINLI_TEST_POSTGRES_URL)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "linli_bench"


def prepare_database(admin_url: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    url = admin_url.rsplit("/", 1)[0] + f"/{DATABASE}"
    env = environment(url)
    subprocess.run(
        [sys.executable, "-m", "linli.cli", "migrate", "-v", "0"],
        env=env,
        check=True,
        capture_output=True,
    )
    return url


def environment(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "LINLI_ALLOWED_HOSTS": "testserver",
        "LINLI_ENV": "test",
        "LINLI_SECRET_KEY": "bench-" + "s" * 50,
        "LINLI_FIELD_KEY": "bench-" + "f" * 40,
        "LINLI_LOOKUP_KEY": "bench-" + "l" * 40,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "linli.settings",
    }


def timed(function: Callable[[], Any], runs: int) -> tuple[float, float]:
    """(p50, p95) in milliseconds."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def generate(total: int) -> dict[str, Any]:
    """Communities, staff and appeals; appeals by COPY."""
    from django.db import connection

    from linli.appeals.models import Category
    from linli.appeals.rates import rebuild_daily_rates
    from linli.core.models import Community, District, Role, RoleAssignment, Subdistrict, User

    rng = random.Random(4)
    district = District.objects.create(name="基准区")
    subdistricts = [
        Subdistrict.objects.create(district=district, name=f"街道{i}") for i in range(10)
    ]
    communities = [
        Community.objects.create(subdistrict=subdistricts[i // 10], name=f"社区{i}", code=f"c{i}")
        for i in range(100)
    ]
    users = User.objects.bulk_create(
        User(username=f"staff{i}", full_name=f"网格员{i}") for i in range(500)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=u, role=Role.STAFF, community=communities[i // 5])
        for i, u in enumerate(users)
    )
    categories = list(Category.objects.filter(children__isnull=True).values_list("pk", flat=True))
    now = dt.datetime.now(dt.UTC)
    columns = [
        "community_id",
        "number",
        "channel",
        "external_number",
        "contact_name",
        "contact_phone",
        "category_id",
        "urgency",
        "text",
        "place",
        "allow_public",
        "status",
        "outcome",
        "outcome_note",
        "handler_id",
        "verdict",
        "reopen_count",
        "escalated",
        "supervised",
        "created_at",
        "accepted_at",
        "solved_at",
        "reported_at",
        "closed_at",
        "contact_due_at",
        "feedback_due_at",
        "deadline_estimated",
        "idempotency_key",
    ]
    open_states = ["received", "accepted", "in_progress", "referred", "deferred", "solved"]
    verdicts = [
        "very_satisfied",
        "satisfied",
        "satisfied",
        "basically_satisfied",
        "dissatisfied",
        "none",
    ]
    texts = ["楼道灯坏了", "家里停水了", "垃圾没人清运", "电梯经常停运", "楼上噪音扰民"]
    start = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(
            f"COPY appeals_appeal ({', '.join(columns)}) FROM STDIN"
        ) as copy,
    ):
        for i in range(total):
            c = i % 100
            created = now - dt.timedelta(seconds=rng.randrange(730 * 86400))
            handler = users[c * 5 + rng.randrange(5)].pk
            is_open = rng.random() < 0.08
            accepted = created + dt.timedelta(minutes=rng.randrange(240))
            closed = created + dt.timedelta(hours=rng.randrange(24, 240))
            status = rng.choice(open_states) if is_open else "closed"
            copy.write_row(
                (
                    communities[c].pk,
                    f"B{i:08d}",
                    "online",
                    "",
                    "",
                    "",
                    rng.choice(categories),
                    "ordinary",
                    rng.choice(texts),
                    "某处",
                    False,
                    status,
                    "" if is_open else rng.choice(["resolved", "on_the_spot", "cannot"]),
                    "",
                    handler if status != "received" else None,
                    "" if is_open else rng.choice(verdicts),
                    0,
                    False,
                    False,
                    created,
                    None if status == "received" else accepted,
                    None if is_open else closed,
                    None if is_open else closed,
                    None if is_open else closed,
                    created + dt.timedelta(hours=2),
                    created + dt.timedelta(days=7),
                    False,
                    f"bench-{i}",
                )
            )
    generated = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE appeals_appeal")
    # COPY bypasses the actions, so the daily counts are computed once, as after any bulk load.
    start = time.perf_counter()
    rebuild_daily_rates()
    rebuilt = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE appeals_dailyrates")
    return {
        "users": users,
        "subdistrict": subdistricts[0],
        "communities": communities,
        "seconds": generated,
        "rebuild_seconds": rebuilt,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--appeals", type=int, default=1_000_000)
    args = parser.parse_args()
    admin = os.environ.get("LINLI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    url = prepare_database(admin)
    os.environ.update(environment(url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from linli.appeals.models import OPEN_STATUSES, Appeal
    from linli.appeals.rates import daily_rates, daily_rates_by_community
    from linli.core.views_helpers import counted_page

    data = generate(args.appeals)
    print(
        f"generated {args.appeals:,} appeals with COPY in {data['seconds']:.1f} s; "
        f"daily rate counts rebuilt in {data['rebuild_seconds']:.1f} s"
    )

    # (a) the to-do list of one staff member
    rng = random.Random(1)
    staff = data["users"]

    def todo_orm() -> None:
        user = rng.choice(staff)
        # What the to-do page runs: the first page of list rows and the total.
        mine = Appeal.objects.filter(handler=user, status__in=OPEN_STATUSES)
        page = counted_page(mine.for_list().order_by("feedback_due_at", "pk"), 1, 30)
        [row.row_location for row in page]

    placeholders = ", ".join(["%s"] * len(OPEN_STATUSES))

    def todo_sql() -> None:
        user = rng.choice(staff)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM appeals_appeal WHERE handler_id = %s AND "
                f"status IN ({placeholders})",
                [user.pk, *OPEN_STATUSES],
            )
            cursor.fetchall()
            # The same answer as the page: each row's category, handler and location.
            cursor.execute(
                f"SELECT a.id, a.number, a.status, a.feedback_due_at, a.reopen_count, "
                f"a.supervised, a.place, c.name, u.full_name, u.username, h.room, "
                f"h.address_note, e.number, b.number FROM appeals_appeal a "
                f"JOIN appeals_category c ON c.id = a.category_id "
                f"LEFT JOIN core_user u ON u.id = a.handler_id "
                f"LEFT JOIN people_household h ON h.id = a.household_id "
                f"LEFT JOIN people_entrance e ON e.id = h.entrance_id "
                f"LEFT JOIN people_building b ON b.id = e.building_id "
                f"WHERE a.handler_id = %s AND a.status IN ({placeholders}) "
                f"ORDER BY a.feedback_due_at, a.id LIMIT 30",
                [user.pk, *OPEN_STATUSES],
            )
            cursor.fetchall()

    orm, sql = timed(todo_orm, 100), timed(todo_sql, 100)
    print(
        f"(a) to-do list      linli p50 {orm[0]:7.2f} ms p95 {orm[1]:7.2f} ms | plain SQL "
        f"p50 {sql[0]:7.2f} ms p95 {sql[1]:7.2f} ms | ratio {orm[0] / sql[0]:.2f}x "
        f"(target within 2x)"
    )

    # (b) the three rates of a subdistrict
    subdistrict = data["subdistrict"]
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    for label, days in (("month", 30), ("year", 365)):
        start, end = today - dt.timedelta(days=days), today

        first, last = timezone.localdate(start), timezone.localdate(end)

        def rates_orm(first: dt.date = first, last: dt.date = last) -> None:
            # What the subdistrict page runs: the total and one row per community.
            ids = list(subdistrict.communities.values_list("pk", flat=True))
            daily_rates(ids, first, last)
            daily_rates_by_community(ids, first, last)

        def rates_sql(start: dt.datetime = start, end: dt.datetime = end) -> None:
            with connection.cursor() as cursor:
                # The same answer as the page: per community (the total is their sum).
                cursor.execute(
                    "SELECT a.community_id, count(*), "
                    "count(*) FILTER (WHERE a.accepted_at <= a.contact_due_at) "
                    "FROM appeals_appeal a JOIN core_community c ON c.id = a.community_id "
                    "WHERE c.subdistrict_id = %s AND a.status <> 'invalid' "
                    "AND a.contact_due_at >= %s AND a.contact_due_at < %s "
                    "GROUP BY a.community_id",
                    [subdistrict.pk, start, end],
                )
                cursor.fetchall()
                cursor.execute(
                    "SELECT a.community_id, count(*), count(*) FILTER (WHERE a.outcome IN "
                    "('on_the_spot', 'resolved', 'organisation')), count(*) FILTER (WHERE "
                    "a.verdict NOT IN ('', 'none')), count(*) FILTER (WHERE a.verdict IN "
                    "('very_satisfied', 'satisfied', 'basically_satisfied')) "
                    "FROM appeals_appeal a JOIN core_community c ON c.id = a.community_id "
                    "WHERE c.subdistrict_id = %s AND a.status = 'closed' "
                    "AND a.closed_at >= %s AND a.closed_at < %s "
                    "GROUP BY a.community_id",
                    [subdistrict.pk, start, end],
                )
                cursor.fetchall()

        orm, sql = timed(rates_orm, 20), timed(rates_sql, 20)
        print(
            f"(b) rates, {label:<5}    linli p50 {orm[0]:7.1f} ms p95 {orm[1]:7.1f} ms | "
            f"plain SQL p50 {sql[0]:7.1f} ms p95 {sql[1]:7.1f} ms | ratio "
            f"{orm[0] / sql[0]:.2f}x (target < 1x, p95 < 100 ms)"
        )

    # (c) submitting through the web endpoint vs a minimal view
    from linli.appeals.models import Category
    from linli.core.access import SYSTEM
    from linli.people.actions import ResidentInput, link_resident_account, register_resident
    from tests.world import id_number, make_user

    community = data["communities"][0]
    resident = register_resident(
        actor=SYSTEM,
        community=community,
        data=ResidentInput(
            name="基准", id_number=id_number(dt.date(1970, 1, 1), 1), address_note="某处"
        ),
    )
    account = make_user("bench-resident")
    link_resident_account(actor=SYSTEM, resident=resident, user=account)
    client = Client(raise_request_exception=True)
    client.force_login(account)
    category = Category.objects.filter(children__isnull=True).first()
    assert category is not None
    submit_url = reverse("appeals:submit", args=[community.code])
    counter = iter(range(10**9))

    def submit() -> None:
        response = client.post(
            submit_url,
            {
                "category": category.pk,
                "text": "基准诉求",
                "idempotency_key": f"web-{next(counter)}",
            },
        )
        assert response.status_code == 302, response.status_code
        # A browser shows the "sent" message on the next page; unread, they would pile up
        # in the cookie and the cookie would be rewritten ever more slowly.
        client.cookies.pop("messages", None)

    def minimal() -> None:
        assert client.get("/bench/ok").status_code == 200

    from django.test import override_settings

    runs = 300
    with override_settings(ROOT_URLCONF="bench_urls"):
        for function in (submit, minimal):  # warm up: prepared statements, caches
            for _ in range(20):
                function()
        start = time.perf_counter()
        for _ in range(runs):
            submit()
        submit_rate = runs / (time.perf_counter() - start)
        start = time.perf_counter()
        for _ in range(runs):
            minimal()
        minimal_rate = runs / (time.perf_counter() - start)
    print(
        f"(c) submit, in-process  linli {submit_rate:7.1f} req/s | minimal view "
        f"{minimal_rate:7.1f} req/s | ratio {submit_rate / minimal_rate:.2f} "
        "(target >= 0.3; Django test client, one thread)"
    )
    connection.close()
    over_http(community, account, category, client.cookies["sessionid"].value)


def over_http(community: Any, account: Any, category: Any, session: str) -> None:
    """(c) as the reference figures were measured: gunicorn, 2 sync workers, wrk with 32
    connections on the same cores; every submission must have made its appeal."""
    import uuid

    import httpload
    from django.urls import reverse

    from linli.appeals.models import Appeal

    if not httpload.have_wrk():
        print("(c) over HTTP: wrk is not installed (apt-get install wrk); skipped")
        return
    token = httpload.csrf_token()
    headers = {"Cookie": f"sessionid={session}; csrftoken={token}"}
    post_headers = {
        **headers,
        "X-CSRFToken": token,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    seconds = int(os.environ.get("LINLI_BENCH_SECONDS", "15"))
    with httpload.server(environment(os.environ["DATABASE_URL"])) as base:
        submit_url = base + reverse("appeals:submit", args=[community.code])

        def submit(run: str, duration: int) -> httpload.Result:
            body = httpload.form_body(
                {"category": str(category.pk), "text": "基准诉求（HTTP）"}, "idempotency_key", run
            )
            return httpload.wrk(
                submit_url, headers=post_headers, seconds=duration, body_prefix=body
            )

        submit(f"warm-{uuid.uuid4().hex[:8]}", 3)
        httpload.wrk(f"{base}/bench/ok", headers=headers, seconds=3)
        run = f"http-{uuid.uuid4().hex[:8]}"
        posted = submit(run, seconds)
        made = Appeal.objects.filter(idempotency_key__startswith=f"{run}-").count()
        ok = httpload.wrk(f"{base}/bench/ok", headers=headers, seconds=seconds)
        health = httpload.wrk(f"{base}/healthz", headers=headers, seconds=seconds)
    if posted.failed or made < posted.requests:
        raise SystemExit(
            f"submissions failed over HTTP: {posted.failed} errors, {made} appeals made for "
            f"{posted.requests} requests"
        )
    print(
        f"(c) submit, over HTTP   linli {posted.per_second:7.1f} req/s "
        f"(saturated: p50 {posted.p50_ms:.1f} ms, p99 {posted.p99_ms:.1f} ms; "
        f"{made:,} appeals made) "
        f"| minimal view {ok.per_second:7.1f} req/s "
        f"| ratio {posted.per_second / ok.per_second:.2f} (target >= 0.3); "
        f"/healthz (one indexed read) {health.per_second:.1f} req/s"
    )


if __name__ == "__main__":
    main()
