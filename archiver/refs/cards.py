"""Embeds whose post is written whole in the page's markup, not shown as text: Substack's
`<div class="twitter-embed" data-attrs="{…}">`, a JSON object (HTML-escaped) with the post's
`url`, `full_text`, `username`, `name` and `date`, which its script draws as a card."""

from __future__ import annotations

import html
import json
import re
from datetime import date, datetime
from typing import NamedTuple

from .htmlview import fragment_text
from .urls import HANDLE, find_status_urls

CARD_RE = re.compile(
    r"<div\s[^<>]*?class=\"twitter-embed\"[^<>]*?\sdata-attrs=\"(?P<attrs>[^\"]{2,65536})\"[^<>]*>"
)
HANDLE_RE = re.compile(HANDLE)


class Card(NamedTuple):
    start: int
    end: int  # the end of the card's tag: the status URL in its attributes is its own
    handle: str | None
    name: str | None
    when: date | None
    date_text: str | None
    text: str | None
    status_id: str | None  # from the card's own `url`: a link in its text is another post
    url: str | None


def find_cards(src: str) -> list[Card]:
    """Every Substack embed card in `src` (HTML source) whose data reads; never raises."""
    if "twitter-embed" not in src:
        return []
    cards = []
    for m in CARD_RE.finditer(src):
        try:
            data = json.loads(html.unescape(m.group("attrs")))
        except (ValueError, RecursionError):
            continue
        if not isinstance(data, dict):
            continue
        handle = data.get("username") if isinstance(data.get("username"), str) else None
        written = data.get("date") if isinstance(data.get("date"), str) else None
        text = data.get("full_text") if isinstance(data.get("full_text"), str) else None
        name = data.get("name") if isinstance(data.get("name"), str) else None
        own = find_status_urls(data["url"]) if isinstance(data.get("url"), str) else []
        cards.append(
            Card(
                m.start(),
                m.end(),
                handle if handle and HANDLE_RE.fullmatch(handle) else None,
                name.strip() or None if name else None,
                _day(written),
                written,
                _shown(text) if text else None,
                own[0].status_id if len(own) == 1 else None,
                data["url"] if len(own) == 1 else None,
            )
        )
    return cards


def _shown(text: str) -> str:
    """The post's text as the card shows it: its line breaks kept, its links (markup) their
    text."""
    return "\n".join(fragment_text(line) for line in text.split("\n")).strip()


def _day(written: str | None) -> date | None:
    """The UTC day of `2025-03-05T13:32:30.000Z`."""
    try:
        return datetime.fromisoformat(written.replace("Z", "+00:00")).date() if written else None
    except ValueError:
        return None
