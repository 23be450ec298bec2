"""What every step of a run shares: the archive, settings and options, the HTTP client and the
writer, and where progress lines go."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..archive import Archive
from ..config import Settings
from ..net import Http
from ..sources import DEFAULT_ORDER
from .writer import Writer

Progress = Callable[[str], None]


@dataclass
class Options:
    order: list[str] = field(default_factory=lambda: list(DEFAULT_ORDER))
    all_sources: bool = False
    recapture: bool = False
    quoted_depth: int = 1
    follow_media_links: bool = False  # links in a post to video elsewhere, through yt-dlp
    wayback: bool = False  # ask the Wayback Machine for a public copy of each post


@dataclass
class Run:
    archive: Archive
    settings: Settings
    options: Options
    http: Http
    writer: Writer
    progress: Progress = lambda _line: None  # noqa: E731
