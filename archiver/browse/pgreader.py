"""A read-only connection to a team archive's PostgreSQL database that reads like the SQLite one
the browse modules were written for: `?` parameters, rows by position or by name, and times
as the text SQLite holds (`2024-12-06 09:32:35.123456`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

SQLITE, POSTGRESQL = "sqlite", "postgresql"


def dialect(conn: object) -> str:
    """Which database `conn` reads: `sqlite` (sqlite3's connection) or `postgresql`."""
    return getattr(conn, "dialect", SQLITE)


class Row(tuple):
    """A row by position (`r[0]`) or by column name (`r["id"]`), like sqlite3.Row."""

    names: dict[str, int]

    def __new__(cls, values: Sequence[Any], names: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row.names = names
        return row

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        return super().__getitem__(self.names[key] if isinstance(key, str) else key)

    def keys(self) -> list[str]:
        return list(self.names)


def _row_factory(cursor: Any) -> Any:
    names = {c.name: i for i, c in enumerate(cursor.description or [])}
    return lambda values: Row(values, names)


class Reader:
    """`execute(sql, params)` with SQLite's `?` marks; each result row a `Row`."""

    dialect = POSTGRESQL

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cursor = self.conn.cursor(row_factory=_row_factory)
        return cursor.execute(sql.replace("%", "%%").replace("?", "%s"), list(params))


@contextmanager
def pg_reader(url: str) -> Iterator[Reader]:
    """A read-only connection to the database at `url` (a postgresql:// URL)."""
    import psycopg
    from psycopg.types.string import StrDumperUnknown, TextLoader

    conn = psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://"),
        autocommit=True,
        options="-c timezone=UTC -c default_transaction_read_only=on",
    )
    for name in ("timestamp", "timestamptz"):
        conn.adapters.register_loader(name, TextLoader)
    conn.adapters.register_dumper(str, StrDumperUnknown)  # compared with times, as literals
    try:
        yield Reader(conn)
    finally:
        conn.close()
