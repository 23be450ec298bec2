"""Step 5: ask the sources for a post, in order, until one gives it; decide its record and
state from every answer; write the round as one decision, with the other posts the answers
carried whole (a quoted post, a repost's original, a reply's parent) kept as their captures."""

from __future__ import annotations

import functools
import json
import re

from ..durable import digest_bytes
from ..record import PostRecord, canonical_json, parse_iso
from ..refs.ids import snowflake_time
from ..rows.decisions import (
    Embedded,
    JobEnd,
    Observation,
    SourceRound,
    apply_observation,
    apply_source_round,
)
from ..rows.jobs import Ticket
from ..sources import ALL, Reading, Target
from ..sources.v11 import ARTICLE_NOTE
from ..store import Staged
from ..vocab import GONE_STATES, HIDDEN_STATES, JobKind, JobState, Outcome, PostState
from .context import Run
from .media import job_end, media_of

POSITIVE = GONE_STATES - {PostState.UNAVAILABLE}  # states an answer can name, with its words
MEDIA_LINK_RE = re.compile(r"\bpic\.(?:twitter|x)\.com/\w+|/status/(\d+)/(?:photo|video)/\d", re.I)


def thin(record: PostRecord) -> bool:
    """A record that does not say who wrote the post (FxTwitter's answer for a repost)."""
    return not record.handle and not record.author_name


def decide(
    readings: list[tuple[str, Reading]],
) -> tuple[PostRecord | None, PostState, str | None, str]:
    """(record, state, reason, source) from what the sources said, live sources first. A state
    other than live comes with the source and the words that justify it; `deleted` and its kin
    only on a positive signal, `unavailable` when the sources only say they do not have the
    post. `source` names the answer the state rests on (the last asked when none does)."""
    live = [(n, r) for n, r in readings if ALL[n].live]
    found = [(n, r.record) for n, r in live if r.outcome == Outcome.FOUND and r.record]
    if found:
        name, record = _fullest(found)
        if thin(record) and not record.repost_of_status_id and _only(name, live):
            # X's answer for a post whose account is gone (suspended or deactivated): its text,
            # no author; not shown to readers
            reason = f"{name} gives the post without its author, and no other source has it"
            record.state, record.state_reason = PostState.UNAVAILABLE, reason
            return record, PostState.UNAVAILABLE, reason, name
        text_from = name
        if record.note_tweet:  # a long post cut short by this source: take a whole text,
            # else the longest (vxTwitter's, its links expanded, is longer than the post's)
            text_from, longest = max(
                found, key=lambda f: (ALL[f[0]].cut_text is None, len(f[1].text or ""))
            )
            record.text = longest.text
            record.text_expanded = longest.text_expanded or record.text_expanded
        _check_time(record)
        _note_gaps(record, name, text_from)
        return record, PostState.LIVE, None, name
    source = readings[-1][0] if readings else "none"
    gone = [(n, r) for n, r in live if r.outcome == Outcome.GONE]
    positive = next(((n, r) for n, r in gone if r.state in POSITIVE), None)
    kept = next((r for n, r in readings if not ALL[n].live and r.outcome == Outcome.FOUND), None)
    record = kept.record if kept else None
    if positive is not None:
        source, state = positive[0], positive[1].state or PostState.UNAVAILABLE
        reason = positive[1].reason
    elif live and all(r.outcome in (Outcome.GONE, Outcome.NOT_FOUND) for _, r in live):
        state, source = PostState.UNAVAILABLE, live[-1][0]
        reason = "no live source has this post (" + "; ".join(_short(r) for _, r in live) + ")"
    else:
        state = PostState.UNKNOWN
        reason = "; ".join(r.reason or r.outcome for _, r in readings) or "no source asked"
    if record:
        record.state, record.state_reason = state, reason
    return record, state, reason, source


def _fullest(found: list[tuple[str, PostRecord]]) -> tuple[str, PostRecord]:
    """The answer that says most: one that names the author and, for a repost, the post it
    reposts; else one that names the author; else the first."""
    return next(
        ((n, r) for n, r in found if not thin(r) and not r.reposted_handle),
        next(((n, r) for n, r in found if not thin(r)), found[0]),
    )


