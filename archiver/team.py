"""Where an archive's rows and blobs live: the home's own SQLite file and objects folder (the
embedded default), or a team's PostgreSQL database and S3-compatible bucket, shared by workers
on many machines. A team archive's home is still a local folder: staging (`tmp/`) and config.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from .errors import InputError
from .store import Store

if TYPE_CHECKING:
    from .config import Settings


def without_password(url: str) -> str:
    """`url` with any password (of its user part, or libpq's `password=` parameter) written
    `***`."""
    parts = urlsplit(url)
    if parts.password is not None:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        parts = parts._replace(netloc=netloc)
    query = re.sub(r"(?i)(^|&)(password=)[^&]*", r"\1\2***", parts.query)
    return urlunsplit(parts._replace(query=query))


def is_postgres(url: str | None) -> bool:
    """Whether `url` names a PostgreSQL database."""
    return bool(url) and str(url).split(":", 1)[0] in (
        "postgresql",
        "postgres",
        "postgresql+psycopg",
    )


@dataclass(frozen=True)
class Place:
    """The settings that say where an archive is (picklable: the writer process reopens it)."""

    database: str | None = field(default=None, repr=False)  # PostgreSQL; None: archive.db
    store: str | None = None  # s3://BUCKET/PREFIX; None: objects/ in the home
    s3_endpoint: str | None = None
    s3_region: str = "us-east-1"
    s3_keys: str | None = field(default=None, repr=False)
    lease: float = 300.0

    @classmethod
    def of(cls, settings: Settings) -> Place:
        if settings.database and not is_postgres(settings.database):
            shown = without_password(settings.database)[:200]
            raise InputError(
                f"database {shown!r}: expected postgresql://USER@HOST/NAME "
                "(leave it unset for the archive's own SQLite file)"
            )
        if settings.store and not settings.store.startswith("s3://"):
            raise InputError(
                f"store {settings.store[:200]!r}: expected s3://BUCKET/PREFIX "
                "(leave it unset for the archive's own objects folder)"
            )
        return cls(
            settings.database,
            settings.store,
            settings.s3_endpoint,
            settings.s3_region,
            settings.s3_keys,
            settings.lease,
        )

    def make_store(self, home: Path) -> Store:
        """The blob store: the home's folder, or the bucket (staging in the home's tmp/)."""
        if not self.store:
            return Store(home)
        from .s3store import S3Store

        return S3Store(home, self.store, self.s3_endpoint, self.s3_region, keys=self.s3_keys)
