"""The raw SQLite file (and its write-ahead log) never holds an ID number or health note."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

WRITER = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from linli.core.access import SYSTEM
from linli.people.actions import ResidentInput, register_resident
from linli.people.demo import load_demo
from linli.people.models import Resident
community, _ = load_demo()
register_resident(actor=SYSTEM, community=community, data=ResidentInput(
    name="秘密", id_number="11010519491231002X", building="99", entrance="1", room="101",
    health_notes="ZZ-HEALTH-MARKER 糖尿病"))
for r in Resident.objects.order_by("pk")[:20]:
    print(r.id_number)
"""


def test_sensitive_values_are_not_in_the_database_file(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "linli.settings",
        "LINLI_ENV": "test",
        "LINLI_SECRET_KEY": "s" * 50,
        "LINLI_FIELD_KEY": "f" * 40,
        "LINLI_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'linli.sqlite3'}",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", WRITER], env=env, capture_output=True, text=True, check=True
    )
    id_numbers = result.stdout.split()
    assert len(id_numbers) == 20
    assert "11010519491231002X" not in id_numbers  # the demo's first twenty are other people
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("linli.sqlite3*"))
    assert len(raw) > 1_000_000
    for secret in [*id_numbers, "11010519491231002X", "ZZ-HEALTH-MARKER"]:
        assert secret.encode() not in raw
    assert "糖尿病".encode() not in raw
    assert "秘密".encode() in raw  # names are not secret: the check can see plain text
