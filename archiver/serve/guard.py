"""What every answer of the viewer carries, and who may ask.

Every response gets a Content-Security-Policy that loads nothing from elsewhere and runs no
script, `nosniff`, no referrer and no framing. Only GET and HEAD are answered (the viewer is
read-only). The Host header must name the address the viewer listens on, so a page elsewhere
cannot reach it through a name that resolves to loopback (DNS rebinding). Bound to an address
other than loopback, the viewer asks for a token: given once in the URL, it is kept in a cookie.
"""

from __future__ import annotations

import hmac
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, quote, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
COOKIE = "archiver_token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")


class Guard:
    """ASGI middleware: the headers above, GET and HEAD only, the Host check and the token."""

    def __init__(self, app: ASGIApp, hosts: list[str] | None, token: str | None) -> None:
        self.app = app
        self.hosts = hosts  # None: any Host (the token guards a viewer bound elsewhere)
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in HEADERS if n not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            status, text, headers = refusal
            await send_with_headers(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"), *headers],
                }
            )
            await send_with_headers({"type": "http.response.body", "body": text.encode()})
            return
        await self.app(scope, receive, send_with_headers)

    def _refusal(self, scope: Scope) -> tuple[int, str, list[tuple[bytes, bytes]]] | None:
        """(status, text, headers) when the request is not answered; None when it is."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if scope["method"] not in ("GET", "HEAD"):
            return 405, "the viewer is read-only\n", [(b"allow", b"GET, HEAD")]
        host = headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if self.hosts is not None and name.lower() not in self.hosts:
            return 400, "unknown Host\n", []
        if self.token is None:
            return None
        cookie = SimpleCookie(headers.get("cookie", ""))
        held = cookie[COOKIE].value if COOKIE in cookie else ""
        if hmac.compare_digest(held.encode(), self.token.encode()):
            return None
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
        given = dict(query).get("token", "")
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return 403, "this viewer asks for its token: open the URL it printed\n", []
        rest = urlencode([(k, v) for k, v in query if k != "token"])
        location = "/" + quote(scope["path"].lstrip("/")) + (f"?{rest}" if rest else "")
        cookie_value = f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
        return 303, "", [(b"location", location.encode()), (b"set-cookie", cookie_value.encode())]
