"""Capture: run the queued jobs. Resolve short links, ask the sources in order, keep every
answer as a `Capture`, write the post record and its media. Captures are only ever added.

Workers share one `Http` (global and per-host limits) and take jobs from the database queue,
so a killed run leaves pending work that `archiver retry` finishes.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session, select

from . import jobs
from .archive import Archive
from .config import Settings
from .media import Fetched, fetch_media, full_size_avatar
from .models import Capture, Check, Media, Post, Reference, utcnow
from .net import Http
from .record import MediaItem, PostRecord, parse_iso
from .refs.urls import snowflake_time
from .resolve import resolve
from .rows import add_blob, add_capture, add_reading, post_for, save_record
from .sources import ALL, DEFAULT_ORDER, Reading, Target

LINK_RE = re.compile(r"https?://[^\s<>\"')]+")
TWITTER_RE = re.compile(r"https?://(?:[\w-]+\.)*(?:twitter\.com|x\.com|t\.co|twimg\.com)/", re.I)
GONE_STATES = ("deleted", "suspended", "protected", "withheld", "unavailable")


@dataclass
class Options:
    order: list[str] = field(default_factory=lambda: [s for s in DEFAULT_ORDER if s != "witness"])
    all_sources: bool = False
    recapture: bool = False
    quoted_depth: int = 1
    follow_media_links: bool = False  # links in a post to video elsewhere, through yt-dlp


def decide(readings: list[tuple[str, Reading]]) -> tuple[PostRecord | None, str, str | None]:
    """(record, state, reason) from what the sources said, live sources first."""
    found = [r.record for n, r in readings if ALL[n].live and r.outcome == "found" and r.record]
    if found:
        record = found[0]
        if record.note_tweet:  # a long post cut short by this source: take the longest text
            longest = max(found, key=lambda r: len(r.text or ""))
            record.text = longest.text
            record.text_expanded = longest.text_expanded or record.text_expanded
        _check_time(record)
        return record, "live", None
    gone = next((r for n, r in readings if ALL[n].live and r.outcome == "gone"), None)
    kept = next((r for n, r in readings if not ALL[n].live and r.outcome == "found"), None)
    record = kept.record if kept else None
    if gone:
        state, reason = gone.state or "unavailable", gone.reason
    elif all(r.outcome == "not_found" for n, r in readings if ALL[n].live):
        state, reason = "unavailable", "no live source has this post"
    else:
        state, reason = "unknown", "; ".join(r.reason or r.outcome for _, r in readings)
    if record:
        record.state, record.state_reason = state, reason
    return record, state, reason


def _check_time(record: PostRecord) -> None:
    """Note a creation time that disagrees with the time the post's id encodes."""
    encoded = snowflake_time(record.status_id) if record.status_id.isdigit() else None
    stated = parse_iso(record.created_at)
    if encoded and stated and abs((stated - encoded).total_seconds()) > 60:
        record.notes.append(
            f"created_at {record.created_at} disagrees with the id's time {encoded.isoformat()}"
        )


