"""Serve linli with gunicorn and a background worker beside it."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve linli (gunicorn) with a background task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-worker", action="store_true", help="do not start a worker")

    def handle(self, *args: Any, **options: Any) -> None:
        children: list[subprocess.Popen[bytes]] = []
        if not options["no_worker"]:
            children.append(subprocess.Popen([sys.executable, "-m", "linli.cli", "worker"]))
            # Appeal reminders and escalations every five minutes.
            children.append(
                subprocess.Popen([sys.executable, "-m", "linli.cli", "tick", "--every", "300"])
            )
        bind = f"{options['host']}:{options['port']}"
        self.stdout.write(self.style.SUCCESS(f"linli 邻里: http://{bind}/"))
        children.append(
            subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "linli.wsgi",
                    "--bind",
                    bind,
                    "--workers",
                    str(options["workers"]),
                    "--config",
                    "python:linli.gunicorn_conf",
                ]
            )
        )

        def stop(*_args: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(child.poll() is None for child in children):
                try:
                    children[-1].wait(timeout=1)
                except subprocess.TimeoutExpired:
                    continue
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for child in children:
                child.wait(timeout=10)
