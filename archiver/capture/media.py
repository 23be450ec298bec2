"""Step 6: a post's media. Pick the best copy, stream it into the store, check that the bytes are
what they claim (an image decodes in full, a video's container is recognised), and write the
post's media with the job's end as one decision.

Photos are asked for at original size (`name=orig`, then `4096x4096`, `large`, then the URL as
given); videos and GIFs as their MP4 variants, best bitrate first, then through yt-dlp when only
an HLS stream is offered. A failed item leaves the job failed, so `retry` fetches it again.
"""

from __future__ import annotations

import asyncio
import functools
import os
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .. import images, photos, ytdlp
from ..errors import stops_the_run
from ..exchange import Exchange
from ..fence import ANYWHERE, MEDIA
from ..net import Way, recording
from ..record import MediaItem, PostRecord
from ..rows.decisions import JobEnd, MediaResult, MediaRound, apply_media_round
from ..rows.jobs import Ticket
from ..vocab import ADDED_MEDIA, IMAGE_KINDS, JobState, MediaKind, MediaStatus
from .context import Run

PHOTO_RENDITIONS = ("orig", "4096x4096", "large")
KNOWN_KINDS = frozenset(MediaKind)
# Types that claim nothing of what the bytes are (as media_type gives them, without `image/`)
GENERIC_TYPES = frozenset({"application/octet-stream", "binary/octet-stream"})
ALIASES = {"jpg": "jpeg", "pjpeg": "jpeg", "x-png": "png"}  # older names of the same formats
PBS_MEDIA_RE = re.compile(
    r"^/(media|card_img|ext_tw_video_thumb|amplify_video_thumb|tweet_video_thumb)/"
)
LINK_RE = re.compile(r"https?://[^\s<>\"')]+")
TWITTER_RE = re.compile(r"https?://(?:[\w-]+\.)*(?:twitter\.com|x\.com|t\.co|twimg\.com)/", re.I)


def media_of(record: PostRecord | None, links: bool = False) -> list[tuple[int, MediaItem]]:
    """The post's media by position, then the author's picture (100), the card image (101)
    and, with `links`, what the post links to elsewhere (200 on)."""
    if record is None:
        return []
    items = list(enumerate(record.media))
    if record.author_avatar:
        items.append((100, MediaItem(MediaKind.AVATAR, full_size_avatar(record.author_avatar))))
    if record.card_image:
        items.append((101, MediaItem(MediaKind.CARD_IMAGE, record.card_image)))
    if links:
        found = [u for u in LINK_RE.findall(record.text_expanded or "") if not TWITTER_RE.match(u)]
        items += [
            (200 + i, MediaItem(MediaKind.LINKED, u)) for i, u in enumerate(dict.fromkeys(found))
        ]
    return items


def full_size_avatar(url: str) -> str:
    """A profile picture at its original size: without `_normal`, `_bigger`, `_200x200`…"""
    return re.sub(r"_(?:normal|bigger|mini|x96|200x200|400x400)(\.\w+)$", r"\1", url)


def photo_candidates(url: str) -> list[tuple[str, str, int | None]]:
    """(rendition, URL, bitrate) to try for a photo, best first."""
    parts = urlsplit(url)
    if parts.hostname != "pbs.twimg.com" or not PBS_MEDIA_RE.match(parts.path):
        return [("as given", url, None)]
    path, query = parts.path, dict(parse_qsl(parts.query))
    named = re.match(r"^(.*)\.(jpg|jpeg|png|webp|gif)(?::(\w+))?$", path)  # X.jpg or X.jpg:orig
    if named:
        path, query["format"] = named.group(1), named.group(2)
    query.pop("name", None)
    base = urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))
    glue = "&" if query else "?"  # the renditions are plain words: nothing to quote
    out = [(name, f"{base}{glue}name={name}", None) for name in PHOTO_RENDITIONS]
    return out + ([("as given", url, None)] if url not in {u for _, u, _ in out} else [])


