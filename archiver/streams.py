"""The network layer httpx runs on during a capture: asyncio's own streams.

httpx's default layer goes through anyio, whose per-call wrapping (an attribute table built for
every check of an idle connection, a cancel scope per read) was about a quarter of httpx's CPU
per request on loopback (1.45 ms against 1.1 ms for a 46 kB photo, eight at once). This one
keeps httpcore's contract (its exceptions, its `get_extra_info` names) with the event loop's
streams underneath; TLS is the loop's too.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore

from .fence import NonPublic, check_peer


class Stream(httpcore.AsyncNetworkStream):
    """One connection: a StreamReader and StreamWriter pair."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                return await self.reader.read(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(exc) from exc
        except OSError as exc:
            raise httpcore.ReadError(exc) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            async with asyncio.timeout(timeout):
                self.writer.write(buffer)
                await self.writer.drain()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(exc) from exc
        except OSError as exc:
            raise httpcore.WriteError(exc) from exc

    async def aclose(self) -> None:
        self.writer.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                await self.writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError as exc:
            self.writer.close()
            raise httpcore.ConnectTimeout(exc) from exc
        except (OSError, ssl.SSLError) as exc:
            self.writer.close()
            raise httpcore.ConnectError(exc) from exc
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # asked of an idle connection: has the server closed it?
            return (
                self.reader.at_eof()
                or self.reader.exception() is not None
                or self.writer.is_closing()
            )
        names = {
            "ssl_object": "ssl_object",
            "client_addr": "sockname",
            "server_addr": "peername",
            "socket": "socket",
        }
        return self.writer.get_extra_info(names[info]) if info in names else None


class Backend(httpcore.AsyncNetworkBackend):
    """Opens `Stream`s; the errors are httpcore's, as httpx expects them. A connection to a
    host other than `routes` (the user's `--connect-to` addresses) must reach a public address
    (fence.check_peer: NonPublic passes through httpx as it is)."""

    def __init__(self, routes: frozenset[str] = frozenset()) -> None:
        self.routes = routes

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host, port, local_addr=(local_address, 0) if local_address else None
                )
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(exc) from exc
        except OSError as exc:
            raise httpcore.ConnectError(exc) from exc
        sock = writer.get_extra_info("socket")
        if host not in self.routes:
            peer = writer.get_extra_info("peername")  # (kept when connected: no call to fail)
            try:
                if peer is None:
                    raise httpcore.ConnectError("the connection ended as it was made")
                check_peer(peer, host)
            except (NonPublic, httpcore.ConnectError):
                writer.close()
                raise
        for option in socket_options or ():
            sock.setsockopt(*option)
        return Stream(reader, writer)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def on_asyncio_streams(client: Any, routes: frozenset[str] = frozenset()) -> Any:
    """`client` (an httpx.AsyncClient with its default transport) set to connect through
    `Backend(routes)`; left as it is if this httpx keeps its pool elsewhere."""
    pool = getattr(getattr(client, "_transport", None), "_pool", None)
    if isinstance(pool, httpcore.AsyncConnectionPool) and hasattr(pool, "_network_backend"):
        pool._network_backend = Backend(routes)
    return client
