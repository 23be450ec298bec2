"""`archiver migrate`: copy an embedded archive (SQLite and its objects folder) into a team
archive (PostgreSQL and an S3-compatible bucket), then verify the copy.

Blobs go first, then rows, so that no row ever names a blob the team store lacks. Both steps
resume where a stopped copy left off: a blob already in the store at its size is not sent again
(one cut short on the way is sent again, over it), and each table is copied in key order, batch
by batch (each batch one transaction), from the last key the team database holds. Row ids are
kept, so every reference between rows stays as it was; the id sequences are then moved past
them. A team database that holds rows of another archive is refused: migrate copies into an
empty one (or the one it began). At the end every table of the copy must hold exactly the
original's rows (their count and a sum of their keys' hashes) and the team archive must verify.
A row the original changed after it was copied, during a stopped migration, is not copied again:
migrate from an archive no run is writing to.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Table, bindparam, func, select, text
from sqlalchemy.exc import SAWarning
from sqlmodel import SQLModel

from .archive import Archive
from .errors import InputError
from .progress import Progress, ensure
from .rows.records import insert_ignore
from .s3store import whole
from .store import Staged
from .team import Place
from .verify import Report, verify

BATCH = 1000  # rows per transaction
GROUP = 32  # blobs staged, then uploaded together
MARK = "archiver_migrated_from"  # names the embedded archive a team database was copied from


@dataclass
class Migration:
    """What a migration did: blobs sent and found there, rows copied per table, the check."""

    blobs_sent: int = 0
    blobs_there: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # blobs the embedded archive lacks
    differs: list[str] = field(default_factory=list)  # tables whose rows the copy does not match
    report: Report | None = None

    @property
    def ok(self) -> bool:
        return not self.missing and not self.differs and self.report is not None and self.report.ok

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "blobs_sent": self.blobs_sent,
            "blobs_there": self.blobs_there,
            "rows": self.rows,
            "missing": self.missing,
            "differs": self.differs,
            "verify": self.report.to_dict() if self.report else None,
        }


def migrate(home: Path, to: Place, progress: Progress | None = None) -> Migration:
    """Copy the embedded archive at `home` into the team archive `to`, and verify it."""
    if not to.database or not to.store:
        raise InputError("migrate: name the team archive's database and store (--to, --store)")
    progress = ensure(progress)
    source = Archive.at(home, Place())
    if source.store.remote or source.shared:
        raise InputError(f"migrate: {home} is not an embedded archive")
    target = Archive.at(home, to, create=True)
    done = Migration()
    _claim_target(source, target)
    copy_blobs(source, target, done, progress)
    order = tables()
    for at, table in enumerate(order):
        done.rows[table.name] = copy_rows(source, target, table, _late(table, order[at:]))
    for table in order:  # what pointed forward (a cycle: a run's custody blob) filled in now
        _fill_late(source, target, table, _late(table, order[order.index(table) :]))
    _move_sequences(target)
    done.differs = [t.name for t in order if _keys(source, t) != _keys(target, t)]
    done.report = verify(target, progress=progress)
    return done


def _keys(archive: Archive, table: Table) -> tuple[int, int]:
    """How many rows `table` holds, and the sum of their keys' SHA-256 (mod 2**256, so that the
    two databases' orders do not matter): the copy must hold exactly the original's rows, none
    dropped on a conflict and none more."""
    import hashlib

    (key,) = table.primary_key.columns
    total, count = 0, 0
    with archive.engine.connect() as conn:
        for (value,) in conn.execution_options(yield_per=BATCH).execute(select(key)):
            total += int.from_bytes(hashlib.sha256(f"{value}".encode()).digest(), "big")
            count += 1
    return count, total % 2**256


def _claim_target(source: Archive, target: Archive) -> None:
    """Refuse a team database that holds another archive's rows; mark it as this one's copy."""
    name = str(source.home.resolve())
    with target.engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE IF NOT EXISTS {MARK} (source TEXT NOT NULL)"))
        marks = [r[0] for r in conn.execute(text(f"SELECT source FROM {MARK}"))]
        holds = any(
            conn.execute(select(func.count()).select_from(table)).scalar() for table in tables()
        )
        if marks and name not in marks or holds and not marks:
            raise InputError(
                "migrate: the team database already holds another archive; "
                "migrate into an empty database"
            )
        if not marks:
            conn.execute(text(f"INSERT INTO {MARK} VALUES (:name)"), {"name": name})


def _digests(source: Archive) -> Iterator[tuple[str, int]]:
    from .models import Blob

    with source.engine.connect() as conn:
        yield from conn.execute(select(Blob.digest, Blob.size).order_by(Blob.digest))


def copy_blobs(source: Archive, target: Archive, done: Migration, progress: Progress) -> None:
    """Every blob the rows name, sent unless the team store has it whole (read and hashed
    again on the way: a local copy that went bad is named, not sent)."""
    there = dict(target.store.stored())  # type: ignore[attr-defined]
    wanted = list(_digests(source))
    progress.start(sum(size for _, size in wanted), unit="bytes")
    group: list[Staged] = []
    for digest, size in wanted:
        if whole(there.get(digest), size):
            done.blobs_there += 1
            progress.advance(size)
            continue
        try:
            with source.store.open(digest) as handle:
                staged = target.store.stage(handle)
        except (OSError, InputError):
            done.missing.append(digest)
            continue
        if staged.digest != digest:  # the local copy is damaged: `verify` says more
            target.store.discard([staged])
            done.missing.append(digest)
            continue
        group.append(staged)
        if len(group) >= GROUP:
            _send(target, group, done, progress)
    _send(target, group, done, progress)


def _send(target: Archive, group: list[Staged], done: Migration, progress: Progress) -> None:
    target.store.settle(group)
    done.blobs_sent += len(group)
    for staged in group:
        progress.advance(staged.size, f"{staged.digest}: sent")
    group.clear()


def tables() -> list[Table]:
    """Every table, parents before the rows that name them; a cycle (a run names its custody
    blob, a blob its run) is broken by `_late`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        return list(SQLModel.metadata.sorted_tables)


