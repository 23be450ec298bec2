"""E-mail as tips, newsletters and forwarded posts are kept: one message (`.eml`, Apple Mail's
`.emlx`) or a mailbox of them (`.mbox`); and a web page saved as one file (`.mhtml`, `.mht`:
Chrome's and Edge's "Webpage, Single File", Internet Explorer's and Word's "Web Archive"), which
is a message too. Each text part is read decoded (quoted-printable's `=3D` and the soft line
breaks that cut a URL, `=\\n`; base64; its charset, or for a part that names none, as Chrome
writes a saved page's, the page's own `<meta charset>`, else UTF-8), an HTML part as HTML;
attachments are not read. Read one message at a time: memory follows the largest message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from .filetypes import browser_encoding, declared

MAIL_SUFFIXES = (".eml", ".emlx", ".mbox", ".mbx", ".mhtml", ".mht")
EMLX_RE = re.compile(rb"(\d{1,12})[ \t]*\r?\n(?=[!-9;-~]{1,76}:)")  # `1234`, then a header
# `From a@b Sat Jan  3 01:05:34 2004`: the sender, then the time as C's asctime writes it
MBOX_FROM = (
    rb"From \S+ +[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d\d:\d\d(?::\d\d)?(?: [A-Z]{3,5})?"
    rb"(?: [+-]?\d{4})+"
)
MBOX_FROM_RE = re.compile(MBOX_FROM)
# A message's first line: an mbox's `From ` line, a transport header, or a saved page's
# `From: <Saved by Blink>`; then, among its headers, one that says how its body is written.
FIRST_HEADER_RE = re.compile(
    rb"(?:" + MBOX_FROM + rb"|Return-Path:|Received:|Delivered-To:|MIME-Version:|From: <Saved by )"
)
MIME_RE = re.compile(rb"^(?:Content-Type|Content-Transfer-Encoding|MIME-Version):", re.M | re.I)
TEXT_TYPES = ("text/plain", "text/html")


def is_mail(head: bytes, suffix: str) -> bool:
    """Whether a file that starts with `head` is a message or a mailbox."""
    if suffix.lower() in MAIL_SUFFIXES:
        return True
    return FIRST_HEADER_RE.match(head) is not None and MIME_RE.search(head[:16384]) is not None


def messages(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    """Each message of a mailbox (one that starts with a `From ` line: split at each such line,
    which mbox writers escape in a body as `>From `), the one message of Apple Mail's `.emlx`
    (its length on the first line, then the message, then Mail's own property list), or the
    one message (never split)."""
    if emlx := EMLX_RE.match(head):
        start = emlx.end()
        yield (head + stream.read())[start : start + int(emlx.group(1))]
        return
    mailbox = MBOX_FROM_RE.match(head) is not None
    lines: list[bytes] = []
    pending = head
    while True:
        chunk = stream.read(1024 * 1024)
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for line in complete:
            if mailbox and lines and MBOX_FROM_RE.match(line):  # (a body's `From ` is `>From `)
                yield b"\n".join(lines)
                lines = []
            lines.append(line)
        if not chunk:
            break
    lines.append(pending)
    yield b"\n".join(lines)


def text_parts(message: bytes) -> list[tuple[str, bool]]:
    """(text, is HTML) for each text part of a message that is not an attachment, HTML ones
    first; the raw
    message as text when the standard library's parser fails on its headers (it raises on
    some malformed ones)."""
    import email  # loaded for mail only
    import email.policy

    try:
        parsed = email.message_from_bytes(message, policy=email.policy.default)
        parts = [found for part in parsed.walk() if (found := _text_of(part)) is not None]
        # HTML first: of a post both parts show (multipart/alternative), its fuller form (an
        # embed with its link and date, where the text part has its words) is the one kept
        return sorted(parts, key=lambda part: not part[1])
    except Exception:  # hostile headers: the message is read as it is written
        return [(message.decode("utf-8", "replace"), False)]


def _text_of(part: object) -> tuple[str, bool] | None:
    kind = part.get_content_type()  # type: ignore[attr-defined]
    if kind not in TEXT_TYPES or part.is_attachment():  # type: ignore[attr-defined]
        return None
    charset = part.get_content_charset()  # type: ignore[attr-defined]
    legacy = browser_encoding(charset)
    try:
        text = None if legacy or not charset else part.get_content()  # type: ignore[attr-defined]
    except (LookupError, ValueError, AssertionError):  # an unknown charset, a bad encoding
        text = None
    if text is None:  # a legacy charset read as browsers read it (Shift_JIS as cp932)
        payload = part.get_payload(decode=True)  # type: ignore[attr-defined]
        payload = payload if isinstance(payload, bytes) else b""
        if not charset:  # a saved page's part (Chrome writes none): the page's own, or UTF-8
            legacy = declared(payload) if kind == "text/html" else None
        text = payload.decode(legacy or "utf-8", "replace")
    return (text, kind == "text/html") if isinstance(text, str) and text.strip() else None
