"""The Wayback Machine: every capture of the post's URL (twitter.com, mobile.twitter.com and
x.com, under the author's handle, `i/web` and `i`, and the `statuses` form of 2007-2010) until
one holds the post: archived API answers first (the copies that hold posts since X's pages
became JavaScript), then the pages of the years before, then the rest, each newest first.

A capture's raw (`id_`) body is one of: an archived X API v2 lookup (most captures since
December 2022, see apiv2.py), an archived v1.1 or syndication answer, an API error, a status
page of some era (statuspage.py), a JavaScript shell without the post, or a redirect. Shells,
redirects and errors are skipped for an older capture; the record says which snapshot its text
comes from (`snapshot_at`, `snapshot_url`).
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import replace

from ..exchange import Exchange
from ..fence import fence
from ..net import Http, readable
from ..record import PostRecord
from ..refs.lookup import parse_cdx
from ..vocab import Outcome, PostState
from .apiv2 import Lookup, is_v2
from .base import Reading, Source, Target, load_json, status_id_in
from .statuspage import read_page
from .v11 import read_tweet

FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
HOSTS = ("twitter.com", "mobile.twitter.com", "x.com")
# Captures are read newest first: at most MAX_SNAPSHOTS that say something of the post (a gone
# post's error, an unreadable answer, a failed fetch), and at most MAX_FETCHES captures in all:
# the JavaScript shells and redirects of the years since 2023 say nothing, and an older capture
# behind them may hold the post.
MAX_SNAPSHOTS = 4
MAX_FETCHES = 16
MAX_REDIRECTS_READ = 4  # archived redirects of an `i/…` URL read for its author's handle
CDX_LIMIT = 16 * 1024 * 1024
CONTENT_TYPES = ("json", "html", "warc/revisit")
# v1.1 error codes: 144 "No status found with that ID", 34 "Sorry, that page does not exist",
# 50 "User not found", 421/422 a status not available; 179 protected, 63 a suspended author.
V11_ERRORS = {
    144: PostState.UNAVAILABLE,
    34: PostState.UNAVAILABLE,
    50: PostState.UNAVAILABLE,
    421: PostState.UNAVAILABLE,
    422: PostState.UNAVAILABLE,
    179: PostState.PROTECTED,
    63: PostState.SUSPENDED,
}
# Status pages were rendered on the server until X's new web app (2020-06); from then until X
# closed its pages to visitors not signed in (2023-07), the page's head still held the post
# (`og:description`, its title); since, a capture of one is a JavaScript shell without the
# post, read only when nothing better is left.
PAGES_UNTIL = "20200601"
META_UNTIL = "20230701"
# A redirect's `Location`: absolute, rewritten into the archive's URL, or a path alone.
AUTHOR_URL_RE = re.compile(r"(?:^|(?:twitter|x)\.com)/(?!i/)(\w{1,15})/status(?:es)?/(\d{1,19})")
# A capture's URL: where the Wayback Machine sends a request for another capture (its own
# "found capture at …" redirect, or an archived redirect replayed).
SNAPSHOT_RE = re.compile(r"^https?://web\.archive\.org/web/(\d{1,14})(?:id_)?/(.+)$", re.DOTALL)
# What the index answers for an account the archive excludes (HTTP 200 or 403).
BLOCKED = (b"AdministrativeAccessControlException", b"Blocked Site Error")


def cdx_rows(body: bytes) -> list[dict[str, str]] | None:
    """Rows of a CDX answer: `output=json` (a header row naming the fields, then one list per
    capture; an empty row and a resume key at the end) or the default text (seven fields); an
    index with no capture answers `[]`, or nothing. None for an answer that is no index: JSON
    cut short or of another shape, or text that lists nothing."""
    head = body.lstrip()[:1]
    if head == b"[":
        try:
            whole = json.loads(body)
        except (ValueError, RecursionError):
            return None
        if not isinstance(whole, list) or (whole and not isinstance(whole[0], list)):
            return None
    rows = parse_cdx(body, FIELDS)
    return rows if rows or head in (b"", b"[") else None


def captures(rows: list[dict[str, str]], status_id: str) -> list[dict[str, str]]:
    """The captures that may hold the post, newest first, one per distinct content: its own
    URL (any host, handle, `/photo/1` or query), answered 200 (`-` for archived JSON and
    revisits), as JSON or a page. A revisit (the crawler met bytes it had: the same digest) stands
    for the capture it revisits, which is kept with its own type and time."""
    usable: dict[str, dict[str, str]] = {}
    for row in sorted(rows, key=lambda r: r.get("timestamp", ""), reverse=True):
        if (
            status_id_in(row.get("original")) == status_id
            and _digits(row.get("timestamp", ""))
            and row.get("statuscode", "200") in ("200", "-")
            and any(kind in row.get("mimetype", "text/html") for kind in CONTENT_TYPES)
        ):
            key = row.get("digest") or row["timestamp"] + row["original"]
            if key not in usable or _revisit(usable[key]):
                usable[key] = row  # (read newest first: the revisited capture comes later)
    return sorted(usable.values(), key=lambda row: (_promise(row), _newest_first(row)))


def _digits(value: str) -> bool:
    return value.isascii() and value.isdigit()  # (`²` is a digit to isdigit, not to int)


def _newest_first(row: dict[str, str]) -> int:
    return -int(row["timestamp"])  # (all digits: captures() keeps no other)


def _revisit(row: dict[str, str]) -> bool:
    return "revisit" in row.get("mimetype", "")


def _promise(row: dict[str, str]) -> int:
    """0 for an archived API answer, 1 for a page of the years pages held posts, 2 for one of
    the years their head did, 3 for the rest (the shells since, revisits of what is not
    listed)."""
    kind, at = row.get("mimetype", ""), row.get("timestamp", "")
    if "json" in kind:
        return 0
    if "html" not in kind:
        return 3
    return 1 if at < PAGES_UNTIL else 2 if at < META_UNTIL else 3


def captured_under(url: str, target: Target) -> Target:
    """`target` with the handle of the URL captured (a page may not name its author; a post
    asked for by its id alone, or cited under another handle, is captured under its own)."""
    own = AUTHOR_URL_RE.search(url)
    handle = own[1] if own and own[2] == target.status_id else target.handle
    return replace(target, handle=handle)


def snapshot_time(timestamp: str) -> str:
    """`20241206150012` → `2024-12-06T15:00:12Z`."""
    t = timestamp.ljust(14, "0")
    return f"{t[:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}Z"


def read_json(data: dict, target: Target) -> Reading:
    """An archived API answer: v2, v1.1 / syndication, or an error about the post."""
    if is_v2(data):
        return Lookup(data, "wayback").read(target.status_id)
    errors = data.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        code, message = errors[0].get("code"), str(errors[0].get("message") or "an error")
        state = V11_ERRORS.get(code) if isinstance(code, int) else None
        reason = f"wayback: the archived answer is an API error: {message} (code {code})"
        return (
            Reading(Outcome.GONE, state=state, reason=reason)
            if state
            else Reading(Outcome.ERROR, reason=reason)
        )
    deleted = data.get("delete") if isinstance(data.get("delete"), dict) else {}
    gone = deleted.get("status") if isinstance(deleted.get("status"), dict) else {}
    if str(gone.get("id_str") or gone.get("id")) == target.status_id:  # the stream's notice
        reason = "wayback: the archived answer is the stream's notice that the post was deleted"
        return Reading(Outcome.GONE, state=PostState.DELETED, reason=reason)
    tweet = data.get("data") if isinstance(data.get("data"), dict) else data
    if str(tweet.get("id_str")) == target.status_id:
        record, embedded = read_tweet(tweet, "wayback")
        return Reading(Outcome.FOUND, record=record, embedded=embedded)
    return Reading(Outcome.ERROR, reason="wayback: the archived answer is not this post")


def parse_snapshot(body: bytes, target: Target) -> Reading:
    if body.lstrip()[:1] in (b"{", b"["):
        data, problem = load_json(body)
        if not isinstance(data, dict):
            return Reading(Outcome.ERROR, reason=f"wayback: {problem or 'not a JSON object'}")
        return read_json(data, target)
    return read_page(body.decode("utf-8", "replace"), target.status_id, "wayback", target.handle)


def stamp(records: list[PostRecord], at: str, url: str) -> None:
    for record in records:
        record.snapshot_at, record.snapshot_url = at, url


class Wayback(Source):
    name = "wayback"
    live = False
    fence = fence("wayback", "web.archive.org archive.org")

    def cdx_urls(self, target: Target) -> list[str]:
        paths = ["i/web/status", "i/status"]
        if target.handle:
            paths.insert(0, f"{target.handle}/status")
        urls = [f"{host}/{path}/{target.status_id}" for host in HOSTS for path in paths]
        if target.handle:  # 2007-2010: `twitter.com/jack/statuses/20`
            urls.append(f"twitter.com/{target.handle}/statuses/{target.status_id}")
        return [
            f"https://web.archive.org/cdx/search/cdx?url={url}&matchType=prefix&output=json"
            for url in urls
        ]

    async def fetch(self, http: Http, target: Target) -> Reading:
        rows, failed, halted = [], [], None
        # asked at once (the host's slots bound how many at a time), read in order
        asked = await asyncio.gather(*(http.get(url, self.fence) for url in self.cdx_urls(target)))
        for exchange in asked:
            if exchange.offline or exchange.retry_after:
                halted = halted or exchange  # the others' captures are still read
                failed.append(exchange.error or "rate limited")
                continue
            body, problem = readable(exchange, CDX_LIMIT)
            listed = cdx_rows(body or b"") if exchange.ok else None
            if listed is not None:
                rows += listed
            else:  # an index that failed, or answered with something else, listed nothing
                failed.append(_index_failure(exchange.status, exchange.error, body, problem))
        found = captures(rows, target.status_id)
        if not found and not target.handle and rows:
            # Cited as `i/web/status/<id>` and gone: the archive's copy of that URL's redirect
            # names the author, under whose URL the captures are.
            handle = await self._author_from_redirect(http, rows, target.status_id)
            if handle:
                target.handle = handle
                return await self.fetch(http, target)
        if not found and failed:
            return _waiting(halted, f"wayback: the index did not answer ({failed[0]})")
        if not found:
            return Reading(Outcome.NOT_FOUND, reason="wayback: no capture of this post")
        passed, gone, spoke, unread = [], None, 0, 0
        fetched: set[str] = set()
        for row in found:
            url = f"https://web.archive.org/web/{row['timestamp']}id_/{row['original']}"
            if url in fetched:
                continue
            if len(fetched) >= MAX_FETCHES:
                break
            snapshot, url, at = await self._snapshot(http, url, row["timestamp"], target, fetched)
            reading = self.read(snapshot, captured_under(url, target))
            when = snapshot_time(at)
            if reading.outcome == Outcome.FOUND and reading.record is not None:
                stamp([reading.record, *reading.embedded], when, url)
                return reading
            if snapshot.offline or snapshot.retry_after:
                return reading
            passed.append(
                f"{when}: {(reading.reason or reading.outcome).removeprefix('wayback: ')}"
            )
            if reading.outcome == Outcome.GONE and gone is None:
                gone = reading
            if snapshot.transient or (snapshot.status or 0) >= 500:
                unread += 1  # a capture that may hold the post, not read: asked again by retry
            if reading.outcome != Outcome.NOT_FOUND and not 300 <= (snapshot.status or 0) < 400:
                spoke += 1  # a shell, a page with no post, a redirect: they say nothing
                if spoke == MAX_SNAPSHOTS:
                    break
        summary = "; ".join(passed)
        if halted is not None:  # the refused lookup may list the copy the others did not
            said = halted.error or "rate limited"
            return _waiting(halted, f"wayback: an index lookup did not answer ({said}); {summary}")
        if gone is not None:
            gone.reason = f"{gone.reason} (captures: {summary})"
            return gone
        if unread:
            return Reading(
                Outcome.ERROR, reason=f"wayback: {unread} captures could not be read ({summary})"
            )
        return Reading(Outcome.NOT_FOUND, reason=f"wayback: no capture holds the post ({summary})")

    async def _snapshot(
        self, http: Http, url: str, at: str, target: Target, fetched: set[str]
    ) -> tuple[Exchange, str, str]:
        """A capture's raw answer, its URL and time. A redirect to another capture of the post (the
        Wayback Machine's "found capture at …", or the post's URL moved) is followed once: the
        copy is there, a second behind."""
        fetched.add(url)
        snapshot = await http.get(url, self.fence, follow=False)
        moved = SNAPSHOT_RE.match(snapshot.location or "")
        if moved and status_id_in(moved[2]) == target.status_id and len(fetched) < MAX_FETCHES:
            url = f"https://web.archive.org/web/{moved[1]}id_/{moved[2]}"
            if url not in fetched:
                fetched.add(url)
                return await http.get(url, self.fence, follow=False), url, moved[1]
        return snapshot, url, at

    async def _author_from_redirect(
        self, http: Http, rows: list[dict[str, str]], status_id: str
    ) -> str | None:
        """The handle an archived redirect of the post's `i/…` URL leads to (its `Location`,
        read without following it): the newest that names one, a few at most (a newer one may
        only move the host, `twitter.com` to `x.com`, and name no author)."""
        redirects = sorted(
            (
                r
                for r in rows
                if r.get("statuscode", "").startswith("3")
                and _digits(r.get("timestamp", ""))
                and status_id_in(r.get("original")) == status_id
            ),
            key=_newest_first,
        )
        for row in redirects[:MAX_REDIRECTS_READ]:
            url = f"https://web.archive.org/web/{row['timestamp']}id_/{row['original']}"
            snapshot = await http.get(url, self.fence, follow=False)
            if snapshot.offline or snapshot.retry_after:
                return None
            location = AUTHOR_URL_RE.search(snapshot.headers.get("location", ""))
            if location and location[2] == status_id:
                return location[1]
        return None

    def parse(self, status: int, body: bytes, target: Target) -> Reading:
        if status != 200:
            return Reading(Outcome.ERROR, reason=f"wayback: snapshot HTTP {status}")
        return parse_snapshot(body, target)


def _waiting(halted: Exchange | None, reason: str) -> Reading:
    """A failed reading; asked again when the lookup `halted` (rate limited, offline) says."""
    return Reading(
        Outcome.ERROR,
        reason=reason,
        retry_after=halted.retry_after if halted else None,
        offline=halted.offline if halted else False,
    )


def _index_failure(
    status: int | None, error: str | None, body: bytes | None, problem: str | None
) -> str:
    """Why an index lookup listed nothing, in a few words."""
    head = (body or b"")[:4096]
    if any(mark in head for mark in BLOCKED):
        return "the archive excludes this account (Blocked Site Error)"
    if problem:
        return problem
    if error:
        return error
    return f"HTTP {status}" if status != 200 else "an answer that is not an index"
