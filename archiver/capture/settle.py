"""Step 7: what became of each reference after a run (one vocabulary: vocab.Verdict)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from ..archive import Archive
from ..models import Capture, Job, Media, Post
from ..vocab import GONE_STATES, POST_MEDIA, JobKind, JobState, MediaStatus, Outcome, Step, Verdict
from .cite import Cited

NOT_SOURCES = [Step.WITNESS, Step.MEDIA, Step.RESOLVE]


def settle(archive: Archive, cited: list[Cited], started: datetime) -> list[Cited]:
    with archive.session() as sess:
        for item in cited:
            _settle(sess, item, started)
    return cited


def _job(sess: Session, kind: JobKind, target: str) -> Job | None:
    return sess.exec(select(Job).where(Job.kind == kind, Job.target == target)).first()


def _settle(sess: Session, item: Cited, started: datetime) -> None:
    if item.status_id is None and not _resolved(sess, item):
        return
    assert item.status_id is not None
    job = _job(sess, JobKind.POST, item.status_id) or _job(sess, JobKind.QUOTED, item.status_id)
    post = sess.exec(select(Post).where(Post.status_id == item.status_id)).first()
    item.state = post.state if post else None
    if job is None or post is None or job.state in (JobState.PENDING, JobState.RUNNING):
        item.outcome, item.reason = Verdict.PENDING, job.last_error if job else None
    elif post.state in GONE_STATES:
        item.outcome, item.reason = Verdict.GONE, f"{post.state}: {post.state_reason}"
    elif not _answered(sess, post):
        item.outcome, item.reason = Verdict.FAILED, job.last_error or "no source gave the post"
    elif job.state == JobState.FAILED or _missing_media(sess, post):
        item.outcome, item.reason = Verdict.PARTIAL, job.last_error or "media missing"
    elif post.first_seen_at < started and not _fetched_since(sess, post, started):
        item.outcome = Verdict.ALREADY
    else:
        item.outcome = Verdict.CAPTURED


def _resolved(sess: Session, item: Cited) -> bool:
    """Find the post a reference's short links lead to; say why not when none does."""
    resolves = [j for link in item.short_links if (j := _job(sess, JobKind.RESOLVE, link))]
    if lookup := _job(sess, JobKind.FIND, str(item.reference_id)):
        resolves.append(lookup)  # an unlinked embed or citation, looked up by handle and day
    found = next((j.result for j in resolves if j.result and j.result.isdigit()), None)
    if found is not None:
        item.status_id = found
        return True
    error = next((j.last_error for j in resolves if j.last_error), None)
    if any(j.state in (JobState.PENDING, JobState.RUNNING) for j in resolves):
        item.outcome, item.reason = Verdict.PENDING, error or "link not resolved yet"
    elif any(j.state == JobState.FAILED for j in resolves):
        item.outcome, item.reason = Verdict.FAILED, error
    else:
        item.outcome = Verdict.UNRESOLVED
        item.reason = (error or "no status URL and no link to resolve") + (
            "; the document's rendering is kept as a witness"
        )
    return False


def _answered(sess: Session, post: Post) -> bool:
    """Whether a source (not a witness) gave this post or its tombstone."""
    query = select(Capture.id).where(
        Capture.post_id == post.id,
        col(Capture.outcome).in_([Outcome.FOUND, Outcome.GONE]),
        col(Capture.source).not_in(NOT_SOURCES),
    )
    return sess.exec(query.limit(1)).first() is not None


def _fetched_since(sess: Session, post: Post, since: datetime) -> bool:
    """Whether this run received anything for the post (an answer, a hop, a media file)."""
    query = select(Capture.id).where(
        Capture.post_id == post.id,
        Capture.source != Step.WITNESS,
        Capture.fetched_at >= since,
    )
    return sess.exec(query.limit(1)).first() is not None


def _missing_media(sess: Session, post: Post) -> bool:
    return (
        sess.exec(
            select(Media.id)
            .where(
                Media.post_id == post.id,
                col(Media.kind).in_(list(POST_MEDIA)),
                Media.status != MediaStatus.OK,
            )
            .limit(1)
        ).first()
        is not None
    )
