"""Short links: ask t.co and read its first answer, hop by hop, until a status URL appears.

t.co answers with a `Location` header, or with status 200 and a page whose
`<meta http-equiv="refresh">` and `location.replace(...)` name the target. Only http(s) targets
are followed, at most `max_redirects` hops; the first status URL ends the walk.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from .net import Exchange, Http
from .refs.urls import StatusURL, find_status_urls

REFRESH_RE = re.compile(
    r"<meta[^>]+http-equiv=[\"']?refresh[\"']?[^>]*content=[\"']?\s*\d+\s*;\s*url\s*=\s*([^\"'>\s]+)",
    re.IGNORECASE,
)
SCRIPT_RE = re.compile(r"location\.replace\(\s*[\"']([^\"']+)[\"']\s*\)")
# Hosts whose whole job is to redirect: their targets are followed. Any other page that is not a
# post is where the link leads, and the walk ends there without fetching it.
SHORTENERS = frozenset(
    """
    t.co bit.ly bitly.com j.mp buff.ly ow.ly dlvr.it ift.tt tinyurl.com goo.gl trib.al fb.me
    lnkd.in is.gd wp.me tiny.cc rebrand.ly cutt.ly shorturl.at t.ly spr.ly amzn.to
""".split()
)


@dataclass
class Resolution:
    short_url: str
    status: StatusURL | None = None
    final_url: str | None = None  # where the walk ended
    reason: str | None = None  # why it did not end at a post
    exchanges: list[Exchange] = field(default_factory=list)
    offline: bool = False
    retry_after: float | None = None


def next_url(exchange: Exchange) -> str | None:
    """Where this answer sends the reader: Location, a meta refresh, or a script redirect."""
    if exchange.headers.get("location"):
        return urljoin(exchange.final_url or exchange.url, exchange.headers["location"])
    body = (exchange.body or b"")[:65536].decode("utf-8", "replace")
    for pattern in (REFRESH_RE, SCRIPT_RE):
        m = pattern.search(body)
        if m:
            return html.unescape(m.group(1)).replace("\\/", "/")
    return None


async def resolve(http: Http, short_url: str) -> Resolution:
    result = Resolution(short_url)
    url, seen = short_url, {short_url}
    for _hop in range(http.settings.max_redirects + 1):
        exchange = await http.get(url, follow=False)
        result.exchanges += [*exchange.earlier, exchange]
        if exchange.error or exchange.status is None or exchange.status >= 400:
            result.reason = f"{url}: {exchange.error or f'HTTP {exchange.status}'}"
            result.offline, result.retry_after = exchange.offline, exchange.retry_after
            return result
        target = next_url(exchange)
        if target is None:
            result.final_url, result.reason = url, f"leads to {url}, which is not a post"
            return result
        if urlsplit(target).scheme not in ("http", "https"):
            result.reason = f"{url} redirects to a non-http(s) URL: {target[:200]}"
            return result
        found = find_status_urls(target)
        if found:
            result.status, result.final_url = found[0], target
            return result
        if (urlsplit(target).hostname or "").lower().removeprefix("www.") not in SHORTENERS:
            result.final_url, result.reason = target, f"leads to {target}, which is not a post"
            return result
        if target in seen:
            result.reason = f"redirect loop at {target[:200]}"
            return result
        seen.add(target)
        url = target
    result.reason = f"more than {http.settings.max_redirects} redirects from {short_url}"
    return result
