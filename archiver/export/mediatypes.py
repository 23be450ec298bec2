"""File name extensions from recorded media types, so that a PNG is `.png` and an avatar is not
`.bin`: the type is the one recorded with the bytes (Content-Type or what Pillow found), never a
guess from the kind of media."""

from __future__ import annotations

EXTENSIONS = {
    "application/json": "json",
    "application/ld+json": "json",
    "application/javascript": "js",
    "application/warc": "warc",
    "application/x-mpegurl": "m3u8",
    "application/vnd.apple.mpegurl": "m3u8",
    "application/xml": "xml",
    "audio/aac": "aac",
    "audio/mp4": "m4a",
    "audio/mpeg": "mp3",
    "image/avif": "avif",
    "image/bmp": "bmp",
    "image/gif": "gif",
    "image/heic": "heic",
    "image/jpeg": "jpg",
    "image/jpg": "jpg",  # not registered, but sent
    "image/pjpeg": "jpg",
    "image/png": "png",
    "image/svg+xml": "svg",
    "image/tiff": "tif",
    "image/webp": "webp",
    "text/css": "css",
    "text/csv": "csv",
    "text/html": "html",
    "text/javascript": "js",
    "text/markdown": "md",
    "text/plain": "txt",
    "text/xml": "xml",
    "video/mp2t": "ts",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
}
PILLOW_FORMATS = {  # Image.format → media type
    "AVIF": "image/avif",
    "BMP": "image/bmp",
    "GIF": "image/gif",
    "HEIF": "image/heic",
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",  # a JPEG with more pictures after the first
    "PNG": "image/png",
    "TIFF": "image/tiff",
    "WEBP": "image/webp",
}


# What a browser runs when the file is opened (scripts, a refresh to elsewhere): a raw answer
# of one is kept with `.txt` after its own suffix, read as text, its bytes as they came
ACTIVE = frozenset(("html", "xhtml", "svg", "xml", "js"))


def extension(media_type: str | None, pillow_format: str | None = None) -> str:
    """`png` for `image/png; charset=…`; Pillow's format (`PNG`) wins when it is known, since
    it was read from the bytes; `bin` when neither says."""
    if pillow_format and pillow_format.upper() in PILLOW_FORMATS:
        media_type = PILLOW_FORMATS[pillow_format.upper()]
    essence = (media_type or "").split(";")[0].strip().lower()
    return EXTENSIONS.get(essence, "bin")
