"""The work queue, kept in the database so that a killed run loses nothing.

A job is claimed by one run at a time (`claimed_by` = host:pid:start time, so a later process
given the same pid is not taken for it); a run that died leaves its jobs `running`, and the next
run takes them back once that process is gone. A job put back to wait
(offline, rate limited) is not due again before `next_try_at`, so one run never spins on it.

A team archive (PostgreSQL) is worked by many processes on many machines: each claims with
`SELECT … FOR UPDATE SKIP LOCKED`, so no two take the same job, and holds its claims on a lease
(`lease` seconds, renewed while it works: `updated_at`). A job whose worker is gone (its
process, on this machine; its lease, on any) is pending again, taken back only if nobody took
it meanwhile; a worker finishes only the jobs it still holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import String, bindparam, func, update
from sqlmodel import Session, case, col, or_, select

from ..models import Capture, Job, Media, Post, Reference
from ..vocab import GONE_STATES, JobKind, JobState, MediaStatus, Outcome, Step
from .holders import ME, holder_alive, now
from .records import add_posts, chunks, insert_ignore

# Links first (they find more posts), then posts; lookups by handle and day last.
KIND_ORDER = {JobKind.RESOLVE: 0, JobKind.POST: 1, JobKind.QUOTED: 2, JobKind.FIND: 3}


JOBS = Job.__table__
MIN_WAIT = 30.0  # seconds a job put back to wait stays out of the current run


@dataclass
class Ticket:
    """A claimed job and what its worker needs to know of the post, read in the same claim."""

    job_id: int
    kind: JobKind
    target: str
    post_id: int | None = None
    handle: str | None = None
    asked_before: bool = False  # a source already answered for this post (found or gone)
    record_digest: str | None = None
    media_done: set[tuple[int, str]] = field(default_factory=set)  # (position, URL) kept
    media_digests: dict[tuple[int, str], str] = field(default_factory=dict)  # what each holds
    data: dict = field(default_factory=dict)  # a lookup: the reference as extracted


def enqueue(
    sess: Session,
    kind: JobKind,
    target: str,
    reference_id: int | None = None,
    again: bool = False,
    named: bool = False,
) -> Job:
    """The job for (kind, target), made pending if new, and due now if it was waiting; with
    `again`, a finished one is made pending once more; `named` (a reference a run was given),
    a failed one."""
    job = sess.exec(select(Job).where(Job.kind == kind, Job.target == target)).first()
    if job is None:
        job = Job(kind=kind, target=target, reference_id=reference_id)
        sess.add(job)
    elif _requeued(job.state, again, named):
        job.state, job.next_try_at, job.updated_at = JobState.PENDING, None, now()
    sess.flush()
    return job


def enqueue_many(
    sess: Session, kind: JobKind, targets: dict[str, int | None], again: bool = False
) -> dict[str, int]:
    """`enqueue` for many targets named by a run (each with the reference that asked for it)
    in a few statements, as a list of posts is taken in: target → job id. A job another worker
    adds meanwhile (a team archive) is taken as found."""
    found = _jobs_of(sess, kind, list(targets))
    again_ids = [job_id for job_id, state in found.values() if _requeued(state, again, True)]
    states = [JobState.PENDING, JobState.FAILED, *((JobState.DONE,) if again else ())]
    for part in chunks(again_ids):
        sess.execute(  # only jobs still as they were seen: not one another worker took since
            update(JOBS)
            .where(JOBS.c.id.in_(part), JOBS.c.state.in_(states))
            .values(state=JobState.PENDING, next_try_at=None, updated_at=now())
        )
    new = [t for t in targets if t not in found]
    if new:
        stamp = now()
        rows = [
            {
                "kind": kind,
                "target": t,
                "reference_id": targets[t],
                "state": JobState.PENDING,
                "attempts": 0,
                "created_at": stamp,
                "updated_at": stamp,
            }
            for t in new
        ]
        insert_ignore(sess, JOBS, rows)
        found.update(_jobs_of(sess, kind, new))
    return {target: job_id for target, (job_id, _) in found.items()}


def done_results(sess: Session, kind: JobKind, targets: list[str]) -> dict[str, str]:
    """target → result of the finished jobs among `targets` (a link resolved before: the post
    it leads to)."""
    out: dict[str, str] = {}
    for part in chunks(list(dict.fromkeys(targets))):
        query = select(Job.target, Job.result).where(
            Job.kind == kind, Job.state == JobState.DONE, col(Job.target).in_(part)
        )
        for target, result in sess.exec(query):
            if result:
                out[target] = result
    return out


def _jobs_of(sess: Session, kind: JobKind, targets: list[str]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for part in chunks(targets):
        query = select(Job.target, Job.id, Job.state).where(
            Job.kind == kind, col(Job.target).in_(part)
        )
        for target, job_id, state in sess.exec(query):
            found[target] = (job_id, state)  # type: ignore[assignment]
    return found


def _requeued(state: str, again: bool, named: bool = False) -> bool:
    """Whether asking for a job in `state` again makes it pending (and due now): a waiting one
    always; a failed one when a run names its reference again (`archive X` after X failed asks
    again, as `retry` does) or with `again`; a done one with `again` only."""
    return (
        state == JobState.PENDING
        or (state == JobState.FAILED and (again or named))
        or (again and state == JobState.DONE)
    )


def recover(sess: Session, lease: float | None = None) -> int:
    """Jobs left `running` by a run that is gone are pending again; return how many."""
    held = sess.exec(
        select(Job.id, Job.claimed_by, Job.updated_at).where(Job.state == JobState.RUNNING)
    )
    return _release_stale(sess, [j for j in held if not holder_alive(j[1], j[2], lease)], lease)


def _release_stale(sess: Session, stale: list, lease: float | None) -> int:  # type: ignore[type-arg]
    """Make `stale` (id, owner, touched) pending again. On a shared queue, each only if it is
    still as it was read (no other worker took it back meanwhile)."""
    if not stale:
        return 0
    values = {"state": JobState.PENDING, "claimed_by": None, "updated_at": now()}
    if lease is None:
        ids = [j[0] for j in stale]
        sess.execute(update(Job).where(col(Job.id).in_(ids)).values(**values))
        return len(stale)
    done = 0
    for job_id, owner, touched in stale:
        done += sess.execute(
            update(Job)
            .where(col(Job.id) == job_id, Job.state == JobState.RUNNING)
            .where(col(Job.claimed_by) == owner, col(Job.updated_at) == touched)
            .values(**values)
        ).rowcount
    return done


def renew(sess: Session) -> int:
    """Renew this run's lease on the jobs it holds; return how many."""
    return sess.execute(
        update(Job)
        .where(Job.state == JobState.RUNNING, col(Job.claimed_by) == ME)
        .values(updated_at=now())
    ).rowcount


