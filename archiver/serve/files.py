"""Bytes from the store: media shown in the page, any blob downloaded, the style sheets.

Media are served with the type recorded for them, and only types a browser shows without
running anything (no SVG, no HTML): anything else is a download. Every blob is content-
addressed, so it may be cached for good. Range requests are answered (206, 416) by Starlette's
FileResponse, so a long video plays and seeks without being sent whole.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse

from ..export.html import TEMPLATES
from ..export.mediatypes import PILLOW_FORMATS, extension
from ..store import CHUNK, DIGEST_RE

INLINE = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/avif",
        "video/mp4",
        "video/webm",
        "video/quicktime",
        "audio/mp4",
        "audio/mpeg",
    }
)
FOREVER = "private, max-age=31536000, immutable"
STYLES = {
    "style.css": TEMPLATES / "style.css",
    "viewer.css": Path(__file__).parent / "static" / "viewer.css",
}


def essence(media_type: str | None) -> str:
    """`image/jpeg` for `Image/JPEG; q=1`."""
    return (media_type or "").split(";")[0].strip().lower()


def media_response(request: Request) -> Response:
    """A photo, video or thumbnail of a post, by digest, shown inline when its type is safe."""
    digest = request.path_params["digest"]
    if not DIGEST_RE.fullmatch(digest):
        return not_found()
    with request.app.state.reader() as conn:
        row = conn.execute(
            "SELECT media_type, format, blob_digest = ? AS own FROM media "
            "WHERE blob_digest = ? OR thumbnail_digest = ? ORDER BY own DESC LIMIT 1",
            (digest, digest, digest),
        ).fetchone()
    if row is None:
        return not_found()
    kind = essence(row["media_type"]) if row["own"] else "image/jpeg"  # thumbnails are JPEG
    if row["own"] and row["format"] and row["format"].upper() in PILLOW_FORMATS:
        kind = PILLOW_FORMATS[row["format"].upper()]  # read from the bytes: it wins
    if kind not in INLINE:
        return blob_file(request, digest, kind or None)
    return _file(request, digest, kind)


def blob_response(request: Request) -> Response:
    """Any blob of the archive (a raw answer, a record, a document) as a download."""
    digest = request.path_params["digest"]
    if not DIGEST_RE.fullmatch(digest):
        return not_found()
    with request.app.state.reader() as conn:
        row = conn.execute("SELECT media_type FROM blob WHERE digest = ?", (digest,)).fetchone()
    if row is None:
        return not_found()
    return blob_file(request, digest, essence(row["media_type"]) or None)


def blob_file(request: Request, digest: str, kind: str | None) -> Response:
    """A download, never shown in the page: what the bytes hold cannot run here (a sandbox
    without anything allowed, should a browser show it after all)."""
    known = kind if kind and extension(kind) != "bin" else "application/octet-stream"
    headers = {
        "content-disposition": f'attachment; filename="{digest[7:19]}.{extension(kind)}"',
        "content-security-policy": "sandbox; default-src 'none'",
    }
    return _file(request, digest, known, headers)


def _file(request: Request, digest: str, kind: str, headers: dict | None = None) -> Response:
    store = request.app.state.archive.store
    headers = {"cache-control": FOREVER, **(headers or {})}
    gone = "the archive names this blob but does not hold it (see archiver verify)"
    if store.remote:  # a bucket's object, streamed through (whole: no ranges)
        try:
            body = store.open(digest)
        except FileNotFoundError:
            return not_found(gone)
        chunks = iter(lambda: body.read(CHUNK), b"")
        return StreamingResponse(chunks, media_type=kind, headers=headers)
    path = store.path(digest)
    if not path.is_file():
        return not_found(gone)
    return FileResponse(path, media_type=kind, headers=headers)


def style_response(request: Request) -> Response:
    path = STYLES.get(request.path_params["name"])
    if path is None:
        return not_found()
    return FileResponse(path, media_type="text/css; charset=utf-8")


def not_found(text: str = "not in this archive") -> Response:
    return Response(text + "\n", status_code=404, media_type="text/plain; charset=utf-8")
