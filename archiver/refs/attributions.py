"""Embedded posts as text: a body, then `— Name (@handle) Date`.

Where the body starts is a judgement. Inside a `<blockquote>` it starts with the quote. In plain
text we walk back from the attribution line by line and stop at the previous attribution, at a
blank line once some body is taken, or before the body would outgrow what one post can hold
(280 weighted characters, links counted as 23 and media links as 0): article paragraphs
around an embed are longer than that, post lines are not.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date

from .dates import find_date
from .htmlview import BLOCKQUOTE
from .urls import HANDLE, near

MAX_WEIGHT = 280
ATTRIBUTION_RE = re.compile(
    r"(?P<dash>—|―|–|&mdash;|&#8212;|&#x2014;|(?<!\S)--?)[ \t\u00a0]*"
    # A name may hold a bracketed part of its own ("Rob (he/him)"), never the "(@handle)".
    r"(?P<name>[^\n()—–]{0,80}?(?:\([^\n()@]{0,40}\)[^\n()—–]{0,40}?)?)[ \t\u00a0]*"
    rf"\(@(?P<handle>{HANDLE})\)[ \t\u00a0]*\n?[ \t\u00a0]*",  # the date may wrap
    re.IGNORECASE,
)
AUTHOR_CUE = re.compile(r"\(@")
URL_RE = re.compile(r"(?:https?://|\bpic\.(?:twitter|x)\.com/|\bt\.co/)\S+", re.IGNORECASE)


# twitter-text v3: Latin, common punctuation and the like weigh 1, everything else (CJK…) 2.
HEAVY_RE = re.compile("[^\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")


def weight(text: str) -> int:
    """How much of a post's 280 `text` would use: links count 23, media links 0."""
    total, pos = 0, 0
    for m in URL_RE.finditer(text):
        plain = text[pos : m.start()]
        total += len(plain) + len(HEAVY_RE.findall(plain))
        total += 0 if m.group(0).lower().startswith(("pic.", "http://pic.", "https://pic.")) else 23
        pos = m.end()
    rest = text[pos:]
    return total + len(rest) + len(HEAVY_RE.findall(rest))


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
    for m in near(ATTRIBUTION_RE, AUTHOR_CUE, text, 100):
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
    line_start = text.rfind("\n", floor, attribution.start) + 1
    lines = [text[max(line_start, floor) : attribution.start]]
    taken = weight(lines[0].strip())
    start = max(line_start, floor)
    while start > floor:
        prev_start = max(text.rfind("\n", floor, start - 1) + 1, floor)
        line = text[prev_start : start - 1]
        stripped = line.strip()
        if not stripped:
            if any(part.strip() for part in lines):
                break
        else:
            line_weight = weight(stripped)
            if taken and taken + 1 + line_weight > MAX_WEIGHT:
                break
            taken += line_weight + (1 if taken else 0)
        lines.insert(0, line)
        start = prev_start
        if taken > MAX_WEIGHT:
            break
    body = "\n".join(part.strip() for part in lines).strip("\n")
    lead = text[start : attribution.start]
    attribution.body_start = start + len(lead) - len(lead.lstrip())
    attribution.body_end = attribution.start
    attribution.text = _clean(body)
    if taken > MAX_WEIGHT:
        attribution.warnings.append(
            "body longer than one post's 280 characters: it may hold text of the citing document"
        )


QUOTE_MARK_RE = re.compile(r"^\s*(?:>\s?)+")  # Markdown and e-mail quoting


def _clean(body: str) -> str:
    lines = [
        html.unescape(re.sub(r"[ \t\u00a0]+", " ", QUOTE_MARK_RE.sub("", line))).strip()
        for line in body.split("\n")
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