def release(sess: Session, ids: list[int]) -> int:
    """Give back jobs this run claimed but will not start (a worker asked to stop)."""
    return sess.execute(
        update(Job)
        .where(col(Job.id).in_(ids), Job.state == JobState.RUNNING, col(Job.claimed_by) == ME)
        .values(
            state=JobState.PENDING, claimed_by=None, attempts=Job.attempts - 1, updated_at=now()
        )
    ).rowcount


def reopen(sess: Session) -> list[int]:
    """Failed and waiting jobs are due now (what `retry` asks for); return the pending ids."""
    for job in sess.exec(
        select(Job).where(col(Job.state).in_([JobState.FAILED, JobState.PENDING]))
    ):
        job.state, job.next_try_at, job.updated_at = JobState.PENDING, None, now()
    return [j for j in sess.exec(select(Job.id).where(Job.state == JobState.PENDING)) if j]


@dataclass
class Claim:
    tickets: list[Ticket]
    elsewhere: int = 0  # jobs of the scope that another live run is working on


def claim(
    sess: Session,
    limit: int,
    scope: set[int] | None = None,
    lease: float | None = None,
    watch_all: bool = False,
) -> Claim:
    """Take up to `limit` due pending jobs (of `scope`, when given) for this run. Jobs left
    running by a run that is gone are taken back first; those another live run holds (of the
    scope, or any with `watch_all`) are counted, so that this run can wait for them. `lease`:
    a shared queue's (see the module's docstring)."""
    if scope is not None and not scope:
        return Claim([])
    running = select(Job.id, Job.claimed_by, Job.updated_at).where(Job.state == JobState.RUNNING)
    elsewhere, stale = 0, []
    for job_id, owner, touched in [j for j in sess.exec(running) if scope is None or j[0] in scope]:
        if not holder_alive(owner, touched, lease):
            stale.append((job_id, owner, touched))
        elif (scope is not None or watch_all) and owner != ME:
            elsewhere += 1
    _release_stale(sess, stale, lease)
    jobs: list[Any] = []
    for part in [None] if scope is None else chunks(sorted(scope)):  # (a list of any length)
        if len(jobs) >= limit:
            break
        jobs += _take(sess, limit - len(jobs), part)
    tickets = [Ticket(job_id, JobKind(kind), target) for job_id, kind, target in jobs]
    _describe_posts(sess, [t for t in tickets if t.kind in (JobKind.POST, JobKind.QUOTED)])
    _describe_lookups(sess, [t for t in tickets if t.kind == JobKind.FIND])
    return Claim(tickets, elsewhere)


