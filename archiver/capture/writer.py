"""The one writer of a run: a thread that owns the database connection and applies decisions in
groups (group commit, as databases do), off the event loop.

For each group it first makes every blob the group's decisions name durable and puts them in
place (Store.settle: one file-system flush for the whole group, on a thread of its own, so that
the next group's flush overlaps this group's transaction), then applies each decision in its
own savepoint inside one transaction, and commits. A decision that fails is rolled back
alone and its caller gets the exception; a commit that fails fails the whole group. So a crash
at any point leaves each decision either absent or whole, and no row names a missing blob.

`ARCHIVER_CRASH_AT` (for tests only) names commit points at which the process kills itself:
`<decision>:durable` (blobs in place, nothing committed) and `<decision>:committed`.
"""

from __future__ import annotations

import asyncio
import os
import queue
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlmodel import Session

from ..archive import Archive
from ..store import Staged

T = TypeVar("T")
GROUP = 256  # most decisions in one transaction
CRASH_EXIT = 70


def crash_point(name: str) -> None:
    """Die here, as a SIGKILL would, when the test-only setting names this point."""
    wanted = os.environ.get("ARCHIVER_CRASH_AT")
    if wanted and name in wanted.split(","):
        os._exit(CRASH_EXIT)


@dataclass
class _Decision:
    name: str
    apply: Callable[[Session], Any]
    blobs: list[Staged]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future
    result: Any = None
    error: BaseException | None = None
    done: bool = field(default=False)


class Writer:
    """Use as `async with Writer(archive) as writer`, then `await writer.do(name, fn, blobs)`."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.incoming: queue.SimpleQueue[_Decision | None] = queue.SimpleQueue()
        self.settled: queue.SimpleQueue[list[_Decision] | None] = queue.SimpleQueue()
        self.settler = threading.Thread(target=self._settle, name="archiver-settle", daemon=True)
        self.thread = threading.Thread(target=self._run, name="archiver-writer", daemon=True)

    async def __aenter__(self) -> Writer:
        self.settler.start()
        self.thread.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.incoming.put(None)
        await asyncio.to_thread(self.thread.join)

    async def do(self, name: str, apply: Callable[[Session], T], blobs: Iterable[Staged] = ()) -> T:
        """Apply `apply(session)` as one decision once `blobs` are durable; return its result."""
        loop = asyncio.get_running_loop()
        decision = _Decision(name, apply, list(blobs), loop, loop.create_future())
        if decision.blobs:
            self.incoming.put(decision)
        else:
            self.settled.put([decision])  # nothing to make durable first
        return await decision.future

    def _settle(self) -> None:
        """Stage one: make each group's blobs durable, then hand the group to the committer.
        While it waits on the disk, the committer writes the group before (a pipeline)."""
        while (group := _take(self.incoming)) is not None:
            try:
                self.archive.store.settle(b for d in group for b in d.blobs)
            except Exception as exc:  # a full disk, say: these decisions fail, nothing is named
                for decision in group:
                    decision.error = exc
                    decision.loop.call_soon_threadsafe(_resolve, decision)
                continue
            for name in {d.name for d in group}:
                crash_point(f"{name}:durable")
            self.settled.put(group)
        self.settled.put(None)

    def _run(self) -> None:
        """Stage two: apply each settled group's decisions in one transaction."""
        with Session(self.archive.engine, expire_on_commit=False) as sess:
            while (groups := _take(self.settled)) is not None:
                self._commit(sess, [d for group in groups for d in group])

    def _commit(self, sess: Session, group: list[_Decision]) -> None:
        names = {d.name for d in group}
        for name in {d.name for d in group if not d.blobs}:
            crash_point(f"{name}:durable")  # nothing to make durable: the point is here
        try:
            for decision in group:
                try:
                    with sess.begin_nested():
                        decision.result = decision.apply(sess)
                except Exception as exc:
                    decision.error = exc
                sess.expire_all()  # rows changed by statements: read them afresh
            sess.commit()
            for name in names:
                crash_point(f"{name}:committed")
        except Exception as exc:
            sess.rollback()
            for decision in group:
                decision.error = decision.error or exc
        finally:
            sess.expunge_all()
        for decision in group:
            decision.loop.call_soon_threadsafe(_resolve, decision)


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


def _resolve(decision: _Decision) -> None:
    if decision.future.done():
        return
    if decision.error is not None:
        decision.future.set_exception(decision.error)
    else:
        decision.future.set_result(decision.result)
