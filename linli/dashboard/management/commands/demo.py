"""`linli demo`: load the demo community once and print the demo logins.

The command lives in the top layer, the one app that may import every practice app: it
composes the demo of each (the registry, appeals, meetings, ballots, evaluations, care,
welfare), in the order their data depends on each other."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from linli.appeals.demo import load_demo_appeals
from linli.ballots.demo import load_demo_ballots
from linli.care.demo import load_demo_care
from linli.evaluations.demo import load_demo_evaluations
from linli.meetings.demo import load_demo_meetings
from linli.people.demo import DEMO_PASSWORD, demo_logins, load_demo
from linli.welfare.demo import load_demo_welfare


class Command(BaseCommand):
    help = "Load the demo community 幸福里社区 (once) and print its logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("演示数据不能载入生产环境 The demo is never loaded in production")
        community, created = load_demo()
        if created:
            load_demo_appeals(community)
            load_demo_meetings(community)
            load_demo_ballots(community)
            load_demo_evaluations(community)
            load_demo_care(community)
            load_demo_welfare(community)
        if created:
            self.stdout.write(self.style.SUCCESS(f"已载入演示社区 Demo loaded: {community.name}"))
        else:
            self.stdout.write(f"演示社区已存在 Demo already loaded: {community.name}")
        self.stdout.write(f"演示账号 Demo logins (密码 password: {DEMO_PASSWORD})")
        for username, label in demo_logins():
            self.stdout.write(f"  {username:<10} {label}")
