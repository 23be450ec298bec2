"""Processes a command starts (the writer, image workers, document reading): each ends when the
command ends, even by SIGKILL, so that none outlives a killed run; and how a run calls them."""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.connection import Connection
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess


def die_with_parent(parent: int) -> None:
    """In a child: end when the process that started it ends, even by SIGKILL (Linux); and at
    once if it has already ended while this child was starting. ^C is the parent's to handle;
    SIGTERM (sent to the whole process group) ends the child quietly, as it ends the parent."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def process_pool(workers: int, context: BaseContext) -> ProcessPoolExecutor:
    """A pool of `workers` children that die with this process."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=die_with_parent, initargs=(os.getpid(),)
    )


def end_pool(pool: ProcessPoolExecutor) -> None:
    """Stop `pool` now, its children too: a command stopped (^C, SIGTERM) does not wait at its
    exit for the work they have in hand."""
    for child in list(getattr(pool, "_processes", None) or ()):  # their pids
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(child, signal.SIGKILL)
    pool.shutdown(wait=False, cancel_futures=True)


class Calls:
    """Calls to one child process over a pipe, awaited from any event loop. Each goes down as
    `(key, *args)`; the child answers `(key, ok, value)` in any order, and a reader thread hands
    each answer to its caller. When the child ends, what still waits fails with `error(why)`
    (after `on_end(exit code)`, when given). An answer whose caller is gone (cancelled, or its
    event loop closed) goes to `orphan(value)`, when given, to let go of what it holds."""

    def __init__(
        self,
        conn: Connection,
        process: BaseProcess,
        error: Callable[[str], Exception],
        on_end: Callable[[int | None], None] | None = None,
        orphan: Callable[[Any], None] | None = None,
    ) -> None:
        self.conn, self.process, self.error, self.on_end = conn, process, error, on_end
        self.orphan = orphan
        self.ids = itertools.count()
        self.waiting: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Future]] = {}
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, name=f"{process.name}-answers")
        self.reader.daemon = True
        self.reader.start()

    @property
    def busy(self) -> int:
        """How many calls wait for their answer."""
        return len(self.waiting)

    async def call(self, *args: Any) -> Any:
        """Send `args` to the child; return its answer's value (or raise `error(value)`)."""
        import asyncio  # not at the top: reading documents, which also starts children, needs none

        loop = asyncio.get_running_loop()
        key = next(self.ids)
        future = loop.create_future()
        self.waiting[key] = (loop, future)
        try:
            with self.lock:
                self.conn.send((key, *args))
        except OSError as exc:  # the child is gone: its reader fails the others
            self.waiting.pop(key, None)
            gone = self.error(f"{self.process.name} is gone ({exc})")
            gone.child_gone = True  # type: ignore[attr-defined]
            raise gone from None
        return await future

    async def call_then(self, *args: Any) -> tuple[Any, asyncio.Future]:
        """`call`, for a child that answers twice: the first answer's value, and a future of the
        second, which the child sends (always) under the key it gets as the call's last argument;
        it fails with the rest when the child ends. Cancelling it, or going before the first
        answer, lets go of the second: its value goes to `orphan` when it comes."""
        import asyncio

        later = asyncio.get_running_loop().create_future()
        later.add_done_callback(_retrieved)  # (awaited or not: a second answer is optional)
        then = next(self.ids)
        self.waiting[then] = (asyncio.get_running_loop(), later)
        try:
            return await self.call(*args, then), later
        except BaseException:
            self.waiting.pop(then, None)
            later.cancel()
            raise

    def end(self) -> None:
        """Tell the child there is nothing more to do (it answers what it has, then ends)."""
        with self.lock:
            self.conn.send(None)

    def _read(self) -> None:
        """Answers coming back, each to its waiting caller; the end when the child ends (its
        death is watched too, in case another process holds a copy of its end of the pipe)."""
        from multiprocessing.connection import wait

        while True:
            ready = wait([self.conn, self.process.sentinel])
            if self.conn not in ready:
                break  # the child died with nothing more to say
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                break
            if message is None:
                break
            key, ok, value = message
            self._hand(self.waiting.pop(key, None), ok, value)
        self.process.join()
        if self.on_end is not None:
            self.on_end(self.process.exitcode)
        why = f"the {self.process.name} process ended (exit {self.process.exitcode})"
        for key in list(self.waiting):
            gone = self.error(why)
            gone.child_gone = True  # type: ignore[attr-defined]  # (see cli.not_an_interruption)
            self._hand(self.waiting.pop(key, None), False, gone)

    def _hand(
        self, waiter: tuple[asyncio.AbstractEventLoop, asyncio.Future] | None, ok: bool, value: Any
    ) -> None:
        """Give an answer to its caller's loop (a caller that gave up meanwhile has none)."""
        try:
            if waiter is not None:
                waiter[0].call_soon_threadsafe(self._settle, waiter[1], ok, value)
                return
        except RuntimeError:  # the caller's event loop is closed: the run was cut short
            pass
        if ok and self.orphan is not None:
            self.orphan(value)

    def _settle(self, future: asyncio.Future, ok: bool, value: Any) -> None:
        if future.done():  # cancelled while the child worked
            if ok and self.orphan is not None:
                self.orphan(value)
            return
        if ok:
            future.set_result(value)
        else:  # a failure the child sent as itself (a full disk) stays what it is
            future.set_exception(value if isinstance(value, BaseException) else self.error(value))


def _retrieved(future: asyncio.Future) -> None:
    """Its failure looked at, so that none is logged as never retrieved."""
    if not future.cancelled():
        future.exception()


def answer(conn: Connection, lock: threading.Lock, key: int, ok: bool, value: Any) -> None:
    """In a child: send the answer to call `key` (a value that does not pickle is an error)."""
    with lock:
        try:
            conn.send((key, ok, value))
        except Exception as exc:
            conn.send((key, False, f"{type(exc).__name__}: {exc}"))
