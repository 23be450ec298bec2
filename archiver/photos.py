"""Photos fetched and checked in worker processes, one per core, several at a time in each.

A photo is small and many come at once: asked through the run's own HTTP client, each costs its
process a few milliseconds of Python (httpx, httpcore, h11), and checking it (decoding, the
difference hash, the thumbnail) several more. Both happen here instead, out of the run's
process: a worker reads the body over a kept-alive connection (download.py) into a temp file of
the store and sends back the exchange at once, so that the host's slot goes to the next request
while the picture is checked; then, on the same thread, it decodes the body and stages the
thumbnail beside it (a body of 200 only: a redirect's or an error page's is not the picture)
and sends what the picture is as a second answer to the same call. The run's process keeps
deciding what may be asked (net.py: the fence, the address check, the host's slots, retries and
redirects), so the workers only carry requests out.

The workers are started fresh (`spawn`: they import only what this needs) when a run's queue
starts, or on the first photo, and end with the process that started them, even when it is
killed; one that dies is replaced on the next photo. The requests it held fail as transient (so
they are asked again); a check it made meanwhile is made again by another, and a check it was
asked for fails its item (so `retry` fetches it again). What a worker stages is named after
the run's process, so no other run's clean-up takes it while this run lives.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

from . import download, images
from .children import Calls, answer, die_with_parent
from .errors import stops_the_run
from .exchange import Exchange
from .store import Staged, Store

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

THREADS = 64  # requests in flight per worker at most (the run's slots bound them first)
CHECKS = 2  # pictures decoded at once per worker: each may take hundreds of megabytes
COUNT = os.cpu_count() or 1
_WORKERS: list[Calls] = []
_START = threading.Lock()
# By temp file, what its worker finds the picture is (checked as they came in)
_CHECKED: dict[Path, asyncio.Future[images.ImageFacts | None]] = {}
MAX_CHECKED = 4096  # far more than are ever in flight


def _forget() -> None:
    """In a forked child (the writer, the document readers): the workers' pipes are the
    parent's, read by the parent's threads; the child starts its own if it ever needs one."""
    global _START
    _WORKERS.clear()
    _START = threading.Lock()


os.register_at_fork(after_in_child=_forget)


class WorkerFailed(Exception):
    """An image worker could not answer (it died, or its task raised)."""


async def fetch(
    routed: str, headers: dict[str, str], timeout: float, limit: int, store: Store, into: Exchange
) -> None:
    """GET the photo at `routed` into `into` in the least busy worker (its body staged in
    `store`, and checked there meanwhile: `check` gives what it is). A worker that dies
    meanwhile leaves a transient error: the photo is asked again."""
    try:
        (got, _), checked = await _least_busy().call_then(
            "fetch", routed, headers, timeout, limit, str(store.root)
        )
    except WorkerFailed as exc:
        into.error, into.transient = f"image worker: {exc}", True
        return
    for name in (
        "status",
        "header_list",
        "error",
        "offline",
        "transient",
        "stalled",
        "refused",
        "elapsed_ms",
    ):
        setattr(into, name, getattr(got, name))
    into.blob = _own(got.blob, store)
    if into.blob is None or into.blob.tmp_path is None:
        _drop(checked)
        return
    _CHECKED[into.blob.tmp_path] = checked
    while len(_CHECKED) > MAX_CHECKED:  # never asked for (a job cut short): let go
        _drop(_CHECKED.pop(next(iter(_CHECKED))))


async def check(blob: Staged) -> images.ImageFacts:
    """What the picture in `blob` is (see images.check_image), its thumbnail staged beside it
    in its store: as the worker that fetched it found, or checked in the least busy worker."""
    checked = _CHECKED.pop(blob.tmp_path, None) if blob.tmp_path is not None else None
    facts = None
    if checked is not None and checked.get_loop() is not asyncio.get_running_loop():
        _drop(checked)  # (made for another event loop: checked again below)
    elif checked is not None:
        with contextlib.suppress(WorkerFailed):  # (it died meanwhile: checked again below)
            facts = await checked
    if facts is None:  # not checked, or the check itself failed: once more
        source = blob.tmp_path if blob.tmp_path is not None else blob.source()
        facts = await _least_busy().call("check", source, str(blob.store.root))
    facts.thumbnail = _own(facts.thumbnail, blob.store)
    return facts


def forget(blob: Staged) -> None:
    """`blob` will not be checked after all: the thumbnail its worker makes goes."""
    checked = _CHECKED.pop(blob.tmp_path, None) if blob.tmp_path is not None else None
    if checked is not None:
        _drop(checked)


def _drop(checked: asyncio.Future[images.ImageFacts | None]) -> None:
    """A check not wanted: its thumbnail removed, now if it came, else when it comes."""
    if not checked.done():
        if not checked.get_loop().is_closed():  # (closed: its answer is an orphan's already)
            checked.cancel()  # its answer, when it comes, is let go (_let_go)
    elif not checked.cancelled() and checked.exception() is None:
        _let_go(checked.result())


def _own(blob: Staged | None, store: Store) -> Staged | None:
    """A blob staged by a worker, as the run's store's (the same temp file)."""
    if blob is not None:
        blob.store = store
    return blob


def start() -> None:
    """Start the workers now (they take a few tenths of a second to load), so that they are
    ready when the first photo comes; otherwise they start on the first photo."""
    _least_busy()


def _least_busy() -> Calls:
    with _START:
        _WORKERS[:] = [w for w in _WORKERS if w.reader.is_alive()]  # it ends with its child
        while len(_WORKERS) < COUNT:
            _WORKERS.append(_start())
        return min(_WORKERS, key=lambda w: w.busy)


def _start() -> Calls:
    context = multiprocessing.get_context("spawn")
    conn, theirs = context.Pipe()
    process = context.Process(
        target=_serve, args=(theirs, os.getpid()), name="archiver-image-worker", daemon=True
    )
    process.start()
    theirs.close()
    return Calls(conn, process, WorkerFailed, orphan=_let_go)


def _let_go(answer: tuple[Exchange, None] | images.ImageFacts | None) -> None:
    """What a worker staged for a caller that gave up (a run cut short, a check not wanted):
    removed."""
    got, facts = (answer[0], None) if isinstance(answer, tuple) else (None, answer)
    for staged in (got.blob if got else None, facts.thumbnail if facts else None):
        if staged is not None and staged.tmp_path is not None:
            staged.tmp_path.unlink(missing_ok=True)


# --- in a worker process -----------------------------------------------------------------------


def _serve(conn: Connection, parent: int) -> None:
    """Carry out each photo request on a thread of its own; answer as each ends."""
    die_with_parent(parent)
    lock, local = threading.Lock(), threading.local()
    stores: dict[str, Store] = {}
    checking = threading.BoundedSemaphore(CHECKS)

    def carry_out(key: int, task: str, *args: Any) -> None:
        try:
            if task == "fetch":
                routed, headers, timeout, limit, root, then = args
                store = _store(root)
                if not hasattr(local, "kept"):
                    local.kept = {}
                got = Exchange(url=routed)
                download.fetch(routed, headers, timeout, limit, store, got, local.kept)
                answer(conn, lock, key, True, (got, None))
                _checked(then, got, store)
            else:
                path, root = args
                with checking:
                    answer(conn, lock, key, True, images.check_image(path, _store(root)))
        except Exception as exc:  # an answer, whatever happens: the run waits for it
            # a full disk is the run's to stop on, as itself; anything else the item's failure
            answer(
                conn,
                lock,
                key,
                False,
                exc if stops_the_run(exc) else f"{type(exc).__name__}: {exc}",
            )

    def _store(root: str) -> Store:
        if root not in stores:
            stores[root] = Store(root)
            stores[root].owner = parent  # temp files are the run's: live while it lives
        return stores[root]

    def _checked(then: int, got: Exchange, store: Store) -> None:
        """The second answer to a fetch: what the body received is (a body of 200 only), or
        None; a check that failed (a disk that refused the thumbnail) fails it, to be made
        again when asked."""
        if got.status != 200 or got.blob is None:
            answer(conn, lock, then, True, None)
            return
        try:
            with checking:
                facts = images.check_image(got.blob.tmp_path or got.blob.source(), store)
        except Exception as exc:
            answer(conn, lock, then, False, f"{type(exc).__name__}: {exc}")
            return
        answer(conn, lock, then, True, facts)

    # A bomb is refused as an error, set once: catch_warnings per check is not thread-safe.
    warnings.simplefilter("error", Image.DecompressionBombWarning)
    tasks = ThreadPoolExecutor(THREADS, thread_name_prefix="photo")
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            break
        if message is None:
            break
        tasks.submit(carry_out, *message)
    os._exit(0)
