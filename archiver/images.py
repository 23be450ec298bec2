"""Checking that media bytes are what they claim: every image decoded in full, a video's container
recognised; plus the picture's difference hash and a derived thumbnail for viewing.

The checks run in the image workers (photos.py), out of the run's own process.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from PIL import Image

if TYPE_CHECKING:
    from .store import Staged, Store

# A thumbnail's longer side: at least THUMBNAIL_MIN (unless the picture is smaller), at most
# THUMBNAIL_MAX, a list's or a grid's size. Within this range, every size X serves (680, 1200,
# 2048 and 4096 on the longer side) is decoded straight at 1/2, 1/4 or 1/8 scale, so the decode
# that checks a photo also makes its thumbnail, with no resampling pass: at 1200x900, 1.3 ms
# a photo here against 2.3 ms for a 480-pixel thumbnail (decoded at 1/2, encoded 4x larger).
THUMBNAIL_MIN = 256
THUMBNAIL_MAX = 512


@dataclass
class ImageFacts:
    format: str | None = None
    width: int | None = None
    height: int | None = None
    mode: str | None = None
    frames: int | None = None
    phash: str | None = None
    thumbnail: Staged | None = None  # staged in the store the check was given
    problem: str | None = None


def dhash(image: Image.Image) -> str:
    """A 64-bit difference hash: the same picture re-encoded, resized or lightly cropped keeps
    (nearly) the same bits."""
    gray = image.convert("L")
    factor = min(gray.width // 36, gray.height // 32)  # box-averaged to about 4x the grid first
    small = (gray.reduce(factor) if factor > 1 else gray).resize((9, 8), Image.Resampling.LANCZOS)
    pixels = small.tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = (bits << 1) | (pixels[row * 9 + col] > pixels[row * 9 + col + 1])
    return f"{bits:016x}"


def distance(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def plain(phash: str) -> bool:
    """A picture with almost no light-dark changes (a flat colour): its hash says nothing, and
    every flat picture would look like every other."""
    ones = bin(int(phash or "0", 16)).count("1")
    return ones < 6 or ones > 58


def check_image(path: str | os.PathLike | bytes, store: Store) -> ImageFacts:
    """Decode the whole image (every scan of a JPEG, at the reduced DCT scale the thumbnail
    needs; every frame's data otherwise): a bomb, a cut or a corrupt file is a problem. Size,
    format and mode are those of the original; the hash and thumbnail come from the pixels.

    The thumbnail is the picture reduced by a power of two, to a longer side of at least
    THUMBNAIL_MIN: a JPEG's decoder does that as it decodes (1/2, 1/4, 1/8), any other picture
    is box-averaged. Only one still longer than THUMBNAIL_MAX is resampled to THUMBNAIL_MIN."""
    facts, out = ImageFacts(), io.BytesIO()
    try:
        with Image.open(io.BytesIO(path) if isinstance(path, bytes) else path) as image:
            # refused here whatever the process's warnings filter (see photos.py)
            if image.width * image.height > (Image.MAX_IMAGE_PIXELS or 0) > 0:
                raise Image.DecompressionBombError(
                    f"{image.width * image.height} pixels, more than the limit of "
                    f"{Image.MAX_IMAGE_PIXELS}"
                )
            facts.format, facts.width, facts.height = image.format, image.width, image.height
            facts.mode, facts.frames = image.mode, getattr(image, "n_frames", 1)
            scale = min(1.0, THUMBNAIL_MIN / max(image.width, image.height, 1))
            box = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
            image.draft("RGB", box)  # JPEG: decoded at the smallest scale still >= box
            image.load()
            thumb = image if image.mode == "RGB" else image.convert("RGB")
            factor = 1
            while max(thumb.size) // (factor * 2) >= THUMBNAIL_MIN:
                factor *= 2
            if factor > 1:
                thumb = thumb.reduce(factor)
            if max(thumb.size) > THUMBNAIL_MAX:
                thumb = thumb.resize(box, Image.Resampling.BOX)
            facts.phash = dhash(thumb)
            thumb.save(out, "JPEG", quality=80)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        facts.problem = f"decompression bomb refused: {exc}"
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        facts.problem = f"image does not decode: {_unnamed(exc, path)}"
    except Exception as exc:  # a decoder's surprise on hostile bytes is still a bad image
        facts.problem = f"image does not decode: {type(exc).__name__}: {_unnamed(exc, path)}"
    if facts.problem is None:  # a disk that fails here is not the picture's fault: it raises
        with store.writer() as writer:
            writer.write(out.getbuffer())
            facts.thumbnail = writer.stage()
    return facts


def _unnamed(exc: BaseException, path: str | os.PathLike | bytes) -> str:
    """The decoder's words without the temp file it read (`cannot identify image file
    '/…/tmp/put-…'`): a name gone once the check ends, and no part of the reason."""
    said = str(exc)
    if not isinstance(path, bytes):
        said = said.replace(f" {str(path)!r}", "").replace(str(path), "the file")
    return said


# What video containers begin with: MP4/MOV/3GP (an `ftyp` box), WebM/Matroska (EBML), MPEG-TS.
def video_container(head: bytes) -> str | None:
    """The container the first bytes of a video file name, or None when they name none."""
    if len(head) >= 12 and head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide"):
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head[:1] == b"\x47" and (len(head) < 189 or head[188:189] == b"\x47"):
        return "mpegts"
    return None


MAX_BOXES = 100_000  # top-level boxes walked (a fragmented MP4 has two per fragment)


def mp4_cut_short(source: bytes | str | os.PathLike, size: int) -> str | None:
    """Why an MP4 of `size` bytes (in memory, or the file at `source`) is not whole: its
    top-level boxes declare more bytes than it has (a body that ended early with no length to
    check it against). None when whole; a few bytes past the last box are let be."""
    with io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb") as handle:
        offset = 0
        for _ in range(MAX_BOXES):
            if size - offset < 8:
                return None
            handle.seek(offset)
            header = handle.read(16)
            length = int.from_bytes(header[:4], "big")
            least = 8
            if length == 1:  # a 64-bit size follows the type
                length, least = int.from_bytes(header[8:16], "big"), 16
            elif length == 0:  # the last box, to the end of the file
                return None
            if length < least:
                return f"not a whole MP4: a box at byte {offset:,} declares {length} bytes"
            if offset + length > size:
                return f"cut short: its boxes declare {offset + length:,} bytes, {size:,} received"
            offset += length
    return None


def mp4_dimensions(source: bytes | str | os.PathLike, size: int) -> tuple[int, int] | None:
    """The width and height the MP4's video track declares (`moov/trak/tkhd`, 16.16 fixed
    point), or None: the file's own, whichever variant it is (a post's metadata gives the
    original's)."""
    with io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb") as handle:
        whole = (b"", 0, size)
        for moov in _within(handle, whole, b"moov"):
            for trak in _within(handle, moov, b"trak"):
                for _, start, end in _within(handle, trak, b"tkhd"):
                    if end - start < 84:  # (version 0's fields; 1's are longer)
                        continue
                    handle.seek(end - 8)
                    field = handle.read(8)
                    width, height = (int.from_bytes(field[i : i + 4], "big") >> 16 for i in (0, 4))
                    if width and height:  # (an audio track's are 0)
                        return width, height
    return None


def _within(
    handle: BinaryIO, box: tuple[bytes, int, int], kind: bytes
) -> Iterator[tuple[bytes, int, int]]:
    """(type, where its content starts, where it ends) of each box of `kind` inside `box`."""
    offset, end = box[1], box[2]
    for _ in range(MAX_BOXES):
        if end - offset < 8:
            return
        handle.seek(offset)
        header = handle.read(16)
        length, least = int.from_bytes(header[:4], "big"), 8
        if length == 1:  # a 64-bit size follows the type
            length, least = int.from_bytes(header[8:16], "big"), 16
        elif length == 0:  # to the end
            length = end - offset
        if length < least or offset + length > end:
            return
        if header[4:8] == kind:
            yield kind, offset + least, offset + length
        offset += length


def check_video(head: bytes) -> tuple[str | None, str | None]:
    """(container, None) for a video file that begins with `head` (its first 200 bytes or
    more), or (None, why it is not a video)."""
    container = video_container(head)
    if container is None:
        shown = head[:16].decode("latin-1").encode("unicode_escape").decode()[:48]
        return None, f"not a video (starts {shown!r})"
    return container, None
