"""HTTP for captures: every answer is streamed into the store exactly as it came off the wire and
described as an `Exchange`; every exchange of a task is recorded, retries and hops included.

Requests keep their production URLs; `Settings.connect_to` sends a host to another origin with
the `Host` header unchanged (like curl's `--connect-to`). Each request names a `Fence`: the hosts
it and its redirects may reach (see fence.py). Bodies are asked for with identity encoding and
kept as received, never inflated; size limits count the bytes on the wire. Connection errors,
timeouts and 5xx are retried with exponential backoff and jitter; 429 waits for `Retry-After` up
to a cap and otherwise hands the wait back to the caller.
"""

from __future__ import annotations

import asyncio
import enum
import math
import random
import socket
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from . import __version__, download, photos
from .config import Settings
from .exchange import HEADERS_WITHIN, REDIRECTS, Exchange, TooSlow, pace
from .fence import Fence, NonPublic, literal_address, non_public
from .store import Store
from .streams import on_asyncio_streams

USER_AGENT = f"archiver/{__version__}"
_RECORDING: ContextVar[list[Exchange] | None] = ContextVar("recording", default=None)
# The exchange a client request is filling: httpx reads a redirect's `Location` before it gives
# the answer back, and raises on one that does not parse; its status and headers are kept first.
_ASKING: ContextVar[Exchange | None] = ContextVar("asking", default=None)


