"""Large bodies (videos) over a plain blocking connection, read in a worker thread.

httpx parses HTTP/1.1 with h11, in Python: about 300 MB/s on loopback, half of what the wire
gives. A video is one long body, so it is read here with the standard library's `http.client`
in 1 MiB `readinto` calls, hashed and written as it comes (hashlib and file writes let go of the
interpreter lock), in the same shape as every other exchange: the bytes as sent, never
inflated, limits counting wire bytes. Net.py decides whether a request may be made at all (the
fence, the address check, the host's slot, retries); this module only carries it out.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import certifi

if TYPE_CHECKING:
    from .net import Exchange
    from .store import Store

# One TLS context for the process, from certifi's roots as httpx's own default: loading them
# costs tens of milliseconds, and both request paths trust the same authorities.
TLS = ssl.create_default_context(cafile=certifi.where())


class TooLarge(Exception):
    pass


def fetch(
    routed: str,
    headers: dict[str, str],
    timeout: float,
    limit: int,
    store: Store,
    exchange: Exchange,
) -> None:
    """GET `routed` (with `headers`, `Host` included) into `exchange` (blocking)."""
    parts = urlsplit(routed)
    if parts.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=timeout, context=TLS
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    started = time.monotonic()
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        exchange.status = response.status
        exchange.header_list = [(k, v) for k, v in response.getheaders()]
        declared = response.getheader("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge
        with store.writer(hash_apart=True) as writer:
            while True:
                buffer = writer.buffer()
                count = response.readinto(buffer)
                if not count:
                    break
                if writer.size + count > limit:
                    raise TooLarge
                writer.write(buffer[:count])
            exchange.blob = writer.stage()
    except TooLarge:
        exchange.error = f"response larger than {limit:,} bytes: not kept"
    except socket.gaierror:
        exchange.offline = True
        exchange.error = (
            f"cannot reach {urlsplit(exchange.url).hostname}: name not resolved (offline?)"
        )
    except TimeoutError:
        exchange.error, exchange.transient = f"timed out after {timeout:g} s", True
    except (OSError, http.client.HTTPException) as exc:
        exchange.error = f"{type(exc).__name__}: {exc or 'connection failed'}"
        exchange.transient = True
    finally:
        conn.close()
        exchange.elapsed_ms = int((time.monotonic() - started) * 1000)