def _take(sess: Session, limit: int, part: list[int] | None) -> list[Any]:
    """(id, kind, target) of up to `limit` due jobs (of `part`) now this run's, links first."""
    query = select(Job).where(
        Job.state == JobState.PENDING,
        or_(col(Job.next_try_at).is_(None), col(Job.next_try_at) <= now()),
    )
    if part is not None:
        query = query.where(col(Job.id).in_(part))
    rank = case(*((Job.kind == kind, order) for kind, order in KIND_ORDER.items()), else_=9)
    due = query.with_only_columns(Job.id).order_by(rank, col(Job.id)).limit(limit)
    taken = {"state": JobState.RUNNING, "claimed_by": ME, "attempts": JOBS.c.attempts + 1}
    if sess.get_bind().dialect.name == "postgresql":  # rows another worker is taking: skipped
        jobs = sess.execute(
            update(JOBS)
            .where(JOBS.c.id.in_(due.with_for_update(skip_locked=True)))
            .values(**taken, updated_at=now())
            .returning(Job.id, Job.kind, Job.target)
        ).all()
        jobs.sort(key=lambda j: (KIND_ORDER.get(JobKind(j[1]), 9), j[0]))
    else:  # SQLite: the writer's transaction holds the whole database
        jobs = sess.exec(select(Job.id, Job.kind, Job.target).where(col(Job.id).in_(due))).all()
        if jobs:
            sess.execute(
                update(JOBS)
                .where(JOBS.c.id.in_([j[0] for j in jobs]))
                .values(**taken, updated_at=now())
            )
    return list(jobs)


def _describe_lookups(sess: Session, tickets: list[Ticket]) -> None:
    """A lookup's ticket carries its reference as extracted (handle, day, text)."""
    if not tickets:
        return
    ids = [int(t.target) for t in tickets if t.target.isdigit()]
    query = select(Reference.id, Reference.data).where(col(Reference.id).in_(ids))
    found = {ref_id: data for ref_id, data in sess.exec(query)}
    for ticket in tickets:
        data = found.get(int(ticket.target)) if ticket.target.isdigit() else None
        ticket.data = json.loads(data) if data else {}


def _describe_posts(sess: Session, tickets: list[Ticket]) -> None:
    """Fill in each post ticket: its post row (made if new), handle, record and kept media."""
    if not tickets:
        return
    targets = list({t.target for t in tickets})
    add_posts(sess, targets)
    posts = {
        p.status_id: p
        for p in sess.exec(
            select(Post.id, Post.status_id, Post.record_digest, Post.handle, Post.state).where(
                col(Post.status_id).in_(targets)
            )
        )
    }
    ids = [p.id for p in posts.values()]
    given = set(sess.exec(given_by_a_source().where(col(Capture.post_id).in_(ids))))
    kept: dict[int, dict[tuple[int, str], str]] = {}
    for post_id, position, url, digest in sess.exec(
        select(Media.post_id, Media.position, Media.remote_url, Media.blob_digest).where(
            col(Media.post_id).in_(ids), Media.status == MediaStatus.OK
        )
    ):
        kept.setdefault(post_id, {})[(position, url)] = digest
    for ticket in tickets:
        post = posts[ticket.target]
        ticket.post_id, ticket.record_digest = post.id, post.record_digest
        ticket.asked_before = post.id in given or post.state in GONE_STATES
        ticket.media_digests = kept.get(post.id, {})
        ticket.media_done = set(ticket.media_digests)
        ticket.handle = post.handle or _handle_from_refs(sess, ticket.target)


def given_by_a_source() -> Any:
    """The posts a source gave: an answer that holds the post. A tombstone or "not found" is
    no record, and a witness, hop, media item or save is no source (vocab.Step)."""
    return select(Capture.post_id).where(
        Capture.outcome == Outcome.FOUND, col(Capture.source).not_in(list(Step))
    )


def _handle_from_refs(sess: Session, status_id: str) -> str | None:
    for data in sess.exec(select(Reference.data).where(Reference.status_id == status_id)):
        handle = json.loads(data).get("handle")
        if isinstance(handle, str) and handle:
            return handle
    return None


def finish(
    sess: Session,
    job_id: int,
    state: JobState,
    error: str | None = None,
    result: str | None = None,
    wait: float | None = None,
) -> None:
    """End a claim: done, failed (retry tries again) or pending (not due before `wait`).
    `claimed_by` keeps who ended it: on a shared queue a worker whose lease ran out, and whose
    job another took and ended, then changes nothing."""
    due = None
    if state == JobState.PENDING:
        due = now() + timedelta(seconds=max(wait or 0.0, MIN_WAIT))
    # Only a claim this worker holds or ended, on a shared queue.
    statement = _FINISH_HELD if sess.get_bind().dialect.name == "postgresql" else _FINISH
    values = {"job": job_id, "state": state, "error": error, "at": now(), "due": due}
    sess.execute(statement, {**values, "result": result})


# Made once: a run ends thousands of jobs, and a statement built anew is compiled anew.
_FINISH = (
    update(JOBS)
    .where(JOBS.c.id == bindparam("job"))
    .values(
        state=bindparam("state"),
        last_error=bindparam("error"),
        updated_at=bindparam("at"),
        next_try_at=bindparam("due"),
        result=func.coalesce(bindparam("result", type_=String), JOBS.c.result),
    )
)
_FINISH_HELD = _FINISH.where(JOBS.c.claimed_by == ME)
