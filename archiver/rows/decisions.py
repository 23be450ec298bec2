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

from sqlmodel import Session, col, select

from ..models import Capture, Check, Media, Post, Reference, ReferenceLink, utcnow
from ..net import Exchange
from ..record import MediaItem, PostRecord
from ..sources import Reading
from ..store import Staged
from ..vocab import JobKind, JobState, MediaStatus, Outcome, PostState, Step
from .jobs import enqueue, finish
from .records import add_blob, add_capture, add_exchanges, identify, post_for, save_record


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

    @property
    def blobs(self) -> list[Staged]:
        found = [e.blob for _, r in self.readings for e in r.exchanges if e.blob]
        copies = [e.blob for e in self.embedded]
        return found + ([self.record_blob] if self.record_blob else []) + copies


def apply_source_round(sess: Session, r: SourceRound) -> list[int]:
    """Write a source round; return the ids of jobs it started."""
    last: Capture | None = None
    for name, reading in r.readings:
        last = (
            add_exchanges(sess, reading.exchanges, name, reading.outcome, reading.reason, r.post_id)
            or last
        )
    post = sess.get(Post, r.post_id)
    assert post is not None
    if r.record is not None and r.record_blob is not None:
        save_record(sess, post, r.record, r.record_blob.digest, r.record_blob.size)
    if r.state != PostState.UNKNOWN or r.record is not None:
        post.state, post.state_reason, post.updated_at = r.state, r.reason, utcnow()
        sess.flush()
        source = r.readings[-1][0] if r.readings else "none"
        sess.add(
            Check(post_id=r.post_id, state=r.state, source=source, capture_id=last and last.id)
        )
    for copy in r.embedded:
        _keep_embedded(sess, copy, r.status_id or str(post.status_id))
    _end(sess, r.job_id, r.end)
    started = [_spawn(sess, JobKind.QUOTED, q, r.again) for q in r.quoted]
    return [i for i in started if i is not None]


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
    add_capture(
        sess,
        e.exchange,
        e.source,
        Outcome.EMBEDDED,
        f"embedded in the answer for {holder}",
        post.id,
    )
    add_blob(sess, e.blob.digest, e.blob.size, "application/json", derived=True)
    if had is None or post.record_digest is None:
        state, reason = post.state, post.state_reason
        save_record(sess, post, e.record, e.blob.digest, e.blob.size)
        if not e.live and state != PostState.UNKNOWN:  # an archive does not speak for now
            post.state, post.state_reason = state, reason


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
    for m in r.results:
        for exchange in m.exchanges:
            if exchange is m.kept:
                outcome = Outcome.FOUND
            elif exchange.refused:
                outcome = Outcome.REFUSED
            else:
                outcome = Outcome.REDIRECT if exchange.location else Outcome.ERROR
            reason = None if exchange is m.kept or exchange.error else m.reason
            add_capture(sess, exchange, Step.MEDIA, outcome, reason, post_id=r.post_id)
        _save_media(sess, r.post_id, m)
    _end(sess, r.job_id, r.end)


def _save_media(sess: Session, post_id: int, m: MediaResult) -> None:
    item = m.item
    row = sess.exec(
        select(Media).where(
            Media.post_id == post_id, Media.position == m.position, Media.remote_url == item.url
        )
    ).first()
    if row is None:
        row = Media(post_id=post_id, position=m.position, kind=item.kind, remote_url=item.url)
        sess.add(row)
    if m.digest and (m.kept is None or m.status != MediaStatus.OK):
        add_blob(sess, m.digest, m.size, m.media_type)  # yt-dlp's, or a rejected body's
    if m.thumbnail is not None:
        add_blob(sess, m.thumbnail.digest, m.thumbnail.size, "image/jpeg", derived=True)
        row.thumbnail_digest = m.thumbnail.digest
    if m.status == MediaStatus.OK or row.status != MediaStatus.OK:
        row.blob_digest = m.digest or row.blob_digest
        row.rendition, row.media_type = m.rendition, m.media_type
        row.width, row.height = m.width or item.width, m.height or item.height
        row.duration_ms = m.duration_ms or item.duration_ms
        row.alt_text, row.phash, row.bitrate = item.alt_text, m.phash, m.bitrate
        row.format, row.mode, row.frames, row.codec = m.format, m.mode, m.frames, m.codec
        row.status, row.reason = m.status, m.reason


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
    for exchange, outcome in r.hops:
        hop = add_capture(sess, exchange, Step.RESOLVE, outcome, post_id=post.id if post else None)
        hop.final_url = r.leads.get(exchange.url, hop.final_url)  # a meta refresh leads on too
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
    last: Capture | None = None
    for name, reading in o.readings:
        last = (
            add_exchanges(sess, reading.exchanges, name, reading.outcome, reading.reason, o.post_id)
            or last
        )
    sess.flush()
    check = Check(post_id=o.post_id, state=o.state, source=o.source, capture_id=last and last.id)
    sess.add(check)
    post = sess.get(Post, o.post_id)
    if post is not None and o.state != PostState.UNKNOWN:
        post.state, post.state_reason, post.updated_at = o.state, o.reason, utcnow()
    sess.flush()
    return {
        "post_id": o.post_id,
        "status_id": post.status_id if post else None,
        "at": check.at,
        "state": o.state,
        "source": o.source,
    }
