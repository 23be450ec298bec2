"""Browsing an archive: posts narrowed by filters and full-text search, cited documents with
what became of their citations, and the queue. Read-only: nothing here writes.

    from archiver.browse import Filters, list_posts, reader
    with reader(archive) as conn:
        rows = list_posts(conn, Filters.parse(state=["gone"], search="حمص"))
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from ..archive import BUSY_TIMEOUT_S, Archive
from .documents import document_page, documents, find_documents
from .filters import Filters
from .jobs import jobs
from .pgreader import pg_reader
from .posts import count_posts, list_posts
from .search import Search


@contextmanager
def reader(archive: Archive) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the archive's database (it never holds a writer back)."""
    if archive.shared:  # a team archive: PostgreSQL, read through the same interface
        with pg_reader(archive.place.database or "") as conn:
            yield conn  # type: ignore[misc]
        return
    conn = sqlite3.connect(
        archive.read_uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    try:
        yield conn
    finally:
        conn.close()


__all__ = [
    "Filters",
    "Search",
    "count_posts",
    "document_page",
    "documents",
    "find_documents",
    "jobs",
    "list_posts",
    "reader",
]
