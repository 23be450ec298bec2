"""The work queue, kept in the database so that a killed run loses nothing.

A job is claimed by one run at a time (`claimed_by` = host:pid); a run that died leaves its jobs
`running`, and the next run takes them back once that process is gone.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, case, col, or_, select

from .models import Job
from .store import pid_alive

KIND_ORDER = {"resolve": 0, "post": 1, "quoted": 2}  # links first: they find more posts
ME = f"{socket.gethostname()}:{os.getpid()}"


def now() -> datetime:
    return datetime.now(UTC)


def enqueue(
    sess: Session, kind: str, target: str, reference_id: int | None = None, again: bool = False
) -> Job:
    """The job for (kind, target), created pending if new; with `again`, a finished one is
    made pending once more."""
    job = sess.exec(select(Job).where(Job.kind == kind, Job.target == target)).first()
    if job is None:
        job = Job(kind=kind, target=target, reference_id=reference_id)
        sess.add(job)
    elif again and job.state in ("done", "failed"):
        job.state, job.next_try_at, job.updated_at = "pending", None, now()
    sess.flush()
    return job


def _alive(owner: str | None) -> bool:
    host, _, pid = (owner or "").rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and pid_alive(int(pid))


def recover(sess: Session) -> int:
    """Jobs left `running` by a run that is gone are pending again; return how many."""
    stale = [
        j for j in sess.exec(select(Job).where(Job.state == "running")) if not _alive(j.claimed_by)
    ]
    for job in stale:
        job.state, job.claimed_by, job.updated_at = "pending", None, now()
    return len(stale)


def reopen_failed(sess: Session) -> int:
    failed = sess.exec(select(Job).where(Job.state == "failed")).all()
    for job in failed:
        job.state, job.next_try_at, job.updated_at = "pending", None, now()
    return len(failed)


def claim(sess: Session, ids: set[int] | None = None) -> Job | None:
    """Take the next pending job that is due (of `ids`, when given) for this run."""
    query = select(Job).where(
        Job.state == "pending", or_(col(Job.next_try_at).is_(None), col(Job.next_try_at) <= now())
    )
    if ids is not None:
        query = query.where(col(Job.id).in_(ids))
    rank = case(*((Job.kind == kind, order) for kind, order in KIND_ORDER.items()), else_=9)
    job = sess.exec(query.order_by(rank, col(Job.id)).limit(1)).first()
    if job is None:
        return None
    job.state, job.claimed_by, job.attempts, job.updated_at = "running", ME, job.attempts + 1, now()
    return job


def finish(
    sess: Session,
    job_id: int,
    state: str,
    error: str | None = None,
    result: str | None = None,
    wait: float | None = None,
) -> None:
    job = sess.get(Job, job_id)
    assert job is not None
    job.state, job.last_error, job.claimed_by, job.updated_at = state, error, None, now()
    if result is not None:
        job.result = result
    job.next_try_at = now() + timedelta(seconds=wait) if wait else None
