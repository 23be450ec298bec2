"""The one writer of a run: a process of its own that owns the database connection and applies
decisions in groups (group commit, as databases do).

It is a process, not a thread, so that its work (SQL, file-system flushes) never waits on the
interpreter lock the event loop holds, nor the other way round: the two run on two cores. The
run's process sends each decision (a picklable function of a session, and the blobs it names)
down a pipe and gets its result back; the writer dies with the run (PR_SET_PDEATHSIG).

Inside, for each group it first makes every blob the group's decisions name durable and puts
them in place (Store.settle: one file-system flush for the whole group, on a thread of its own,
so that the next group's flush overlaps this group's transaction), then applies the group's
decisions in one transaction and commits. When a decision fails, the group is rolled back and
applied again with each decision in a savepoint of its own: the failing one is rolled back
alone and its caller gets the error; a commit that fails fails the whole group. So a crash at
any point leaves each decision either absent or whole, and no row names a missing blob.

`ARCHIVER_CRASH_AT` (for tests only) names commit points at which the writer kills itself, and
the run with it: `<decision>:durable` (blobs in place, nothing committed), `<decision>:committed`.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from sqlmodel import Session

from ..archive import Archive
from ..children import Calls, answer, die_with_parent
from ..durable import CRASH_EXIT, crash_point
from ..errors import ArchiverError, explain, stops_the_run
from ..store import Staged
from ..team import Place

T = TypeVar("T")
GROUP = 256  # most decisions in one transaction


class WriteFailed(ArchiverError):
    """A decision could not be written (the reason is the database's or the disk's)."""


class Writer:
    """Use as `async with Writer(archive, run) as writer`, then `await writer.do(name, fn,
    blobs)`; the blobs its decisions add belong to `run`."""

    def __init__(self, archive: Archive, run: int | None = None) -> None:
        self.home, self.place, self.run = archive.home, archive.place, run

    async def __aenter__(self) -> Writer:
        context = multiprocessing.get_context("fork")  # the modules are loaded: start at once
        conn, theirs = context.Pipe()
        self.process = context.Process(
            target=_serve,
            args=(self.home, self.place, theirs, conn, os.getpid(), self.run),
            name="archiver-writer",
            daemon=True,
        )
        self.process.start()
        theirs.close()
        self.calls = Calls(conn, self.process, WriteFailed, _crashed)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.calls.end()
        await asyncio.to_thread(self.calls.reader.join)
        await asyncio.to_thread(self.process.join)

    async def do(self, name: str, apply: Callable[[Session], T], blobs: Iterable[Staged] = ()) -> T:
        """Apply `apply(session)` as one decision once `blobs` are durable; return its result."""
        return await self.calls.call(name, apply, list(blobs))


def _crashed(exitcode: int | None) -> None:
    if exitcode == CRASH_EXIT:
        os._exit(CRASH_EXIT)  # a test's crash point: the run dies with its writer


# --- in the writer process ---------------------------------------------------------------------


@dataclass
class _Decision:
    key: int
    name: str
    apply: Callable[[Session], Any]
    blobs: list[Staged]
    result: Any = None
    error: str | ArchiverError | None = None  # a full disk goes back as itself: the run stops


def _serve(
    home: Path, place: Place, conn: Connection, runs_end: Connection, parent: int, run: int | None
) -> None:
    """The writer process: read decisions, settle and commit them, send the results back."""
    runs_end.close()  # the run's end of the pipe, copied by the fork: only the run reads it
    die_with_parent(parent)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a stop is the run's (it finishes its jobs)
    # The run's end of the pipe gone: the run was killed (a living run ends its writer by a
    # message, never by closing the pipe)
    with contextlib.suppress(EOFError, ConnectionError):
        Committer(Archive.at(home, place), conn, run).serve()
    os._exit(0)  # no interpreter teardown of what the fork copied from the run


class Committer:
    """Stage one settles each group's blobs; stage two commits each settled group."""

    def __init__(self, archive: Archive, conn: Connection, run: int | None = None) -> None:
        self.archive, self.conn, self.run = archive, conn, run
        self.send_lock = threading.Lock()
        self.incoming: queue.SimpleQueue[_Decision | None] = queue.SimpleQueue()
        self.settled: queue.SimpleQueue[list[_Decision] | None] = queue.SimpleQueue()

    def serve(self) -> None:
        settler = threading.Thread(target=self._settle, name="archiver-settle", daemon=True)
        committer = threading.Thread(target=self._run, name="archiver-commit", daemon=True)
        settler.start()
        committer.start()
        while (message := self.conn.recv()) is not None:
            decision = _Decision(*message)
            if decision.blobs:
                self.incoming.put(decision)
            else:
                self.settled.put([decision])  # nothing to make durable first
        self.incoming.put(None)
        committer.join()
        with self.send_lock:
            self.conn.send(None)

    def _reply(self, decision: _Decision) -> None:
        ok = decision.error is None
        answer(
            self.conn, self.send_lock, decision.key, ok, decision.result if ok else decision.error
        )

    def _settle(self) -> None:
        """Make each group's blobs durable, then hand the group to the committer. While it
        waits on the disk, the committer writes the group before (a pipeline)."""
        while (group := _take(self.incoming)) is not None:
            try:
                self.archive.store.settle(b for d in group for b in d.blobs)
            except Exception as exc:  # a full disk, say: these decisions fail, nothing is named
                for decision in group:
                    decision.error = _reason(exc)
                    self._reply(decision)
                continue
            for name in {d.name for d in group}:
                crash_point(f"{name}:durable")
            self.settled.put(group)
        self.settled.put(None)

    def _run(self) -> None:
        """Apply each settled group's decisions in one transaction."""
        with Session(self.archive.engine, expire_on_commit=False, info={"run": self.run}) as sess:
            while (groups := _take(self.settled)) is not None:
                self._commit(sess, [d for group in groups for d in group])

    def _commit(self, sess: Session, group: list[_Decision]) -> None:
        names = {d.name for d in group}
        for name in {d.name for d in group if not d.blobs}:
            crash_point(f"{name}:durable")  # nothing to make durable: the point is here
        try:
            try:
                for decision in group:
                    decision.result = decision.apply(sess)
                    sess.expire_all()  # rows changed by statements: read them afresh
            except Exception:
                # One decision failed: undo the group and apply each decision again in a
                # savepoint of its own, so that only the failing one is lost. (Savepoints for
                # every decision would cost a quarter of the writer's time when none fails.)
                sess.rollback()
                for decision in group:
                    try:
                        with sess.begin_nested():
                            decision.result = decision.apply(sess)
                    except Exception as exc:
                        decision.error = _reason(exc)
                    sess.expire_all()
            sess.commit()
            for name in names:
                crash_point(f"{name}:committed")
        except Exception as exc:
            sess.rollback()
            for decision in group:
                decision.error = decision.error or _reason(exc)
        finally:
            sess.expunge_all()
        for decision in group:
            self._reply(decision)


def _reason(exc: BaseException) -> str | ArchiverError:
    """One line for what failed a decision; a full or failing disk (the database's or the
    store's) as the error itself, which the run stops on (queue.py), rather than failing each
    job in turn."""
    if (mapped := explain(exc)) is not None:
        return mapped if stops_the_run(mapped) else str(mapped)
    detail = str(getattr(exc, "orig", None) or exc).splitlines()[0][:300] if str(exc) else ""
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


Item = TypeVar("Item")


def _take(source: queue.SimpleQueue[Item | None]) -> list[Item] | None:
    """The next item and whatever else is waiting (at most GROUP); None once the end is due."""
    first = source.get()
    if first is None:
        return None
    group = [first]
    while len(group) < GROUP:
        try:
            item = source.get_nowait()
        except queue.Empty:
            break
        if item is None:
            source.put(None)  # the end comes after this group
            break
        group.append(item)
    return group
