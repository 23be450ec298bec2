"""A WARC 1.1 file (warcio) of the raw HTTP exchanges behind a bundle, with SHA-256 payload
digests. Record ids and dates come from the captures, so the same archive writes the same WARC."""

from __future__ import annotations

import io
import uuid
from http import HTTPStatus

from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from .. import __version__
from ..models import Capture
from ..store import Store

NAMESPACE = uuid.UUID("6f1e3c1a-9d4b-4c59-9a51-0e4f8d2b7c30")


class Sha256WARCWriter(WARCWriter):
    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def write_warc(captures: list[tuple[Capture, str]], store: Store) -> bytes:
    out = io.BytesIO()
    writer = Sha256WARCWriter(out, gzip=True, warc_version="1.1")
    info = writer.create_warcinfo_record(
        "bundle.warc.gz", {"software": f"archiver/{__version__}", "format": "WARC File Format 1.1"}
    )
    info.rec_headers.replace_header("WARC-Record-ID", f"<urn:uuid:{uuid.uuid5(NAMESPACE, 'info')}>")
    first = min((c.fetched_at for c, _ in captures), default=None)
    if first:
        info.rec_headers.replace_header("WARC-Date", first.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    writer.write_record(info)
    for capture, _name in captures:
        if (
            capture.http_status is None
            or not capture.blob_digest
            or capture.url.startswith("witness:")
        ):
            continue
        reason = (
            HTTPStatus(capture.http_status).phrase
            if capture.http_status in HTTPStatus._value2member_map_
            else ""
        )
        headers = [
            (k, v)
            for k, v in capture.header_pairs()
            if k.lower() not in ("transfer-encoding", "content-encoding")
        ]
        body = store.read_bytes(capture.blob_digest)
        http_headers = StatusAndHeaders(
            f"{capture.http_status} {reason}".strip(), headers, protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            capture.url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http_headers,
            warc_headers_dict={
                "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(NAMESPACE, f'{capture.id}')}>",
                "WARC-Date": capture.fetched_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            },
        )
        writer.write_record(record)
    return out.getvalue()