async def _keep_redirect(response: httpx.Response) -> None:
    """httpx's response hook: a redirect's status and headers, kept before httpx reads them."""
    exchange = _ASKING.get()
    if exchange is not None and response.is_redirect:
        exchange.status = response.status_code
        exchange.header_list = [
            (k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw
        ]


@contextmanager
def recording() -> Iterator[list[Exchange]]:
    """Collect every exchange made inside the block (in this task and the tasks it starts)."""
    log: list[Exchange] = []
    token = _RECORDING.set(log)
    try:
        yield log
    finally:
        _RECORDING.reset(token)


def _record(exchange: Exchange) -> Exchange:
    log = _RECORDING.get()
    if log is not None:
        log.append(exchange)
    return exchange


def readable(exchange: Exchange, limit: int) -> tuple[bytes | None, str | None]:
    """The body to parse: as received, or inflated when the server encoded it anyway (gzip or
    deflate, never past `limit`). The stored bytes stay as received either way."""
    body = exchange.body or b""
    coding = exchange.headers.get("content-encoding", "identity").strip().lower()
    if coding in ("", "identity"):
        return body, None
    if coding not in ("gzip", "x-gzip", "deflate"):
        return None, f"answer encoded as {coding[:40]!r}, which archiver does not read"
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in coding else zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        return None, f"{coding} answer does not inflate: {exc}"
    if len(out) > limit:
        return None, f"{coding} answer inflates past {limit:,} bytes: not read"
    return out, None


def _redirect_target(exchange: Exchange) -> str | None:
    """Where a redirect answer sends the reader; None for any other answer, and for a
    `Location` that does not parse as a URL (the exchange then says so, as its error)."""
    if exchange.bad_location:
        exchange.error = _unparsed(exchange)
    return exchange.location


def _unparsed(exchange: Exchange) -> str:
    shown = exchange.headers.get("location", "")[:100]
    return f"HTTP {exchange.status}: a redirect to a URL that does not parse ({shown!r})"


def _unreachable(exc: BaseException) -> bool:
    """True when the error means the host cannot be reached at all (no retry helps now)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


RETRY_AFTER_RANGE = (1.0, 7 * 86400.0)  # a 429's wait, whatever it says: a second to a week


def _retry_after(value: str | None) -> float | None:
    """The seconds a 429's `Retry-After` asks for (a number or an HTTP date), within
    RETRY_AFTER_RANGE (`0`, `-5`, `1e400` and 400 nines are waits too); None when unreadable."""
    if not value:
        return None
    try:
        seconds = float(value)
    except (ValueError, OverflowError):
        try:
            seconds = (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError, OverflowError):
            return None
    low, high = RETRY_AFTER_RANGE
    return high if math.isnan(seconds) else min(max(seconds, low), high)


class TooLarge(Exception):
    pass


class Way(enum.Enum):
    """How a request is made: through this module's client (its body kept in memory when asked);
    as one long body read on a thread (a video, see download.py); or in an image worker (a
    photo, see photos.py)."""

    CLIENT = "client"
    LONG_BODY = "long body"
    IMAGE = "image"


def _as_sent(origin: str) -> str:
    """A route's host as httpx connects to it (a name in IDNA's ASCII form)."""
    host = urlsplit(origin).hostname or ""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


class Http:
    """One run's HTTP client. Use as `async with Http(settings, store) as http`."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.client = on_asyncio_streams(
            httpx.AsyncClient(
                timeout=httpx.Timeout(settings.timeout),
                follow_redirects=False,
                headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
                limits=httpx.Limits(max_connections=settings.concurrency * 2),
                trust_env=False,  # no proxy from the environment can take requests off the fence
                verify=download.tls(),
                event_hooks={"response": [_keep_redirect]},
            ),
            frozenset(_as_sent(origin) for origin in settings.connect_to.values()),
        )
        self.slots = asyncio.Semaphore(settings.concurrency)
        self.host_slots: dict[str, asyncio.Semaphore] = {}
        self.unreachable: set[str] = set()
        self.addresses: dict[str, str | None] = {}  # host → why it is refused (None: public)

    async def __aenter__(self) -> Http:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    async def get(
        self,
        url: str,
        fence: Fence,
        *,
        keep: bool = True,
        max_bytes: int | None = None,
        follow: bool = True,
        way: Way = Way.CLIENT,
    ) -> Exchange:
        """GET `url` within `fence`, following redirects inside it when `follow`. Every try and
        hop is recorded; the last exchange is returned. `way` says how a request is made (see
        Way); with any but CLIENT, the body's bytes are not kept in memory."""
        current, seen = url, {url}
        for _hop in range(self.settings.max_redirects + 1):
            refusal = await self.refusal(current, fence)
            if refusal:
                return _record(Exchange(url=current, error=refusal, refused=True))
            exchange = await self._get_retrying(current, keep, max_bytes, way)
            target = _redirect_target(exchange)
            if not follow or target is None:
                return exchange
            if target in seen:
                return _record(Exchange(url=target, error="redirect loop", refused=True))
            seen.add(target)
            current = target
        return _record(
            Exchange(
                url=current,
                error=f"more than {self.settings.max_redirects} redirects",
                refused=True,
            )
        )

    async def refusal(self, url: str, fence: Fence) -> str | None:
        """Why archiver will not ask `url`, or None when it may."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https"):
            return f"not an http(s) URL: {url[:200]}"
        if refused := fence.refusal(host, url[:100]):
            return refused
        if self.settings.route(host):
            return None  # the user's own route (--connect-to)
        if host not in self.addresses:
            self.addresses[host] = await self._private(host, parts.port)
        return self.addresses[host]

    async def _private(self, host: str, port: int | None) -> str | None:
        if literal_address(host):
            found = [host.strip("[]")]
        else:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(host, port or 443)
            except OSError:
                return None  # the request itself will say it cannot reach the host
            found = [str(info[4][0]) for info in infos]
        return non_public(host, found)

    async def _get_retrying(
        self, url: str, keep: bool, max_bytes: int | None, way: Way = Way.CLIENT
    ) -> Exchange:
        attempt = 0
        while True:
            exchange = _record(await self._once(url, keep, max_bytes, way))
            if exchange.status == 429:
                wait = _retry_after(exchange.headers.get("retry-after"))
                wait = self.settings.backoff * 2**attempt if wait is None else wait
                if wait > self.settings.retry_after_cap or attempt >= self.settings.retries:
                    exchange.retry_after = max(wait, RETRY_AFTER_RANGE[0])  # pending, never 0
                    return exchange
            elif (
                not (exchange.transient or (exchange.status or 0) >= 500)
                or (exchange.stalled and attempt >= 1)  # a hanging host: once more at most
                or attempt >= self.settings.retries
            ):
                return exchange
            else:
                wait = self.settings.backoff * 2**attempt
            attempt += 1
            await asyncio.sleep(wait + random.uniform(0, wait / 2))

    async def post(
        self, url: str, fence: Fence, form: dict[str, str], headers: dict[str, str]
    ) -> Exchange:
        """POST a form to `url` within `fence`, once (no redirect followed, no retry: a
        submission is not repeated behind the caller's back); the exchange is recorded."""
        refusal = await self.refusal(url, fence)
        if refusal:
            return _record(Exchange(url=url, method="POST", error=refusal, refused=True))
        return _record(await self._once(url, True, None, method="POST", form=form, extra=headers))

    async def _once(
        self,
        url: str,
        keep: bool,
        max_bytes: int | None,
        way: Way = Way.CLIENT,
        method: str = "GET",
        form: dict[str, str] | None = None,
        extra: dict[str, str] | None = None,
    ) -> Exchange:
        host = urlsplit(url).hostname or ""
        exchange = Exchange(url=url, method=method)
        if host in self.unreachable:
            exchange.error, exchange.offline = f"{host} is unreachable", True
            return exchange
        limit = max_bytes or self.settings.max_response_bytes
        routed, headers = self.settings.routed(url)
        headers = {**headers, **(extra or {})}
        slot = self.host_slots.setdefault(host, asyncio.Semaphore(self.settings.per_host))
        started = time.monotonic()
        async with slot, self.slots:  # host first: a busy host never holds a global slot
            if way != Way.CLIENT:
                sent = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", **headers}
                timeout, store = self.settings.timeout, self.store
                if way == Way.IMAGE:
                    await photos.fetch(routed, sent, timeout, limit, store, exchange)
                else:
                    await asyncio.to_thread(
                        download.fetch, routed, sent, timeout, limit, store, exchange
                    )
                if exchange.offline:
                    self.unreachable.add(host)
                return exchange
            asking = _ASKING.set(exchange)
            within = HEADERS_WITHIN * self.settings.timeout
            try:
                async with (
                    asyncio.timeout(within) as deadline,  # the status line and headers: then
                    self.client.stream(method, routed, headers=headers, data=form) as response,
                ):
                    deadline.reschedule(None)  # the body's pace is checked as it comes
                    exchange.status = response.status_code
                    exchange.header_list = [
                        (k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw
                    ]
                    await self._read_body(response, exchange, keep, limit)
            except NonPublic as exc:
                exchange.error, exchange.refused = str(exc), True
            except TooLarge:
                exchange.error = f"response larger than {limit:,} bytes: not kept"
            except TooSlow as exc:
                exchange.error, exchange.transient, exchange.stalled = str(exc), True, True
            except TimeoutError:  # the deadline above: headers that came a byte at a time
                exchange.error = f"no whole answer within {within:g} s: not kept"
                exchange.transient = exchange.stalled = True
            except httpx.TimeoutException:
                exchange.error = f"timed out after {self.settings.timeout:g} s"
                exchange.transient = exchange.stalled = True
            except httpx.InvalidURL as exc:
                # A redirect to a URL of no host (`mailto:`, `javascript:`), which httpx cannot
                # make a request of: the answer came (_keep_redirect), and the caller judges
                # where it leads as for any other redirect
                if exchange.status not in REDIRECTS:
                    exchange.error = f"InvalidURL: {exc}"
            except httpx.HTTPError as exc:
                if exchange.bad_location or "location header" in str(exc):
                    exchange.error = _unparsed(exchange)  # an answer came: its redirect did not
                    # parse (httpx reads it before it gives the answer back, see _keep_redirect)
                elif _unreachable(exc):
                    self.unreachable.add(host)
                    exchange.offline = True
                    exchange.error = f"cannot reach {host}: name not resolved (offline?)"
                else:
                    exchange.transient = True
                    exchange.error = f"{type(exc).__name__}: {exc or 'connection failed'}"
            finally:
                _ASKING.reset(asking)
        exchange.elapsed_ms = int((time.monotonic() - started) * 1000)
        return exchange

    async def _read_body(
        self, response: httpx.Response, exchange: Exchange, keep: bool, limit: int
    ) -> None:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge
        kept, check = bytearray(), pace(self.settings.timeout)
        with self.store.spooler() as writer:
            async for chunk in response.aiter_raw():  # the bytes as sent: never inflated
                if writer.size + len(chunk) > limit:
                    raise TooLarge
                writer.write(chunk)
                check(writer.size)
                if keep:
                    kept += chunk
            exchange.blob = writer.stage()
        exchange.body = bytes(kept) if keep else None
