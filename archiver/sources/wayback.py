"""The Wayback Machine: a CDX lookup of the twitter.com and x.com status URLs, then the raw
(`id_`) snapshot, which is JSON (an API answer that was archived) or a status page."""

from __future__ import annotations

import html
import re

from ..fence import fence
from ..net import Http
from ..record import PostRecord
from ..vocab import Outcome
from . import syndication
from .base import Reading, Source, Target, load_json

META_RE = re.compile(
    r"<meta\s+[^>]*?(?:property|name)=[\"'](og:description|og:title|twitter:description)[\"']"
    r"[^>]*?content=[\"']([^\"']*)[\"']",
    re.IGNORECASE,
)
TITLE_RE = re.compile(r"<title>([^<]*)</title>", re.IGNORECASE)


def cdx_rows(body: bytes) -> list[dict[str, str]]:
    """Rows of the CDX server's default text output (space-separated, seven fields)."""
    fields = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
    rows = []
    for line in body.decode("utf-8", "replace").splitlines():
        parts = line.split()
        if len(parts) == 7 and parts[1].isdigit():
            rows.append(dict(zip(fields, parts, strict=True)))
    return rows


def best_capture(rows: list[dict[str, str]], status_id: str) -> dict[str, str] | None:
    """The newest capture of this post that holds its content (JSON, or a 200 page)."""
    usable = [
        r
        for r in rows
        if status_id in r["original"]
        and r["statuscode"] in ("200", "-")
        and ("json" in r["mimetype"] or "html" in r["mimetype"])
    ]
    return max(usable, key=lambda r: r["timestamp"]) if usable else None


def parse_snapshot(body: bytes, target: Target) -> Reading:
    data, _ = load_json(body)
    if isinstance(data, dict):
        tweet = data.get("data") if isinstance(data.get("data"), dict) else data
        if tweet.get("id_str") == target.status_id and ("text" in tweet or "full_text" in tweet):
            if "full_text" in tweet:
                tweet = {**tweet, "text": tweet["full_text"]}
            return Reading(Outcome.FOUND, record=syndication.record(tweet, source="wayback"))
        return Reading(Outcome.ERROR, reason="wayback: archived JSON is not this post")
    page = body.decode("utf-8", "replace")
    meta = {name.lower(): html.unescape(value) for name, value in META_RE.findall(page)}
    text = meta.get("og:description") or meta.get("twitter:description")
    if not text:
        return Reading(Outcome.ERROR, reason="wayback: archived page shows no post text")
    title = meta.get("og:title") or html.unescape((TITLE_RE.search(page) or [None, ""])[1])
    author = re.sub(r"\s+on (?:Twitter|X)\b.*$", "", title).strip() or None
    return Reading(
        Outcome.FOUND,
        record=PostRecord(
            status_id=target.status_id,
            source="wayback",
            handle=target.handle,
            author_name=author,
            text=text.strip().strip('“”"'),
            text_expanded=None,
        ),
    )


class Wayback(Source):
    name = "wayback"
    live = False
    fence = fence("wayback", "web.archive.org archive.org")

    def cdx_urls(self, target: Target) -> list[str]:
        path = (
            f"{target.handle}/status/{target.status_id}"
            if target.handle
            else (f"i/web/status/{target.status_id}")
        )
        return [
            f"https://web.archive.org/cdx/search/cdx?url={host}/{path}"
            for host in ("twitter.com", "x.com")
        ]

    async def fetch(self, http: Http, target: Target) -> Reading:
        rows = []
        for url in self.cdx_urls(target):
            exchange = await http.get(url, self.fence)
            if exchange.ok:
                rows += cdx_rows(exchange.body or b"")
            elif exchange.offline or exchange.retry_after:
                return Reading(Outcome.ERROR, reason=exchange.error or "rate limited")
        capture = best_capture(rows, target.status_id)
        if capture is None:
            return Reading(Outcome.NOT_FOUND, reason="wayback: no capture of this post")
        snapshot = await http.get(
            f"https://web.archive.org/web/{capture['timestamp']}id_/{capture['original']}",
            self.fence,
        )
        return self.read(snapshot, target)

    def parse(self, status: int, body: bytes, target: Target) -> Reading:
        if status != 200:
            return Reading(Outcome.ERROR, reason=f"wayback: snapshot HTTP {status}")
        return parse_snapshot(body, target)
