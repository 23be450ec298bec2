"""An archive home: its blob store and its database, opened together.

The database is checked before anything is created: a file that is not SQLite, or one shorter
than its own header says (truncated), is one CorruptDatabase line and the home is left as it was.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import sqlite3
import struct
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CorruptDatabase, InputError, explain
from .migrations import LATEST
from .paths import NotRegular, open_regular, path_kind
from .store import Store
from .team import Place

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from .config import Settings

DB_NAME = "archive.db"
BUSY_TIMEOUT_S = 60  # how long a command waits for another's write to end
SQLITE_MAGIC = b"SQLite format 3\x00"


class Archive:
    """An archive's home, its blob store, and its database (the engine made on first use, so
    the commands that only read need never load SQLAlchemy: see `browse.reader`)."""

    def __init__(
        self,
        home: Path,
        store: Store,
        engine: Engine | None = None,
        place: Place | None = None,
        database: Path | None = None,
        immutable: bool = False,
    ) -> None:
        self.home = home
        self.store = store
        self.place = place or Place()
        self._engine = engine
        # The SQLite file read and written: the home's, or a private copy of a read-only one's;
        # `immutable`: the home's, on read-only media, read as it is (see `readable`)
        self.database = database or home / DB_NAME
        self.immutable = immutable
        self.read_only = immutable or self.database != home / DB_NAME

    @property
    def engine(self) -> Engine:
        """The database's engine, migrated to the latest schema (made when first asked for)."""
        if self._engine is None:
            from . import db

            self._engine = db.make_engine(self.database, self.read_only, self.immutable)
        return self._engine

    @property
    def read_uri(self) -> str:
        """The URI of a read-only connection to the database (sqlite3.connect(uri, uri=True))."""
        return read_uri(self.database, self.immutable)

    @property
    def shared(self) -> bool:
        """A team archive: its database is a server other workers use too."""
        return bool(self.place.database)

    @property
    def lease(self) -> float | None:
        """How long a claim on a job lasts unrenewed: a team archive's lease; None when the
        runs are all on this machine (a claim lasts as long as its process)."""
        return self.place.lease if self.shared else None

    @classmethod
    def open(
        cls, home: str | os.PathLike, create: bool = False, settings: Settings | None = None
    ) -> Archive:
        """Open the archive at `home`; with `create`, make it first if it is not there. Its
        database and store are the home's own unless `settings` (by default: the environment
        and config files, see config.py) name a team's."""
        if settings is None:
            from .config import Settings

            settings = Settings.load({"home": Path(home)})
        return cls.at(Path(home), Place.of(settings), create)

    @classmethod
    def at(cls, home: Path, place: Place, create: bool = False) -> Archive:
        """The archive whose home is `home` and whose rows and blobs are where `place` says."""
        if place.database:
            return cls._shared(home, place, create)
        try:
            kind = path_kind(home)
        except NotRegular as exc:
            raise InputError(f"archive {exc}") from None
        if kind == "file":
            raise InputError(f"archive {home}: not a directory")
        database = home / DB_NAME
        try:
            exists = path_kind(database) is not None
        except NotRegular as exc:
            raise InputError(f"archive {exc}") from None
        if not exists and not create:
            raise InputError(f"archive {home}: no archive here (create one with `archiver init`)")
        if exists:
            check_database(database)
        try:
            engine = None
            if not exists:
                home.mkdir(parents=True, exist_ok=True)
                create_database(database)
            read, immutable = readable(database) if exists else (database, False)
            if not immutable and schema_version(read) != LATEST:
                from . import db  # made now: migrated, or refused (a newer schema)

                engine = db.make_engine(read, read_only=read != database)
            store = place.make_store(home)
            if not exists:  # an archive opened is never changed by opening it (verify reads)
                store.create()
        except Exception as exc:
            mapped = explain(exc, f"archive {database}")
            if mapped is None:
                raise
            if isinstance(mapped, InputError):  # an OSError: name the archive
                mapped = InputError(f"archive {home}: {mapped}")
            raise mapped from exc
        if os.access(home, os.W_OK):
            store.clean_tmp()
        return cls(home, store, engine, place, read, immutable)

    @classmethod
    def _shared(cls, home: Path, place: Place, create: bool) -> Archive:
        """A team archive: rows in PostgreSQL; the home holds only staging and config."""
        from . import pgdb
        from .team import without_password

        where = f"database {without_password(place.database or '')}"
        try:
            engine = pgdb.make_engine(place.database or "", create)
            home.mkdir(parents=True, exist_ok=True)
            store = place.make_store(home)
            store.create()
        except Exception as exc:
            mapped = explain(exc, where)
            if mapped is None:
                raise
            raise mapped from exc
        store.clean_tmp()
        return cls(home=home, store=store, engine=engine, place=place)

    def session(self, run: int | None = None):  # type: ignore[no-untyped-def]
        from . import db

        return db.session(self.engine, run)

    def stats(self) -> dict[str, int]:
        """Counts of posts, captures and blobs, and the bytes the blobs hold."""
        from .browse import reader

        with reader(self) as conn:
            blobs, size = conn.execute(
                "SELECT count(*), coalesce(sum(size), 0) FROM blob"
            ).fetchone()
            return {
                "posts": conn.execute("SELECT count(*) FROM post").fetchone()[0],
                "captures": conn.execute("SELECT count(*) FROM capture").fetchone()[0],
                "blobs": blobs,
                "bytes": int(size),
            }


