"""The main jobs as library calls: archive references, retry what is left, recheck liveness."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime

from sqlmodel import col, select

from . import jobs
from .archive import Archive
from .capture import Capturer, Options
from .config import Settings
from .errors import InputError
from .intake import Cited, settle, take_in
from .models import Capture, Check, Job, Post, Reference, utcnow
from .net import Http
from .refs.urls import find_status_urls
from .rows import add_reading
from .sources import ALL, Target

Progress = Callable[[str], None]


def archive_items(
    archive: Archive,
    settings: Settings,
    items: list[tuple[str, object]],
    options: Options,
    stdin: io.BufferedIOBase | None = None,
    progress: Progress | None = None,
) -> tuple[list[Cited], list[str]]:
    """Take the inputs in, capture them, and say what became of each reference."""
    started = datetime.now(UTC)
    with archive.session() as sess:
        jobs.recover(sess)
    cited, job_ids, warnings = take_in(archive, items, stdin, options.recapture)
    asyncio.run(Capturer(archive, settings, options, progress).run(job_ids))
    return settle(archive, cited, started), warnings


def retry(
    archive: Archive, settings: Settings, options: Options, progress: Progress | None = None
) -> list[Cited]:
    """Run every pending and failed job again (those of a killed run too)."""
    started = datetime.now(UTC)
    with archive.session() as sess:
        jobs.recover(sess)
        jobs.reopen_failed(sess)
        for job in sess.exec(select(Job).where(Job.state == "pending")):
            job.next_try_at = None
        job_ids = {j.id for j in sess.exec(select(Job).where(Job.state == "pending")) if j.id}
        refs = {j.reference_id for j in sess.exec(select(Job).where(col(Job.id).in_(job_ids)))}
    asyncio.run(Capturer(archive, settings, options, progress).run(job_ids))
    with archive.session() as sess:
        rows = sess.exec(select(Reference).where(col(Reference.id).in_(refs))).all()
        cited = [Cited(r.id, r.match, r.status_id, _links(r)) for r in rows if r.id]
    return settle(archive, cited, started)


def _links(ref: Reference) -> list[str]:
    data = json.loads(ref.data)
    if ref.kind == "short_link":
        return [data.get("canonical_url") or ref.match]
    return list(data.get("short_links") or [])


def post_ids(archive: Archive, names: list[str]) -> list[int]:
    """Posts named by status id or URL (all archived posts with an id when none is named)."""
    with archive.session() as sess:
        if not names:
            return [
                p.id
                for p in sess.exec(select(Post).where(col(Post.status_id).is_not(None)))
                if p.id
            ]
        out = []
        for name in names:
            status_id = (
                name
                if name.isdigit()
                else next((s.status_id for s in find_status_urls(name)), None)
            )
            post = sess.exec(select(Post).where(Post.status_id == status_id)).first()
            if post is None or post.id is None:
                raise InputError(f"{name}: no such post in the archive")
            out.append(post.id)
        return out


def recheck(
    archive: Archive, settings: Settings, names: list[str], order: list[str] | None = None
) -> list[Check]:
    """Ask the live sources again whether each post is still there; add a `Check` each."""
    ids = post_ids(archive, names)
    live = [n for n in (order or list(ALL)) if ALL[n].live]

    async def run() -> list[Check]:
        async with Http(settings, archive.store) as http:
            return list(await asyncio.gather(*(_check(archive, http, i, live) for i in ids)))

    return asyncio.run(run())


async def _check(archive: Archive, http: Http, post_id: int, live: list[str]) -> Check:
    with archive.session() as sess:
        post = sess.get(Post, post_id)
        assert post is not None and post.status_id
        target = Target(post.status_id, post.handle)
    state, source_name, capture_id, reason = "unknown", live[0] if live else "none", None, None
    for name in live:
        reading = await ALL[name].fetch(http, target)
        with archive.session() as sess:
            add_reading(sess, reading, name, post_id)
            last = sess.exec(
                select(Capture).where(Capture.post_id == post_id).order_by(col(Capture.id).desc())
            ).first()
        source_name, capture_id, reason = name, last.id if last else None, reading.reason
        if reading.outcome == "found":
            state = "live"
            break
        if reading.outcome == "gone":
            state = reading.state or "unavailable"
            break
    with archive.session() as sess:
        check = Check(post_id=post_id, state=state, source=source_name, capture_id=capture_id)
        sess.add(check)
        post = sess.get(Post, post_id)
        if post is not None and state != "unknown":
            post.state, post.state_reason, post.updated_at = state, reason, utcnow()
        sess.flush()
        sess.expunge(check)
    return check
