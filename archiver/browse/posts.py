"""Archived posts, one row each, narrowed by `Filters`: what `archiver list` prints and the
viewer's list shows. Read with plain SQL on a read-only connection."""

from __future__ import annotations

import sqlite3

from ..vocab import POST_MEDIA, JobKind, JobState, MediaStatus, Outcome
from .documents import find_documents
from .filters import Filters, iso, stamp
from .pgreader import POSTGRESQL, SQLITE, dialect
from .search import Search

ORDER = {  # undated posts and posts without a handle last, whichever way round
    "posted": "p.created_at {desc}{nulls}, p.id {desc}",
    "archived": "p.first_seen_at {desc}, p.id {desc}",
    "handle": "lower(p.handle) {asc} NULLS LAST, p.created_at DESC, p.id DESC",
}
POST_JOBS = (JobKind.POST, JobKind.QUOTED)
KINDS = sorted(POST_MEDIA)  # what a post shows; an avatar or a card image does not count


def _marks(values: tuple | list) -> str:
    return ", ".join("?" * len(values))


def _having(table: str, condition: str, counting: bool) -> str:
    """Posts that have a row in `table` meeting `condition`. A page of the list walks posts
    newest first and stops when it is full, so it asks of each post in turn (EXISTS); a count
    reads every post, so it reads the set once (IN)."""
    if counting:
        return f"p.id IN (SELECT post_id FROM {table} WHERE {condition})"
    return f"EXISTS (SELECT 1 FROM {table} WHERE post_id = p.id AND {condition})"


def where(conn: sqlite3.Connection, f: Filters, counting: bool = False) -> tuple[str, list]:
    """The WHERE clause (on `post p`) and its parameters for `f`, for a page or a count."""
    sets = counting and not f.search  # with words, their matches are the set to count from
    # A post known only from a document's rendering drops out once its citation is identified.
    sql = ["(p.status_id IS NOT NULL OR EXISTS (SELECT 1 FROM reference WHERE post_id = p.id))"]
    params: list[object] = []
    if f.states:
        sql.append(f"p.state IN ({_marks(f.states)})")
        params += f.states
    if f.handle:
        sql.append("lower(p.handle) = lower(?)")
        params.append(f.handle)
    if f.since or f.until:
        bounds = [(op, stamp(v)) for op, v in ((">=", f.since), ("<", f.until)) if v]
        if f.time == "posted":
            sql += [f"p.created_at {op} ?" for op, _ in bounds]
        else:
            sql.append(
                _having("capture", " AND ".join(f"fetched_at {op} ?" for op, _ in bounds), sets)
            )
        params += [value for _, value in bounds]
    if f.document:
        ids = [d["id"] for d in find_documents(conn, f.document)]
        sql.append(f"p.id IN (SELECT post_id FROM reference WHERE document_id IN ({_marks(ids)}))")
        params += ids
    if f.source:
        sql.append(_having("capture", "source = ? AND outcome IN (?, ?)", sets))
        params += [f.source, Outcome.FOUND, Outcome.EMBEDDED]
    if f.has_media:
        sql.append(_having("media", f"kind IN ({_marks(KINDS)})", sets))
        params += KINDS
    if f.failed:
        failed = _having("media", f"status = ? AND kind IN ({_marks(KINDS)})", sets)
        sql.append(
            f"({failed} OR p.status_id IN (SELECT target FROM job WHERE state = ? "
            f"AND kind IN ({_marks(POST_JOBS)})))"
        )
        params += [MediaStatus.FAILED, *KINDS, JobState.FAILED, *POST_JOBS]
    if f.search:
        # Newest first, the posts are walked in date order and each is looked up in the words'
        # matches (`+` keeps those from driving the walk); a count reads the matches alone.
        walk = not counting and f.sort == "posted"
        found, values = Search.parse(f.search).where(conn, "+p.id" if walk else "p.id")
        sql += found
        params += values
    return " WHERE " + " AND ".join(sql), params


