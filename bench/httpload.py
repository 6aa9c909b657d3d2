"""Throughput over HTTP, as the reference figures were measured (the design's PERFORMANCE.md):
gunicorn with 2 sync workers (LINLI_BENCH_WORKERS), and wrk on the same cores with 32
connections. The latencies are those of a saturated closed loop (queueing included)."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORKERS = int(os.environ.get("LINLI_BENCH_WORKERS", "2"))
CONNECTIONS = 32


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(env: dict[str, str]) -> Iterator[str]:
    """gunicorn serving linli (and the minimal view) on a free port, until the block ends."""
    port = _free_port()
    environment = {
        **env,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(BENCH)]),
        "LINLI_ALLOWED_HOSTS": "127.0.0.1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "linli.wsgi",
        ],
        env=environment,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/bench/ok", timeout=5)  # noqa: S310
                break
            except OSError:  # refused, reset or timed out while it starts
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@dataclass
class Result:
    requests: int
    per_second: float
    failed: int
    p50_ms: float
    p99_ms: float


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, *, headers: dict[str, str], seconds: int, body_prefix: str = "") -> Result:
    """Run wrk against one URL: GET, or POST of `body_prefix` + a key unique per request."""
    lua = ["local n = 0", "local threads = 0"]
    lua.append("function setup(thread) threads = threads + 1; thread:set('tid', threads) end")
    method = "POST" if body_prefix else "GET"
    lua.append("request = function()")
    if body_prefix:
        lua.append("  n = n + 1")
        lua.append(f"  local body = {_lua(body_prefix)} .. tid .. '-' .. n")
    else:
        lua.append("  local body = nil")
    lua.append(f"  return wrk.format('{method}', nil, nil, body)")
    lua.append("end")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lua))
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s", script.name]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    # The latency distribution's own lines ("    50%  144.70ms"), not a "68.50%" elsewhere.
    p50 = re.search(r"^\s+50%\s+(\S+)$", out, re.M).group(1)  # type: ignore[union-attr]
    p99 = re.search(r"^\s+99%\s+(\S+)$", out, re.M).group(1)  # type: ignore[union-attr]
    failed = (int(bad.group(1)) if bad else 0) + (
        sum(int(n) for n in errors.groups()) if errors else 0
    )
    return Result(total, rate, failed, _ms(p50), _ms(p99))


def _lua(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def form_body(fields: dict[str, str], key_field: str, run: str) -> str:
    """The url-encoded form with the key field last, its value to be completed per request."""
    encoded = urllib.parse.urlencode(fields)
    return f"{encoded}&{key_field}=" + urllib.parse.quote(f"{run}-")


def csrf_token() -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(32))