def _late(table: Table, rest: list[Table]) -> list[str]:
    """`table`'s columns that name rows of a table copied after it (or itself): copied empty,
    filled in once every table is there."""
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table in rest]


def _fill_late(source: Archive, target: Archive, table: Table, late: list[str]) -> None:
    (key,) = table.primary_key.columns
    for name in late:
        column = table.c[name]
        query = select(key, column).where(column.is_not(None)).order_by(key)
        with source.engine.connect() as reading:
            found = [{"k": k, "v": v} for k, v in reading.execute(query)]
        for start in range(0, len(found), BATCH):
            with target.engine.begin() as conn:
                conn.execute(
                    table.update()
                    .where(key == bindparam("k"), column.is_(None))
                    .values({name: bindparam("v")}),
                    found[start : start + BATCH],
                )


def copy_rows(source: Archive, target: Archive, table: Table, late: list[str]) -> int:
    """Copy `table`'s rows in key order from the last key the team database holds (`late`
    columns left empty); return how many were copied."""
    (key,) = table.primary_key.columns
    with target.engine.connect() as conn:
        last = conn.execute(select(func.max(key))).scalar()
    copied = 0
    with source.engine.connect() as reading:
        while True:
            query = select(table).order_by(key).limit(BATCH)
            if last is not None:
                query = query.where(key > last)
            rows = [{**r._mapping, **dict.fromkeys(late)} for r in reading.execute(query)]
            if not rows:
                return copied
            with target.session() as sess:
                insert_ignore(sess, table, rows)
            copied += len(rows)
            last = rows[-1][key.name]


def _move_sequences(target: Archive) -> None:
    """Each id sequence past the ids copied, so that new rows get new ids."""
    with target.engine.begin() as conn:
        for table in tables():
            (key,) = table.primary_key.columns
            if key.autoincrement is False or key.type.python_type is not int:
                continue
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{key.name}'), "
                    f'coalesce((SELECT max("{key.name}") FROM "{table.name}"), 0) + 1, false)'
                )
            )
