"""Large documents read in worker processes, one per core, while the results still come out in
the order the documents were named. Small files, stdin and any process that already runs
threads (forking one is unsafe: a lock held by another thread stays held in the child) are read
in the calling process, lazily, as before."""

from __future__ import annotations

import gc
import os
import stat
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .ref import Ref

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

# A regular file of this size is read by a worker. A worker hands its refs back at the end, so a
# larger file is streamed here instead: its memory stays bounded by the references it holds.
PARALLEL_BYTES = (1024 * 1024, 8 * 1024 * 1024)
# A worker gives up on a file holding more references than this (a list of post ids: each
# line one, a kilobyte each once made): the file is streamed here instead, its memory bounded
MAX_AHEAD_REFS = 20_000
Finished = tuple[list[Ref], list[str], str | None, bool]  # refs, warnings, error, skipped


def _large(path: Path) -> bool:
    try:
        info = os.stat(path)
    except OSError:
        return False  # the reader in this process says what is wrong with it
    low, high = PARALLEL_BYTES
    return stat.S_ISREG(info.st_mode) and low <= info.st_size < high


def read_ahead(
    paths: Iterable[tuple[str, Path | None]],
    lazy: Callable[[str, Path | None], object],
    whole: Callable[[str, Path], Finished | None],
    made: Callable[[str, Finished], object],
) -> Iterator[object]:
    """For each (name, path): `lazy(name, path)` read here, or for a large file `whole(name, path)`
    run in a worker and its result given as `made(name, result)` (read here after all when the
    worker gave up: None); in order, with at most two large files per worker read ahead."""
    workers = os.cpu_count() or 1
    if workers < 2 or threading.active_count() > 1:
        for name, path in paths:
            yield lazy(name, path)
        return
    pool: ProcessPoolExecutor | None = None
    ahead: deque[tuple[str, Path | None, Future[Finished | None] | None]] = deque()
    try:
        for name, path in paths:
            future = None
            if path is not None and _large(path):
                if pool is None:
                    pool, future = _started(_pool(workers), whole, name, path)
                else:
                    future = pool.submit(whole, name, path)
            ahead.append((name, path, future))
            while ahead and (
                ahead[0][2] is None or sum(f is not None for *_, f in ahead) > 2 * workers
            ):
                yield _next(ahead, lazy, made)
        while ahead:
            yield _next(ahead, lazy, made)
    except BaseException:  # ^C, SIGTERM, or the reader gone: the workers' files are not waited for
        if pool is not None:
            from ..children import end_pool

            end_pool(pool)
            pool = None
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _pool(workers: int) -> ProcessPoolExecutor:
    import multiprocessing  # loaded only when a large file is met: start-up stays short

    from ..children import process_pool

    return process_pool(workers, multiprocessing.get_context("fork"))


def _started(
    pool: ProcessPoolExecutor, whole: Callable[[str, Path], Finished | None], name: str, path: Path
) -> tuple[ProcessPoolExecutor, Future[Finished | None]]:
    """The pool with its first task: its workers are forked then, with this process's objects
    frozen out of the collector's reach, so that the workers' collections never walk (nor copy)
    them: a fifth less time over many files."""
    gc.freeze()
    try:
        return pool, pool.submit(whole, name, path)
    finally:
        gc.unfreeze()


def _next(
    ahead: deque[tuple[str, Path | None, Future[Finished | None] | None]],
    lazy: Callable[[str, Path | None], object],
    made: Callable[[str, Finished], object],
) -> object:
    name, path, future = ahead.popleft()
    finished = future.result() if future is not None else None
    return lazy(name, path) if finished is None else made(name, finished)
