"""A real HTTP server on loopback that answers for every production host by its `Host` header,
replaying recorded payloads and playing the faults real servers have."""

from __future__ import annotations

import json
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "replay"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    # "reset", "truncate", "hang", "drip", "drip headers", "unframed", "early hints"
    fault: str | None = None
    file: Path | None = None  # a body streamed from disk (large media)
    chunked: bool = False  # no Content-Length: the body comes in chunks of 1,000 bytes


def json_reply(data: object | bytes | Path, status: int = 200, **headers: str) -> Reply:
    if isinstance(data, Path):
        body = data.read_bytes()
    elif isinstance(data, bytes):
        body = data
    else:
        body = json.dumps(data).encode()
    return Reply(status, body, {"Content-Type": "application/json; charset=utf-8", **headers})


Route = Reply | Callable[["Handler"], Reply]


CDX_FIELDS = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]


def cdx_by_url(listings: dict[str, list[list[str]]]):  # type: ignore[no-untyped-def]
    """A route answering the Wayback CDX index (`output=json`) with the rows `listings` holds
    for the URL asked (`url=…`), none for any other."""

    def cdx(handler: Handler) -> Reply:
        asked = handler.path.split("url=")[1].split("&")[0]
        return json_reply([CDX_FIELDS, *listings.get(asked, [])])

    return cdx


class ReplayServer:
    """Routes are keyed by (host, path with query) or (host, path) or (host, "*")."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.log: list[tuple[str, str]] = []
        self.posted: list[tuple[str, dict[str, str], bytes]] = []
        self.extra_delay = 0.0
        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.replay = self  # type: ignore[attr-defined]
        # serve_forever looks for shutdown() between polls: at its default 0.5 s, closing the
        # server was most of a short test's time
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def connect_to(self) -> str:
        return f"*={self.origin}"

    def add(self, host: str, path: str, reply: Route) -> None:
        self.routes[(host, path)] = reply

    def find(self, host: str, path: str) -> Route | None:
        bare = path.split("?")[0]
        return (
            self.routes.get((host, path))
            or self.routes.get((host, bare))
            or self.routes.get((host, "*"))
        )

    def hits(self, host: str) -> list[str]:
        return [path for h, path in self.log if h == host]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Server(ThreadingHTTPServer):
    request_queue_size = 256  # many clients connect at once; the default 5 drops SYNs

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        """A client that hangs up mid-answer (a refused or cut download) is not an error here."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms stall between

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_POST(self) -> None:  # noqa: N802
        """A form posted: its body is kept in `posted` (with the headers), then answered as
        a GET of the same path would be."""
        replay: ReplayServer = self.server.replay  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        replay.posted.append((self.path, dict(self.headers), self.rfile.read(length)))
        self.do_GET()

    def drip(self, data: bytes) -> bool:
        """Send `data` a byte each 50 ms; whether it all went (the client may go first)."""
        for byte in data:
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return False
            time.sleep(0.05)
        return True

    def do_GET(self) -> None:  # noqa: N802
        replay: ReplayServer = self.server.replay  # type: ignore[attr-defined]
        host = (self.headers.get("Host") or "").split(":")[0]
        replay.log.append((host, self.path))
        route = replay.find(host, self.path)
        reply = route(self) if callable(route) else route
        if reply is None:
            reply = Reply(404, b"no route in the replay server", {"Content-Type": "text/plain"})
        time.sleep(reply.delay + replay.extra_delay)
        if reply.fault == "hang":
            time.sleep(30)
            return
        if reply.fault == "reset":  # RST at once (rfile's reference would keep the socket open)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.rfile.close()
            self.connection.close()
            return
        if reply.fault == "early hints":  # an informational answer first, then the real one
            self.wfile.write(b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n")
        if reply.fault == "drip headers":  # the status line and headers a byte at a time
            head = f"HTTP/1.1 {reply.status} OK\r\n" + "".join(
                f"{name}: {value}\r\n" for name, value in reply.headers.items()
            )
            if self.drip((head + f"Content-Length: {len(reply.body)}\r\n\r\n").encode()):
                self.wfile.write(reply.body)
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(reply.body), 1000):
                part = reply.body[i : i + 1000]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
            return
        if reply.fault == "unframed":  # no length nor chunks: the body ends with the connection
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(reply.body)
            self.wfile.flush()
            self.close_connection = True
            return
        if reply.fault == "drip":  # a byte at a time, each well within any read timeout
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.drip(reply.body[:300])
            return
        length = len(reply.body) * (2 if reply.fault == "truncate" else 1)
        if reply.file is not None:
            length = reply.file.stat().st_size
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if reply.file is not None:
            with open(reply.file, "rb") as handle:
                while chunk := handle.read(1024 * 1024):
                    self.wfile.write(chunk)
            return
        self.wfile.write(reply.body)
        if reply.fault == "truncate":
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
