"""What one step of a capture decides, written as a whole in one transaction (by the writer):

- a source round: every answer of every source asked, the post's record and its state, a check,
  the posts the answers held whole (each a capture, and its record if it had none from a
  source), the quoted and reposted posts' jobs, and (when there is no media to fetch) the job's
  end;
- a post's media: every exchange, the media rows and their blobs, and the job's end;
- a resolved short link: every hop, the job's end, the post's job, and the references that cite
  the link pointed at the post;
- an observation (`recheck`): the answers, a check and the post's state.

A crash leaves either none of a decision or all of it. Blobs a decision names are made durable
before its transaction commits (see Store.settle), so no row ever names a missing blob.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, delete, insert, update
from sqlmodel import Session, col, select

from ..exchange import Exchange
from ..models import Capture, Check, Media, Post, Reference, ReferenceLink, utcnow
from ..record import MediaItem, PostRecord
from ..sources import Reading
from ..store import Staged
from ..vocab import JobKind, JobState, MediaStatus, Outcome, PostState, Step
from .jobs import enqueue, finish
from .records import SET_STATE, SET_STATE_AT, Batch, identify, last_capture, post_for, save_record

MEDIA = Media.__table__
MEDIA_OF = select(MEDIA.c.id, MEDIA.c.position, MEDIA.c.remote_url, MEDIA.c.status).where(
    MEDIA.c.post_id == bindparam("post")
)
ADD_MEDIA, ADD_CHECK = insert(MEDIA), insert(Check.__table__)


@dataclass
class JobEnd:
    """How a job's claim ends; None in a decision means the job goes on to its next step."""

    state: JobState
    error: str | None = None
    result: str | None = None
    wait: float | None = None


def _end(sess: Session, job_id: int, end: JobEnd | None) -> None:
    if end is not None:
        finish(sess, job_id, end.state, end.error, end.result, end.wait)


def _spawn(sess: Session, kind: JobKind, target: str, again: bool) -> int | None:
    job = enqueue(sess, kind, target, again=again)
    return job.id if job.state == JobState.PENDING else None


@dataclass
class Embedded:
    """A post that the answer for another post held whole."""

    record: PostRecord
    blob: Staged  # its canonical record
    exchange: Exchange  # the answer that holds it
    source: str
    live: bool  # the source speaks for the post's state now


@dataclass
class SourceRound:
    job_id: int
    post_id: int
    readings: list[tuple[str, Reading]]
    record: PostRecord | None
    record_blob: Staged | None
    state: PostState
    reason: str | None
    end: JobEnd | None
    quoted: list[str] = field(default_factory=list)  # posts to capture too
    again: bool = False  # --recapture: posts already captured are asked again
    embedded: list[Embedded] = field(default_factory=list)
    status_id: str | None = None  # the post asked for
    source: str = "none"  # the answer the state rests on

    @property
    def blobs(self) -> list[Staged]:
        found = [e.blob for _, r in self.readings for e in r.exchanges if e.blob]
        copies = [e.blob for e in self.embedded]
        return found + ([self.record_blob] if self.record_blob else []) + copies


def apply_source_round(sess: Session, r: SourceRound) -> list[int]:
    """Write a source round; return the ids of jobs it started."""
    batch = Batch()
    for name, reading in r.readings:
        batch.reading(reading.exchanges, name, reading.outcome, reading.reason, r.post_id)
    if r.record is not None and r.record_blob is not None:
        save_record(sess, r.post_id, r.record, r.record_blob.digest, r.record_blob.size)
    batch.write(sess)
    if r.state != PostState.UNKNOWN or r.record is not None:
        values = {"post": r.post_id, "state": r.state, "reason": r.reason}
        sess.execute(SET_STATE_AT, {**values, "at": utcnow()})
        _check(sess, r.post_id, r.state, r.source)
    for copy in r.embedded:
        _keep_embedded(sess, copy, r.status_id or "")
    _end(sess, r.job_id, r.end)
    started = [_spawn(sess, JobKind.QUOTED, q, r.again) for q in r.quoted]
    return [i for i in started if i is not None]


