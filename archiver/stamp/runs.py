"""The runs of an archive and their evidence. A run that captures begins as a row; the blobs
its decisions add name it; at its end its custody record (custody.py) lists them and is kept as
a blob, which the TSAs of `tsa_urls` stamp then, or `archiver stamp` later. A run killed before
its end gets its record when it is stamped: what it added is in the database either way.

Each step is one transaction, so a crash leaves a run either without a record (made later), or
with its record and the stamps received so far; a stamp is only ever asked for a record that is
already kept, so no stamp can predate what it dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import Session, col, func, select

from ..archive import Archive
from ..config import Settings
from ..errors import InputError
from ..models import Blob, Run, RunStamp
from ..rows.jobs import ME, holder_alive
from ..rows.records import Batch
from .custody import custody_record, read_custody, shaping_settings, verify_run_stamps
from .trust import Trust
from .tsa import Failure, Stamp, stamp, summary


@dataclass
class RunEnd:
    """A run's custody record and what the TSAs said of it."""

    run: int
    custody_digest: str | None  # None: the run added nothing, and left no trace
    added: int  # blobs the run added
    stamps: list[Stamp] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def begin(archive: Archive, command: str, settings: Settings) -> int:
    """A new run of `command`; its id names the blobs it adds."""
    with archive.session() as sess:
        run = Run(command=command, runner=ME, operator=settings.operator)
        sess.add(run)
        sess.flush()
        return run.id  # type: ignore[return-value]


def end(archive: Archive, settings: Settings, run_id: int) -> RunEnd:
    """Keep the run's custody record; have the TSAs of `tsa_urls` stamp it."""
    done = _record(archive, settings, run_id, datetime.now(UTC))
    if settings.tsa_urls and done.custody_digest:
        done.stamps, done.failures = stamp_run(archive, settings, run_id, _trust(settings))
    return done


def _record(archive: Archive, settings: Settings, run_id: int, ended: datetime | None) -> RunEnd:
    """Write the run's custody record (one transaction): the blobs it added, the times, the
    settings that shape captures. `ended` None: the last blob's time (a run that was killed).
    A run that added nothing has nothing to date: its row goes."""
    with archive.session() as sess:
        run = sess.get(Run, run_id)
        assert run is not None
        digests = list(sess.exec(select(Blob.digest).where(Blob.run_id == run_id)))
        if not digests:
            sess.delete(run)
            return RunEnd(run_id, None, 0)
        if ended is None:
            last = sess.exec(select(func.max(Blob.created_at)).where(Blob.run_id == run_id)).one()
            ended = last or run.started_at
        record = custody_record(
            run.started_at,
            ended,
            digests,
            operator=run.operator or "",
            run=str(run_id),
            settings=shaping_settings(settings),
        )
        data = record.to_json()
        digest, size = archive.store.put(data)
        batch = Batch()
        batch.blob(digest, size, "application/json", derived=True)
        batch.write(sess)
        run.ended_at, run.custody_digest = ended, digest
        return RunEnd(run_id, digest, len(digests))


def stamp_run(
    archive: Archive, settings: Settings, run_id: int, trust: Trust
) -> tuple[list[Stamp], list[Failure]]:
    """Ask every TSA of `tsa_urls` to stamp the run's custody record; keep each stamp."""
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
    with archive.session() as sess:
        for one in stamps:
            batch = Batch()
            response, chain = (archive.store.put(b) for b in (one.response, one.chain_pem))
            batch.blob(response[0], response[1], "application/timestamp-reply", derived=True)
            batch.blob(chain[0], chain[1], "application/x-pem-file", derived=True)
            batch.write(sess)
            sess.add(
                RunStamp(
                    run_id=run_id,
                    tsa=one.tsa,
                    url=one.url,
                    time=one.time,
                    response_digest=response[0],
                    chain_digest=chain[0],
                )
            )
    return stamps, [g for g in got if isinstance(g, Failure)]


def stamp_pending(
    archive: Archive, settings: Settings, runs: Iterable[int] | None = None
) -> list[RunEnd]:
    """Stamp `runs` (all unstamped ones when None): a run killed before its end gets its custody
    record first; a run still going is left alone."""
    if not settings.tsa_urls:
        raise InputError("no TSA to ask: set tsa_urls (config file or ARCHIVER_TSA_URLS)")
    trust = _trust(settings)
    with archive.session() as sess:
        chosen = list(runs) if runs is not None else _unstamped(sess)
        rows = {r.id: r for r in sess.exec(select(Run).where(col(Run.id).in_(chosen)))}
    done = []
    for run_id in chosen:
        run = rows.get(run_id)
        if run is None:
            raise InputError(f"run {run_id}: no such run")
        if run.custody_digest is None:
            if holder_alive(run.runner):
                continue  # still going: its own end stamps it
            end_ = _record(archive, settings, run_id, None)
            if end_.custody_digest is None:
                continue
        else:
            end_ = RunEnd(run_id, run.custody_digest, 0)
        end_.stamps, end_.failures = stamp_run(archive, settings, run_id, trust)
        done.append(end_)
    return done


def _unstamped(sess: Session) -> list[int]:
    stamped = select(RunStamp.run_id)
    return list(sess.exec(select(Run.id).where(col(Run.id).not_in(stamped)).order_by(Run.id)))  # type: ignore[arg-type]


def _trust(settings: Settings) -> Trust:
    return Trust.load(settings.tsa_roots)


def check_runs(archive: Archive, settings: Settings) -> tuple[int, list[str]]:
    """Every kept stamp checked offline against its run's custody record: (stamps that hold,
    one line per problem)."""
    held, problems = 0, []
    with archive.session() as sess:
        runs = list(sess.exec(select(Run).where(col(Run.custody_digest).is_not(None))))
        tokens: dict[int, list[RunStamp]] = {}
        for row in sess.exec(select(RunStamp)):
            tokens.setdefault(row.run_id, []).append(row)
    if not any(tokens.values()):
        return 0, []
    trust = _trust(settings)
    for run in runs:
        pairs = [
            (archive.store.read_bytes(t.response_digest), archive.store.read_bytes(t.chain_digest))
            for t in tokens.get(run.id, [])  # type: ignore[arg-type]
        ]
        if not pairs:
            continue
        check = verify_run_stamps(archive.store.read_bytes(run.custody_digest), pairs, trust)  # type: ignore[arg-type]
        held += len(check.stamps)
        problems += [f"run {run.id}: {p}" for p in check.problems]
    return held, problems


def trusted_times(sess: Session, digests: Iterable[str]) -> dict[str, str]:
    """digest → "timestamped by <TSA> at <time>", for blobs whose run was stamped (the
    earliest stamp)."""
    wanted = list(dict.fromkeys(digests))
    rows = sess.exec(
        select(Blob.digest, RunStamp.tsa, RunStamp.time)
        .join(RunStamp, RunStamp.run_id == Blob.run_id)  # type: ignore[arg-type]
        .where(col(Blob.digest).in_(wanted))
        .order_by(RunStamp.time)  # type: ignore[arg-type]
    )
    found: dict[str, str] = {}
    for digest, tsa, when in rows:
        found.setdefault(digest, summary(tsa, when))
    return found
