"""Bodies read over a plain blocking connection: videos (in a worker thread) and photos (in an
image worker, see photos.py).

httpx parses HTTP/1.1 with h11, in Python: about 300 MB/s on loopback, half of what the wire
gives, and a few milliseconds of the run's own process for every request. Here the standard
library's `http.client` reads the body in 1 MiB `readinto` calls, hashed and written as it
comes (hashlib and file writes let go of the interpreter lock), in the same shape as every other
exchange: the bytes as sent, never inflated, limits counting wire bytes. Net.py decides whether
a request may be made at all (the fence, the address check, the host's slot, retries); this
module only carries it out.
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import http.client
import itertools
import os
import re
import select
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, quote, urlsplit

import certifi

from .errors import stops_the_run
from .exchange import HEADERS_WITHIN, TooSlow, pace
from .fence import NonPublic, check_peer
from .text import one_line

if TYPE_CHECKING:
    from .exchange import Exchange
    from .store import Store


@functools.cache
def tls() -> ssl.SSLContext:
    """One TLS context for the process, from certifi's roots as httpx's own default: both
    request paths trust the same authorities. Made when first needed: loading the roots costs
    tens of milliseconds, which an image worker that never asks over HTTPS does not pay."""
    return ssl.create_default_context(cafile=certifi.where())


Connections = dict[tuple[str, str | None, int | None], http.client.HTTPConnection]
KEEP = 4  # origins a thread keeps a connection open to (the least recently used goes first)
UNSENDABLE_RE = re.compile(r"[^\x21-\x7e]+")  # spaces, controls, anything not ASCII
# A kept-alive connection the server closed meanwhile fails as one of these, before any answer.
STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class TooLarge(Exception):
    pass


class CutShort(Exception):
    """A body that ended before the length its headers declared: never a whole file."""

    def __str__(self) -> str:
        got, declared = self.args
        return f"body cut short: {got:,} of the {declared:,} bytes declared (asked again)"


def fetch(
    routed: str,
    headers: dict[str, str],
    timeout: float,
    limit: int,
    store: Store,
    exchange: Exchange,
    kept: Connections | None = None,
) -> None:
    """GET `routed` (with `headers`, `Host` included) into `exchange` (blocking). With `kept`
    (one thread's connections by origin), a connection is reused and kept for the next
    request; without, it is made for this one (a video) and its body hashed on a thread of its
    own. A connection not on a user's `--connect-to` route (net gives `Host` only on one) must
    reach a public address."""
    parts = urlsplit(routed)
    fenced = "Host" not in headers
    origin = (parts.scheme, parts.hostname, parts.port)
    reused = kept is not None and origin in kept
    conn = kept.pop(origin) if kept is not None and reused else _connect(parts, timeout, fenced)
    if reused and not _quiet(conn):  # never read another answer's leftovers as this one's
        conn.close()
        conn, reused = _connect(parts, timeout, fenced), False
    if reused and conn.sock is not None:
        conn.sock.settimeout(timeout)
    started, reusable = time.monotonic(), False
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        path = UNSENDABLE_RE.sub(lambda m: quote(m.group(0)), path)  # as httpx sends them
        with WATCH.answer_within(HEADERS_WITHIN * timeout) as watched:
            try:
                conn.request("GET", path, headers=headers)
                watched.conn = conn
                response = conn.getresponse()
            except STALE:
                if not reused:
                    raise
                conn.close()  # the server let it go while it waited: once more on a new one
                conn = watched.conn = _connect(parts, timeout, fenced)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
        exchange.status = response.status
        exchange.header_list = [(k, v) for k, v in response.getheaders()]
        declared = response.getheader("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge
        check = pace(timeout)
        with store.writer(hash_apart=kept is None) as writer:
            while True:
                buffer = writer.buffer()
                count = response.readinto(buffer)
                if not count:
                    break
                if writer.size + count > limit:
                    raise TooLarge
                writer.write(buffer[:count])
                check(writer.size)
            if declared.isdigit() and writer.size < int(declared):
                raise CutShort(writer.size, int(declared))  # the connection closed early
            exchange.blob = writer.stage()
        reusable = not response.will_close
    except NonPublic as exc:
        exchange.error, exchange.refused = str(exc), True
    except TooLarge:
        exchange.error = f"response larger than {limit:,} bytes: not kept"
    except CutShort as exc:
        exchange.error, exchange.transient = str(exc), True
    except TooSlow as exc:
        exchange.error, exchange.transient, exchange.stalled = str(exc), True, True
    except socket.gaierror:
        exchange.offline = True
        exchange.error = (
            f"cannot reach {urlsplit(exchange.url).hostname}: name not resolved (offline?)"
        )
    except TimeoutError:
        exchange.error = f"timed out after {timeout:g} s"
        exchange.transient = exchange.stalled = True
    except NoAnswer as exc:
        exchange.error, exchange.transient, exchange.stalled = str(exc), True, True
    except (OSError, http.client.HTTPException) as exc:
        if stops_the_run(exc):
            raise  # this machine's disk, not the connection: the run stops (errors.NoSpace)
        # (one line: a status line that is no HTTP is quoted as it came, its line end too)
        exchange.error = f"{type(exc).__name__}: {one_line(str(exc)) or 'connection failed'}"
        exchange.transient = True
    except ValueError as exc:  # a URL http.client will not send: asking again will not help
        exchange.error = f"{type(exc).__name__}: {one_line(str(exc))}"
    finally:
        if reusable and kept is not None:
            kept[origin] = conn  # last used, last in line
            while len(kept) > KEEP:
                kept.pop(next(iter(kept))).close()
        else:
            conn.close()
        exchange.elapsed_ms = int((time.monotonic() - started) * 1000)


class NoAnswer(Exception):
    """A status line and headers that did not all come in time, however steadily they came."""


class _Watched:
    def __init__(self) -> None:
        self.conn: http.client.HTTPConnection | None = None  # set once the request is sent
        self.cut = self.done = False


class _Watch:
    """One thread per process that cuts the connection of a request whose status line and
    headers have not all come by its deadline: a server that sends them a byte at a time, each
    within the read timeout, would hold the request for ever. (A body's pace is checked as it
    comes: exchange.pace.)"""

    def __init__(self) -> None:
        self.order = itertools.count()
        self._reset()
        os.register_at_fork(after_in_child=self._reset)  # a child has no thread, nor its lock

    def _reset(self) -> None:
        self.lock = threading.Lock()
        self.due: list[tuple[float, int, _Watched]] = []
        self.wake = threading.Event()
        self.started = False

    @contextlib.contextmanager
    def answer_within(self, seconds: float) -> Iterator[_Watched]:
        watched = _Watched()
        entry = (time.monotonic() + seconds, next(self.order), watched)
        with self.lock:
            if not self.started:
                threading.Thread(target=self._run, name="answer-deadlines", daemon=True).start()
                self.started = True
            heapq.heappush(self.due, entry)
            if self.due[0] is entry:  # sooner than any the thread waits for
                self.wake.set()
        late = f"no whole answer within {seconds:g} s: not kept"
        try:
            yield watched
        except (OSError, http.client.HTTPException) as exc:
            if watched.cut:
                raise NoAnswer(late) from exc
            raise
        finally:
            with self.lock:
                watched.done = True  # answered (or failed): never cut now
        if watched.cut:  # (headers cut off part way read as an answer with fewer headers)
            raise NoAnswer(late)

    def _run(self) -> None:
        while True:
            with self.lock:
                now = time.monotonic()
                while self.due and (self.due[0][0] <= now or self.due[0][2].done):
                    _, order, watched = heapq.heappop(self.due)
                    if not watched.done:
                        self._cut(watched, now, order)
                wait = self.due[0][0] - now if self.due else None
                self.wake.clear()
            self.wake.wait(wait)

    def _cut(self, watched: _Watched, now: float, order: int) -> None:
        conn = watched.conn
        sock = conn.sock if conn is not None else None  # (read once: close() sets it None)
        if sock is None:  # still connecting or sending: looked at again in a moment
            heapq.heappush(self.due, (now + 0.5, order, watched))
            return
        watched.cut = True
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


WATCH = _Watch()


class _Response(http.client.HTTPResponse):
    """Its `readinto` gives what one read of the connection brought (http.client's waits until
    the buffer is full), so that a body's pace is checked as it arrives: a body that drips
    would otherwise fill a buffer for days, each read within the timeout."""

    def _read_status(self) -> tuple[str, int, str]:
        # An informational answer before the real one (103 Early Hints): its headers skipped,
        # as http.client itself skips a 100 Continue's (which it still handles)
        while True:
            version, status, reason = super()._read_status()  # type: ignore[misc]
            if not 102 <= status < 200:
                return version, status, reason
            http.client._read_headers(self.fp)  # type: ignore[attr-defined]

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def,override]
        data = self.read1(len(b))
        if not data:
            self.close()  # the body is whole: the connection is free for the next request
        b[: len(data)] = data
        return len(data)


def _quiet(conn: http.client.HTTPConnection) -> bool:
    """Whether a kept connection has nothing to read before its next request: bytes waiting
    there (a server that sent more than its last answer declared) would be read as the next
    answer, and an end says the server let it go."""
    sock = conn.sock
    if sock is None:
        return False
    try:
        return not select.select([sock], [], [], 0)[0]
    except (OSError, ValueError):
        return False


class _Checked(http.client.HTTPConnection):
    """A connection that, unless on a user's route, must reach a public address: checked once
    connected, before TLS or a request sends a byte (fence.check_peer)."""

    fenced = True

    def connect(self) -> None:
        super().connect()
        if self.fenced:
            try:
                check_peer(self.sock.getpeername(), self.host)  # (an OSError: transient)
            except NonPublic:
                self.sock.close()
                self.sock = None
                raise


class _CheckedTLS(http.client.HTTPSConnection, _Checked):
    """(HTTPSConnection.connect calls _Checked's, then starts TLS on the checked socket.)"""


def _connect(parts: SplitResult, timeout: float, fenced: bool) -> http.client.HTTPConnection:
    conn: _Checked
    if parts.scheme == "https":
        conn = _CheckedTLS(parts.hostname or "", parts.port, timeout=timeout, context=tls())
    else:
        conn = _Checked(parts.hostname or "", parts.port, timeout=timeout)
    conn.fenced = fenced
    conn.response_class = _Response
    return conn
