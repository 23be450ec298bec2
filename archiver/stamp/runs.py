"""The runs of an archive and their evidence. A run that captures begins as a row; the blobs
its decisions add name it; at its end its custody record (custody.py) lists them and is kept as
a blob, which the TSAs of `tsa_urls` stamp then, or `archiver stamp` later. A run killed before
its end gets its record when it is stamped: what it added is in the database either way.

Each step is one transaction (rows/runs.py), so a crash leaves a run either without a record
(made later), or with its record and the stamps received so far; a stamp is only ever asked for
a record already kept, so no stamp can predate what it dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..archive import Archive
from ..config import Settings
from ..errors import InputError
from ..models import Run
from ..rows import runs as rows
from ..rows.holders import ME, holder_alive, on_this_machine
from .custody import custody_record, read_custody, shaping_settings, verify_run_stamps

if TYPE_CHECKING:  # cryptography and the TSA client load only when a run is stamped
    from .trust import Trust
    from .tsa import Failure, Stamp


@dataclass
class RunEnd:
    """A run's custody record and what the TSAs said of it."""

    run: int
    custody_digest: str | None  # None: the run added nothing, and left no trace
    added: int  # blobs the run added
    stamps: list[Stamp] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def begin(archive: Archive, command: str, settings: Settings) -> int:
    """A new run of `command`; its id names the blobs it adds. The runs killed before their
    end get their custody record first (see close_killed)."""
    close_killed(archive, settings)
    with archive.session() as sess:
        return rows.open_run(sess, command, ME, settings.operator)


def close_killed(archive: Archive, settings: Settings) -> list[int]:
    """Keep the custody record of each run of this machine killed before its end (its process
    gone), dated by its last blob, so that no run waits for `archiver stamp` to be accounted
    for; one that added nothing goes. Another machine's run is never judged here (it may be
    waiting out a rate limit): `stamp --pending` does, by its lease."""
    with archive.session() as sess:
        killed = [
            run.id
            for run in rows.unended(sess)
            if on_this_machine(run.runner) and not holder_alive(run.runner)
        ]
    for run_id in killed:
        _close(archive, settings, run_id, None)  # type: ignore[arg-type]
    return killed  # type: ignore[return-value]


def end(archive: Archive, settings: Settings, run_id: int) -> RunEnd:
    """Keep the run's custody record; have the TSAs of `tsa_urls` stamp it."""
    done = _close(archive, settings, run_id, datetime.now(UTC))
    if settings.tsa_urls and done.custody_digest:
        done.stamps, done.failures = stamp_run(archive, settings, run_id, _trust(settings))
    return done


def _close(archive: Archive, settings: Settings, run_id: int, ended: datetime | None) -> RunEnd:
    """Keep the run's custody record: the blobs it added, its times, the settings that shape
    captures. `ended` None: when it added its last blob (a run that was killed). A run that
    added nothing has nothing to date: its row goes."""
    with archive.session() as sess:
        run = sess.get(Run, run_id)
        if run is None or run.custody_digest is not None:  # closed meanwhile by another run
            return RunEnd(run_id, run.custody_digest if run else None, 0)
        digests, last = rows.added(sess, run_id)
        if not digests:
            sess.delete(run)
            return RunEnd(run_id, None, 0)
        ended = ended or last or run.started_at
        record = custody_record(
            run.started_at,
            ended,
            digests,
            operator=run.operator or "",
            run=str(run_id),
            settings=shaping_settings(settings),
        )
        custody = archive.store.put(record.to_json())
        rows.close_run(sess, run, ended, custody)
        return RunEnd(run_id, custody[0], len(digests))


def stamp_run(
    archive: Archive, settings: Settings, run_id: int, trust: Trust
) -> tuple[list[Stamp], list[Failure]]:
    """Ask every TSA of `tsa_urls` to stamp the run's custody record; keep each stamp."""
    from .tsa import Failure, Stamp, stamp

    with archive.session() as sess:
        run = sess.get(Run, run_id)
        digest = run.custody_digest if run else None
    if digest is None:
        raise InputError(f"run {run_id}: no custody record")
    record = read_custody(archive.store.read_bytes(digest))
    if isinstance(record, str):
        raise InputError(f"run {run_id}: {record}")
    got = stamp(record.root_bytes, settings.tsa_urls, trust, settings.tsa_timeout)
    stamps = [g for g in got if isinstance(g, Stamp)]
    for one in stamps:
        response, chain = archive.store.put(one.response), archive.store.put(one.chain_pem)
        with archive.session() as sess:
            rows.add_stamp(sess, run_id, one.tsa, one.url, one.time, response, chain)
    return stamps, [g for g in got if isinstance(g, Failure)]


def stamp_pending(
    archive: Archive, settings: Settings, runs: Iterable[int] | None = None
) -> list[RunEnd]:
    """Stamp `runs` (every unstamped one when None): a run killed before its end gets its custody
    record first; a run still going (its process alive here; on another machine of a team
    archive, a blob added within `lease` seconds) is left to stamp itself."""
    if not settings.tsa_urls:
        raise InputError("no TSA to ask: set tsa_urls (config file or ARCHIVER_TSA_URLS)")
    trust = _trust(settings)
    with archive.session() as sess:
        chosen = list(runs) if runs is not None else rows.unstamped(sess)
        found = {run_id: sess.get(Run, run_id) for run_id in chosen}
    done = []
    for run_id, run in found.items():
        if run is None:
            raise InputError(f"run {run_id}: no such run")
        if run.custody_digest is None:
            with archive.session() as sess:
                last = rows.added(sess, run_id)[1] or run.started_at
            if holder_alive(run.runner, last, settings.lease):  # elsewhere: added within a lease
                continue
            ended = _close(archive, settings, run_id, None)
            if ended.custody_digest is None:
                continue
        else:
            ended = RunEnd(run_id, run.custody_digest, 0)
        ended.stamps, ended.failures = stamp_run(archive, settings, run_id, trust)
        done.append(ended)
    return done


def _trust(settings: Settings) -> Trust:
    from .trust import Trust

    return Trust.load(settings.tsa_roots)


def check_runs(archive: Archive, roots: Path | None) -> tuple[list[str], list[str]]:
    """Every kept stamp checked offline against its run's custody record: (one line per stamp
    that holds, one line per problem)."""
    with archive.session() as sess:
        stamped = rows.stamps_of(sess)
    if not stamped:
        return [], []
    from .trust import Trust

    trust = Trust.load(roots)
    held, problems = [], []
    for run, tokens in stamped:
        read = archive.store.read_bytes
        try:
            pairs = [(read(t.response_digest), read(t.chain_digest)) for t in tokens]
            check = verify_run_stamps(read(run.custody_digest or ""), pairs, trust)
        except OSError as exc:  # a missing blob: the object check names it too
            problems.append(f"run {run.id}: its custody record or a stamp cannot be read ({exc})")
            continue
        held += [f"run {run.id}: {s.summary}" for s in check.stamps]
        problems += [f"run {run.id}: {p}" for p in check.problems]
    return held, problems
