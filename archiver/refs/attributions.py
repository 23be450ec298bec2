"""Embedded posts as text: a body, then `— Name (@handle) Date`.

Inside a `<blockquote>` the body starts with the quote; elsewhere bodies.py judges where.
The date after the byline is read by dates.py, in any language.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date

from .bodies import QUOTE_MARK_RE, body_start
from .dates import find_date
from .htmlview import BLOCKQUOTE
from .urls import HANDLE, near

# Every form starts with a literal (`-(?<!\S-)` is a hyphen after a space, or first), so the
# regex engine skips ahead to the dashes.
ATTRIBUTION_RE = re.compile(
    r"(?P<dash>—|―|–|&mdash;|&#8212;|&#x2014;|-(?<!\S-)-?)[ \t\u00a0]*"
    # A name may hold a bracketed part of its own ("Rob (he/him)"), never the "(@handle)".
    r"(?P<name>[^\n()—–]{0,80}?(?:\([^\n()@]{0,40}\)[^\n()—–]{0,40}?)?)[ \t\u00a0]*"
    rf"\(@(?P<handle>{HANDLE})\)[ \t\u00a0]*\n?[ \t\u00a0]*",  # the date may wrap
    re.IGNORECASE,
)
AUTHOR_CUE = re.compile(r"\(@")
SPACES_RE = re.compile(r"[ \t\u00a0]+")
BLANK_LINES_RE = re.compile(r"\n{3,}")


@dataclass
class Attribution:
    handle: str
    author_name: str
    date: date | None
    date_text: str
    start: int  # the dash
    end: int  # end of the date
    handle_span: tuple[int, int]
    body_start: int
    body_end: int
    text: str
    in_blockquote: bool
    warnings: list[str] = field(default_factory=list)


def find_attributions(text: str) -> list[Attribution]:
    """Every attribution in `text` (plain text or a TextView's text), with its body."""
    found: list[Attribution] = []
    floor = 0  # the body of an embed never reaches back past the previous attribution
    for m in near(ATTRIBUTION_RE, AUTHOR_CUE, text, 100, 16):
        when = find_date(text, m.end())
        if when is None:
            continue
        attribution = Attribution(
            handle=m.group("handle"),
            author_name=html.unescape(m.group("name")).strip(),
            date=when.date,
            date_text=when.text,
            start=m.start(),
            end=when.end,
            handle_span=(m.start("handle") - 2, m.end("handle") + 1),
            body_start=m.start(),
            body_end=m.start(),
            text="",
            in_blockquote=False,
        )
        _find_body(text, attribution, floor)
        found.append(attribution)
        floor = when.end
    return found


def _find_body(text: str, attribution: Attribution, floor: int) -> None:
    quote = text.rfind(BLOCKQUOTE, floor, attribution.start)
    if quote >= 0:
        attribution.in_blockquote = True
        attribution.body_start = quote + 1
        attribution.body_end = attribution.start
        attribution.text = _clean(text[quote + 1 : attribution.start])
        return
    body = body_start(text, floor, attribution.start, attribution.author_name, attribution.handle)
    attribution.body_start, attribution.body_end = body.start, attribution.start
    attribution.text = _clean(text[body.start : attribution.start])
    attribution.warnings += body.warnings


def _clean(body: str) -> str:
    lines = [
        html.unescape(SPACES_RE.sub(" ", QUOTE_MARK_RE.sub("", line))).strip()
        for line in body.split("\n")
    ]
    return BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip()
