"""The contract every source keeps: ask for one post, read the answer into a `Reading`.

A source knows one service's URLs and payloads and nothing else. Most need only `url` and
`parse`; a source with more than one request (wayback) or none (witness) overrides `fetch`.
Parsing never raises on a malformed payload: it answers `error` with the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..net import Exchange, Http
from ..record import PostRecord

OUTCOMES = ("found", "gone", "not_found", "error")


@dataclass
class Target:
    status_id: str
    handle: str | None = None
    witness: dict | None = None  # what a citing document shows of the post


@dataclass
class Reading:
    outcome: str  # found, gone (tombstone), not_found, error
    record: PostRecord | None = None
    state: str | None = None  # for gone: deleted, suspended, protected, withheld, unavailable
    reason: str | None = None
    exchanges: list[Exchange] = field(default_factory=list)
    retry_after: float | None = None  # rate limited beyond the cap: try again later
    offline: bool = False


class Source:
    name = "source"
    live = True  # speaks for the post's state now (an archive or a witness does not)

    def url(self, target: Target) -> str:
        raise NotImplementedError

    def parse(self, status: int, body: bytes, target: Target) -> Reading:
        raise NotImplementedError

    async def fetch(self, http: Http, target: Target) -> Reading:
        exchange = await http.get(self.url(target))
        return self.read(exchange, target)

    def read(self, exchange: Exchange, target: Target) -> Reading:
        """The reading of one exchange: transport failures first, then the payload."""
        if exchange.error or exchange.status is None:
            reading = Reading("error", reason=exchange.error or "no answer")
        elif exchange.status == 429:
            reading = Reading("error", reason="rate limited (429)")
        elif exchange.status >= 500:
            reading = Reading("error", reason=f"server error {exchange.status}")
        else:
            reading = self.parse(exchange.status, exchange.body or b"", target)
        reading.exchanges = [*exchange.earlier, exchange]
        reading.retry_after, reading.offline = exchange.retry_after, exchange.offline
        return reading


def load_json(body: bytes) -> tuple[object | None, str | None]:
    """The JSON in `body`, or (None, why not)."""
    if not body.strip():
        return None, "empty body"
    try:
        return json.loads(body), None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        snippet = body[:40].decode("utf-8", "replace").replace("\n", " ")
        return None, f"not JSON ({exc.__class__.__name__}; starts {snippet!r})"


def state_from_text(text: str) -> str:
    """The post state a tombstone or error message describes."""
    lower = text.lower()
    for words, state in (
        (("suspended",), "suspended"),
        (("withheld",), "withheld"),
        (("protected", "only confirmed followers", "private", "not authorized"), "protected"),
        (("deleted", "no longer exists", "doesn't exist", "does not exist"), "deleted"),
    ):
        if any(word in lower for word in words):
            return state
    return "unavailable"


REFUSALS = (401, 403, 404, 410)  # the post is not there for us: deleted, private, suspended…


def refusal(source: str, status: int | None, message: str) -> Reading:
    """A source's answer without the post: gone (with the state its message names) when the
    status says the post is not available, an error otherwise."""
    if status in REFUSALS:
        return Reading("gone", state=state_from_text(message), reason=f"{source}: {message}")
    return Reading("error", reason=f"{source}: {message}")
