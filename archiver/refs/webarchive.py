"""Safari's saved page (`.webarchive`, its "Web Archive", what Safari saves by default): a binary
property list holding the page's HTML (`WebMainResource`: its bytes and their encoding), each
frame's own page (`WebSubframeArchives`, where an embedded post's widget draws it) and the files
the page loaded (`WebSubresources`: images, scripts; not read)."""

from __future__ import annotations

import plistlib
from collections import deque

from .filetypes import browser_encoding

MAX_FRAMES = 256  # frames read at most (each may hold frames of its own)
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


class Unreadable(Exception):
    """Not a web archive that can be read."""


def is_webarchive(head: bytes, suffix: str) -> bool:
    return head.startswith(b"bplist00") and (
        suffix.lower() == ".webarchive" or b"WebMainResource" in head
    )


def pages(data: bytes) -> list[tuple[str, bool]]:
    """(text, is HTML) of the page and of each of its frames, in the archive's order."""
    try:
        archive = plistlib.loads(data)
    except Exception as exc:  # the library's errors on hostile bytes are of many kinds
        raise Unreadable(f"{type(exc).__name__}: {exc}"[:200]) from None
    found: list[tuple[str, bool]] = []
    todo, seen, bodies = deque([archive]), set(), set()
    while todo and len(seen) < MAX_FRAMES:
        frame = todo.popleft()
        if not isinstance(frame, dict) or id(frame) in seen:
            continue  # (a property list may name one frame many times, or itself)
        seen.add(id(frame))
        main = frame.get("WebMainResource")
        if isinstance(main, dict):
            kind = str(main.get("WebResourceMIMEType") or "text/html").lower()
            body = main.get("WebResourceData")
            if isinstance(body, bytes) and kind.startswith(TEXT_TYPES) and id(body) not in bodies:
                bodies.add(id(body))  # (bytes many frames share, as a property list may: once)
                label = main.get("WebResourceTextEncodingName")
                encoding = browser_encoding(label if isinstance(label, str) else None)
                found.append((body.decode(encoding or "utf-8", "replace"), kind != "text/plain"))
        frames = frame.get("WebSubframeArchives")
        if isinstance(frames, list):
            todo.extend(frames[: max(0, MAX_FRAMES - len(seen) - len(todo))])
    return found
