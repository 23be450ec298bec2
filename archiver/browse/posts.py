"""Archived posts, one row each, narrowed by `Filters`: what `archiver list` prints and the
viewer's list shows. Read with plain SQL on a read-only connection."""

from __future__ import annotations

import sqlite3

from ..vocab import POST_MEDIA, JobKind, JobState, MediaStatus, Outcome
from .documents import find_documents
from .filters import Filters, iso, stamp
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


def where(conn: sqlite3.Connection, f: Filters) -> tuple[str, list[object]]:
    """The WHERE clause (on `post p`) and its parameters for `f`."""
    # A post known only from a document's rendering drops out once its citation is identified.
    sql = ["(p.status_id IS NOT NULL OR p.id IN (SELECT post_id FROM reference))"]
    params: list[object] = []
    if f.states:
        sql.append(f"p.state IN ({_marks(f.states)})")
        params += f.states
    if f.handle:
        sql.append("lower(p.handle) = lower(?)")
        params.append(f.handle)
    if f.since or f.until:
        bounds = [("since", ">=", f.since), ("until", "<", f.until)]
        if f.time == "posted":
            for _, op, value in bounds:
                if value:
                    sql.append(f"p.created_at {op} ?")
                    params.append(stamp(value))
        else:
            inner = " AND ".join(f"fetched_at {op} ?" for _, op, v in bounds if v)
            sql.append(f"p.id IN (SELECT post_id FROM capture WHERE {inner})")
            params += [stamp(v) for _, _, v in bounds if v]
    if f.document:
        ids = [d["id"] for d in find_documents(conn, f.document)]
        sql.append(f"p.id IN (SELECT post_id FROM reference WHERE document_id IN ({_marks(ids)}))")
        params += ids
    if f.source:
        sql.append("p.id IN (SELECT post_id FROM capture WHERE source = ? AND outcome IN (?, ?))")
        params += [f.source, Outcome.FOUND, Outcome.EMBEDDED]
    if f.has_media:
        sql.append(f"p.id IN (SELECT post_id FROM media WHERE kind IN ({_marks(KINDS)}))")
        params += KINDS
    if f.failed:
        sql.append(
            f"(p.id IN (SELECT post_id FROM media WHERE status = ? AND kind IN ({_marks(KINDS)}))"
            f" OR p.status_id IN (SELECT target FROM job WHERE state = ? AND kind IN "
            f"({_marks(POST_JOBS)})))"
        )
        params += [MediaStatus.FAILED, *KINDS, JobState.FAILED, *POST_JOBS]
    if f.search:
        found, values = Search.parse(f.search).where("p.id")
        sql += found
        params += values
    return " WHERE " + " AND ".join(sql), params


def count_posts(conn: sqlite3.Connection, f: Filters) -> int:
    """How many posts `f` selects, all pages together."""
    clause, params = where(conn, f)
    return conn.execute(f"SELECT count(*) FROM post p{clause}", params).fetchone()[0]


def list_posts(conn: sqlite3.Connection, f: Filters) -> list[dict[str, object]]:
    """The posts `f` selects, in its order, one dict each (see `row`)."""
    clause, params = where(conn, f)
    order = ORDER[f.sort].format(
        desc="ASC" if f.reverse else "DESC",
        asc="DESC" if f.reverse else "ASC",
        nulls=" NULLS LAST" if f.reverse else "",
    )
    page = f" LIMIT {int(f.limit)} OFFSET {int(f.offset)}" if f.limit else ""
    ids = [
        r[0]
        for r in conn.execute(f"SELECT p.id FROM post p{clause} ORDER BY {order}{page}", params)
    ]
    return rows(conn, ids)


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
