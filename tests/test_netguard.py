"""The suite refuses any connection beyond loopback, in-process and in subprocesses."""

import socket
import subprocess
import sys

import httpx
import pytest
from sitecustomize import NetworkBlocked


def test_connect_beyond_loopback_is_refused() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(NetworkBlocked):
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1: never routed, never reached
    sock.close()


def test_name_resolution_beyond_loopback_is_refused() -> None:
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("example.com", 443)


def test_httpx_to_a_public_host_is_refused() -> None:
    with pytest.raises(httpx.ConnectError, match="beyond loopback"):
        httpx.get("https://example.com/", timeout=2)


def test_loopback_is_allowed() -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=2)
    client.close()
    server.close()


def test_subprocesses_are_guarded_too() -> None:
    code = "import socket; socket.create_connection(('192.0.2.1', 80), timeout=2)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30
    )
    assert result.returncode != 0
    assert "beyond loopback" in result.stderr
