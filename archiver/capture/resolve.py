"""Step 4: short links. Ask t.co and read its answer, hop by hop, until a status URL appears.

t.co answers with a `Location` header, or with status 200 and a page whose
`<meta http-equiv="refresh">` and `location.replace(...)` name the target. The walk goes only
through known shorteners (fence.SHORTENERS), at most `max_redirects` hops; the first status URL
ends it, and any other page is where the link leads (not fetched). Every hop is kept.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from ..exchange import Exchange, absolute
from ..fence import SHORTENERS
from ..net import Http, readable, recording
from ..refs.urls import StatusURL, find_status_urls, is_x_host
from ..rows.decisions import JobEnd, Resolved
from ..vocab import JobState, Outcome

REFRESH_RE = re.compile(
    r"<meta[^>]+http-equiv=[\"']?refresh[\"']?[^>]*content=[\"']?\s*\d+\s*;\s*url\s*=\s*([^\"'>\s]+)",
    re.IGNORECASE,
)
SCRIPT_RE = re.compile(r"location\.replace\(\s*[\"']([^\"']+)[\"']\s*\)")
PAGE_LIMIT = 65536  # how much of a page is read for its link (inflated, when sent encoded)


def next_url(exchange: Exchange) -> str | None:
    """Where this answer sends the reader: Location, a meta refresh, or a script redirect."""
    if exchange.location:
        return exchange.location
    if exchange.status != 200:
        return None
    body = (readable(exchange, PAGE_LIMIT)[0] or b"")[:PAGE_LIMIT].decode("utf-8", "replace")
    for pattern in (REFRESH_RE, SCRIPT_RE):
        m = pattern.search(body)
        if m:
            return absolute(exchange.url, html.unescape(m.group(1)).replace("\\/", "/"))
    return None


async def resolve(http: Http, job_id: int, short_url: str, again: bool = False) -> Resolved:
    """Walk `short_url` to the post it names; the decision to write, with every hop."""
    leads: dict[str, str] = {}
    with recording() as log:
        status_id, end = await _walk(http, short_url, leads)
    hops = [(e, Outcome.REFUSED if e.refused else Outcome.REDIRECT) for e in log]
    if hops and not hops[-1][0].refused and status_id is None:
        last = hops[-1][0]
        hops[-1] = (last, Outcome.NOT_POST if end.state == JobState.DONE else Outcome.ERROR)
    return Resolved(job_id, short_url, hops, status_id, end, again, leads)


async def _walk(http: Http, short_url: str, leads: dict[str, str]) -> tuple[str | None, JobEnd]:
    url, seen = short_url, {short_url}
    for _hop in range(http.settings.max_redirects + 1):
        exchange = await http.get(url, SHORTENERS, follow=False)
        if exchange.refused:
            return None, JobEnd(JobState.FAILED, exchange.error)
        if exchange.error or exchange.status is None or exchange.status >= 400:
            reason = f"{url}: {exchange.error or f'HTTP {exchange.status}'}"
            if exchange.offline or exchange.retry_after:
                return None, JobEnd(JobState.PENDING, reason, wait=exchange.retry_after)
            return None, JobEnd(JobState.FAILED, reason)
        target = next_url(exchange)
        if target is not None:
            leads[url] = target
        if target is None:  # a page that names no link (an interstitial, an empty answer)
            reason = f"{url}: HTTP {exchange.status}, a page with no link to follow"
            return None, JobEnd(JobState.FAILED, reason)
        if urlsplit(target).scheme not in ("http", "https"):
            return None, JobEnd(JobState.DONE, f"leads to a non-http(s) URL: {target[:200]}", url)
        found = _post_at(target)
        if found:
            return found[0].status_id, JobEnd(JobState.DONE, result=found[0].status_id)
        if not SHORTENERS.allows(urlsplit(target).hostname):
            return None, JobEnd(
                JobState.DONE, f"leads to {target[:300]}, which is not a post", target
            )
        if target in seen:
            return None, JobEnd(JobState.FAILED, f"redirect loop at {target[:200]}")
        seen.add(target)
        url = target
    return None, JobEnd(JobState.FAILED, f"more than {http.settings.max_redirects} redirects")


def _post_at(target: str) -> list[StatusURL]:
    """The post `target` is, when it is a status URL of X's or a mirror's: a page elsewhere that
    names one in its path or query (`https://news.example/twitter.com/a/status/1`, a share
    link's `?u=…`) is that page, not the post."""
    host = urlsplit(target).hostname or ""
    found = find_status_urls(target) if is_x_host(host) else []
    return [f for f in found if f.start == 0]
