"""Benchmark: the results of an evaluation campaign of 20,000 answer sheets × 30 questions
(issue #6), on PostgreSQL.

Loads the answers with COPY, then times linli's results computation (what closing the campaign
runs: distributions, breakdowns by grid and building, thresholds) against the single SQL
aggregate a DBA would write over the raw answers. Target: within 2× of it.

    python bench/evaluations.py [--sheets 20000] [--questions 30]   (needs PostgreSQL)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from appeals import environment, prepare_database, timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sheets", type=int, default=20_000)
    parser.add_argument("--questions", type=int, default=30)
    args = parser.parse_args()
    admin = os.environ.get("LINLI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    url = prepare_database(admin)
    os.environ.update(environment(url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from linli.core.access import SYSTEM
    from linli.core.actions import grant_role
    from linli.core.models import Community, District, Grid, Role, Subdistrict, User
    from linli.evaluations import actions
    from linli.people.actions import ResidentInput, register_resident
    from tests.world import id_number

    district = District.objects.create(name="基准区")
    subdistrict = Subdistrict.objects.create(district=district, name="基准街道")
    community = Community.objects.create(subdistrict=subdistrict, name="基准社区", code="bench")
    grids = [Grid.objects.create(community=community, name=f"第{i}网格") for i in range(1, 5)]
    leader = User.objects.create_user(username="leader", full_name="书记")
    grant_role(actor=SYSTEM, user=leader, role=Role.LEADER, community=community)
    register_resident(
        actor=SYSTEM,
        community=community,
        data=ResidentInput(
            name="居民", id_number=id_number(dt.date(1960, 1, 1), 1), address_note="某处"
        ),
    )
    today = timezone.localdate()
    lines = "\n".join(
        f"板块{q // 5} | satisfaction | 第{q + 1}题满意吗" for q in range(args.questions - 2)
    )
    lines += "\n人员 | staff | 书记的工作 | leader\n其他 | single | 最希望改进 | 环境;安全;养老"
    campaign = actions.create_campaign(
        actor=leader,
        community=community,
        data=actions.CampaignInput(
            title="基准测评",
            target="adults",
            opens_on=today,
            closes_on=today,
            questions=actions.parse_questions(community, lines),
        ),
    )
    campaign = actions.open_campaign(actor=leader, campaign=campaign)
    questions = list(campaign.questions.all())
    rng = random.Random(6)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.connection
        with raw.cursor().copy(
            "COPY evaluations_response (id, campaign_id, day, grid_id, building, on_paper) "
            "FROM STDIN"
        ) as copy:
            ids = []
            for _ in range(args.sheets):
                pk = uuid.uuid4()
                ids.append(pk)
                grid = rng.choice(grids)
                copy.write_row((pk, campaign.pk, today, grid.pk, str(rng.randrange(1, 40)), False))
        with raw.cursor().copy(
            "COPY evaluations_answer (response_id, question_id, number, choices, text) FROM STDIN"
        ) as copy:
            for pk in ids:
                for q in questions:
                    if q.kind == "staff_score":
                        number = rng.randrange(50, 101)
                    elif q.kind == "single":
                        number = rng.randrange(3)
                    else:
                        number = rng.choice((5, 5, 4, 4, 4, 3, 3, 2, 1))
                    copy.write_row((pk, q.pk, number, "[]", ""))
        cursor.execute("ANALYZE evaluations_response")
        cursor.execute("ANALYZE evaluations_answer")
    print(
        f"loaded {args.sheets:,} answer sheets × {len(questions)} questions "
        f"({args.sheets * len(questions):,} answers) with COPY in "
        f"{time.perf_counter() - start:.1f} s"
    )

    def linli() -> None:
        actions.compute_results(campaign)

    def plain_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.question_id, a.number, count(*) FROM evaluations_answer a "
                "JOIN evaluations_response r ON r.id = a.response_id "
                "WHERE r.campaign_id = %s AND a.number IS NOT NULL "
                "GROUP BY a.question_id, a.number",
                [campaign.pk],
            )
            cursor.fetchall()

    ours, sql = timed(linli, 10), timed(plain_sql, 10)
    print(
        f"results      linli p50 {ours[0]:7.1f} ms p95 {ours[1]:7.1f} ms | single SQL aggregate "
        f"p50 {sql[0]:7.1f} ms p95 {sql[1]:7.1f} ms | ratio {ours[0] / sql[0]:.2f}x "
        f"(target within 2x)"
    )
    start = time.perf_counter()
    campaign = actions.close_campaign(actor=leader, campaign=campaign)
    print(
        f"closing the campaign (results, comparison, {campaign.tasks.count()} improvement tasks): "
        f"{(time.perf_counter() - start) * 1000:.0f} ms"
    )
    connection.close()


if __name__ == "__main__":
    main()
