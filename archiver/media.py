"""Media of a post: pick the best copy, stream it into the store, check that images decode.

Photos are asked for at original size (`name=orig`, then `4096x4096`, then `large`, then the URL
as given); videos and GIFs as the highest-bitrate MP4 variant.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from PIL import Image

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


def check_image(path: Path) -> tuple[str | None, int | None, int | None, str | None]:
    """(format, width, height, problem): the image is fully decoded, not just its header read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.load()
                return image.format, image.width, image.height, None
    except (
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        return None, None, None, f"image does not decode: {exc}"


async def fetch_media(http: Http, item: MediaItem) -> Fetched:
    """Fetch one media item into the store."""
    if item.kind == "photo":
        candidates = photo_candidates(item.url)
    else:
        url, rendition = video_choice(item)
        if url is None:
            return Fetched(item, None, [], status="pending", reason=rendition)
        candidates = [(rendition or "", url)]
    tries: list[Exchange] = []
    for rendition, url in candidates:
        exchange = await http.get(url, keep=False, max_bytes=http.settings.max_media_bytes)
        tries += [*exchange.earlier, exchange]
        if exchange.ok and exchange.digest:
            return _checked(http, Fetched(item, exchange, tries, rendition, exchange.media_type))
        if exchange.offline or exchange.retry_after:
            return Fetched(
                item, None, tries, status="pending", reason=exchange.error or "rate limited"
            )
    last = tries[-1]
    return Fetched(
        item, None, tries, reason=f"{last.error or f'HTTP {last.status}'} for {last.url}"
    )


def _checked(http: Http, fetched: Fetched) -> Fetched:
    if fetched.item.kind != "photo":
        fetched.status = "ok"
        return fetched
    assert fetched.exchange and fetched.exchange.digest
    fmt, width, height, problem = check_image(http.store.path(fetched.exchange.digest))
    fetched.width, fetched.height = width, height
    declared = (fetched.media_type or "").removeprefix("image/")
    if problem:
        fetched.reason = problem
    elif declared and fmt and declared.replace("jpg", "jpeg") != fmt.lower():
        fetched.reason = f"served as {fetched.media_type} but the bytes are {fmt}"
    else:
        fetched.status = "ok"
    return fetched
