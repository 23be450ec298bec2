"""Photos fetched and checked in worker processes, one per core, several at a time in each.

A photo is small and many come at once: asked through the run's own HTTP client, each costs its
process a few milliseconds of Python (httpx, httpcore, h11), and checking it (decoding, the
difference hash, the thumbnail) several more. Both happen here instead, out of the run's
process: a worker reads the body over a kept-alive connection (download.py) into a temp file of
the store, decodes it, stages the thumbnail beside it and sends back only the exchange and the
facts. The run's process keeps deciding what may be asked (net.py: the fence, the address
check, the host's slots, retries and redirects), so the workers only carry requests out.

The workers are started fresh (`spawn`: they import only what this needs), on the first photo,
and end with the process that started them, even when it is killed; one that dies is replaced
on the next photo, and the photos it held are failed as transient (so they are asked again).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from . import download, images
from .children import Calls, answer, die_with_parent
from .exchange import Exchange
from .store import Staged, Store

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

THREADS = 64  # requests in flight per worker at most (the run's slots bound them first)
COUNT = os.cpu_count() or 1
_WORKERS: list[Calls] = []
_START = threading.Lock()


class WorkerFailed(Exception):
    pass


async def fetch(
    routed: str, headers: dict[str, str], timeout: float, limit: int, store: Store, into: Exchange
) -> None:
    """GET the photo at `routed` into `into` in the least busy worker; `into.image` holds what
    the check found (its thumbnail staged in `store`) when the answer is a whole 2xx body."""
    worker = _least_busy()
    try:
        got, facts = await worker.call(routed, headers, timeout, limit, str(store.root))
    except WorkerFailed as exc:
        into.error, into.transient = f"image worker: {exc}", True
        return
    for name in ("status", "header_list", "error", "offline", "transient", "elapsed_ms"):
        setattr(into, name, getattr(got, name))
    into.blob, into.image = _own(got.blob, store), facts
    if facts is not None:
        facts.thumbnail = _own(facts.thumbnail, store)


def _own(blob: Staged | None, store: Store) -> Staged | None:
    """A blob staged by a worker, as the run's store's (the same temp file)."""
    if blob is not None:
        blob.store = store
    return blob


def _least_busy() -> Calls:
    with _START:
        _WORKERS[:] = [w for w in _WORKERS if w.process.is_alive()]
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
    return Calls(conn, process, WorkerFailed)


# --- in a worker process -----------------------------------------------------------------------


def _serve(conn: Connection, parent: int) -> None:
    """Carry out each photo request on a thread of its own; answer as each ends."""
    die_with_parent(parent)
    lock, local = threading.Lock(), threading.local()
    stores: dict[str, Store] = {}

    def carry_out(key: int, routed: str, headers: dict, timeout: float, limit: int, root: str):
        try:
            if not hasattr(local, "kept"):
                local.kept = {}
            store = stores.setdefault(root, Store(root))
            got = Exchange(url=routed)
            download.fetch(routed, headers, timeout, limit, store, got, local.kept)
            answer(conn, lock, key, True, (got, _checked(got, store)))
        except Exception as exc:  # an answer, whatever happens: the run waits for it
            answer(conn, lock, key, False, f"{type(exc).__name__}: {exc}")

    with ThreadPoolExecutor(THREADS, thread_name_prefix="photo") as pool:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break
            if message is None:
                break
            pool.submit(carry_out, *message)
    os._exit(0)


def _checked(got: Exchange, store: Store) -> images.ImageFacts | None:
    """The facts of a whole 2xx body sent as is, with its thumbnail staged; else None."""
    coding = got.headers.get("content-encoding", "identity").strip().lower()
    if (
        not got.ok
        or got.blob is None
        or got.blob.tmp_path is None
        or coding not in ("", "identity")
    ):
        return None
    return images.check_image(got.blob.tmp_path, store)
