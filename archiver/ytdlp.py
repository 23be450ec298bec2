"""Media that is not a plain file: HLS-only videos and links to other sites, through yt-dlp's
Python API, downloaded into the archive's `tmp/` and then stored like any other blob."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass

from .config import Settings
from .fence import Fence
from .gate import Gate, judge
from .store import Store


@dataclass
class Downloaded:
    digest: str | None = None
    size: int = 0
    container: str | None = None
    codec: str | None = None
    width: int | None = None
    height: int | None = None
    duration_ms: int | None = None
    bitrate: int | None = None
    format_id: str | None = None
    problem: str | None = None


def download(settings: Settings, store: Store, url: str, fence: Fence) -> Downloaded:
    """Fetch the best format yt-dlp finds at `url` into the store (blocking: run it in a thread).
    Every connection yt-dlp opens goes through a gate that holds it to `fence` (gate.py)."""
    with Gate(judge(settings, fence), settings.timeout) as gate:
        got = _download(settings, store, url, gate.url)
    if gate.refused and got.problem:
        got.problem += "; refused: " + "; ".join(dict.fromkeys(gate.refused))[:300]
    return got


def _download(settings: Settings, store: Store, url: str, proxy: str) -> Downloaded:
    from yt_dlp import YoutubeDL
    from yt_dlp.utils import DownloadError, YoutubeDLError  # (and a TransportError that escapes)

    folder = store.tmp / f"dir-{os.getpid()}-{time.monotonic_ns()}"  # cleaned if we die
    folder.mkdir(parents=True)
    asked, headers = settings.routed(url)
    options = {
        "outtmpl": str(folder / "media.%(ext)s"),
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "noplaylist": True,
        "socket_timeout": settings.timeout,
        "retries": settings.retries,
        "http_headers": headers,
        "format": "best/bestvideo+bestaudio",
        "max_filesize": settings.max_media_bytes,
        "cachedir": False,
        "proxy": proxy,
        "logger": _Silent(),  # its errors come back in DownloadError, said once by archiver
        "hls_prefer_native": True,  # segments fetched by yt-dlp itself, so through the gate
    }
    try:
        with YoutubeDL(options) as ydl:
            info = ydl.extract_info(asked, download=True)
        files = [p for p in folder.iterdir() if p.is_file() and not p.name.endswith(".part")]
        if not info or not files:
            return Downloaded(problem=f"yt-dlp found nothing to download at {url}")
        digest, size = store.put(max(files, key=lambda p: p.stat().st_size))
        codecs = [c for c in (info.get("vcodec"), info.get("acodec")) if c and c != "none"]
        return Downloaded(
            digest=digest,
            size=size,
            container=info.get("ext"),
            codec=", ".join(codecs) or None,
            width=info.get("width"),
            height=info.get("height"),
            duration_ms=int(info["duration"] * 1000) if info.get("duration") else None,
            bitrate=int(info["tbr"] * 1000) if info.get("tbr") else None,
            format_id=info.get("format_id"),
        )
    except YoutubeDLError as exc:
        kind = "" if isinstance(exc, DownloadError) else f"{type(exc).__name__}: "
        said = str(exc).removeprefix("ERROR: ").replace("\n", " ")
        return Downloaded(problem=f"yt-dlp: {kind}{said[:300]}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class _Silent:
    def debug(self, _message: str) -> None: ...

    info = warning = error = debug
