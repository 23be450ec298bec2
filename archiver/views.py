"""What `show` prints of a post: the row, its captures, media and checks, with digests."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from sqlmodel import col, select

from .archive import Archive
from .errors import InputError
from .models import Blob, Capture, Check, Media, Post, ReferenceLink
from .names import find_posts
from .record import PostRecord, iso_utc
from .rows.runs import trusted_times
from .vocab import Outcome, Step

SNAPSHOT_RE = re.compile(r"web\.archive\.org/web/(\d{14})")


def _time(value) -> str | None:  # type: ignore[no-untyped-def]
    return iso_utc(value) if value else None


def post_view(archive: Archive, name: str) -> dict[str, object]:
    """Everything the archive holds of one post, in the shape `show --json` prints."""
    with archive.session() as sess:
        (post,) = find_posts(sess, [name])
        post_id = post.id
        captures = sess.exec(
            select(Capture).where(Capture.post_id == post_id).order_by(col(Capture.id))
        ).all()
        cited_by = sorted(
            {
                url
                for url in sess.exec(
                    select(ReferenceLink.url).where(
                        col(ReferenceLink.url).in_(
                            [c.url for c in captures if c.source == Step.RESOLVE]
                        )
                    )
                )
            }
        )
        media = sess.exec(
            select(Media).where(Media.post_id == post_id).order_by(col(Media.position))
        ).all()
        checks = sess.exec(
            select(Check).where(Check.post_id == post_id).order_by(col(Check.id))
        ).all()
        sizes = {
            b.digest: b.size
            for b in sess.exec(
                select(Blob).where(
                    col(Blob.digest).in_([m.blob_digest for m in media if m.blob_digest])
                )
            )
        }
        return {
            "status_id": post.status_id,
            "url": f"https://x.com/{post.handle or 'i/web'}/status/{post.status_id}",
            "handle": post.handle,
            "author_name": post.author_name,
            "author_id": post.author_id,
            "created_at": _time(post.created_at),
            "text": post.text,
            "lang": post.lang,
            "state": post.state,
            "state_reason": post.state_reason,
            "reply_to_status_id": post.reply_to_status_id,
            "quoted_status_id": post.quoted_status_id,
            "record_digest": post.record_digest,
            "trusted_time": trusted_times(sess, [post.record_digest or ""]).get(
                post.record_digest or ""
            ),
            "media": [
                {
                    "kind": m.kind,
                    "digest": m.blob_digest,
                    "remote_url": m.remote_url,
                    "rendition": m.rendition,
                    "width": m.width,
                    "height": m.height,
                    "duration": m.duration_ms / 1000 if m.duration_ms else None,
                    "bitrate": m.bitrate,
                    "phash": m.phash,
                    "status": m.status,
                    "reason": m.reason,
                    "media_type": m.media_type,
                    "format": m.format,
                    "mode": m.mode,
                    "frames": m.frames,
                    "codec": m.codec,
                    "thumbnail_digest": m.thumbnail_digest,
                    "size": sizes.get(m.blob_digest or ""),
                }
                for m in media
            ],
            "short_links": cited_by,
            "captures": [
                {
                    "source": c.source,
                    "url": c.url,
                    "final_url": c.final_url,
                    "http_status": c.http_status,
                    "fetched_at": _time(c.fetched_at),
                    "digest": c.blob_digest,
                    "outcome": c.outcome,
                    "reason": c.reason,
                }
                for c in captures
            ],
            "checks": [{"at": _time(c.at), "state": c.state, "source": c.source} for c in checks],
            "repost_of_status_id": post.repost_of_status_id,
            "edit_ids": json.loads(post.edit_ids) if post.edit_ids else [],
            "archive_copy": public_copy(captures),
            **record_fields(archive, post.record_digest),
        }


def public_copy(captures: list[Capture]) -> dict[str, object] | None:
    """The newest public archived copy made on request (Save Page Now): its URL and time."""
    saved = [c for c in captures if c.source == Step.SAVE and c.outcome == Outcome.FOUND]
    if not saved or not saved[-1].final_url:
        return None
    url = saved[-1].final_url
    stamp = SNAPSHOT_RE.search(url)
    at = (
        datetime.strptime(stamp.group(1), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        if stamp
        else saved[-1].fetched_at
    )
    return {"url": url, "at": _time(at), "source": "wayback"}


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
    from .images import distance, plain

    with archive.session() as sess:
        rows = sess.exec(select(Media).where(col(Media.phash).is_not(None))).all()
        posts = {p.id: p for p in sess.exec(select(Post))}
    if name.startswith("sha256:"):
        probes = [m for m in rows if m.blob_digest == name]
    else:
        with archive.session() as sess:
            (post,) = find_posts(sess, [name])
        probes = [m for m in rows if m.post_id == post.id]
    if not probes:
        raise InputError(f"{name}: no archived image to compare")
    found: dict[tuple[int, str | None], dict[str, object]] = {}
    for probe in probes:
        for other in rows:
            if other.post_id == probe.post_id or other.kind == "avatar":
                continue  # a post's own pictures are not re-posts of each other
            if plain(probe.phash or "") or plain(other.phash or ""):
                continue
            gap = distance(probe.phash or "", other.phash or "")
            key = (other.post_id, other.blob_digest)
            if gap <= max_distance and (key not in found or gap < found[key]["distance"]):  # type: ignore[operator]
                post = posts.get(other.post_id)
                found[key] = {
                    "distance": gap,
                    "like": probe.blob_digest,
                    "digest": other.blob_digest,
                    "status_id": post.status_id if post else None,
                    "handle": post.handle if post else None,
                    "kind": other.kind,
                    "width": other.width,
                    "height": other.height,
                }
    return sorted(found.values(), key=lambda f: (f["distance"], str(f["status_id"])))  # type: ignore[arg-type]
