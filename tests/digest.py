"""One query that says whether any row of any table changed: a digest per table.

The permission matrix compares the database before and after every denied request; loading every
row of every table through the ORM made that check most of the suite's time.
"""

from __future__ import annotations

from django.db import connection


def _tables(exclude: set[str]) -> list[str]:
    names = connection.introspection.table_names(include_views=False)
    return sorted(n for n in names if n not in exclude and not n.startswith("sqlite_"))


def _sqlite_term(table: str, columns: list[str]) -> str:
    quote = connection.ops.quote_name
    row = " || char(31) || ".join(f"quote({quote(c)})" for c in columns)
    # Rows in rowid order, so the same rows give the same text.
    # Table and column names come from the schema, never from input.
    return (
        f"SELECT '{table}', (SELECT count(*) || char(30) || group_concat(r, char(30)) FROM "  # noqa: S608
        f"(SELECT {row} AS r FROM {quote(table)} ORDER BY rowid))"
    )


def _postgres_term(table: str) -> str:
    quote = connection.ops.quote_name
    # Order-independent: the rows' text sorted, then hashed.
    return (
        f"SELECT '{table}', count(*) || ':' || coalesce(md5(string_agg(x::text, chr(30) "  # noqa: S608
        f"ORDER BY x::text)), '') FROM {quote(table)} x"
    )


_queries: dict[tuple[str, frozenset[str]], str] = {}


def table_digests(exclude: set[str] = frozenset()) -> dict[str, str]:  # type: ignore[assignment]
    """{table: digest of all its rows}, for every table but `exclude`, in one query."""
    key = (connection.vendor, frozenset(exclude))
    sql = _queries.get(key)
    if sql is None:
        terms = []
        with connection.cursor() as cursor:
            for table in _tables(set(exclude)):
                if connection.vendor == "sqlite":
                    columns = [
                        c.name
                        for c in connection.introspection.get_table_description(cursor, table)
                    ]
                    terms.append(_sqlite_term(table, columns))
                else:
                    terms.append(_postgres_term(table))
        sql = _queries[key] = " UNION ALL ".join(terms)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {table: str(digest) for table, digest in cursor.fetchall()}
