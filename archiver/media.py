"""Media of a post: pick the best copy, stream it into the store, check that images decode.

Photos are asked for at original size (`name=orig`, then `4096x4096`, then `large`, then the URL
as given); videos and GIFs as the highest-bitrate MP4 variant.
"""

from __future__ import annotations

import asyncio
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from PIL import Image

from . import ytdlp
from .net import Exchange, Http
from .record import MediaItem

PHOTO_RENDITIONS = ("orig", "4096x4096", "large")
PBS_MEDIA_RE = re.compile(
    r"^/(media|card_img|ext_tw_video_thumb|amplify_video_thumb|tweet_video_thumb)/"
)


@dataclass
class Fetched:
    item: MediaItem
    exchange: Exchange | None  # the answer whose bytes were kept
    tries: list[Exchange]  # every request made, in order
    rendition: str | None = None
    media_type: str | None = None
    width: int | None = None
    height: int | None = None
    status: str = "failed"  # ok, failed, pending
    reason: str | None = None
    format: str | None = None
    mode: str | None = None
    frames: int | None = None
    codec: str | None = None
    duration_ms: int | None = None
    bitrate: int | None = None
    phash: str | None = None
    thumbnail: bytes | None = None  # a derived JPEG for viewing; the original is never touched
    digest: str | None = None  # the bytes kept (from `exchange`, or from yt-dlp)


def photo_candidates(url: str) -> list[tuple[str, str]]:
    """(rendition, URL) to try for a photo, best first."""
    parts = urlsplit(url)
    if parts.hostname != "pbs.twimg.com" or not PBS_MEDIA_RE.match(parts.path):
        return [("as given", url)]
    path, query = parts.path, dict(parse_qsl(parts.query))
    legacy = re.match(r"^(.*)\.(jpg|jpeg|png|webp|gif):(\w+)$", path)  # media/X.jpg:orig
    if legacy:
        path, query["format"] = legacy.group(1), legacy.group(2)
    else:
        stem = re.match(r"^(.*)\.(jpg|jpeg|png|webp|gif)$", path)
        if stem:
            path, query["format"] = stem.group(1), stem.group(2)
    query.pop("name", None)
    out = []
    for name in PHOTO_RENDITIONS:
        query_string = urlencode({**query, "name": name})
        out.append((name, urlunsplit((parts.scheme, parts.netloc, path, query_string, ""))))
    return out


def video_choice(item: MediaItem) -> tuple[str | None, str | None]:
    """(URL, rendition) of the highest-bitrate MP4 variant; (None, why) when there is none."""
    mp4 = [v for v in item.variants if v.get("type") == "video/mp4" and v.get("url")]
    if mp4:
        best = max(mp4, key=lambda v: v.get("bitrate") or 0)
        return str(best["url"]), f"mp4 {best.get('bitrate') or 'unknown'} bit/s"
    if item.variants and all("mpegurl" in str(v.get("type", "")).lower() for v in item.variants):
        return None, "only an HLS stream is offered"
    if item.url.split("?")[0].endswith(".mp4"):
        return item.url, "mp4 (as given)"
    return None, "no MP4 variant"


@dataclass
class ImageFacts:
    format: str | None = None
    width: int | None = None
    height: int | None = None
    mode: str | None = None
    frames: int | None = None
    phash: str | None = None
    thumbnail: bytes | None = None
    problem: str | None = None


def dhash(image: Image.Image) -> str:
    """A 64-bit difference hash: the same picture re-encoded, resized or lightly cropped keeps
    (nearly) the same bits."""
    small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
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


