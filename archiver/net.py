"""HTTP for captures: every response is streamed into the store and described as an `Exchange`.

Requests keep their production URLs; `Settings.connect_to` sends a host to another origin with
the `Host` header unchanged (like curl's `--connect-to`). Limits: a global and a per-host number
of requests at once, response size caps, timeouts, redirects only to http(s) and at most
`max_redirects`. Connection errors, timeouts and 5xx are retried with exponential backoff and
jitter; 429 waits for `Retry-After` up to a cap and otherwise hands the wait back to the caller.
"""

from __future__ import annotations

import asyncio
import random
import socket
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from . import __version__
from .config import Settings
from .store import Store

USER_AGENT = f"archiver/{__version__}"


@dataclass
class Exchange:
    """One request and its answer. The body is in the store under `digest`; `body` holds it in
    memory too when it was asked for (API payloads and pages, not media)."""

    url: str
    final_url: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    elapsed_ms: int = 0
    digest: str | None = None
    size: int = 0
    body: bytes | None = None
    error: str | None = None
    retry_after: float | None = None  # a 429 whose wait was longer than the cap
    offline: bool = False  # the host could not be reached at all (name not resolved, no route)
    transient: bool = False  # a failure that trying again may cure (timeout, reset, cut body)
    redirects: list[str] = field(default_factory=list)
    earlier: list[Exchange] = field(default_factory=list)  # failed tries before this one

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def media_type(self) -> str | None:
        value = self.headers.get("content-type")
        return value.split(";")[0].strip().lower() if value else None


class TooLarge(Exception):
    pass


def _unreachable(exc: BaseException) -> bool:
    """True when the error means the host cannot be reached at all (no retry helps now)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
        except (TypeError, ValueError):
            return None


class Http:
    """One run's HTTP client. Use as `async with Http(settings, store) as http`."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.client = httpx.AsyncClient(
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
            limits=httpx.Limits(max_connections=settings.concurrency * 2),
        )
        self.slots = asyncio.Semaphore(settings.concurrency)
        self.host_slots: dict[str, asyncio.Semaphore] = {}
        self.unreachable: set[str] = set()

    async def __aenter__(self) -> Http:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    async def get(
        self, url: str, *, keep: bool = True, max_bytes: int | None = None, follow: bool = True
    ) -> Exchange:
        """GET `url`, following redirects when `follow`; the last response is what is kept."""
        redirects: list[str] = []
        chain: list[Exchange] = []  # earlier hops and tries, in order
        current = url
        while True:
            exchange = await self._get_retrying(current, keep, max_bytes)
            exchange.earlier = chain + exchange.earlier
            exchange.url, exchange.final_url, exchange.redirects = url, current, redirects
            location = exchange.headers.get("location")
            if not follow or exchange.status not in (301, 302, 303, 307, 308) or not location:
                return exchange
            target = urljoin(current, location)
            if urlsplit(target).scheme not in ("http", "https"):
                exchange.error = f"redirect to a non-http(s) URL refused: {target[:200]}"
                return exchange
            if target in redirects or target == url:
                exchange.error = f"redirect loop at {target[:200]}"
                return exchange
            if len(redirects) >= self.settings.max_redirects:
                exchange.error = f"more than {self.settings.max_redirects} redirects"
                return exchange
            chain = [*exchange.earlier, replace(exchange, url=current, earlier=[], redirects=[])]
            redirects = [*redirects, target]
            current = target

    async def _get_retrying(self, url: str, keep: bool, max_bytes: int | None) -> Exchange:
        attempt, earlier = 0, []
        while True:
            exchange = await self._get_once(url, keep, max_bytes)
            exchange.earlier = list(earlier)
            if exchange.status == 429:
                wait = _retry_after(exchange.headers.get("retry-after"))
                wait = self.settings.backoff * 2**attempt if wait is None else wait
                if wait > self.settings.retry_after_cap or attempt >= self.settings.retries:
                    exchange.retry_after = wait
                    return exchange
            elif (
                not (exchange.transient or (exchange.status or 0) >= 500)
                or attempt >= self.settings.retries
            ):
                return exchange
            else:
                wait = self.settings.backoff * 2**attempt
            earlier.append(exchange)
            attempt += 1
            await asyncio.sleep(wait + random.uniform(0, wait / 2))

    async def _get_once(self, url: str, keep: bool, max_bytes: int | None) -> Exchange:
        host = urlsplit(url).hostname or ""
        exchange = Exchange(url=url)
        if host in self.unreachable:
            exchange.error, exchange.offline = f"{host} is unreachable", True
            return exchange
        limit = max_bytes or self.settings.max_response_bytes
        routed, headers = self.settings.routed(url)
        slot = self.host_slots.setdefault(host, asyncio.Semaphore(self.settings.per_host))
        started = time.monotonic()
        async with slot, self.slots:  # host first: a busy host never holds a global slot
            try:
                async with self.client.stream("GET", routed, headers=headers) as response:
                    exchange.status = response.status_code
                    exchange.headers = {k.lower(): v for k, v in response.headers.items()}
                    await self._read_body(response, exchange, keep, limit)
            except TooLarge:
                exchange.error = f"response larger than {limit:,} bytes: not kept"
            except httpx.TimeoutException:
                exchange.error = f"timed out after {self.settings.timeout:g} s"
                exchange.transient = True
            except httpx.HTTPError as exc:
                if _unreachable(exc):
                    self.unreachable.add(host)
                    exchange.offline = True
                    exchange.error = f"cannot reach {host}: name not resolved (offline?)"
                else:
                    exchange.transient = True
                    exchange.error = f"{type(exc).__name__}: {exc or 'connection failed'}"
        exchange.elapsed_ms = int((time.monotonic() - started) * 1000)
        return exchange

    async def _read_body(
        self, response: httpx.Response, exchange: Exchange, keep: bool, limit: int
    ) -> None:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise TooLarge
        kept = bytearray()
        with self.store.writer() as writer:
            async for chunk in response.aiter_bytes():
                if writer.size + len(chunk) > limit:
                    raise TooLarge
                writer.write(chunk)
                if keep:
                    kept += chunk
            exchange.digest, exchange.size = writer.commit()
        exchange.body = bytes(kept) if keep else None
