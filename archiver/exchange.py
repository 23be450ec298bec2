"""What one request and its answer are: an `Exchange`, recorded for every try and hop of a
capture, whichever way it was made (net.py's client, download.py's plain connection, or an image
worker's, see photos.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from .store import Staged

REDIRECTS = (301, 302, 303, 307, 308)
MIN_RATE = 16 * 1024  # bytes per second a body must average once its first `timeout` has passed


def absolute(base: str, target: str) -> str | None:
    """`target` (a redirect's, perhaps relative) as an absolute URL; None when it does not
    parse as one (`http://[::1`, a port that is no number): hostile answers send such."""
    try:
        joined = urljoin(base, target.strip())
        urlsplit(joined).port  # noqa: B018 (it raises for a malformed host or port)
    except ValueError:
        return None
    return joined


class TooSlow(Exception):
    """A body that drips (each read within the timeout, the whole never ending)."""


HEADERS_WITHIN = 2  # an answer's status line and headers come within twice the read timeout


def pace(timeout: float) -> Callable[[int], None]:
    """A check to call with the bytes received so far: raises TooSlow once, past the first
    `timeout` seconds, they average under MIN_RATE (a slow link still moves 16 KiB a second)."""
    started = time.monotonic()

    def check(received: int) -> None:
        elapsed = time.monotonic() - started
        if elapsed > timeout and received < (elapsed - timeout) * MIN_RATE:
            raise TooSlow(
                f"too slow: {received:,} bytes in {elapsed:.0f} s "
                f"(under {MIN_RATE // 1024} KiB/s): not kept"
            )

    return check


@dataclass
class Exchange:
    """One request and its answer (or why there was none). The body is staged in the store as
    `blob`; `body` holds the same bytes in memory when they were asked for (API answers)."""

    url: str
    method: str = "GET"
    status: int | None = None
    header_list: list[tuple[str, str]] = field(default_factory=list)  # as sent, repeats kept
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    elapsed_ms: int = 0
    blob: Staged | None = None
    body: bytes | None = None
    error: str | None = None
    retry_after: float | None = None  # a 429 whose wait was longer than the cap
    offline: bool = False  # the host could not be reached at all (name not resolved, no route)
    transient: bool = False  # a failure that trying again may cure (timeout, reset, cut body)
    # the answer stopped coming (no byte within the timeout, a body that drips): the host may
    # hang, so it is asked once more at most, never at another size of the same file (`retry`
    # asks again later)
    stalled: bool = False
    refused: bool = False  # archiver would not ask (off the fence, a private address)

    @property
    def headers(self) -> dict[str, str]:
        """Header names lower-cased; for a repeated header, its first value."""
        out: dict[str, str] = {}
        for name, value in self.header_list:
            out.setdefault(name.lower(), value)
        return out

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def digest(self) -> str | None:
        return self.blob.digest if self.blob else None

    @property
    def size(self) -> int:
        return self.blob.size if self.blob else 0

    @property
    def media_type(self) -> str | None:
        value = self.headers.get("content-type")
        return value.split(";")[0].strip().lower() if value else None

    @property
    def location(self) -> str | None:
        """Where a redirect answer sends the reader, as an absolute URL; None also when its
        `Location` does not parse as one (`http://[::1`: see `bad_location`)."""
        target = self.headers.get("location")
        if self.status not in REDIRECTS or not target:
            return None
        return absolute(self.url, target)

    @property
    def bad_location(self) -> bool:
        """A redirect answer whose `Location` does not parse as a URL."""
        return self.status in REDIRECTS and bool(self.headers.get("location")) and not self.location
