"""The archive's SQLite database: WAL, foreign keys, a busy timeout, and schema migration.

Every transaction starts with `BEGIN IMMEDIATE`, so two archiver processes on one archive queue
behind SQLite's busy timeout instead of failing when both try to write.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from . import models  # noqa: F401  (registers the tables)
from .archive import BUSY_TIMEOUT_S, read_uri
from .errors import SchemaError
from .migrations import LATEST, STEPS, statements

__all__ = ["SchemaError", "make_engine", "migrate", "session"]


def make_engine(path: Path, read_only: bool = False, immutable: bool = False) -> Engine:
    """An engine for the database at `path`, migrated to the latest schema. With `read_only`
    (a read-only archive's database: archive.readable) it is only read, a write failing as it
    would on the archive itself: a private copy is migrated first; an `immutable` one is
    read as it is (its schema is the latest)."""
    if read_only:
        if not immutable:
            make_engine(path).dispose()  # the log replayed and the schema brought up to date
        uri = read_uri(path, immutable).removeprefix("file://")
        return create_engine(
            f"sqlite:///file:{uri}&uri=true", connect_args={"timeout": BUSY_TIMEOUT_S}
        )
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun explicitly, below
        dbapi_conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        dbapi_conn.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL is durable across a crash of the process; blobs are fsynced apart.
        dbapi_conn.execute("PRAGMA synchronous = NORMAL")
        dbapi_conn.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    migrate(engine)
    return engine


def migrate(engine: Engine, target: int = LATEST) -> int:
    """Apply the missing steps up to `target` in one transaction; return the version reached."""
    with engine.begin() as conn:
        current = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
        if current > LATEST:
            raise SchemaError(
                f"archive schema version {current} is newer than this archiver knows ({LATEST}); "
                "upgrade archiver"
            )
        if current == 0:
            tables = conn.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).scalar_one()
            if tables:
                raise SchemaError("the database has tables but no archiver schema version")
        for version, _description, script in STEPS:
            if current < version <= target:
                for statement in statements(script):
                    conn.exec_driver_sql(statement)
                conn.exec_driver_sql(f"PRAGMA user_version = {version}")
                current = version
    return current


@contextmanager
def session(engine: Engine, run: int | None = None) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on error; the blobs it adds
    are the run's, when it works for one."""
    with Session(engine, expire_on_commit=False, info={"run": run}) as sess:
        try:
            yield sess
            sess.commit()
        except BaseException:
            sess.rollback()
            raise
