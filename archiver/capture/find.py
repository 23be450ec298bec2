"""An embed or citation that names no post (`— Name (@handle) Date`, no link): the handle and
the day bound its id (refs/lookup.py); the Wayback Machine's CDX index lists the handle's
captured status URLs in that range; each candidate's archived copy is read and its text
compared with what the document shows. A confident match points the reference at the post
(which is then captured like any other); otherwise the candidates and their scores are kept
as the reason, and the reference stays unresolved with its witness.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlmodel import Session

from ..exchange import Exchange
from ..fence import fence
from ..models import Reference
from ..net import recording
from ..refs.ids import snowflake_time
from ..refs.lookup import Candidate, Match, best_match, candidates, cdx_urls, parse_cdx, score
from ..rows.decisions import JobEnd
from ..rows.jobs import Ticket, enqueue, finish
from ..rows.records import Batch, exchange_outcome, identify, post_for
from ..sources import Target
from ..sources.wayback import BLOCKED, parse_snapshot
from ..store import Staged
from ..vocab import JobKind, JobState, Outcome, Step
from .context import Run

WAYBACK = fence("wayback", "web.archive.org")
MOST_CANDIDATES = 12


class Unread:
    """A candidate whose archived copies failed to answer: asked again by `retry`."""


UNREAD = Unread()


@dataclass
class Found:
    job_id: int
    reference_id: int
    exchanges: list[Exchange] = field(default_factory=list)
    match: Match | None = None
    matches: list[Match] = field(default_factory=list)
    end: JobEnd | None = None

    @property
    def blobs(self) -> list[Staged]:
        return [e.blob for e in self.exchanges if e.blob]


def apply_found(sess: Session, f: Found) -> list[int]:
    """The lookups as captures of the witness post; the reference pointed at a confident
    match, whose post joins the run."""
    ref = sess.get(Reference, f.reference_id)
    batch = Batch()
    for exchange in f.exchanges:
        batch.capture(exchange, Step.FIND, exchange_outcome(exchange), None, ref and ref.post_id)
    batch.write(sess)
    assert f.end is not None
    finish(sess, f.job_id, f.end.state, f.end.error, f.end.result, f.end.wait)
    if f.match is None or ref is None:
        return []
    post = post_for(sess, f.match.status_id)
    identify(sess, ref, post)
    job = enqueue(sess, JobKind.POST, f.match.status_id, ref.id)
    return [job.id] if job.id is not None and job.state == JobState.PENDING else []


def evidence(matches: list[Match]) -> str:
    return "; ".join(
        f"{m.status_id} ({m.confidence:.0%}: {', '.join(m.evidence)})"
        for m in sorted(matches, key=lambda m: -m.confidence)[:5]
    )


async def find(run: Run, ticket: Ticket) -> list[int]:
    """Look the ticket's reference up; write the decision; return the jobs it started."""
    data = ticket.data
    found = Found(ticket.job_id, int(ticket.target))
    with recording() as log:
        try:
            found.end = await _look(run, data, found)
        except Exception as exc:  # an answer of surprising shape: say so, keep what came
            found.end = JobEnd(JobState.FAILED, f"lookup failed: {type(exc).__name__}: {exc}")
    found.exchanges = log
    started = await run.writer.do("find", functools.partial(apply_found, f=found), found.blobs)
    run.progress(f"@{data.get('handle')} {data.get('date')}: {found.end.result or 'no match'}")
    return started


async def _look(run: Run, data: dict, found: Found) -> JobEnd:
    handle, when, body = data.get("handle"), data.get("date"), data.get("text") or ""
    if not handle or not when:
        return JobEnd(JobState.DONE, "no handle and day to look the post up by")
    day = date.fromisoformat(str(when))
    rows: list[dict[str, str]] = []
    for url in cdx_urls(handle, day):
        answer = await run.http.get(url, WAYBACK)
        if answer.offline or answer.retry_after:
            return JobEnd(JobState.PENDING, answer.error or "rate limited", wait=answer.retry_after)
        if any(mark in (answer.body or b"")[:4096] for mark in BLOCKED):
            return JobEnd(JobState.DONE, f"the archive excludes @{handle} (Blocked Site Error)")
        if not answer.ok:  # (no answer is no "nothing fits": `retry` asks again)
            said = answer.error or f"HTTP {answer.status}"
            return JobEnd(JobState.FAILED, f"the index did not answer ({said})")
        rows += parse_cdx(answer.body or b"")
    listed = nearest(candidates(rows, handle, day), day)
    unread = 0
    for candidate in listed[:MOST_CANDIDATES]:
        text = await _text(run, candidate, handle)
        if isinstance(text, JobEnd):
            return text  # the archive asks to wait: asked again then
        if text is UNREAD:
            unread += 1
        elif text is not None:
            found.matches.append(score(body, candidate, text))
    left = len(listed) - MOST_CANDIDATES
    note = f" ({left} more candidates not read)" if left > 0 else ""
    found.match = best_match(found.matches)
    if found.match is not None:
        why = f"found by handle and day: {evidence([found.match])}"
        return JobEnd(JobState.DONE, why, result=found.match.status_id)
    if unread and not found.matches:
        return JobEnd(JobState.FAILED, f"{unread} candidates' archived copies could not be read")
    if not found.matches:
        return JobEnd(JobState.DONE, f"no archived post of @{handle} fits {day.isoformat()}")
    why = f"no confident match; candidates: {evidence(found.matches)}{note}"
    return JobEnd(JobState.DONE, why)


def nearest(listed: list[Candidate], day: date) -> list[Candidate]:
    """The candidates, those posted nearest the middle of `day` (UTC) first: the day's own,
    then those the widest time zones stretch it to."""
    middle = datetime.combine(day, time(12), UTC)

    def away(c: Candidate) -> float:
        return abs(((snowflake_time(c.status_id) or middle) - middle).total_seconds())

    return sorted(listed, key=away)


async def _text(run: Run, candidate: Candidate, handle: str) -> str | JobEnd | Unread | None:
    """The candidate's text from its newest archived copy that answered 200 and is the handle's
    post (X serves any post under any handle in its URL); a JobEnd when the archive asks to
    wait; UNREAD when its copies failed to answer (asked again by `retry`); None when it is no
    candidate (another account's post, no copy that answered 200)."""
    failed = False
    for capture in sorted(candidate.captures, reverse=True):
        timestamp, status, _kind = (capture.split() + ["", "", ""])[:3]
        if status not in ("200", "-") or not timestamp.isdigit():
            continue
        answer = await run.http.get(
            f"https://web.archive.org/web/{timestamp}id_/{candidate.url}", WAYBACK
        )
        if answer.offline or answer.retry_after:
            return JobEnd(JobState.PENDING, answer.error or "rate limited", wait=answer.retry_after)
        if not answer.ok:
            failed = failed or answer.transient or (answer.status or 0) >= 500
            continue
        reading = parse_snapshot(answer.body or b"", Target(candidate.status_id, handle))
        record = reading.record
        if reading.outcome != Outcome.FOUND or record is None or not record.text:
            continue
        if record.handle and record.handle.lower() != handle.lower():
            return None  # another account's post under this handle's URL
        return record.text
    return UNREAD if failed else None
