"""A WARC 1.1 file (warcio) of every exchange behind a bundle, and a page for each post.

- For every capture that got an HTTP answer (API answers, t.co hops, photos, videos, avatars,
  Save Page Now requests): a `request` record (the method, URL and the headers archiver sends;
  never the access keys) and a `response` record with the status, the headers exactly as sent
  (repeated ones kept) and the body byte for byte as it came off the wire (content encoding
  kept). Bodies are streamed from the store: a 2 GB video goes through in bounded memory.
- For every post: a `resource` record holding the post as the bundle shows it, at a stable URL
  under `https://archiver.invalid/` (a name that can never resolve, so the page is never taken
  for an answer of X's); its pictures and videos point at the URLs they were fetched from, which
  the response records above answer. These are the pages a replay tool lists (WACZ pages).

Record ids and dates come from the captures, so the same archive writes the same WARC.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from .. import __version__
from ..models import Capture
from ..net import USER_AGENT
from ..store import Store
from ..vocab import Step

NAMESPACE = uuid.UUID("6f1e3c1a-9d4b-4c59-9a51-0e4f8d2b7c30")
PAGE_ROOT = "https://archiver.invalid/posts/"
DROPPED = ("transfer-encoding",)  # the body is kept de-chunked; its content coding stays


@dataclass
class Page:
    """A post's page in the WARC."""

    status_id: str
    html: bytes
    at: datetime
    title: str

    @property
    def url(self) -> str:
        return PAGE_ROOT + self.status_id

    def entry(self) -> dict[str, str]:
        """Its line in a WACZ's pages.jsonl."""
        return {"id": self.status_id, "url": self.url, "ts": _date(self.at), "title": self.title}


class Sha256WARCWriter(WARCWriter):
    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def _date(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _id(key: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(NAMESPACE, key)}>"


def _request(capture: Capture) -> StatusAndHeaders:
    parts = urlsplit(capture.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    method = "POST" if capture.source == Step.SAVE and parts.path == "/save" else "GET"
    headers = [("Host", parts.netloc), ("User-Agent", USER_AGENT), ("Accept-Encoding", "identity")]
    if capture.source == Step.SAVE:
        headers.append(("Accept", "application/json"))
    return StatusAndHeaders(f"{method} {target} HTTP/1.1", headers, protocol="HTTP/1.1")


def write_warc(out: BinaryIO, captures: list[Capture], pages: list[Page], store: Store) -> None:
    """Write the WARC (gzip per record) of `captures` and `pages` to `out`."""
    writer = Sha256WARCWriter(out, gzip=True, warc_version="1.1")
    info = writer.create_warcinfo_record(
        "bundle.warc.gz",
        {
            "software": f"archiver/{__version__}",
            "format": "WARC File Format 1.1",
            "description": "Every exchange behind a citation bundle, and a page for each post",
        },
    )
    info.rec_headers.replace_header("WARC-Record-ID", _id("info"))
    first = min((c.fetched_at for c in captures), default=None)
    if first:
        info.rec_headers.replace_header("WARC-Date", _date(first))
    writer.write_record(info)
    for capture in _exchanges(captures):
        _write_exchange(writer, capture, store)
    for page in pages:
        record = writer.create_warc_record(
            page.url,
            "resource",
            payload=io.BytesIO(page.html),
            length=len(page.html),
            warc_content_type="text/html; charset=utf-8",
            warc_headers_dict={
                "WARC-Record-ID": _id(f"page:{page.status_id}"),
                "WARC-Date": _date(page.at),
            },
        )
        writer.write_record(record)


def _exchanges(captures: list[Capture]) -> Iterator[Capture]:
    """Captures that are HTTP answers, once each (a post and its quote may share one)."""
    seen: set[int | None] = set()
    for capture in sorted(captures, key=lambda c: c.id or 0):
        if capture.http_status is None or capture.url.startswith("witness:") or capture.id in seen:
            continue
        seen.add(capture.id)
        yield capture


def _write_exchange(writer: WARCWriter, capture: Capture, store: Store) -> None:
    when = {"WARC-Date": _date(capture.fetched_at)}
    request = writer.create_warc_record(
        capture.url,
        "request",
        payload=io.BytesIO(b""),
        length=0,
        http_headers=_request(capture),
        warc_headers_dict={"WARC-Record-ID": _id(f"{capture.id}:request"), **when},
    )
    writer.write_record(request)
    status = capture.http_status or 0
    reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
    headers = [(k, v) for k, v in capture.header_pairs() if k.lower() not in DROPPED]
    http = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")
    body: BinaryIO = store.open(capture.blob_digest) if capture.blob_digest else io.BytesIO(b"")
    with body:
        length = store.size(capture.blob_digest) if capture.blob_digest else 0
        response = writer.create_warc_record(
            capture.url,
            "response",
            payload=body,
            length=length,
            http_headers=http,
            warc_headers_dict={
                "WARC-Record-ID": _id(f"{capture.id}"),
                "WARC-Concurrent-To": _id(f"{capture.id}:request"),
                **when,
            },
        )
        writer.write_record(response)


def media_urls(captures: list[Capture]) -> dict[str, str]:
    """digest → the URL its bytes were fetched from (for a page whose pictures replay)."""
    return {
        c.blob_digest: c.url
        for c in captures
        if c.source == Step.MEDIA and c.outcome == "found" and c.blob_digest
    }


def page_title(view: dict) -> str:
    words = " ".join(str(view.get("text") or "").split()[:12])
    who = view.get("author_name") or view.get("handle") or "unknown author"
    return f"{who} (@{view.get('handle') or '?'}): {words}"[:300]
