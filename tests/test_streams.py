"""httpx over asyncio's own streams (archiver/streams.py) against real loopback servers: plain
and TLS answers, a certificate not trusted, a connection the server closed while it was idle,
a server that never answers, a port nobody listens on."""

from __future__ import annotations

import asyncio
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from archiver.streams import Backend, on_asyncio_streams


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/hang":
            threading.Event().wait(5)
            return
        body = f"hello {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        if self.path == "/close":  # answers, then closes the connection it kept alive
            self.send_header("Connection", "keep-alive")
        self.end_headers()
        self.wfile.write(body)
        if self.path == "/close":
            self.wfile.flush()
            self.close_connection = True


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key)]
        + ["-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return key, cert


def serve(context: ssl.SSLContext | None = None) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}).start()
    scheme = "https" if context else "http"
    yield f"{scheme}://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def plain() -> Iterator[str]:
    yield from serve()


@pytest.fixture(scope="module")
def tls(certificate: tuple[Path, Path]) -> Iterator[str]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate[1], certificate[0])
    yield from serve(context)


LOOPBACK_ROUTE = frozenset({"127.0.0.1"})  # the servers here are a route of the user's own


def client(
    verify: ssl.SSLContext | bool = True,
    timeout: float = 5,
    routes: frozenset[str] = LOOPBACK_ROUTE,
) -> httpx.AsyncClient:
    made = on_asyncio_streams(
        httpx.AsyncClient(verify=verify, timeout=timeout, trust_env=False), routes
    )
    assert isinstance(made._transport._pool._network_backend, Backend)  # type: ignore[attr-defined]
    return made


def test_plain_answers_reuse_one_connection(plain: str) -> None:
    async def go() -> list[str]:
        async with client() as http:
            texts = [(await http.get(f"{plain}/{i}")).text for i in range(3)]
            assert len(http._transport._pool.connections) == 1  # type: ignore[attr-defined]
            return texts

    assert asyncio.run(go()) == ["hello /0", "hello /1", "hello /2"]


def test_tls_with_a_trusted_certificate(tls: str, certificate: tuple[Path, Path]) -> None:
    trusted = ssl.create_default_context(cafile=str(certificate[1]))

    async def go() -> tuple[int, str, str]:
        async with client(trusted) as http:
            response = await http.get(f"{tls}/secure")
            stream = response.extensions["network_stream"]
            return (
                response.status_code,
                response.text,
                stream.get_extra_info("ssl_object").version(),
            )

    status, text, version = asyncio.run(go())
    assert (status, text) == (200, "hello /secure") and version.startswith("TLS")


def test_tls_with_an_untrusted_certificate_is_refused(tls: str) -> None:
    async def go() -> None:
        async with client() as http:
            await http.get(f"{tls}/secure")

    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        asyncio.run(go())


def test_a_connection_the_server_closed_is_not_reused(plain: str) -> None:
    async def go() -> list[str]:
        async with client() as http:
            first = (await http.get(f"{plain}/close")).text
            await asyncio.sleep(0.1)  # the server's close arrives while the connection is idle
            return [first, (await http.get(f"{plain}/after")).text]

    assert asyncio.run(go()) == ["hello /close", "hello /after"]


def test_a_server_that_never_answers_times_out(plain: str) -> None:
    async def go() -> None:
        async with client(timeout=0.3) as http:
            await http.get(f"{plain}/hang")

    with pytest.raises(httpx.ReadTimeout):
        asyncio.run(go())


def test_a_port_nobody_listens_on_is_a_connect_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def go() -> None:
        async with client() as http:
            await http.get(f"http://127.0.0.1:{port}/")

    with pytest.raises(httpx.ConnectError):
        asyncio.run(go())


def test_a_host_off_the_users_routes_must_be_a_public_address(plain: str) -> None:
    """Connected to a non-public address for a host that is no route of the user's: closed
    before a byte is sent, with the fence's reason."""
    from archiver.fence import NonPublic

    async def go() -> None:
        async with client(routes=frozenset()) as http:
            await http.get(f"{plain}/secret")

    with pytest.raises(NonPublic, match=r"127\.0\.0\.1 is a non-public address"):
        asyncio.run(go())
