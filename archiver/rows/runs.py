"""Rows of runs: a run that captures, the custody record that closes it, the stamps that date
that record, and the trusted time they give each blob the run added (stamp/runs.py drives
them)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, func, select

from ..models import Blob, Run, RunStamp


def open_run(sess: Session, command: str, runner: str, operator: str | None) -> int:
    run = Run(command=command, runner=runner, operator=operator)
    sess.add(run)
    sess.flush()
    return run.id  # type: ignore[return-value]


def added(sess: Session, run_id: int) -> tuple[list[str], datetime | None]:
    """The digests of the blobs `run_id` added, and when it added the last."""
    digests = list(sess.exec(select(Blob.digest).where(Blob.run_id == run_id)))
    last = sess.exec(select(func.max(Blob.created_at)).where(Blob.run_id == run_id)).one()
    return digests, last


def close_run(sess: Session, run: Run, ended: datetime, custody: tuple[str, int]) -> None:
    """The run ends with its custody record (a blob already durable)."""
    from .records import Batch  # the network's types: only for runs, not for `show`

    batch = Batch()
    batch.blob(custody[0], custody[1], "application/json", derived=True)
    batch.write(sess)
    run.ended_at, run.custody_digest = ended, custody[0]
    sess.add(run)


def add_stamp(
    sess: Session,
    run_id: int,
    tsa: str,
    url: str | None,
    when: datetime,
    response: tuple[str, int],
    chain: tuple[str, int],
) -> None:
    """One TSA's stamp of the run's custody record: its answer and chain, blobs made durable."""
    from .records import Batch

    batch = Batch()
    batch.blob(response[0], response[1], "application/timestamp-reply", derived=True)
    batch.blob(chain[0], chain[1], "application/x-pem-file", derived=True)
    batch.write(sess)
    sess.add(
        RunStamp(
            run_id=run_id,
            tsa=tsa,
            url=url,
            time=when,
            response_digest=response[0],
            chain_digest=chain[0],
        )
    )


def unended(sess: Session) -> list[Run]:
    """Runs with no custody record yet (going, or killed before their end), oldest first."""
    return list(sess.exec(select(Run).where(col(Run.custody_digest).is_(None)).order_by(Run.id)))  # type: ignore[arg-type]


def unstamped(sess: Session) -> list[int]:
    """Runs with no stamp yet, oldest first."""
    stamped = select(RunStamp.run_id)
    return list(sess.exec(select(Run.id).where(col(Run.id).not_in(stamped)).order_by(Run.id)))  # type: ignore[arg-type]


def stamps_of(sess: Session) -> list[tuple[Run, list[RunStamp]]]:
    """Every run that has stamps, with them."""
    by_run: dict[int, list[RunStamp]] = {}
    for row in sess.exec(select(RunStamp).order_by(RunStamp.id)):  # type: ignore[arg-type]
        by_run.setdefault(row.run_id, []).append(row)
    runs = sess.exec(select(Run).where(col(Run.id).in_(list(by_run))).order_by(Run.id))  # type: ignore[arg-type]
    return [(run, by_run[run.id]) for run in runs]  # type: ignore[index]


def runs_of(sess: Session, digests: Iterable[str]) -> list[tuple[Run, list[RunStamp]]]:
    """The stamped runs that added any of `digests`, with their stamps."""
    wanted = [d for d in dict.fromkeys(digests) if d]
    ids = set(sess.exec(select(Blob.run_id).where(col(Blob.digest).in_(wanted))))
    return [(run, stamps) for run, stamps in stamps_of(sess) if run.id in ids]
