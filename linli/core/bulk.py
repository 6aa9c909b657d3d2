"""Fast multi-row inserts of already-prepared values, for imports of 100,000 rows.

Building a model instance per row costs more than the database write itself; an import
prepares each column's database value once (dates adapted, secrets encrypted) and hands
whole batches to the driver. Validation and auditing stay with the calling action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """INSERT every row (values in `columns` order, already in database form)."""
    meta = model._meta
    quote = connection.ops.quote_name
    names = ", ".join(quote(_column(model, name)) for name in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise TypeError(f"{model.__name__}.{name} is not a concrete column")
    return field.column


def date_adapter() -> Callable[[Any], Any]:
    """The connection's date adapter, looked up once (imports call it 200,000 times)."""
    return connection.ops.adapt_datefield_value


def adapt_datetime(value: Any) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


# Rows per multi-row INSERT … RETURNING: 17 columns × 500 rows stays under SQLite's
# 32,766-parameter limit and PostgreSQL's 65,535.
RETURNING_BATCH = 500


def insert_rows_returning(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    returning: Sequence[str],
) -> list[tuple[Any, ...]]:
    """INSERT the rows and return the `returning` columns of each (in no particular order)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(_column(model, name)) for name in columns)
    back = ", ".join(quote(_column(model, name)) for name in returning)
    one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    table = quote(model._meta.db_table)
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), RETURNING_BATCH):
            batch = rows[start : start + RETURNING_BATCH]
            values = ", ".join([one_row] * len(batch))
            sql = f"INSERT INTO {table} ({names}) VALUES {values} RETURNING {back}"  # noqa: S608
            cursor.execute(sql, [value for row in batch for value in row])
            found.extend(cursor.fetchall())
    return found
