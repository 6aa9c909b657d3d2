"""Benchmark: a secret ballot of 10,000 voters on PostgreSQL (issue #7).

Casts 10,000 ballots through the web endpoint (`POST /c/<code>/ballots/<pk>/vote/`) from
several threads at once, each voter logged in as themselves, then closes the ballot and counts
it. Prints casts per second and the count time, and checks that exactly one ballot per voter
was counted.

    python bench/ballots.py [--voters 10000] [--threads 8]   (needs PostgreSQL)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from appeals import environment, prepare_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voters", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=8)
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

    from linli.ballots import actions
    from linli.ballots.models import CastBallot, RollEntry
    from linli.core import crypto
    from linli.core.access import SYSTEM
    from linli.core.actions import grant_role
    from linli.core.models import Community, District, Role, RoleAssignment, Subdistrict, User
    from linli.people.models import Resident
    from tests.world import id_number

    district = District.objects.create(name="基准区")
    subdistrict = Subdistrict.objects.create(district=district, name="基准街道")
    community = Community.objects.create(subdistrict=subdistrict, name="基准社区", code="bench")
    leader = User.objects.create_user(username="leader", full_name="书记")
    grant_role(actor=SYSTEM, user=leader, role=Role.LEADER, community=community)
    start = time.perf_counter()
    users = User.objects.bulk_create(
        User(username=f"v{i}", full_name=f"选民{i}") for i in range(args.voters)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=u, role=Role.RESIDENT, community=community) for u in users
    )
    residents = []
    for i, user in enumerate(users):
        number = id_number(dt.date(1950, 1, 1) + dt.timedelta(days=i % 15000), i)
        residents.append(
            Resident(
                community=community,
                name=f"选民{i}",
                name_initials="xm",
                name_pinyin="xuanmin",
                gender="M",
                birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=i % 15000),
                id_number=number,
                id_hash=crypto.lookup_hash(number + str(i)),
                user=user,
            )
        )
    Resident.objects.bulk_create(residents, batch_size=2000)
    ballot = actions.create_ballot(
        actor=leader,
        community=community,
        data=actions.BallotInput(
            kind="appraisal",
            title="基准民主评议",
            electorate="adults",
            candidates=("甲", "乙", "丙", "丁", "戊", "己"),
        ),
    )
    ballot = actions.open_ballot(actor=leader, ballot=ballot)
    members = list(ballot.candidates.all())
    print(
        f"{args.voters:,} voters registered and the roll frozen in "
        f"{time.perf_counter() - start:.1f} s"
    )
    url_vote = reverse("ballots:vote", args=[community.code, ballot.pk])

    # Each voter's browser: logged in before the clock starts.
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    connection.close()

    errors: list[str] = []

    def work(part: list[Client]) -> None:
        try:
            for n, client in enumerate(part):
                data = {
                    f"c{m.pk}": ("excellent" if (n + i) % 6 == 0 else "competent")
                    for i, m in enumerate(members)
                }
                response = client.post(url_vote, data)
                if response.status_code != 200 or b"receipt" not in response.content:
                    errors.append(str(response.status_code))
        finally:
            connection.close()

    parts = [clients[i :: args.threads] for i in range(args.threads)]
    threads = [threading.Thread(target=work, args=(p,)) for p in parts]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    cast = CastBallot.objects.filter(ballot=ballot).count()
    print(
        f"cast {cast:,} ballots through the web endpoint with {args.threads} threads in "
        f"{elapsed:.1f} s: {cast / elapsed:.0f} casts/s ({len(errors)} errors)"
    )
    assert cast == args.voters == RollEntry.objects.filter(ballot=ballot, voted=True).count()

    start = time.perf_counter()
    ballot = actions.close_ballot(actor=leader, ballot=ballot)
    ballot = actions.count_ballot(actor=leader, ballot=ballot)
    counted = time.perf_counter() - start
    print(
        f"closed and counted {ballot.results['cast']:,} ballots in {counted:.2f} s "
        f"(bulletin SHA-256 {ballot.bulletin_sha256[:16]}…)"
    )
    connection.close()


if __name__ == "__main__":
    main()
