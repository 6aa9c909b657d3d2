"""Fail with a helpful message when the PostgreSQL server for the tests cannot be reached."""

from __future__ import annotations

import sys

import psycopg


def main(url: str) -> int:
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            version = conn.execute("show server_version").fetchone()
    except psycopg.Error as exc:
        print(f"PostgreSQL is not reachable at {url}: {exc}".strip())
        print("Start a server (Debian: apt-get install postgresql) and point")
        print("LINLI_TEST_POSTGRES_URL at it, or run 'make test-fast' to skip PostgreSQL.")
        return 1
    print(f"PostgreSQL {version[0] if version else '?'} at {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