def video_candidates(item: MediaItem) -> list[tuple[str, str, int | None]]:
    """(rendition, URL, bitrate) of every MP4 variant, best bitrate first."""
    mp4 = [
        v for v in item.variants if v.get("type") == "video/mp4" and isinstance(v.get("url"), str)
    ]
    mp4.sort(
        key=lambda v: v.get("bitrate") if isinstance(v.get("bitrate"), int) else -1, reverse=True
    )
    out = []
    for variant in mp4:
        bitrate = variant.get("bitrate")
        bitrate = bitrate if isinstance(bitrate, int) else None
        label = f"mp4 {bitrate} bit/s" if bitrate is not None else "mp4 (bitrate not given)"
        out.append((label, str(variant["url"]), bitrate))
    if item.url.split("?")[0].endswith(".mp4") and item.url not in {u for _, u, _ in out}:
        out.append(("mp4 (as given)", item.url, None))
    return out


def hls_url(item: MediaItem) -> str | None:
    for variant in item.variants:
        if "mpegurl" in str(variant.get("type", "")).lower() and isinstance(
            variant.get("url"), str
        ):
            return str(variant["url"])
    return item.url if ".m3u8" in item.url else None


async def capture_media(run: Run, ticket: Ticket, record: PostRecord) -> None:
    """Fetch what the post's media still lacks; write it with the job's end."""
    assert ticket.post_id is not None
    todo = [
        (position, item)
        for position, item in media_of(record, run.options.follow_media_links)
        if (position, item.url) not in ticket.media_done
    ]
    results = list(await asyncio.gather(*(fetch_item(run, p, item) for p, item in todo)))
    decision = MediaRound(ticket.job_id, ticket.post_id, results, job_end(results, record))
    await run.writer.do("media", functools.partial(apply_media_round, r=decision), decision.blobs)
    kept = sum(r.status == MediaStatus.OK for r in results)
    run.progress(f"{ticket.target}: {kept} of {len(results)} media kept")


def job_end(results: list[MediaResult], record: PostRecord | None) -> JobEnd:
    """Done when the record is whole and every media item of the post is kept; waiting when the
    network is away; else failed, naming what is missing (so `retry` asks again)."""
    waiting = [r for r in results if r.status == MediaStatus.PENDING]
    if waiting:
        wait = max((r.wait or 0.0 for r in waiting), default=0.0)
        return JobEnd(JobState.PENDING, waiting[0].reason, wait=wait or None)
    missing = [r for r in results if r.status != MediaStatus.OK and r.item.kind not in ADDED_MEDIA]
    why = record.gaps if record else []
    if missing:
        why.append("media missing: " + "; ".join(describe(r) for r in missing))
    return JobEnd(JobState.FAILED, "; ".join(why)) if why else JobEnd(JobState.DONE)


def describe(result: MediaResult) -> str:
    return f"{result.item.kind} {result.position + 1} ({result.reason or 'not kept'})"


async def fetch_item(run: Run, position: int, item: MediaItem) -> MediaResult:
    """One media item; every exchange made for it is in the result, whatever happens."""
    with recording() as log:
        try:
            result = await _fetch(run, position, item)
        except Exception as exc:  # a surprise here must not lose what was received
            if stops_the_run(exc):
                raise  # the run stops on it (errors.NoSpace); retry finishes
            result = MediaResult(position, item, [], reason=f"{type(exc).__name__}: {exc}")
    result.exchanges = log
    return result


async def _fetch(run: Run, position: int, item: MediaItem) -> MediaResult:
    if item.kind == MediaKind.LINKED:
        return await _ytdlp(run, position, item, item.url, "linked from the post")
    if item.kind not in KNOWN_KINDS:
        kind = str(item.kind)[:40]
        return MediaResult(
            position, item, [], reason=f"a kind of media archiver does not know: {kind!r}"
        )
    photo = item.kind in IMAGE_KINDS
    candidates = photo_candidates(item.url) if photo else video_candidates(item)
    fence = ANYWHERE if run.options.follow_media_links else MEDIA
    reasons, rejected = [], None
    way = Way.IMAGE if photo else Way.LONG_BODY
    for rendition, url, bitrate in candidates:
        exchange = await run.http.get(
            url, fence, keep=False, max_bytes=run.settings.max_media_bytes, way=way
        )
        if exchange.offline or exchange.retry_after:
            return MediaResult(
                position,
                item,
                [],
                status=MediaStatus.PENDING,
                reason=exchange.error or "rate limited",
                wait=exchange.retry_after,
            )
        if not exchange.ok or exchange.blob is None:
            reasons.append(f"{rendition}: {exchange.error or f'HTTP {exchange.status}'} for {url}")
            if exchange.stalled:
                break  # the host hangs: its other sizes would too (`retry` asks again)
            continue
        if exchange.status not in (200, 203):  # 206 Partial Content: not the whole file
            photos.forget(exchange.blob)
            reasons.append(f"{rendition}: HTTP {exchange.status}, not the whole file, for {url}")
            continue
        result = MediaResult(
            position, item, [], kept=exchange, rendition=rendition, bitrate=bitrate
        )
        problem = await _check(item, exchange, result)
        if problem is None:
            return result
        reasons.append(f"{rendition}: {problem}")
        rejected = result
    stream = hls_url(item) if not photo else None
    if stream:
        why = "the HLS stream" if candidates else "only an HLS stream is offered"
        streamed = await _ytdlp(run, position, item, stream, why)
        if streamed.status == MediaStatus.OK:
            return streamed
        reasons.append(streamed.reason or why)
    failed = MediaResult(position, item, [], reason="; ".join(reasons) or "no MP4 variant offered")
    if rejected is not None:  # the media row names what was received, though it is not valid
        failed.digest, failed.size, failed.media_type = (
            rejected.digest,
            rejected.size,
            rejected.media_type,
        )
        failed.rendition, failed.thumbnail = rejected.rendition, None
    return failed


