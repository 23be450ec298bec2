"""Text scanned a block at a time, so that memory follows the block size and not the
document's: each block is cut at a line break (never inside an open `<blockquote>`), and the end
of each is read again with the next as context for an embed's body; each post, link and account
is reported once per document."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .heldback import CUES, held_back
from .merge import merge, merge_key
from .ref import Lines, Ref
from .scanner import scan

BLOCK_CHARS = 1024 * 1024
CARRY_LINES = 40  # lines of context kept across a block boundary for an embed's body
CARRY_CHARS = 16 * 1024  # and at most this much of them
BYLINE_REACH = 160  # a byline's dash, name and handle fit in this
BLOCKQUOTE_TAG_RE = re.compile(r"<(/?)blockquote", re.IGNORECASE)


def text_refs(text: str, name: str) -> Iterator[Ref]:
    """The references of plain `text` held whole (a Word file's paragraphs), read as a text
    file is: a block at a time, each post once."""
    blocks = (text[i : i + BLOCK_CHARS] for i in range(0, len(text), BLOCK_CHARS))
    return scan_blocks(blocks, name, is_html=False)


def scan_blocks(blocks: Iterable[str], name: str, is_html: bool | None) -> Iterator[Ref]:
    """Scan text in blocks, cut at a line break (or, in a line longer than a block, at a space
    or a tag's end); an open `<blockquote>` is never cut in two. The end of each block is read
    again with the next, as context for an embed's body. Each character is read a bounded
    number of times, whatever the lines' lengths."""
    seen: set[tuple[str, str]] = set()
    pending, carry = "", ""
    line, column = 1, 1  # where `carry` (then `pending`) starts in the document
    for text in _line_feeds(blocks):
        pending += text
        if len(pending) < BLOCK_CHARS:
            continue
        cut = _cut(pending)
        block, pending = pending[:cut], pending[cut:]
        yield from unseen(_scan_block(carry, block, name, line, column, is_html), seen)
        carry, line, column = _carry(carry + block, line, column)
    yield from unseen(_scan_block(carry, pending, name, line, column, is_html), seen)


def _carry(done: str, line: int, column: int) -> tuple[str, int, int]:
    """The end of `done` kept as context (its last lines, at most CARRY_CHARS), and where it
    starts, given where `done` starts."""
    start = max(len(done) - CARRY_CHARS, 0)
    lines_back = done.rfind("\n", start)
    for _ in range(CARRY_LINES):
        if lines_back <= start:
            break
        lines_back = done.rfind("\n", start, lines_back)
    if lines_back > start:
        start = lines_back + 1
    breaks = done.count("\n", 0, start)
    if breaks:
        line, column = line + breaks, start - done.rfind("\n", 0, start)
    else:
        column += start
    return done[start:], line, column


def unseen(refs: Iterable[Ref], seen: set[tuple[str, str]]) -> Iterator[Ref]:
    """Across blocks, a post, link or account already reported is not reported again."""
    for r in refs:
        key = merge_key(r)
        if key is None or key not in seen:
            if key is not None:
                seen.add(key)
            yield r


def _cut(text: str) -> int:
    """Where to end a block: after its last line break, else after its last space or tag in
    the second half (a very long line), else at BLOCK_CHARS; never inside a `<blockquote>`
    that opened in the block."""
    cut = text.rfind("\n") + 1
    if cut <= len(text) // 2:
        soft = max(text.rfind(" ", len(text) // 2), text.rfind(">", len(text) // 2))
        cut = soft + 1 if soft > 0 else max(cut, BLOCK_CHARS)
        byline = text.rfind("(@", cut - BYLINE_REACH, cut + 80)
        if byline > len(text) // 2:  # never between an embed's author and its date
            cut = max(text.rfind(" ", len(text) // 2, byline - BYLINE_REACH) + 1, cut // 2)
    opened = closed = -1
    for tag in BLOCKQUOTE_TAG_RE.finditer(text, max(0, cut - BLOCK_CHARS), cut):
        if tag.group(1):
            closed = tag.start()
        else:
            opened = tag.start()
    if opened > closed:
        before = text.rfind("\n", 0, opened) + 1
        cut = before if before > 0 else cut
    return cut


def _scan_block(
    carry: str, block: str, name: str, line: int, column: int, is_html: bool | None
) -> list[Ref]:
    """References that start in `block`; `carry` (the text before it) is context only. An
    embed a consent plugin holds back in a script (heldback.py) is read where its script is."""
    text = carry + block
    found = scan(text, name, line, is_html, column)
    if is_html is not False and any(cue in block for cue in CUES):
        lines = Lines(text, line, column)
        held = []
        for at, markup in held_back(text):
            for r in scan(markup, name, is_html=True):
                r.offset, (r.line, r.column) = at, lines.at(at)
                held.append(r)
        found = merge(found + held) if held else found  # (the embed outranks its URL's bare copy)
    return [r for r in found if r.offset >= len(carry)]


def _line_feeds(blocks: Iterable[str]) -> Iterator[str]:
    """The blocks with Windows' line ends (CR LF) read as line feeds, as every form is written
    for: a line's number and its characters' columns stay as they are."""
    held = ""
    for text in blocks:
        text, held = held + text, ""
        if text.endswith("\r"):  # its LF may start the next block
            text, held = text[:-1], "\r"
        yield text.replace("\r\n", "\n") if "\r" in text else text
    if held:
        yield held
