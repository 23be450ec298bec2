"""A gate for yt-dlp: a forward proxy on loopback through which every connection yt-dlp makes
goes, its first request, redirects, playlists and their segments alike.

yt-dlp follows redirects and playlist URLs on its own, out of archiver's reach. Given the gate
as its proxy, each connection it opens is first judged as archiver's own requests are (fence.py):
the fence's hosts only, never a non-public address unless a `--connect-to` route names it, and
to the address that was checked (a name is not looked up twice). What the gate refuses it
answers with 403 and keeps in `refused`. A connection that stays idle for `timeout`, or whose
answer drips (`exchange.pace`), is closed.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import socketserver
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from .config import Settings
from .exchange import TooSlow, pace
from .fence import Fence, literal_address, non_public

HEAD_LIMIT = 64 * 1024
HOP_HEADERS = ("proxy-connection", "proxy-authorization", "connection", "keep-alive")
Decision = tuple[str, int] | str  # where to connect, or why not


def judge(settings: Settings, fence: Fence) -> Callable[[str, int], Decision]:
    """Where a connection to `host`:`port` may go, or why it may not."""
    targets = set()
    for origin in settings.connect_to.values():
        parts = urlsplit(origin)
        targets.add(((parts.hostname or "").lower(), parts.port or 80))

    def decide(host: str, port: int) -> Decision:
        host = host.lower().strip("[]").rstrip(".")
        if (host, port) in targets:
            return host, port  # a route's own origin: the user's --connect-to
        route = settings.route(host)
        if route is not None:
            parts = urlsplit(route)
            return parts.hostname or "", parts.port or 80
        if refused := fence.refusal(host):
            return refused
        try:
            infos = [] if literal_address(host) else socket.getaddrinfo(host, port)
        except OSError as exc:
            return f"{host} cannot be found ({exc.strerror or exc})"
        found = [host] if literal_address(host) else [str(i[4][0]) for i in infos]
        if not found:
            return f"{host} cannot be found"
        return non_public(host, found) or (found[0], port)

    return decide


class Gate(socketserver.ThreadingTCPServer):
    """Use as `with Gate(decide, timeout) as gate:` and give yt-dlp `gate.url` as its proxy."""

    daemon_threads = True

    def __init__(self, decide: Callable[[str, int], Decision], timeout: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.decide, self.timeout = decide, timeout
        self.refused: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> Gate:
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}).start()
        return self

    def __exit__(self, *_: object) -> None:
        self.shutdown()
        self.server_close()


class _Handler(socketserver.StreamRequestHandler):
    server: Gate

    def handle(self) -> None:
        gate = self.server
        self.connection.settimeout(gate.timeout)
        try:
            lines = _head(self.rfile)
            method, target, version = lines[0].split(" ", 2)
        except (OSError, ValueError):
            return
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            where, address = target, (host, int(port) if port.isdigit() else 443)
        else:
            parts = urlsplit(target)
            if parts.scheme != "http" or not parts.hostname:
                return self._refuse(target, "not an http URL")
            where, address = target, (parts.hostname, parts.port or 80)
        decided = gate.decide(*address)
        if isinstance(decided, str):
            return self._refuse(where, decided)
        try:
            upstream = socket.create_connection(decided, timeout=gate.timeout)
        except OSError as exc:
            return self._answer(502, f"cannot connect: {exc.strerror or exc}")
        with upstream:
            if method == "CONNECT":
                self.connection.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            else:
                parts = urlsplit(target)
                path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                kept = [
                    h for h in lines[1:] if h.split(":", 1)[0].strip().lower() not in HOP_HEADERS
                ]
                head = [f"{method} {path} {version}", *kept, "Connection: close", "", ""]
                upstream.sendall("\r\n".join(head).encode("latin-1"))
                length = _content_length(kept)
                if length:  # a body sent with the request (yt-dlp's are GETs: seldom)
                    upstream.sendall(self.rfile.read(length))
                # One request per connection: the answer says so, or the client would send its
                # next request (a redirect's) on a connection the gate is closing.
                if not _closing_head(upstream, self.connection):
                    return
            _relay(self.connection, upstream, gate.timeout)

    def _refuse(self, what: str, why: str) -> None:
        self.server.refused.append(f"{what[:200]}: {why}")
        self._answer(403, why)

    def _answer(self, status: int, why: str) -> None:
        body = why.encode("utf-8", "replace")
        head = (
            f"HTTP/1.1 {status} Refused\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            self.connection.sendall(head.encode() + body)


def _head(rfile) -> list[str]:  # type: ignore[no-untyped-def]
    """The request line and header lines, read up to the blank line (at most HEAD_LIMIT)."""
    lines, size = [], 0
    while True:
        line = rfile.readline(HEAD_LIMIT)
        size += len(line)
        if not line or size > HEAD_LIMIT:
            raise ValueError("no request head")
        text = line.decode("latin-1").rstrip("\r\n")
        if not text:
            return lines
        lines.append(text)


def _closing_head(upstream: socket.socket, client: socket.socket) -> bool:
    """Pass the answer's head on with `Connection: close` (and what came with it); False when
    the upstream closed or sent no head."""
    data, deadline = b"", time.monotonic() + (upstream.gettimeout() or 30.0)
    while b"\r\n\r\n" not in data:
        chunk = upstream.recv(16 * 1024)
        if not chunk or len(data) > HEAD_LIMIT or time.monotonic() > deadline:
            return False
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = [
        line
        for line in head.split(b"\r\n")
        if line.split(b":", 1)[0].strip().lower().decode("latin-1") not in HOP_HEADERS
    ]
    client.sendall(b"\r\n".join([*lines, b"Connection: close", b"", b""]) + rest)
    return True


def _content_length(headers: list[str]) -> int:
    for header in headers:
        name, _, value = header.partition(":")
        if name.strip().lower() == "content-length" and value.strip().isdigit():
            return min(int(value), 64 * 1024 * 1024)
    return 0


def _relay(client: socket.socket, upstream: socket.socket, timeout: float) -> None:
    """Pass bytes both ways until either side closes, an idle `timeout`, or a drip."""
    pairs = {client: upstream, upstream: client}
    check, received = pace(timeout), 0
    with selectors.DefaultSelector() as selector:
        for side in pairs:
            side.setblocking(False)
            selector.register(side, selectors.EVENT_READ)
        while True:
            ready = selector.select(timeout)
            try:
                check(received)
            except TooSlow:
                return
            if not ready:
                return
            for key, _ in ready:
                side = key.fileobj
                try:
                    data = side.recv(256 * 1024)  # type: ignore[union-attr]
                    if not data:
                        return
                    other = pairs[side]  # type: ignore[index]
                    other.settimeout(timeout)  # a peer that stops reading is idle too
                    other.sendall(data)
                    other.setblocking(False)
                except OSError:
                    return
                if side is upstream:
                    received += len(data)
