"""An archive home: its blob store and its database, opened together."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import func, select

from . import db
from .errors import InputError
from .models import Blob, Capture, Post
from .store import Store

DB_NAME = "archive.db"


@dataclass
class Archive:
    home: Path
    store: Store
    engine: Engine

    @classmethod
    def open(cls, home: str | os.PathLike, create: bool = False) -> Archive:
        """Open the archive at `home`; with `create`, make it first if it is not there."""
        home = Path(home)
        if home.exists() and not home.is_dir():
            raise InputError(f"archive {home}: not a directory")
        if not (home / DB_NAME).is_file() and not create:
            raise InputError(f"archive {home}: no archive here (create one with `archiver init`)")
        store = Store(home)
        try:
            store.create()
            engine = db.make_engine(home / DB_NAME)
        except OSError as exc:
            raise InputError(f"archive {home}: {exc.strerror or exc} ({exc.filename})") from exc
        except (OperationalError, sqlite3.DatabaseError) as exc:
            raise InputError(f"archive {home}: unusable database ({exc.args[0]})") from exc
        store.clean_tmp()
        return cls(home=home, store=store, engine=engine)

    def session(self):  # type: ignore[no-untyped-def]
        return db.session(self.engine)

    def stats(self) -> dict[str, int]:
        """Counts of posts, captures and blobs, and the bytes the blobs hold."""
        with self.session() as sess:
            blobs, size = sess.exec(
                select(func.count(), func.coalesce(func.sum(Blob.size), 0))
            ).one()
            return {
                "posts": sess.exec(select(func.count()).select_from(Post)).one(),
                "captures": sess.exec(select(func.count()).select_from(Capture)).one(),
                "blobs": blobs,
                "bytes": size,
            }