async def _check(item: MediaItem, exchange: Exchange, result: MediaResult) -> str | None:
    """Why the bytes received are not the media (None when they are); fill in what they are."""
    assert exchange.blob is not None
    coding = exchange.headers.get("content-encoding", "identity").strip().lower()
    if coding not in ("", "identity"):
        photos.forget(exchange.blob)
        return f"served {coding[:30]}-encoded although identity was asked (kept as received)"
    result.digest, result.size = exchange.blob.digest, exchange.blob.size
    result.media_type = exchange.media_type
    if item.kind in IMAGE_KINDS:
        facts = await photos.check(exchange.blob)
        if facts.problem:
            return facts.problem + " (the bytes received are kept)"
        result.width, result.height, result.format = facts.width, facts.height, facts.format
        result.mode, result.frames, result.phash = facts.mode, facts.frames, facts.phash
        declared = (result.media_type or "").removeprefix("image/")
        declared = ALIASES.get(declared, declared)
        if declared in GENERIC_TYPES:  # `application/octet-stream`: no claim of what it is
            declared = ""
        if declared and facts.format and declared != facts.format.lower():
            if facts.thumbnail:
                exchange.blob.store.discard([facts.thumbnail])
            return f"served as {result.media_type} but the bytes are {facts.format}"
        result.thumbnail = facts.thumbnail
    else:
        blob = exchange.blob
        result.format, problem = images.check_video(blob.head(200))
        if problem:
            return f"{problem}, served as {result.media_type or 'no type'}"
        if result.format == "mp4":  # its boxes read on a thread: a fragmented one has many
            cut, size = await asyncio.to_thread(_mp4_facts, blob.source(), blob.size)
            if cut:
                return f"{cut} (asked again)"
            result.width, result.height = size or (None, None)  # the file's, not the post's
    result.status, result.reason = MediaStatus.OK, None
    return None


def _mp4_facts(source: bytes | os.PathLike, size: int) -> tuple[str | None, tuple[int, int] | None]:
    """Why the MP4 is not whole (None when it is), and the width and height it declares."""
    return images.mp4_cut_short(source, size), images.mp4_dimensions(source, size)


async def _ytdlp(run: Run, position: int, item: MediaItem, url: str, why: str) -> MediaResult:
    fence = ANYWHERE if run.options.follow_media_links or item.kind == MediaKind.LINKED else MEDIA
    refusal = await run.http.refusal(url, fence)
    if refusal:
        return MediaResult(position, item, [], reason=f"{why}; {refusal}")
    got = await asyncio.to_thread(ytdlp.download, run.settings, run.archive.store, url, fence)
    if got.problem or not got.digest:
        return MediaResult(position, item, [], reason=f"{why}; {got.problem}")
    return MediaResult(
        position,
        item,
        [],
        status=MediaStatus.OK,
        digest=got.digest,
        size=got.size,
        media_type=f"video/{got.container}" if got.container else None,
        rendition=f"yt-dlp {got.format_id or ''} ({why})".replace("  ", " "),
        width=got.width,
        height=got.height,
        format=got.container,
        codec=got.codec,
        duration_ms=got.duration_ms,
        bitrate=got.bitrate,
    )
