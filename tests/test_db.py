"""The database: pragmas, concurrent writers, schema versions and migration."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, create_engine, select

from archiver import db
from archiver.archive import DB_NAME, Archive, schema_version
from archiver.migrations import LATEST, STEPS
from archiver.models import Blob, Document, Post


def test_pragmas(home: Path) -> None:
    archive = Archive.open(home, create=True)
    with archive.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
    assert schema_version(archive.home / DB_NAME) == LATEST


def test_foreign_keys_are_enforced(home: Path) -> None:
    archive = Archive.open(home, create=True)
    with pytest.raises(IntegrityError), archive.session() as sess:
        sess.add(Document(blob_digest="sha256:" + "0" * 64, path="missing.txt"))


def test_failed_session_rolls_back(home: Path) -> None:
    archive = Archive.open(home, create=True)
    with pytest.raises(RuntimeError), archive.session() as sess:
        sess.add(Post(status_id="20", handle="jack"))
        sess.flush()
        raise RuntimeError("boom")
    with archive.session() as sess:
        assert sess.exec(select(Post)).all() == []


WRITER = """
import sys
from archiver.archive import Archive
from archiver.models import Blob
archive = Archive.open(sys.argv[1])
for i in range(int(sys.argv[3])):
    with archive.session() as sess:
        sess.add(Blob(digest=f"sha256:{sys.argv[2]}{i:063x}", size=i))
"""


def test_two_processes_write_at_once_without_failing(home: Path) -> None:
    archive = Archive.open(home, create=True)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(home), tag, "150"], stderr=subprocess.PIPE, text=True
        )
        for tag in ("a", "b")
    ]
    for proc in writers:
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
    with archive.session() as sess:
        digests = sess.exec(select(Blob.digest)).all()
    assert len(digests) == 300
    assert {d[7] for d in digests} == {"a", "b"}


SEARCH = "name LIKE 'search\\_%' ESCAPE '\\'"  # full-text search: in migrations only


def _schema(path: Path) -> dict[str, object]:
    """Tables with their columns, indexes and foreign keys, as SQLite reports them (the search
    tables, which no model declares, aside)."""
    conn = sqlite3.connect(path)
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            f"AND NOT {SEARCH}"
        )
    ]
    schema: dict[str, object] = {}
    for table in tables:
        columns = sorted(
            (name, type_.upper(), notnull, pk)
            for _, name, type_, notnull, _default, pk in conn.execute(
                f'PRAGMA table_info("{table}")'
            )
        )
        indexes = sorted(
            (unique, tuple(r[2] for r in conn.execute(f'PRAGMA index_info("{name}")')))
            for _, name, unique, *_ in conn.execute(f'PRAGMA index_list("{table}")')
            if not name.startswith("search_")
        )
        fks = sorted(
            (r[2], r[3], r[4]) for r in conn.execute(f'PRAGMA foreign_key_list("{table}")')
        )
        schema[table] = {"columns": columns, "indexes": indexes, "foreign_keys": fks}
    conn.close()
    return schema


def test_migrations_build_exactly_the_schema_the_models_declare(tmp_path: Path) -> None:
    migrated = tmp_path / "migrated.db"
    db.make_engine(migrated).dispose()
    declared = tmp_path / "declared.db"
    engine = create_engine(f"sqlite:///{declared}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    assert _schema(migrated) == _schema(declared)


def _search_objects(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    rows = conn.execute(f"SELECT type, name, sql FROM sqlite_master WHERE {SEARCH} ORDER BY name")
    found = [(t, n, " ".join((sql or "").split())) for t, n, sql in rows]
    conn.close()
    return found


def test_search_is_only_tables_views_and_triggers_named_search(tmp_path: Path) -> None:
    db.make_engine(tmp_path / "fresh.db").dispose()
    kinds = {(t, n) for t, n, _ in _search_objects(tmp_path / "fresh.db")}
    assert {("table", "search_words"), ("table", "search_grams")} <= kinds
    assert ("view", "search_body") in kinds and ("trigger", "search_post_update") in kinds
    assert ("index", "search_post_handle") in kinds
    conn = sqlite3.connect(tmp_path / "fresh.db")
    others = conn.execute(
        f"SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') AND NOT {SEARCH}"
    ).fetchall()
    conn.close()
    assert others == []  # every object a model does not declare is recognisably search's


@pytest.mark.parametrize("old_version", [v for v, _, _ in STEPS if v < LATEST])
def test_an_archive_with_an_older_schema_is_migrated_and_keeps_its_rows(
    home: Path, old_version: int
) -> None:
    home.mkdir()
    old = create_engine(f"sqlite:///{home / 'archive.db'}")
    assert db.migrate(old, target=old_version) == old_version
    with old.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO blob (digest, size, derived, created_at) "
            "VALUES ('sha256:" + "1" * 64 + "', 5, 0, '2024-12-06 10:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO post (status_id, handle, state, first_seen_at, updated_at) "
            "VALUES ('1864994181010350326', 'lummideast', 'live', '2024-12-06', '2024-12-06')"
        )
    old.dispose()

    archive = Archive.open(home)
    assert schema_version(archive.home / DB_NAME) == LATEST
    with archive.session() as sess:
        assert sess.exec(select(Blob.size)).all() == [5]
        assert sess.exec(select(Post.handle)).all() == ["lummideast"]
    declared = home.parent / "declared.db"
    SQLModel.metadata.create_all(create_engine(f"sqlite:///{declared}"))
    assert _schema(home / "archive.db") == _schema(declared)
    fresh = home.parent / "fresh.db"
    db.make_engine(fresh).dispose()
    assert _search_objects(home / "archive.db") == _search_objects(fresh)
    conn = sqlite3.connect(home / "archive.db")  # the post from before search is found
    found = conn.execute("SELECT rowid FROM search_words WHERE search_words MATCH 'lummideast'")
    assert found.fetchall() == [(1,)]
    conn.close()


def test_a_newer_schema_is_refused(home: Path) -> None:
    Archive.open(home, create=True).engine.dispose()
    conn = sqlite3.connect(home / "archive.db")
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    with pytest.raises(db.SchemaError, match="newer than this archiver"):
        Archive.open(home)


def test_a_foreign_database_is_refused(home: Path) -> None:
    home.mkdir()
    conn = sqlite3.connect(home / "archive.db")
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    with pytest.raises(db.SchemaError, match="no archiver schema version"):
        Archive.open(home)