def check_image(path: Path) -> ImageFacts:
    """Decode the whole image (not just its header); a bomb, a cut or a corrupt file is a
    problem. The hash and the thumbnail are made from the decoded pixels."""
    facts = ImageFacts()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                facts.format, facts.width, facts.height = image.format, image.width, image.height
                facts.mode, facts.frames = image.mode, getattr(image, "n_frames", 1)
                image.load()
                thumb = image.convert("RGB")
                thumb.thumbnail((480, 480), reducing_gap=2.0)
                facts.phash = dhash(thumb)
                out = io.BytesIO()
                thumb.save(out, "JPEG", quality=80)
                facts.thumbnail = out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        facts.problem = f"decompression bomb refused: {exc}"
    except (OSError, SyntaxError, ValueError) as exc:
        facts.problem = f"image does not decode: {exc}"
    return facts


def full_size_avatar(url: str) -> str:
    """A profile picture at its original size: without `_normal`, `_bigger`, `_200x200`…"""
    return re.sub(r"_(?:normal|bigger|mini|x96|200x200|400x400)(\.\w+)$", r"\1", url)


async def fetch_media(http: Http, item: MediaItem) -> Fetched:
    """Fetch one media item into the store."""
    if item.kind == "linked":
        return await _with_ytdlp(http, item, item.url, "linked from the post")
    if item.kind in ("photo", "card_image", "avatar"):
        candidates = photo_candidates(item.url)
    else:
        url, rendition = video_choice(item)
        if url is None:
            hls = next(
                (str(v["url"]) for v in item.variants if "mpegurl" in str(v.get("type")).lower()),
                None,
            )
            return await _with_ytdlp(http, item, hls or item.url, rendition)
        candidates = [(rendition or "", url)]
    tries: list[Exchange] = []
    for rendition, url in candidates:
        exchange = await http.get(url, keep=False, max_bytes=http.settings.max_media_bytes)
        tries += [*exchange.earlier, exchange]
        if exchange.ok and exchange.digest:
            fetched = Fetched(item, exchange, tries, rendition, exchange.media_type)
            return await asyncio.to_thread(_checked, http, fetched)  # decoding: off the loop
        if exchange.offline or exchange.retry_after:
            return Fetched(
                item, None, tries, status="pending", reason=exchange.error or "rate limited"
            )
    last = tries[-1]
    return Fetched(
        item, None, tries, reason=f"{last.error or f'HTTP {last.status}'} for {last.url}"
    )


async def _with_ytdlp(http: Http, item: MediaItem, url: str, why: str | None) -> Fetched:
    got = await asyncio.to_thread(ytdlp.download, http.settings, http.store, url)
    if got.problem or not got.digest:
        return Fetched(item, None, [], reason=f"{why}; {got.problem}")
    return Fetched(
        item,
        None,
        [],
        rendition=f"yt-dlp {got.format_id or ''} ({why})".strip(),
        media_type=f"video/{got.container}" if got.container else None,
        width=got.width,
        height=got.height,
        status="ok",
        format=got.container,
        codec=got.codec,
        duration_ms=got.duration_ms,
        bitrate=got.bitrate,
        digest=got.digest,
    )


def _checked(http: Http, fetched: Fetched) -> Fetched:
    assert fetched.exchange and fetched.exchange.digest
    fetched.digest = fetched.exchange.digest
    if fetched.item.kind not in ("photo", "avatar", "card_image"):
        fetched.status = "ok"
        fetched.format = (fetched.media_type or "").removeprefix("video/") or None
        return fetched
    facts = check_image(http.store.path(fetched.exchange.digest))
    fetched.width, fetched.height, fetched.format = facts.width, facts.height, facts.format
    fetched.mode, fetched.frames, fetched.phash = facts.mode, facts.frames, facts.phash
    fetched.thumbnail = facts.thumbnail
    declared = (fetched.media_type or "").removeprefix("image/")
    if facts.problem:
        fetched.reason = facts.problem + " (the bytes received are kept)"
    elif declared and facts.format and declared.replace("jpg", "jpeg") != facts.format.lower():
        fetched.reason = f"served as {fetched.media_type} but the bytes are {facts.format}"
    else:
        fetched.status = "ok"
    return fetched