def _only(name: str, live: list[tuple[str, Reading]]) -> bool:
    """Whether every other live source asked said it does not have the post (and one did)."""
    others = [r for n, r in live if n != name]
    return bool(others) and all(r.outcome in (Outcome.GONE, Outcome.NOT_FOUND) for r in others)


def _note_gaps(record: PostRecord, source: str, text_from: str) -> None:
    """Note what the record lacks that the post has: its author, the post a repost reposts, a
    long post's text cut short, or photos and videos its text shows that its source does not
    list."""
    if thin(record):
        record.note_gap(f"the author: {source} does not name who posted it")
    if record.reposted_handle and (record.text or "").endswith("…"):
        # (uncut, the same form may be a post written that way by hand: it is then whole)
        record.note_gap(
            f'the post it reposts: {source} gives the repost as X shows it, "RT '
            f'@{record.reposted_handle}: " and its text cut short, not the post itself'
        )
    cut = ALL[text_from].cut_text
    if record.note_tweet and cut:
        article = any(ARTICLE_NOTE in note for note in record.notes)
        given = "an X Article's title and preview" if article else cut
        record.note_gap(f"the text is cut short: {text_from} gives {given} only")
    text = record.text_expanded or record.text or ""
    shown = next(  # a media link, or the post's own `/status/<id>/photo/1` (not another's)
        (m for m in MEDIA_LINK_RE.finditer(text) if m[1] in (None, record.status_id)), None
    )
    if shown and not record.media:  # (oEmbed never lists them; another answer left them out)
        record.note_gap(f"media not listed: the text shows {shown[0]}; {source} lists none")


