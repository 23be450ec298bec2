"""What refers to what: every row's blob is listed, every post has a capture (or is still
queued), and the words for what a damaged blob affects. All rows are read in one transaction,
so a run writing at the same time is seen whole or not at all."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from ..archive import Archive
from ..errors import explain
from ..models import Blob, Capture, Document, Job, Media, Post
from ..vocab import JobKind, JobState
from .report import Problem, Report

WAITING = (JobState.PENDING, JobState.RUNNING, JobState.FAILED)  # `retry` finishes these


@dataclass
class Rows:
    """One snapshot of the rows verify needs."""

    sizes: dict[str, int] = field(default_factory=dict)  # every listed blob: digest → size
    due: list[str] = field(default_factory=list)  # blobs to re-hash (all, or not lately)
    uses: dict[str, list[str]] = field(default_factory=dict)  # digest → what points at it
    uncaptured: list[Post] = field(default_factory=list)  # no capture and nothing queued
    queued: int = 0  # no capture yet, but a job will make one
    # each post with a record: its name, (status id, record digest, the row's text and handle)
    records: list[tuple[str, tuple[str | None, str, str | None, str | None]]] = field(
        default_factory=list
    )


def read_rows(archive: Archive, since: timedelta | None) -> Rows:
    rows = Rows()
    stale = datetime.now(UTC) - since if since else None
    with archive.session() as sess:
        for blob in sess.exec(select(Blob)):
            rows.sizes[blob.digest] = blob.size
            verified = blob.verified_at
            if verified is not None and verified.tzinfo is None:
                verified = verified.replace(tzinfo=UTC)
            if stale is None or verified is None or verified < stale:
                rows.due.append(blob.digest)
        posts = {p.id: p for p in sess.exec(select(Post))}
        rows.uses = _uses(sess, posts)
        captured = set(
            sess.exec(select(Capture.post_id).where(col(Capture.post_id).is_not(None)).distinct())
        )
        waiting = set(
            sess.exec(
                select(Job.target).where(
                    col(Job.kind).in_([JobKind.POST, JobKind.QUOTED]), col(Job.state).in_(WAITING)
                )
            )
        )
    rows.records = [
        (_name(posts, p.id), (p.status_id, p.record_digest, p.text, p.handle))
        for p in posts.values()
        if p.record_digest
    ]
    for post in posts.values():
        if post.id in captured:
            continue
        if post.status_id and post.status_id in waiting:
            rows.queued += 1
        else:
            rows.uncaptured.append(post)
    return rows


def _name(posts: dict[int | None, Post], post_id: int | None) -> str:
    post = posts.get(post_id)
    return f"post {post.status_id or post.witness_key}" if post else "no post"


def _uses(sess, posts: dict[int | None, Post]) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """For every digest, the rows that point at it, in words."""
    uses: dict[str, list[str]] = {}

    def add(digest: str | None, what: str) -> None:
        if digest:
            uses.setdefault(digest, []).append(what)

    for post in posts.values():
        add(post.record_digest, f"{_name(posts, post.id)} record")
    for media in sess.exec(select(Media)):
        add(media.blob_digest, f"{_name(posts, media.post_id)} {media.kind} {media.position + 1}")
    for capture in sess.exec(select(Capture)):
        add(
            capture.blob_digest,
            f"{_name(posts, capture.post_id)} capture {capture.id} "
            f"({capture.source} {capture.url[:80]})",
        )
    for document in sess.exec(select(Document)):
        add(document.blob_digest, f"document {document.path}")
    return uses


def check_rows(rows: Rows, report: Report) -> None:
    """Rows that point at blobs the archive does not list; posts that have no capture."""
    for digest in sorted(set(rows.uses) - set(rows.sizes)):
        report.add("a row points at a blob the archive does not list", digest, rows.uses[digest])
    for post in rows.uncaptured:
        report.add(
            "post has no capture",
            post.record_digest,
            [f"post {post.status_id or post.witness_key}"],
        )
    report.queued = rows.queued


def check_records(archive: Archive, rows: Rows, whole: set[str], report: Report) -> None:
    """Each post's record (of those just found `whole`) is that post's, and its row shows what
    the record says: the text and author `show`, `list`, search and a bundle's post.json read
    from the row. (A row may keep what a later record leaves out: only what it says is compared.)"""
    for post, (status_id, digest, text, handle) in rows.records:
        if digest not in whole:
            continue  # damaged, or not hashed this time: said elsewhere, or on a later check
        try:
            record = json.loads(archive.store.read_bytes(digest))
        except OSError:
            continue  # (gone since it was hashed: the next check says so)
        except (ValueError, RecursionError):
            record = None
        if not isinstance(record, dict):
            report.add(f"{post}: its record is no record", digest, [f"{post} record"])
            continue
        named = (("status_id", status_id),) if status_id else ()  # (a witness's names none yet)
        differ = [
            name
            for name, shown in (*named, ("text", text), ("handle", handle))
            if (record.get(name) is not None or name == "status_id") and record.get(name) != shown
        ]
        if differ:
            report.add(
                f"{post}: its row and its record disagree ({', '.join(differ)})",
                digest,
                [f"{post} record"],
            )


def orphans(rows: Rows, on_disk: set[str]) -> list[Problem]:
    """Objects no row lists (a run killed between a blob and its row): reported, not damage."""
    return [
        Problem(digest, "orphan: no row points at this object", [], serious=False)
        for digest in sorted(on_disk - set(rows.sizes))
    ]


def mark_verified(archive: Archive, digests: list[str], report: Report) -> None:
    """Record when these blobs were last found whole. A database that cannot be written (a
    full disk, a read-only copy) costs only the record: the report stands, with a warning."""
    now = datetime.now(UTC)
    try:
        with archive.session() as sess:
            for start in range(0, len(digests), 500):
                for blob in sess.exec(
                    select(Blob).where(col(Blob.digest).in_(digests[start : start + 500]))
                ):
                    blob.verified_at = now
    except Exception as exc:
        mapped = explain(exc, "the archive database")
        if mapped is None:
            raise
        report.warnings.append(f"verification times not recorded: {mapped}")