def _check(sess: Session, post_id: int, state: PostState, source: str) -> dict[str, object]:
    """A check of the post's state, pointing at the capture that showed it."""
    row = {
        "post_id": post_id,
        "at": utcnow(),
        "state": state,
        "source": source,
        "capture_id": last_capture(sess, post_id, source),
    }
    sess.execute(ADD_CHECK, [row])
    return row


def _keep_embedded(sess: Session, e: Embedded, holder: str) -> None:
    """A capture of the embedded post (the holding answer's bytes); its record and state too
    when no source has given it before (a witness's record gives way)."""
    post = post_for(sess, e.record.status_id)
    had = sess.exec(
        select(Capture.id)
        .where(
            Capture.post_id == post.id,
            col(Capture.outcome).in_([Outcome.FOUND, Outcome.EMBEDDED]),
            col(Capture.source).not_in([Step.WITNESS, Step.MEDIA, Step.RESOLVE]),
        )
        .limit(1)
    ).first()
    batch = Batch()
    reason = f"embedded in the answer for {holder}"
    batch.capture(e.exchange, e.source, Outcome.EMBEDDED, reason, post.id)
    batch.blob(e.blob.digest, e.blob.size, "application/json", derived=True)
    if had is None or post.record_digest is None:
        state, state_reason = post.state, post.state_reason
        save_record(sess, post.id, e.record, e.blob.digest, e.blob.size)  # type: ignore[arg-type]
        if not e.live and state != PostState.UNKNOWN:  # an archive does not speak for now
            sess.execute(SET_STATE, {"post": post.id, "state": state, "reason": state_reason})
    batch.write(sess)
    sess.expire(post)


@dataclass
class MediaResult:
    """What became of one media item of a post."""

    position: int
    item: MediaItem
    exchanges: list[Exchange]
    kept: Exchange | None = None  # the answer whose bytes are the media
    status: MediaStatus = MediaStatus.FAILED
    reason: str | None = None
    digest: str | None = None  # the bytes kept (from `kept`, or stored by yt-dlp)
    size: int = 0
    media_type: str | None = None
    thumbnail: Staged | None = None  # a derived JPEG for viewing
    rendition: str | None = None
    width: int | None = None
    height: int | None = None
    duration_ms: int | None = None
    bitrate: int | None = None
    format: str | None = None
    mode: str | None = None
    frames: int | None = None
    codec: str | None = None
    phash: str | None = None
    wait: float | None = None  # pending: not before this many seconds


@dataclass
class MediaRound:
    job_id: int
    post_id: int
    results: list[MediaResult]
    end: JobEnd

    @property
    def blobs(self) -> list[Staged]:
        found = [e.blob for m in self.results for e in m.exchanges if e.blob]
        return found + [m.thumbnail for m in self.results if m.thumbnail]


def apply_media_round(sess: Session, r: MediaRound) -> None:
    batch = Batch()
    for m in r.results:
        for exchange in m.exchanges:
            if exchange is m.kept:
                outcome = Outcome.FOUND
            elif exchange.refused:
                outcome = Outcome.REFUSED
            else:
                outcome = Outcome.REDIRECT if exchange.location else Outcome.ERROR
            reason = None if exchange is m.kept or exchange.error else m.reason
            batch.capture(exchange, Step.MEDIA, outcome, reason, post_id=r.post_id)
        if m.digest and (m.kept is None or m.status != MediaStatus.OK):
            batch.blob(m.digest, m.size, m.media_type)  # yt-dlp's, or a rejected body's
        if m.thumbnail is not None:
            batch.blob(m.thumbnail.digest, m.thumbnail.size, "image/jpeg", derived=True)
    batch.write(sess)
    _save_media(sess, r.post_id, r.results)
    _end(sess, r.job_id, r.end)


