"""Step 7: what became of each reference after a run (one vocabulary: vocab.Verdict).

Everything the verdicts depend on is read in a few set queries (`Facts`), not a handful of
queries per reference: a run of thousands of references settles in milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from ..archive import Archive
from ..models import Capture, Job, Media, Post
from ..rows.jobs import given_by_a_source
from ..vocab import ADDED_MEDIA, GONE_STATES, JobKind, JobState, MediaStatus, Step, Verdict
from .cite import Cited

CHUNK = 500  # values in one IN (…): well under SQLite's and PostgreSQL's limits


def settle(archive: Archive, cited: list[Cited], started: datetime) -> list[Cited]:
    with archive.session() as sess:
        links = {link for item in cited for link in item.short_links}
        found = [str(item.reference_id) for item in cited]
        facts = Facts(sess, started)
        facts.load_jobs([*links, *found])
        for item in cited:
            if item.status_id is None:
                _resolved(facts, item)
        facts.load_posts({item.status_id for item in cited if item.status_id})
        for item in cited:
            if item.status_id is not None:
                _settle(facts, item, started)
    return cited


@dataclass
class Facts:
    """What the verdicts read, loaded per set of targets and posts."""

    sess: Session
    started: datetime
    jobs: dict[tuple[str, str], Job] = field(default_factory=dict)
    posts: dict[str, Post] = field(default_factory=dict)
    given: set[int] = field(default_factory=set)  # a source gave the post (rows.jobs)
    missing: set[int] = field(default_factory=set)  # a photo or video not kept whole
    fetched: set[int] = field(default_factory=set)  # this run received something for it

    def job(self, kind: JobKind, target: str) -> Job | None:
        return self.jobs.get((kind, target))

    def load_jobs(self, targets: Iterable[str]) -> None:
        for job in _rows(self.sess, select(Job), Job.target, targets):
            self.jobs[(job.kind, job.target)] = job

    def load_posts(self, status_ids: set[str]) -> None:
        self.load_jobs(status_ids)
        for post in _rows(self.sess, select(Post), Post.status_id, status_ids):
            self.posts[post.status_id] = post  # type: ignore[index]
        ids = [p.id for p in self.posts.values()]
        self.given = set(_rows(self.sess, given_by_a_source(), Capture.post_id, ids))
        gaps = select(Media.post_id).where(
            col(Media.kind).not_in(list(ADDED_MEDIA)), Media.status != MediaStatus.OK
        )
        self.missing = set(_rows(self.sess, gaps, Media.post_id, ids))
        received = select(Capture.post_id).where(
            Capture.source != Step.WITNESS, Capture.fetched_at >= self.started
        )
        self.fetched = set(_rows(self.sess, received, Capture.post_id, ids))


def _rows(sess: Session, query: Any, column: Any, values: Iterable[Any]) -> list[Any]:
    """`query` narrowed to `column IN values`, in chunks."""
    wanted: Sequence[Any] = sorted(set(values))
    out: list[Any] = []
    for i in range(0, len(wanted), CHUNK):
        out += sess.exec(query.where(col(column).in_(wanted[i : i + CHUNK]))).all()
    return out


def _settle(facts: Facts, item: Cited, started: datetime) -> None:
    assert item.status_id is not None
    job = facts.job(JobKind.POST, item.status_id) or facts.job(JobKind.QUOTED, item.status_id)
    post = facts.posts.get(item.status_id)
    item.state = post.state if post else None
    if job is None or post is None or job.state in (JobState.PENDING, JobState.RUNNING):
        item.outcome, item.reason = Verdict.PENDING, job.last_error if job else None
    elif post.state in GONE_STATES and job.state != JobState.FAILED:
        item.outcome, item.reason = Verdict.GONE, f"{post.state}: {post.state_reason}"
    elif post.state in GONE_STATES:  # gone, and its archived copy not read, or not whole
        verdict = Verdict.PARTIAL if post.id in facts.given else Verdict.FAILED
        item.outcome, item.reason = verdict, job.last_error
    elif post.id not in facts.given:  # a witness's record, or sources' "not found" alone
        item.outcome, item.reason = Verdict.FAILED, job.last_error or "no source gave the post"
    elif job.state == JobState.FAILED or post.id in facts.missing:
        item.outcome, item.reason = Verdict.PARTIAL, job.last_error or "media missing"
    elif post.first_seen_at < started and post.id not in facts.fetched:
        item.outcome = Verdict.ALREADY
    else:
        item.outcome = Verdict.CAPTURED


def _resolved(facts: Facts, item: Cited) -> None:
    """Find the post a reference's short links lead to; say why not when none does."""
    resolves = [j for link in item.short_links if (j := facts.job(JobKind.RESOLVE, link))]
    if lookup := facts.job(JobKind.FIND, str(item.reference_id)):
        resolves.append(lookup)  # an unlinked embed or citation, looked up by handle and day
    found = next((j.result for j in resolves if j.result and j.result.isdigit()), None)
    if found is not None:
        item.status_id = found
        return
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
