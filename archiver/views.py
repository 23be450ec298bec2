"""What `show` prints of a post: the row, its captures, media and checks, with digests."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from .archive import Archive
from .browse.filters import iso
from .errors import InputError
from .names import post_id_of
from .record import PostRecord, trusted_time
from .vocab import Outcome, Step

SNAPSHOT_RE = re.compile(r"web\.archive\.org/web/(\d{14})")
MEDIA_FIELDS = (
    "kind, blob_digest AS digest, remote_url, rendition, width, height, duration_ms, bitrate, "
    "phash, status, reason, media_type, format, mode, frames, codec, thumbnail_digest"
)
CAPTURE_FIELDS = (
    "source, url, final_url, http_status, fetched_at, blob_digest AS digest, outcome, reason"
)


def _column_in(conn: Any, sql: str, values: list) -> list:
    """The rows of `sql` whose `IN (…)` is `values` (none when it is empty: PostgreSQL refuses
    an empty list)."""
    return conn.execute(sql.format(", ".join("?" * len(values))), values) if values else []


def _dict(row: Any) -> dict[str, Any]:
    return dict(zip(row.keys(), row, strict=True))


def post_view(archive: Archive, name: str, conn: Any = None) -> dict[str, object]:
    """Everything the archive holds of one post, in the shape `show --json` prints. Read with
    plain SQL on a read-only connection (`browse.reader`, or `conn` when one is open)."""
    if conn is None:
        from .browse import reader

        with reader(archive) as opened:
            return post_view(archive, name, opened)
    post = conn.execute("SELECT * FROM post WHERE id = ?", (post_id_of(conn, name),)).fetchone()
    rows = conn.execute(
        f"SELECT {CAPTURE_FIELDS} FROM capture WHERE post_id = ? ORDER BY id", (post["id"],)
    ).fetchall()
    captures = [{**_dict(r), "fetched_at": iso(r["fetched_at"])} for r in rows]
    links = [c["url"] for c in captures if c["source"] == Step.RESOLVE]
    cited_by = sorted(
        {r[0] for r in _column_in(conn, "SELECT url FROM reference_link WHERE url IN ({})", links)}
    )
    media = [
        _dict(r)
        for r in conn.execute(
            f"SELECT {MEDIA_FIELDS} FROM media WHERE post_id = ? ORDER BY position", (post["id"],)
        )
    ]
    digests = [m["digest"] for m in media if m["digest"]]
    sizes = dict(_column_in(conn, "SELECT digest, size FROM blob WHERE digest IN ({})", digests))
    for m in media:
        duration = m.pop("duration_ms")
        m["duration"] = duration / 1000 if duration else None
        m["size"] = sizes.get(m["digest"])
    checks = [
        {"at": iso(r[0]), "state": r[1], "source": r[2]}
        for r in conn.execute(
            'SELECT at, state, source FROM "check" WHERE post_id = ? ORDER BY id', (post["id"],)
        )
    ]
    return {
        "status_id": post["status_id"],
        "url": f"https://x.com/{post['handle'] or 'i/web'}/status/{post['status_id']}",
        "handle": post["handle"],
        "author_name": post["author_name"],
        "author_id": post["author_id"],
        "created_at": iso(post["created_at"]),
        "text": post["text"],
        "lang": post["lang"],
        "state": post["state"],
        "state_reason": post["state_reason"],
        "reply_to_status_id": post["reply_to_status_id"],
        "quoted_status_id": post["quoted_status_id"],
        "record_digest": post["record_digest"],
        "record_at": kept_at(conn, post["record_digest"]),
        "trusted_time": trusted_time_of(conn, post["record_digest"]),
        "media": media,
        "short_links": cited_by,
        "captures": captures,
        "checks": checks,
        "repost_of_status_id": post["repost_of_status_id"],
        "edit_ids": json.loads(post["edit_ids"]) if post["edit_ids"] else [],
        "archive_copy": public_copy(captures),
        **record_fields(archive, post["record_digest"]),
    }


def kept_at(conn: Any, digest: str | None) -> str | None:
    """When blob `digest` was kept (a post's record: when it was captured)."""
    row = conn.execute("SELECT created_at FROM blob WHERE digest = ?", (digest or "",)).fetchone()
    return iso(row[0]) if row else None


def trusted_time_of(conn: Any, digest: str | None) -> str | None:
    """The `timestamped by …` line of the run that added blob `digest`, when it was stamped."""
    row = conn.execute(
        "SELECT s.tsa, s.time FROM blob b JOIN runstamp s ON s.run_id = b.run_id "
        "WHERE b.digest = ? ORDER BY s.time LIMIT 1",
        (digest or "",),
    ).fetchone()
    return trusted_time(row[0], datetime.fromisoformat(row[1])) if row else None


def public_copy(captures: list[dict]) -> dict[str, object] | None:
    """The newest public archived copy made on request (Save Page Now): its URL and time."""
    saved = [c for c in captures if c["source"] == Step.SAVE and c["outcome"] == Outcome.FOUND]
    if not saved or not saved[-1]["final_url"]:
        return None
    url = saved[-1]["final_url"]
    stamp = SNAPSHOT_RE.search(url)
    at = (
        datetime.strptime(stamp.group(1), "%Y%m%d%H%M%S").strftime("%Y-%m-%dT%H:%M:%SZ")
        if stamp
        else saved[-1]["fetched_at"]
    )
    return {"url": url, "at": at, "source": "wayback"}


def record_fields(archive: Archive, digest: str | None) -> dict[str, object]:
    """What the post's canonical record says beyond the row: reply handle, edits, app, place,
    poll, card, counts, note, sensitivity, withholding, and where an archived copy came from."""
    try:
        record = PostRecord.from_dict(json.loads(archive.store.read_bytes(digest or "")))
    except (OSError, ValueError, TypeError):  # no record, or one `verify` will report
        return {}
    return {
        "text_expanded": record.text_expanded,
        "record_schema": record.schema,
        "record_source": record.source,
        "reply_to_handle": record.reply_to_handle,
        "latest_version": record.latest_version,
        "source_app": record.source_app,
        "possibly_sensitive": record.possibly_sensitive,
        "withheld_in": record.withheld_in,
        "place": record.place,
        "poll": record.poll,
        "card": {
            "url": record.card_url,
            "title": record.card_title,
            "description": record.card_description,
            "image": record.card_image,
        },
        "counts": record.counts,
        "community_note": record.community_note,
        "note_tweet": record.note_tweet,
        "provenance": {
            "snapshot_at": record.snapshot_at,
            "snapshot_url": record.snapshot_url,
            "text": record.provenance,
        }
        if record.snapshot_at
        else None,
        "notes": record.notes,
    }


def similar_images(archive: Archive, name: str, max_distance: int = 10) -> list[dict[str, object]]:
    """Archived images that look like those of a post (or of one blob): a re-post, a crop, a
    re-compression. Nearest first."""
    from .browse import reader
    from .images import distance, plain

    with reader(archive) as conn:
        rows = [
            _dict(r)
            for r in conn.execute(
                "SELECT m.post_id, m.blob_digest, m.kind, m.width, m.height, m.phash, "
                "p.status_id, p.handle FROM media m JOIN post p ON p.id = m.post_id "
                "WHERE m.phash IS NOT NULL"
            )
        ]
        if name.startswith("sha256:"):
            probes = [m for m in rows if m["blob_digest"] == name]
        else:
            post_id = post_id_of(conn, name)
            probes = [m for m in rows if m["post_id"] == post_id]
    if not probes:
        raise InputError(f"{name}: no archived image to compare")
    found: dict[tuple[int, str | None], dict[str, object]] = {}
    for probe in probes:
        for other in rows:
            if other["post_id"] == probe["post_id"] or other["kind"] == "avatar":
                continue  # a post's own pictures are not re-posts of each other
            if plain(probe["phash"]) or plain(other["phash"]):
                continue
            gap = distance(probe["phash"], other["phash"])
            key = (other["post_id"], other["blob_digest"])
            if gap <= max_distance and (key not in found or gap < found[key]["distance"]):  # type: ignore[operator]
                found[key] = {
                    "distance": gap,
                    "like": probe["blob_digest"],
                    "digest": other["blob_digest"],
                    "status_id": other["status_id"],
                    "handle": other["handle"],
                    "kind": other["kind"],
                    "width": other["width"],
                    "height": other["height"],
                }
    return sorted(found.values(), key=lambda f: (f["distance"], str(f["status_id"])))  # type: ignore[arg-type]
