"""Writing what was captured: blobs, captures (only ever added), posts and their canonical
records, and what a citing document shows of a post (a witness)."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from . import __version__
from .archive import Archive
from .models import Blob, Capture, Post, utcnow
from .net import Exchange
from .record import PostRecord, canonical_json, parse_iso
from .refs.urls import snowflake_time
from .sources import Reading
from .sources.witness import witness_exchange, witness_record


def add_blob(
    sess: Session,
    digest: str | None,
    size: int,
    media_type: str | None = None,
    derived: bool = False,
) -> None:
    if digest and sess.get(Blob, digest) is None:
        sess.add(Blob(digest=digest, size=size, media_type=media_type, derived=derived))
        sess.flush()


def add_capture(
    sess: Session,
    exchange: Exchange,
    source: str,
    outcome: str,
    reason: str | None = None,
    post_id: int | None = None,
    reference_id: int | None = None,
) -> Capture:
    add_blob(sess, exchange.digest, exchange.size, exchange.media_type)
    capture = Capture(
        post_id=post_id,
        reference_id=reference_id,
        source=source,
        url=exchange.url,
        final_url=exchange.final_url,
        http_status=exchange.status,
        headers=json.dumps(exchange.headers, ensure_ascii=False),
        fetched_at=exchange.fetched_at,
        elapsed_ms=exchange.elapsed_ms,
        blob_digest=exchange.digest,
        outcome=outcome,
        reason=reason or exchange.error,
        tool_version=__version__,
    )
    sess.add(capture)
    sess.flush()
    return capture


def add_reading(sess: Session, reading: Reading, source: str, post_id: int | None) -> None:
    """Every exchange of a reading; the last one carries the reading's outcome."""
    for i, exchange in enumerate(reading.exchanges):
        last = i == len(reading.exchanges) - 1
        outcome = (
            reading.outcome
            if last
            else ("redirect" if exchange.headers.get("location") else "error")
        )
        add_capture(sess, exchange, source, outcome, reading.reason if last else None, post_id)


def post_for(sess: Session, status_id: str) -> Post:
    post = sess.exec(select(Post).where(Post.status_id == status_id)).first()
    if post is None:
        post = Post(status_id=status_id)
        sess.add(post)
        sess.flush()
    return post


def save_record(archive: Archive, sess: Session, post: Post, record: PostRecord) -> None:
    """Store the canonical record as a blob and bring the post row up to date."""
    digest, size = archive.store.put(canonical_json(record.to_dict()))
    add_blob(sess, digest, size, "application/json", derived=True)
    when = record.created_at or _snowflake_iso(record.status_id)
    post.handle = record.handle or post.handle
    post.author_name = record.author_name or post.author_name
    post.author_id = record.author_id or post.author_id
    post.created_at = parse_iso(when) or post.created_at
    post.text = record.text if record.text is not None else post.text
    post.lang = record.lang or post.lang
    post.reply_to_status_id = record.reply_to_status_id or post.reply_to_status_id
    post.quoted_status_id = record.quoted_status_id or post.quoted_status_id
    post.state, post.state_reason = record.state, record.state_reason
    post.record_digest, post.updated_at = digest, utcnow()


def _snowflake_iso(status_id: str) -> str | None:
    when = snowflake_time(status_id) if status_id.isdigit() else None
    return when.isoformat() if when else None


def add_witness(
    archive: Archive, sess: Session, shown: dict, post: Post, reference_id: int | None
) -> None:
    """Keep what a citing document shows of a post as a `witness` capture of that post."""
    exchange = witness_exchange(archive.store, shown)
    add_capture(sess, exchange, "witness", "found", post_id=post.id, reference_id=reference_id)
    if post.record_digest is None:
        save_record(archive, sess, post, witness_record(post.status_id, shown))
