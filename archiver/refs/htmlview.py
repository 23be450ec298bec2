"""HTML as text, with a map back to the source so every reference keeps its line and column.

`TextView.build(src)` renders the text a reader sees (tags dropped, entities decoded, scripts,
styles and comments left out), keeping the source's own line breaks and adding one for each
block element. Each `<blockquote>` opens with a line holding only BLOCKQUOTE, so that an
embedded post's body is known to start there.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field

BLOCKQUOTE = "\x1e"  # record separator: never in real text
TOKEN_RE = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|template)\b[^>]*>.*?(?:</\1\s*>|\Z)"
    r"|<(/?)([A-Za-z][\w:-]*)[^>]*>",
    re.DOTALL | re.IGNORECASE,
)
ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
BLOCK_TAGS = frozenset(
    """
    p div br li ul ol h1 h2 h3 h4 h5 h6 tr td th table section article header footer aside figure
    figcaption pre hr dd dt dl main nav address details summary
""".split()
)
HTML_HINT_RE = re.compile(
    r"<(?:blockquote|p|div|a\s|br|span|html|body|article|section|li|table|h[1-6])\b", re.IGNORECASE
)


def looks_like_html(text: str) -> bool:
    return HTML_HINT_RE.search(text) is not None


@dataclass
class TextView:
    text: str
    # (view offset, source offset, literal): literal pieces map one to one, entities to their start.
    anchors: list[tuple[int, int, bool]] = field(default_factory=list)

    @classmethod
    def build(cls, src: str) -> TextView:
        parts: list[str] = []
        anchors: list[tuple[int, int, bool]] = []
        length = 0

        def emit(piece: str, src_at: int, literal: bool) -> None:
            nonlocal length
            if piece:
                anchors.append((length, src_at, literal))
                parts.append(piece)
                length += len(piece)

        def emit_text(start: int, end: int) -> None:
            pos = start
            for m in ENTITY_RE.finditer(src, start, end):
                emit(src[pos : m.start()], pos, True)
                emit(html.unescape(m.group(0)), m.start(), False)
                pos = m.end()
            emit(src[pos:end], pos, True)

        pos = 0
        for m in TOKEN_RE.finditer(src):
            emit_text(pos, m.start())
            pos = m.end()
            tag = (m.group(3) or "").lower()
            if tag == "blockquote":
                emit("\n" if m.group(2) else f"\n{BLOCKQUOTE}\n", m.start(), False)
            elif tag in BLOCK_TAGS:
                emit("\n", m.start(), False)
        emit_text(pos, len(src))
        return cls("".join(parts), anchors)

    def source_offset(self, offset: int) -> int:
        """The source offset of the view character at `offset`."""
        if not self.anchors:
            return offset
        i = bisect_right(self.anchors, (offset, float("inf"), True)) - 1
        view_at, src_at, literal = self.anchors[max(i, 0)]
        return src_at + (offset - view_at if literal else 0)


def blank_code(src: str) -> str:
    """The source with comments, scripts and styles blanked (line breaks kept), for URL scans."""

    def blank(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    return re.sub(
        r"<!--.*?(?:-->|\Z)|<(script|style|template)\b[^>]*>.*?(?:</\1\s*>|\Z)",
        blank,
        src,
        flags=re.DOTALL | re.IGNORECASE,
    )


def fragment_text(fragment: str) -> str:
    """Text of an HTML fragment as a browser shows it: whitespace collapsed, `<br>` and blocks
    as line breaks, entities decoded."""
    out = []
    pos = 0
    for m in TOKEN_RE.finditer(fragment):
        out.append(re.sub(r"\s+", " ", fragment[pos : m.start()]))
        pos = m.end()
        if (m.group(3) or "").lower() in BLOCK_TAGS | {"blockquote"}:
            out.append("\n")
    out.append(re.sub(r"\s+", " ", fragment[pos:]))
    lines = [html.unescape(line).strip() for line in "".join(out).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