def count_posts(conn: sqlite3.Connection, f: Filters) -> int:
    """How many posts `f` selects, all pages together."""
    others = f.states or f.handle or f.since or f.until or f.document or f.source
    if f.search and not (others or f.has_media or f.failed) and dialect(conn) == SQLITE:
        return _count_matches(conn, Search.parse(f.search))
    clause, params = where(conn, f, counting=True)
    return conn.execute(f"SELECT count(*) FROM post p{clause}", params).fetchone()[0]


def _count_matches(conn: sqlite3.Connection, search: Search) -> int:
    """How many posts have the words, counted in the indexes alone (each indexed row is a
    post), less the posts known only from a document and since identified (see `where`)."""
    matches = search.matches(conn)
    if matches is None:
        return 0
    found = " INTERSECT ".join(f"SELECT rowid FROM {t} WHERE {t} MATCH ?" for t, _ in matches)
    hidden = (
        "SELECT id FROM post WHERE status_id IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM reference WHERE post_id = post.id)"
    )
    query = f"SELECT count(*) FROM ({found}) WHERE rowid NOT IN ({hidden})"
    return conn.execute(query, [e for _, e in matches]).fetchone()[0]


def list_posts(conn: sqlite3.Connection, f: Filters) -> list[dict[str, object]]:
    """The posts `f` selects, in its order, one dict each (see `row`)."""
    clause, params = where(conn, f)
    order = ORDER[f.sort].format(
        desc="ASC" if f.reverse else "DESC",
        asc="DESC" if f.reverse else "ASC",
        # SQLite puts NULLs last going down, PostgreSQL first: said, where they differ
        nulls=" NULLS LAST" if f.reverse or dialect(conn) == POSTGRESQL else "",
    )
    page = f" LIMIT {int(f.limit)} OFFSET {int(f.offset)}" if f.limit else ""
    query = f"SELECT p.id FROM post p{clause} ORDER BY {order}{page}"
    return rows(conn, [r[0] for r in conn.execute(query, params)])


def rows(conn: sqlite3.Connection, ids: list[int]) -> list[dict[str, object]]:
    """The list's row for each post id, in the order given."""
    found: dict[int, dict[str, object]] = {}
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        query = f"""
            SELECT p.*,
                (SELECT count(*) FROM media m WHERE m.post_id = p.id
                    AND m.kind IN ({_marks(KINDS)})) AS media_count,
                (SELECT max(fetched_at) FROM capture c WHERE c.post_id = p.id) AS captured_at,
                coalesce(
                    (SELECT m.kind || ': ' || coalesce(m.reason, 'not fetched') FROM media m
                        WHERE m.post_id = p.id AND m.status = ? AND m.kind IN ({_marks(KINDS)})
                        ORDER BY m.position LIMIT 1),
                    (SELECT j.kind || ': ' || coalesce(j.last_error, 'failed') FROM job j
                        WHERE j.target = p.status_id AND j.state = ?
                        AND j.kind IN ({_marks(POST_JOBS)}) LIMIT 1)) AS problem
            FROM post p WHERE p.id IN ({_marks(chunk)})"""
        params = [*KINDS, MediaStatus.FAILED, *KINDS, JobState.FAILED, *POST_JOBS, *chunk]
        for r in conn.execute(query, params):
            found[r["id"]] = row(r)
    return [found[i] for i in ids if i in found]


def row(r: sqlite3.Row) -> dict[str, object]:
    """One post as the list gives it (`archiver list --json`)."""
    status_id = r["status_id"]
    return {
        "status_id": status_id,
        "url": f"https://x.com/{r['handle'] or 'i/web'}/status/{status_id}" if status_id else None,
        "handle": r["handle"],
        "author_name": r["author_name"],
        "created_at": iso(r["created_at"]),
        "state": r["state"],
        "state_reason": r["state_reason"],
        "lang": r["lang"],
        "text": r["text"],
        "media": r["media_count"],
        "archived_at": iso(r["first_seen_at"]),
        "captured_at": iso(r["captured_at"]),
        "problem": r["problem"],
    }