class Capturer:
    """Runs jobs for one archive until none is due."""

    def __init__(
        self,
        archive: Archive,
        settings: Settings,
        options: Options,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.archive, self.settings, self.options = archive, settings, options
        self.progress = progress or (lambda _line: None)
        self.run_jobs: set[int] = set()

    async def run(self, job_ids: set[int]) -> None:
        self.run_jobs = set(job_ids)
        async with Http(self.settings, self.archive.store) as http:
            self.http = http
            workers = [
                asyncio.create_task(self._worker()) for _ in range(self.settings.concurrency)
            ]
            await asyncio.gather(*workers)

    async def _worker(self) -> None:
        idle = 0
        while True:
            with self.archive.session() as sess:
                job = jobs.claim(sess, self.run_jobs)
                ticket = (job.id, job.kind, job.target) if job else None
            if ticket is None:
                if idle > 3:  # other workers may still add jobs (a resolved link, a quote)
                    return
                idle += 1
                await asyncio.sleep(0.05)
                continue
            idle = 0
            job_id, kind, target = ticket
            self.run_jobs.discard(job_id)  # once per run: what is left pending waits for retry
            try:
                if kind == "resolve":
                    await self.resolve_job(job_id, target)
                else:
                    await self.post_job(job_id, target, quoted=kind == "quoted")
            except Exception as exc:  # one broken job never stops the run
                with self.archive.session() as sess:
                    jobs.finish(sess, job_id, "failed", f"{type(exc).__name__}: {exc}")

    def _spawn(self, sess: Session, kind: str, target: str) -> None:
        job = jobs.enqueue(sess, kind, target, again=self.options.recapture and kind == "post")
        if job.id is not None and job.state == "pending":
            self.run_jobs.add(job.id)

    async def resolve_job(self, job_id: int, short_url: str) -> None:
        result = await resolve(self.http, short_url)
        with self.archive.session() as sess:
            for exchange in result.exchanges:
                outcome = (
                    "redirect"
                    if exchange is not result.exchanges[-1] or result.status
                    else ("not_post" if result.final_url else "error")
                )
                add_capture(sess, exchange, "resolve", outcome)
            if result.status:
                jobs.finish(sess, job_id, "done", result=result.status.status_id)
                self._spawn(sess, "post", result.status.status_id)
                self.progress(f"{short_url} → {result.status.canonical_url}")
            elif result.offline or result.retry_after:
                jobs.finish(sess, job_id, "pending", result.reason, wait=result.retry_after)
            elif result.final_url:
                jobs.finish(sess, job_id, "done", result.reason, result=result.final_url)
            else:
                jobs.finish(sess, job_id, "failed", result.reason)

    async def post_job(self, job_id: int, status_id: str, quoted: bool) -> None:
        with self.archive.session() as sess:
            post = post_for(sess, status_id)
            post_id, handle = post.id, post.handle or self._handle_from_refs(sess, status_id)
            done_before = (
                sess.exec(
                    select(Capture).where(
                        Capture.post_id == post_id,
                        Capture.outcome.in_(("found", "gone")),  # type: ignore[attr-defined]
                        Capture.source != "witness",
                    )
                ).first()
                is not None
            )
        asking = not done_before or self.options.recapture
        if asking and not await self._ask_sources(
            job_id, post_id, Target(status_id, handle), quoted
        ):
            return  # the job was left pending or failed
        await self._media(job_id, post_id)

    def _handle_from_refs(self, sess: Session, status_id: str) -> str | None:
        for ref in sess.exec(select(Reference).where(Reference.status_id == status_id)):
            handle = json.loads(ref.data).get("handle")
            if handle:
                return handle
        return None

    async def _ask_sources(self, job_id: int, post_id: int, target: Target, quoted: bool) -> bool:
        readings: list[tuple[str, Reading]] = []
        for name in self.options.order:
            source = ALL[name]
            reading = await source.fetch(self.http, target)
            with self.archive.session() as sess:
                add_reading(sess, reading, name, post_id)
            if reading.offline or reading.retry_after:
                with self.archive.session() as sess:
                    jobs.finish(sess, job_id, "pending", reading.reason, wait=reading.retry_after)
                return False
            readings.append((name, reading))
            if reading.record and reading.record.handle:
                target.handle = target.handle or reading.record.handle
            if self.options.all_sources:
                continue
            long_post = reading.record is not None and reading.record.note_tweet
            enough = source.live or any(r.outcome == "gone" for _, r in readings)
            if reading.outcome == "found" and enough and not long_post:
                break  # a long post cut short: ask on for its full text
        record, state, reason = decide(readings)
        with self.archive.session() as sess:
            post = sess.get(Post, post_id)
            assert post is not None
            if record is None and state == "unknown":
                jobs.finish(sess, job_id, "failed", reason)
                return False
            if record is not None:
                save_record(self.archive, sess, post, record)
            post.state, post.state_reason, post.updated_at = state, reason, utcnow()
            sess.add(Check(post_id=post_id, state=state, source=readings[-1][0]))
            if record and record.quoted_status_id and not quoted and self.options.quoted_depth:
                self._spawn(sess, "quoted", record.quoted_status_id)
        self.progress(f"{target.status_id}: {state}")
        return True

    async def _media(self, job_id: int, post_id: int) -> None:
        with self.archive.session() as sess:
            post = sess.get(Post, post_id)
            assert post is not None
            digest = post.record_digest
            record = (
                PostRecord.from_dict(json.loads(self.archive.store.read_bytes(digest)))
                if (digest)
                else None
            )
            done = {
                (m.position, m.remote_url)
                for m in sess.exec(
                    select(Media).where(Media.post_id == post_id, Media.status == "ok")
                )
            }
        items = [
            (i, item)
            for i, item in media_of(record, self.options.follow_media_links)
            if (i, item.url) not in done
        ]
        results = await asyncio.gather(*(fetch_media(self.http, item) for _, item in items))
        pending = [f for f in results if f.status == "pending" and f.tries]
        with self.archive.session() as sess:
            for (position, _item), fetched in zip(items, results, strict=True):
                self._save_media(sess, post_id, position, fetched)
            if pending:
                jobs.finish(sess, job_id, "pending", pending[0].reason)
            else:
                jobs.finish(sess, job_id, "done")

    def _save_media(self, sess: Session, post_id: int, position: int, fetched: Fetched) -> None:
        for exchange in fetched.tries:
            kept = exchange is fetched.exchange
            add_capture(sess, exchange, "media", "found" if kept else "error", post_id=post_id)
        item = fetched.item
        row = sess.exec(
            select(Media).where(
                Media.post_id == post_id, Media.position == position, Media.remote_url == item.url
            )
        ).first()
        if row is None:
            row = Media(post_id=post_id, position=position, kind=item.kind, remote_url=item.url)
            sess.add(row)
        if fetched.digest and not fetched.exchange:  # stored by yt-dlp, not by an exchange
            add_blob(
                sess, fetched.digest, self.archive.store.size(fetched.digest), fetched.media_type
            )
        if fetched.thumbnail:
            thumb, size = self.archive.store.put(fetched.thumbnail)
            add_blob(sess, thumb, size, "image/jpeg", derived=True)
            row.thumbnail_digest = thumb
        row.blob_digest = fetched.digest or row.blob_digest
        row.rendition, row.media_type = fetched.rendition, fetched.media_type
        row.width, row.height = fetched.width or item.width, fetched.height or item.height
        row.duration_ms = fetched.duration_ms or item.duration_ms
        row.alt_text, row.phash = item.alt_text, fetched.phash
        row.format, row.mode, row.frames, row.codec = (
            fetched.format,
            fetched.mode,
            fetched.frames,
            fetched.codec,
        )
        chosen = fetched.exchange.url if fetched.exchange else None
        row.bitrate = fetched.bitrate or next(
            (
                int(v["bitrate"])
                for v in item.variants
                if v.get("url") == chosen and v.get("bitrate")
            ),
            None,
        )
        row.status, row.reason = fetched.status, fetched.reason


def media_of(record: PostRecord | None, links: bool = False) -> list[tuple[int, MediaItem]]:
    """The post's media by position, then the author's picture (100), the card image (101)
    and, with `links`, what the post links to elsewhere (200 on)."""
    if record is None:
        return []
    items = list(enumerate(record.media))
    if record.author_avatar:
        items.append((100, MediaItem("avatar", full_size_avatar(record.author_avatar))))
    if record.card_image:
        items.append((101, MediaItem("card_image", record.card_image)))
    if links:
        found = [u for u in LINK_RE.findall(record.text_expanded or "") if not TWITTER_RE.match(u)]
        items += [(200 + i, MediaItem("linked", url)) for i, url in enumerate(dict.fromkeys(found))]
    return items
