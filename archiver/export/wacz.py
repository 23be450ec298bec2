"""A WACZ 1.1.1 file: the bundle's WARC with its CDXJ index and the list of pages (one per
post), the form Webrecorder's ReplayWeb.page, ArchiveWeb.page and auto-archiver read.

    archive/data.warc.gz      the WARC, stored (not compressed again) so it is read by offset
    indexes/index.cdxj        one line per record (cdxj-indexer), sorted
    pages/pages.jsonl         {"format": "json-pages-1.0", …} then one line per post
    datapackage.json          every file with its size and SHA-256, the WACZ version
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

from .. import __version__
from ..durable import digest_bytes, hash_file
from .warc import Page

WACZ_VERSION = "1.1.1"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_wacz(out: Path, warc: Path, pages: list[Page], title: str, created: datetime) -> None:
    """Write the WACZ of `warc` and its `pages` to `out` (the same inputs, the same bytes)."""
    from cdxj_indexer import CDXJIndexer

    index = io.StringIO()
    # `filename`: the name each line gives its WARC is the one inside the WACZ, never that of
    # the temporary file indexed (which named nothing a replay tool could find, and made two
    # exports of one archive differ).
    CDXJIndexer(output=index, inputs=[str(warc)], sort=True, filename="data.warc.gz").process_all()
    lines = [json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "Posts"})]
    lines += [json.dumps(p.entry(), ensure_ascii=False, sort_keys=True) for p in pages]
    small = {
        "indexes/index.cdxj": index.getvalue().encode(),
        "pages/pages.jsonl": ("\n".join(lines) + "\n").encode(),
    }
    resources = [_resource("archive/data.warc.gz", *hash_file(warc))]
    resources += [_resource(name, digest_bytes(data), len(data)) for name, data in small.items()]
    package = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": title,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "software": f"archiver {__version__}",
        "mainPageUrl": pages[0].url if pages else None,
        "resources": resources,
    }
    with zipfile.ZipFile(out, "w") as archive:
        _add(archive, "archive/data.warc.gz", None, warc)
        for name, data in small.items():
            _add(archive, name, data)
        _add(archive, "datapackage.json", json.dumps(package, indent=2).encode())


def _resource(path: str, digest: str, size: int) -> dict[str, object]:
    return {"name": Path(path).name, "path": path, "hash": digest, "bytes": size}


def _add(
    archive: zipfile.ZipFile, name: str, data: bytes | None, source: Path | None = None
) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.external_attr = 0o644 << 16
    if source is not None:  # a WARC is stored as it is, so replay reads records by offset
        info.compress_type = zipfile.ZIP_STORED
        with open(source, "rb") as src, archive.open(info, "w", force_zip64=True) as dst:
            while chunk := src.read(1024 * 1024):
                dst.write(chunk)
        return
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data or b"")