def _save_media(sess: Session, post_id: int, results: list[MediaResult]) -> None:
    """Each item's media row: added, or brought up to date (a kept item is never replaced by a
    later failure). An item kept takes the place of a failure at its position under another URL
    (the same photo as another source names it, `….jpg?name=orig` and `….jpg`): no longer
    missing."""
    rows = {
        (position, url): (row_id, status)
        for row_id, position, url, status in sess.execute(MEDIA_OF, {"post": post_id})
    }
    new = []
    for m in results:
        item = m.item
        values: dict[str, object] = {
            "thumbnail_digest": m.thumbnail.digest if m.thumbnail else None,
            "blob_digest": m.digest,
            "rendition": m.rendition,
            "media_type": m.media_type,
            "width": m.width or item.width,
            "height": m.height or item.height,
            "duration_ms": m.duration_ms or item.duration_ms,
            "alt_text": item.alt_text,
            "phash": m.phash,
            "bitrate": m.bitrate,
            "format": m.format,
            "mode": m.mode,
            "frames": m.frames,
            "codec": m.codec,
            "status": m.status,
            "reason": m.reason,
        }
        known = rows.get((m.position, item.url))
        if known is None:
            new.append(
                {
                    "post_id": post_id,
                    "position": m.position,
                    "kind": item.kind,
                    "remote_url": item.url,
                    **values,
                }
            )
        elif m.status == MediaStatus.OK or known[1] != MediaStatus.OK:
            sess.execute(update(MEDIA).where(MEDIA.c.id == known[0]).values(**values))
        if m.status == MediaStatus.OK:
            stale = [
                row_id
                for (position, url), (row_id, status) in rows.items()
                if position == m.position and url != item.url and status != MediaStatus.OK
            ]
            if stale:
                sess.execute(delete(MEDIA).where(MEDIA.c.id.in_(stale)))
    if new:
        sess.execute(ADD_MEDIA, new)


@dataclass
class Resolved:
    job_id: int
    short_url: str
    hops: list[tuple[Exchange, Outcome]]
    status_id: str | None
    end: JobEnd
    again: bool = False
    leads: dict[str, str] = field(default_factory=dict)  # hop URL → where it sends the reader

    @property
    def blobs(self) -> list[Staged]:
        return [e.blob for e, _ in self.hops if e.blob]


def apply_resolved(sess: Session, r: Resolved) -> list[int]:
    """Write a short link's walk; point the references that cite it at the post it leads to."""
    post = post_for(sess, r.status_id) if r.status_id else None
    batch = Batch()
    for exchange, outcome in r.hops:
        # A meta refresh leads on too, though it is not a redirect status.
        leads = r.leads.get(exchange.url)
        batch.capture(exchange, Step.RESOLVE, outcome, None, post.id if post else None, None, leads)
    batch.write(sess)
    _end(sess, r.job_id, r.end)
    if post is None:
        return []
    citing = sess.exec(
        select(Reference)
        .join(ReferenceLink, col(ReferenceLink.reference_id) == Reference.id)
        .where(ReferenceLink.url == r.short_url)
    ).all()
    for ref in citing:
        if ref.status_id is None or ref.kind == "short_link":
            identify(sess, ref, post)
    started = _spawn(sess, JobKind.POST, post.status_id or "", r.again)
    return [started] if started is not None else []


@dataclass
class Observation:
    """A liveness check (`recheck`): the answers and the state they show."""

    post_id: int
    readings: list[tuple[str, Reading]]
    state: PostState
    reason: str | None
    source: str

    @property
    def blobs(self) -> list[Staged]:
        return [e.blob for _, r in self.readings for e in r.exchanges if e.blob]


def apply_observation(sess: Session, o: Observation) -> dict[str, object]:
    batch = Batch()
    for name, reading in o.readings:
        batch.reading(reading.exchanges, name, reading.outcome, reading.reason, o.post_id)
    batch.write(sess)
    check = _check(sess, o.post_id, o.state, o.source)
    if o.state != PostState.UNKNOWN:
        values = {"post": o.post_id, "state": o.state, "reason": o.reason}
        sess.execute(SET_STATE_AT, {**values, "at": utcnow()})
    status_id = sess.exec(select(Post.status_id).where(Post.id == o.post_id)).first()
    return {
        "post_id": o.post_id,
        "status_id": status_id,
        "at": check["at"],
        "state": o.state,
        "source": o.source,
    }
