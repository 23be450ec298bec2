"""Step 5: ask the sources for a post, in order, until one gives it; decide its record and
state from every answer; write the round as one decision."""

from __future__ import annotations

import functools

from ..record import PostRecord, canonical_json, parse_iso
from ..refs.urls import snowflake_time
from ..rows.decisions import JobEnd, Observation, SourceRound, apply_observation, apply_source_round
from ..rows.jobs import Ticket
from ..sources import ALL, Reading, Target
from ..vocab import JobKind, JobState, Outcome, PostState
from .context import Run
from .media import media_of


def decide(readings: list[tuple[str, Reading]]) -> tuple[PostRecord | None, PostState, str | None]:
    """(record, state, reason) from what the sources said, live sources first."""
    live = [r for n, r in readings if ALL[n].live]
    found = [r.record for r in live if r.outcome == Outcome.FOUND and r.record]
    if found:
        record = found[0]
        if record.note_tweet:  # a long post cut short by this source: take the longest text
            longest = max(found, key=lambda r: len(r.text or ""))
            record.text = longest.text
            record.text_expanded = longest.text_expanded or record.text_expanded
        _check_time(record)
        return record, PostState.LIVE, None
    gone = next((r for r in live if r.outcome == Outcome.GONE), None)
    kept = next((r for n, r in readings if not ALL[n].live and r.outcome == Outcome.FOUND), None)
    record = kept.record if kept else None
    if gone:
        state, reason = gone.state or PostState.UNAVAILABLE, gone.reason
    elif live and all(r.outcome == Outcome.NOT_FOUND for r in live):
        state, reason = PostState.UNAVAILABLE, "no live source has this post"
    else:
        state = PostState.UNKNOWN
        reason = "; ".join(r.reason or r.outcome for _, r in readings) or "no source asked"
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


async def _readings(run: Run, target: Target, names: list[str]) -> list[tuple[str, Reading]]:
    """Ask `names` in order: stop at a live answer (or a tombstone and then an archive's copy),
    or when the network is away; a long post cut short asks on for its full text."""
    readings: list[tuple[str, Reading]] = []
    for name in names:
        source = ALL[name]
        reading = await source.ask(run.http, target)
        readings.append((name, reading))
        if reading.offline or reading.retry_after:
            break
        if reading.record and reading.record.handle:
            target.handle = target.handle or reading.record.handle
        if run.options.all_sources:
            continue
        long_post = reading.record is not None and reading.record.note_tweet
        enough = source.live or any(r.outcome == Outcome.GONE for _, r in readings)
        if reading.outcome == Outcome.FOUND and enough and not long_post:
            break
    return readings


async def ask(run: Run, ticket: Ticket) -> tuple[PostRecord | None, list[int]]:
    """Ask for the ticket's post and write the round. (record for the media step, or None when
    the job ended here; ids of jobs started)."""
    assert ticket.post_id is not None
    readings = await _readings(run, Target(ticket.target, ticket.handle), run.options.order)
    last = readings[-1][1] if readings else None
    record, state, reason = decide(readings)
    if last is not None and (last.offline or last.retry_after):
        record, state = None, PostState.UNKNOWN
        end: JobEnd | None = JobEnd(JobState.PENDING, last.reason, wait=last.retry_after)
    elif record is None and state == PostState.UNKNOWN:
        end = JobEnd(JobState.FAILED, reason)
    elif not pending_media(run, record, ticket):
        end = JobEnd(JobState.DONE)
    else:
        end = None  # the media step ends the job
    blob = run.archive.store.stage(canonical_json(record.to_dict())) if record else None
    quoted = []
    if record and record.quoted_status_id and ticket.kind != JobKind.QUOTED:
        quoted = [record.quoted_status_id] if run.options.quoted_depth else []
    decision = SourceRound(
        ticket.job_id,
        ticket.post_id,
        readings,
        record,
        blob,
        state,
        reason,
        end,
        quoted,
        again=run.options.recapture,
    )
    started = await run.writer.do(
        "sources", functools.partial(apply_source_round, r=decision), decision.blobs
    )
    run.progress(f"{ticket.target}: {state}")
    return (record if end is None else None), started


def pending_media(run: Run, record: PostRecord | None, ticket: Ticket) -> bool:
    return any(
        (position, item.url) not in ticket.media_done
        for position, item in media_of(record, run.options.follow_media_links)
    )


async def observe(run: Run, post_id: int, status_id: str, handle: str | None) -> dict[str, object]:
    """Ask the live sources whether the post is still there; write a check."""
    names = [n for n in run.options.order if ALL[n].live]
    readings = await _readings(run, Target(status_id, handle), names)
    _record, state, reason = decide(readings)
    source = readings[-1][0] if readings else "none"
    observation = Observation(post_id, readings, state, reason, source)
    return await run.writer.do(
        "check", functools.partial(apply_observation, o=observation), observation.blobs
    )