def _short(reading: Reading) -> str:
    """A reason cut at its first sentence (a service's long message names no cause)."""
    reason = reading.reason or str(reading.outcome)
    first = reason.split("! ")[0].split(". ")[0]
    return first if len(first) <= 100 else first[:99] + "…"


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
    or when the network is away; a long post cut short, a post whose author the answer does
    not name, or a repost given as its "RT @…" text alone asks on."""
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
        partial = reading.record is not None and (
            reading.record.note_tweet or thin(reading.record) or reading.record.reposted_handle
        )
        enough = source.live or any(r.outcome == Outcome.GONE for _, r in readings)
        if reading.outcome == Outcome.FOUND and enough and not partial:
            break
    return readings


def embedded_copies(run: Run, readings: list[tuple[str, Reading]], asked: str) -> list[Embedded]:
    """The other posts the answers held whole, each with its record staged: from a live
    source it is live as of that answer; from an archive its state is not known."""
    copies = []
    for name, reading in readings:
        if not reading.embedded or not reading.exchanges:
            continue
        for copy in reading.embedded:
            if ALL[name].live:
                copy.state, copy.state_reason = PostState.LIVE, None
            else:
                copy.state = PostState.UNKNOWN
                copy.state_reason = f"kept from the archived answer for {asked}"
            blob = run.archive.store.stage(canonical_json(copy.to_dict()))
            copies.append(Embedded(copy, blob, reading.exchanges[-1], name, ALL[name].live))
    return copies


async def ask(run: Run, ticket: Ticket) -> tuple[PostRecord | None, list[int]]:
    """Ask for the ticket's post and write the round. (record for the media step, or None when
    the job ended here; ids of jobs started)."""
    assert ticket.post_id is not None
    readings = await _readings(run, Target(ticket.target, ticket.handle), run.options.order)
    last = readings[-1][1] if readings else None
    record, state, reason, source = decide(readings)
    kept = _kept_copy(run, ticket)  # the record the post had (read only when it has one)
    if record is not None and kept is not None and _stays(kept, record):
        record = kept  # asked again, and given less: what it had stays (the state is new)
    media_record = record or kept
    if last is not None and (last.offline or last.retry_after) and state != PostState.LIVE:
        # (a live answer in hand is kept: partial for what the halted source would have added)
        record, media_record, state = None, None, PostState.UNKNOWN
        end: JobEnd | None = JobEnd(JobState.PENDING, last.reason, wait=last.retry_after)
    elif record is None and state == PostState.UNKNOWN:
        end = JobEnd(JobState.FAILED, reason)
    elif state in HIDDEN_STATES and (erred := _erred_live(readings)):
        end = JobEnd(JobState.FAILED, f"{state}: {reason}; {erred}")  # another may show it
    elif media_record is None and (unread := _unread_archives(readings)):
        end = JobEnd(JobState.FAILED, f"{state}: {reason}; {unread}")  # retry asks again
    elif not pending_media(run, media_record, ticket):
        end = job_end([], record)
    else:
        end = None  # the media step ends the job
    blob = _staged_record(run, record) if record else None
    quoted = []
    if record and ticket.kind != JobKind.QUOTED and run.options.quoted_depth:
        linked = (record.quoted_status_id, record.repost_of_status_id)
        quoted = [q for q in dict.fromkeys(linked) if q and q != ticket.target]
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
        embedded=embedded_copies(run, readings, ticket.target),
        status_id=ticket.target,
        source=source,
    )
    started = await run.writer.do(
        "sources", functools.partial(apply_source_round, r=decision), decision.blobs
    )
    run.progress(f"{ticket.target}: {state}")
    return (media_record if end is None else None), started


def _erred_live(readings: list[tuple[str, Reading]]) -> str | None:
    """Why a live source could not be read (a failure, not an answer), or None."""
    failed = [r for n, r in readings if ALL[n].live and r.outcome == Outcome.ERROR]
    return "; ".join(r.reason or str(r.outcome) for r in failed) or None


def _unread_archives(readings: list[tuple[str, Reading]]) -> str | None:
    """Why an archive that may keep a copy of a post the live sources no longer give could not
    be read (its index or a capture failed), or None."""
    failed = [r for n, r in readings if not ALL[n].live and r.outcome == Outcome.ERROR]
    return "; ".join(r.reason or str(r.outcome) for r in failed) or None


def _stays(kept: PostRecord, new: PostRecord) -> bool:
    """Whether the record the post has stays its record over `new`, the one just given: it
    lacks less; or as much, and it is a live source's where `new` is an archive's copy (a
    deleted post's snapshot); or, of the same kind, `new` has less text or fewer media."""
    if len(new.gaps) != len(kept.gaps):
        return len(new.gaps) > len(kept.gaps)
    if _live(kept) != _live(new):
        return _live(kept)
    return len(new.text or "") < len(kept.text or "") or len(new.media) < len(kept.media)


def _live(record: PostRecord) -> bool:
    source = ALL.get(record.source)
    return source is not None and source.live


def stored_record(run: Run, digest: str | None) -> PostRecord | None:
    """The record the archive keeps under `digest`; None when there is none, or its blob is
    missing or damaged (`verify` names it; the sources are asked again, and a missing blob is
    written again with the same bytes)."""
    if not digest:
        return None
    try:
        data = run.archive.store.read_bytes(digest)
    except FileNotFoundError:
        return None
    if digest_bytes(data) != digest:
        return None
    return PostRecord.from_dict(json.loads(data))


def _staged_record(run: Run, record: PostRecord) -> Staged:
    """The record's blob, staged; recaptured, through a temp file when the archive's copy is
    damaged, so that the same bytes take its place (as a photo's do)."""
    data, store = canonical_json(record.to_dict()), run.archive.store
    if not run.options.recapture or store.intact(digest_bytes(data)):
        return store.stage(data)
    with store.writer() as writer:
        writer.write(data)
        return writer.stage()


def _kept_copy(run: Run, ticket: Ticket) -> PostRecord | None:
    """The record the post already has from a source (a copy embedded in another post's
    answer, say), so that its media are fetched even when asking for it directly fails."""
    kept = stored_record(run, ticket.record_digest)
    return kept if kept is not None and kept.source != "witness" else None


def pending_media(run: Run, record: PostRecord | None, ticket: Ticket) -> bool:
    return any(
        (position, item.url) not in ticket.media_done
        for position, item in media_of(record, run.options.follow_media_links)
    )


async def observe(run: Run, post_id: int, status_id: str, handle: str | None) -> dict[str, object]:
    """Ask the live sources whether the post is still there; write a check."""
    names = [n for n in run.options.order if ALL[n].live]
    readings = await _readings(run, Target(status_id, handle), names)
    _record, state, reason, source = decide(readings)
    observation = Observation(post_id, readings, state, reason, source)
    return await run.writer.do(
        "check", functools.partial(apply_observation, o=observation), observation.blobs
    )