def create_database(path: Path) -> None:
    """Make the database at `path` whole or not at all. It is built and migrated under a name of
    its own, then linked into place: a run opening the archive meanwhile never finds a half-made
    (empty) file, and when two runs make one archive at once, the first one linked is kept."""
    from . import db
    from .durable import crash_point, fsync_dir, pid_alive

    for old in path.parent.glob(f".{path.name}.*.new*"):  # a draft whose run was killed
        mine = re.fullmatch(rf"\.{re.escape(path.name)}\.(\d+)\.new(?:-wal|-shm)?", old.name)
        if mine and not pid_alive(int(mine[1])):
            old.unlink(missing_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        db.make_engine(draft).dispose()  # the last connection closed: its log is in the file
        crash_point("database:made")
        try:
            os.link(draft, path)
        except FileExistsError:
            return  # another run made it first
        except OSError:  # a file system with no hard links: the window is the rename's alone
            if path_kind(path) is None:
                os.replace(draft, path)
        fsync_dir(path.parent)
    finally:
        for leftover in (draft, *(draft.with_name(draft.name + end) for end in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)


def readable(path: Path) -> tuple[Path, bool]:
    """Where to read the database at `path`, and whether as immutable. SQLite reads a database
    in WAL mode through an index (`-shm`) it makes beside it, which it cannot make in a folder
    that is not writable (a write-blocked evidence copy, a read-only mount). There, with no log
    to replay, the file is read as it is (immutable: nothing writes to it); with a log left
    behind (the folder copied while a run held it), or a schema to bring up to date, from a
    private copy, the log replayed into it, removed when the process ends. Nothing in the
    folder is changed."""
    wal, index = (path.with_name(path.name + end) for end in ("-wal", "-shm"))
    if os.access(path.parent, os.W_OK) or index.exists():
        return path, False
    logged = wal.exists() and wal.stat().st_size > 0
    if not logged and schema_version(path, immutable=True) == LATEST:
        return path, True
    folder = tempfile.mkdtemp(prefix="archiver-read-")
    atexit.register(shutil.rmtree, folder, True)
    copy = Path(folder) / path.name
    shutil.copyfile(path, copy)
    if logged:
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    return copy, False


def read_uri(path: Path, immutable: bool = False) -> str:
    """The URI of a read-only connection to the database at `path`."""
    return path.resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")


def schema_version(path: Path, immutable: bool = False) -> int:
    """The schema version of the database at `path` (read without loading SQLAlchemy)."""
    conn = sqlite3.connect(read_uri(path, immutable), uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def check_database(path: Path) -> None:
    """CorruptDatabase when `path` is not an SQLite database or is shorter than its header says
    (checked only when no write-ahead log holds pages that are not in the file yet)."""
    try:
        with open_regular(path) as handle:
            header = handle.read(100)
            size = os.fstat(handle.fileno()).st_size
    except NotRegular as exc:
        raise InputError(f"archive {exc}") from None
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        what = "empty" if not header else "not an SQLite database"
        raise CorruptDatabase(f"archive {path}: {what}; restore it from a backup")
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    counter, pages, valid_for = struct.unpack(">I", header[24:28]), header[28:32], header[92:96]
    wal = path.with_name(path.name + "-wal")
    if struct.unpack(">I", valid_for) == counter and not (wal.exists() and wal.stat().st_size):
        expected = struct.unpack(">I", pages)[0] * page_size
        if size < expected:
            raise CorruptDatabase(
                f"archive {path}: truncated ({size:,} of {expected:,} bytes); "
                "restore it from a backup"
            )
