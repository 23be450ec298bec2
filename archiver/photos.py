"""Photos fetched and checked in worker processes, one per core, several at a time in each.

A photo is small and many come at once: asked through the run's own HTTP client, each costs its
process a few milliseconds of Python (httpx, httpcore, h11), and checking it (decoding, the
difference hash, the thumbnail) several more. Both happen here instead, out of the run's
process: a worker reads the body over a kept-alive connection (download.py) into a temp file of
the store, then, on the same thread, decodes it and stages the thumbnail beside it (a body of
200 only: a redirect's or an error page's is not the picture), and sends back the exchange with
what the picture is: one round trip per photo. The host's slot is held the while (a millisecond
or two): when the checks are what limits the pace, that holds the requests back. The run's
process keeps deciding what may be asked (net.py: the fence, the address check, the host's
slots, retries and redirects), so the workers only carry requests out.

The workers are started fresh (`spawn`: they import only what this needs), on the first photo,
and end with the process that started them, even when it is killed; one that dies is replaced
on the next photo. The requests it held fail as transient (so they are asked again), a check it
held fails its item (so `retry` fetches it again). What a worker stages is named after the run's
process, so no other run's clean-up takes it while this run lives.
"""

from __future__ import annotations

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
from .errors import disk_full
from .exchange import Exchange
from .store import Staged, Store

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

THREADS = 64  # requests in flight per worker at most (the run's slots bound them first)
CHECKS = 2  # pictures decoded at once per worker: each may take hundreds of megabytes
COUNT = os.cpu_count() or 1
_WORKERS: list[Calls] = []
_START = threading.Lock()
_CHECKED: dict[Path, images.ImageFacts] = {}  # by temp file: checked as they came in
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
    `store`, and checked there: `check` gives what it is). A worker that dies meanwhile leaves
    a transient error: the photo is asked again."""
    try:
        got, facts = await _least_busy().call(
            "fetch", routed, headers, timeout, limit, str(store.root)
        )
    except WorkerFailed as exc:
        into.error, into.transient = f"image worker: {exc}", True
        return
    for name in ("status", "header_list", "error", "offline", "transient", "elapsed_ms"):
        setattr(into, name, getattr(got, name))
    into.blob = _own(got.blob, store)
    if facts is not None and into.blob is not None and into.blob.tmp_path is not None:
        facts.thumbnail = _own(facts.thumbnail, store)
        _CHECKED[into.blob.tmp_path] = facts
        while len(_CHECKED) > MAX_CHECKED:  # never asked for (a job cut short): let go
            dropped = _CHECKED.pop(next(iter(_CHECKED)))
            if dropped.thumbnail is not None:
                dropped.thumbnail.store.discard([dropped.thumbnail])


async def check(blob: Staged) -> images.ImageFacts:
    """What the picture in `blob` is (see images.check_image), its thumbnail staged beside it
    in its store: as the worker that fetched it found, or checked in the least busy worker."""
    if blob.tmp_path is not None and (facts := _CHECKED.pop(blob.tmp_path, None)) is not None:
        return facts
    source = blob.tmp_path if blob.tmp_path is not None else blob.source()
    facts = await _least_busy().call("check", source, str(blob.store.root))
    facts.thumbnail = _own(facts.thumbnail, blob.store)
    return facts


def forget(blob: Staged) -> None:
    """`blob` will not be checked after all: the thumbnail its worker made goes."""
    facts = _CHECKED.pop(blob.tmp_path, None) if blob.tmp_path is not None else None
    if facts is not None and facts.thumbnail is not None:
        blob.store.discard([facts.thumbnail])


def _own(blob: Staged | None, store: Store) -> Staged | None:
    """A blob staged by a worker, as the run's store's (the same temp file)."""
    if blob is not None:
        blob.store = store
    return blob


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


def _let_go(answer: tuple[Exchange, images.ImageFacts | None] | images.ImageFacts) -> None:
    """What a worker staged for a caller that gave up (a run cut short): removed."""
    got, facts = answer if isinstance(answer, tuple) else (None, answer)
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
            root = args[-1]
            if root not in stores:
                stores[root] = Store(root)
                stores[root].owner = parent  # temp files are the run's: live while it lives
            store = stores[root]
            if task == "fetch":
                routed, headers, timeout, limit, _ = args
                if not hasattr(local, "kept"):
                    local.kept = {}
                got = Exchange(url=routed)
                download.fetch(routed, headers, timeout, limit, store, got, local.kept)
                answer(conn, lock, key, True, (got, _checked(got, store)))
            else:
                with checking:
                    answer(conn, lock, key, True, images.check_image(args[0], store))
        except Exception as exc:  # an answer, whatever happens: the run waits for it
            # a full disk is the run's to stop on, as itself; anything else the item's failure
            answer(
                conn, lock, key, False, exc if disk_full(exc) else f"{type(exc).__name__}: {exc}"
            )

    def _checked(got: Exchange, store: Store) -> images.ImageFacts | None:
        """What the body received is, checked at once (a body of 200 only); None when the
        check itself failed (a disk that refused the thumbnail): it is made again when asked,
        and the body is answered all the same (its temp file is the run's to keep or drop)."""
        if got.status != 200 or got.blob is None:
            return None
        try:
            with checking:
                return images.check_image(got.blob.tmp_path or got.blob.source(), store)
        except Exception as exc:
            if disk_full(exc):
                store.discard([got.blob])  # the run stops: nothing of this request is kept
                raise
            return None

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
