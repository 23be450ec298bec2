"""Embeds whose post is written whole in the page's markup, not shown as text: Substack's
`<div class="twitter-embed" data-attrs="{…}">`, a JSON object (HTML-escaped) with the post's
`url`, `full_text`, `username`, `name` and `date`, which its script draws as a card; and the
card it drew until 2023, `<div class="tweet">` with the post's parts in elements of their own
(`tweet-author-name`, `tweet-author-handle`, `tweet-text`, `tweet-date`: `7:21 PM ∙ Nov 30,
2022`), also as converters to Markdown write it: `[![Twitter avatar for @h](…)Name @hText…](post
URL)` then `[4:31 PM ∙ Nov 15, 2022 …](post URL)`, the handle run into the text; and what X's
widget drew in place of an embed, in a page saved whole (see WIDGET_RE)."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, date, datetime
from typing import NamedTuple

from .dates import find_date
from .htmlview import fragment_text
from .pasted import PASTED_TIME_RE
from .urls import HANDLE, find_status_urls

# (each `<div …>` tag read once, then its attributes in either order, its class among others:
# a tag that never closes costs one pass, not one a `data-attrs=` in it)
DIV_TAG_RE = re.compile(r"<div\s(?:[^<>\"]++|\"[^\"]{0,65536}+\")*+>")  # (`<` in a value too)
CARD_CLASS_RE = re.compile(r"\bclass=\"[^\"<>]*\btwitter-embed\b")
CARD_DATA_RE = re.compile(r"\bdata-attrs=\"(?P<attrs>[^\"]{2,65536})\"")
HANDLE_RE = re.compile(HANDLE)
# Pandoc's Markdown of the card: a fenced div `{.tweet attrs="{\"url\":…}" …}`, `"` and `\`
# escaped with a backslash
PANDOC_CARD_RE = re.compile(r"\{\.tweet attrs=\"(?P<attrs>(?:[^\"\\\n]|\\.){2,65536})\"[^\n{}]*\}")
PANDOC_ESCAPE_RE = re.compile(r"\\(.)")
OLD_CARD_RE = re.compile(r"<div\s[^<>]*?class=\"tweet\"[^<>]*>")
OLD_CARD_REACH = 16384  # a card's markup, its text included
OLD_PARTS = {
    "name": re.compile(r"class=\"tweet-author-name\"[^<>]*>(?P<v>[^<]{0,200})<"),
    "handle": re.compile(rf"class=\"tweet-author-handle\"[^<>]*>@?(?P<v>{HANDLE})<"),
    "text": re.compile(r"class=\"tweet-text\"[^<>]*>(?P<v>.{0,8000}?)</div>", re.DOTALL),
    "date": re.compile(r"class=\"tweet-date\"[^<>]*>(?P<v>[^<]{0,80})<"),
}
OLD_CARD_END_RE = re.compile(r"Retweets</a>|</p>")  # past the date: its likes and reposts
MARKDOWN_CARD_RE = re.compile(
    rf"!\[Twitter avatar for @(?P<handle>{HANDLE})\]\([^()\s]*\)\s*"
    r"(?P<name>[^\n@\[\]]{1,80}?)[ \t]*(?P<at>@)(?P<rest>[^\[\]]{1,2000}?)\]\((?P<url>[^()\s]+)\)"
    r"\s*\[\s*(?P<clock>\d{1,2}:\d{2}[^\n∙]{0,12}?)\s*∙\s*(?P<date>[^\n\]]{4,30}?)[ \t]*\n"
)


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
    authors: tuple[int, ...] = ()  # where the card writes its author's `@` (in alt text, run in)


def find_cards(src: str) -> list[Card]:
    """Every Substack embed card in `src` (HTML source) whose data reads, and every post X's
    widget drew into a page saved whole; never raises."""
    cards = _old_cards(src) if 'class="tweet"' in src else []
    if "Twitter2ToDOM" in src:
        cards += _drawn_cards(src)
    if "Tweet h-entry" in src:
        cards += _widget_cards(src)
    if "Twitter avatar for @" in src:
        cards += _markdown_cards(src)
    if "{.tweet attrs=" in src:  # the same card as Pandoc writes it in Markdown
        cards += [
            card
            for m in PANDOC_CARD_RE.finditer(src)
            if (card := _data_card(m.start(), m.end(), PANDOC_ESCAPE_RE.sub(r"\1", m["attrs"])))
        ]
    if "twitter-embed" not in src:
        return cards
    for m in DIV_TAG_RE.finditer(src):
        tag = m.group(0)
        data = CARD_DATA_RE.search(tag) if "twitter-embed" in tag else None
        if data is not None and CARD_CLASS_RE.search(tag):
            card = _data_card(m.start(), m.end(), html.unescape(data["attrs"]))
            cards += [card] if card else []
    return cards


def _data_card(start: int, end: int, attrs: str) -> Card | None:
    """The card whose data is the JSON object `attrs` (Substack's `data-attrs`), or None."""
    try:
        data = json.loads(attrs)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    handle = data.get("username") if isinstance(data.get("username"), str) else None
    written = data.get("date") if isinstance(data.get("date"), str) else None
    text = data.get("full_text") if isinstance(data.get("full_text"), str) else None
    name = data.get("name") if isinstance(data.get("name"), str) else None
    own = find_status_urls(data["url"]) if isinstance(data.get("url"), str) else []
    return Card(
        start,
        end,
        handle if handle and HANDLE_RE.fullmatch(handle) else None,
        name.strip() or None if name else None,
        _day(written),
        written,
        _shown(text) if text else None,
        own[0].status_id if len(own) == 1 else None,
        data["url"] if len(own) == 1 else None,
    )


# Substack's card since 2025, drawn in its markup: a link to the post around the author's name
# and `@handle` (its avatar's alt `X avatar for @h`), the text, and `3:17 PM · Sep 30, 2026`.
DRAWN_RE = re.compile(r"<a\s[^<>]*?data-component-name=\"Twitter2ToDOM\"[^<>]*>")
DRAWN_REACH = 32768
AVATAR_RE = re.compile(rf"alt=\"[^\"<>]{{0,20}}avatar for @(?P<handle>{HANDLE})\"")


def _drawn_cards(src: str) -> list[Card]:
    """Substack's cards drawn in markup (DRAWN_RE): the post's URL from the link, the author
    from the avatar, the text between the author's line and the time."""
    cards = []
    for m in DRAWN_RE.finditer(src):
        close = src.find("</a>", m.end(), m.end() + DRAWN_REACH)
        own = find_status_urls(m.group(0))
        avatar = AVATAR_RE.search(src, m.end(), close) if close > 0 else None
        if avatar is None or len(own) != 1 or "data-attrs=" in src[m.end() : close]:
            continue  # (a card with its data in `data-attrs` is read from them)
        handle = avatar["handle"]
        shown = fragment_text(src[m.end() : close])
        at = shown.lower().find("@" + handle.lower())
        time = PASTED_TIME_RE.search(shown, max(at, 0))
        when = find_date(time["date"], 0) if time else None
        line_end = shown.find("\n", at) if at >= 0 else -1
        text = shown[line_end : time.start()].strip() if time and line_end >= 0 else None
        cards.append(
            Card(
                m.start(),
                close + len("</a>"),
                handle,
                shown[:at].strip() or None if at > 0 else None,
                when.date if when else None,
                time["date"].strip() if time else None,
                text or None,
                own[0].status_id,
                own[0].link or own[0].url,
            )
        )
    return cards


def _shown(text: str) -> str:
    """The post's text as the card shows it: its line breaks kept, its links (markup) their
    text."""
    return "\n".join(fragment_text(line) for line in text.split("\n")).strip()


def _day(written: str | None) -> date | None:
    """The UTC day of `2025-03-05T13:32:30.000Z` (or, as older cards wrote it, X's own
    `Wed Jan 11 22:47:39 +0000 2023`)."""
    if not written:
        return None
    try:
        return datetime.fromisoformat(written.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return datetime.strptime(written, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC).date()
    except (ValueError, OverflowError):  # (year 9999 at -23:59 is past any date)
        return None


def _old_cards(src: str) -> list[Card]:
    """Substack's cards of before 2023: each part read from its element, within the card."""
    cards = []
    starts = [m.start() for m in OLD_CARD_RE.finditer(src)]
    ends = [*starts[1:], len(src)] if starts else []  # (`class="tweet"` on no card: none)
    for start, after in zip(starts, ends, strict=True):
        stop = min(after, start + OLD_CARD_REACH)
        parts = {k: part.search(src, start, stop) for k, part in OLD_PARTS.items()}
        dated, handle = parts["date"], parts["handle"]
        if dated is None or handle is None:
            continue
        written = dated["v"].split("∙")[-1].strip()
        when = find_date(written, 0)
        end = OLD_CARD_END_RE.search(src, dated.end(), min(stop, dated.end() + 2000))
        own = [u for u in find_status_urls(src[start:stop]) if u.handle == handle["v"]]
        name, text = parts["name"], parts["text"]
        cards.append(
            Card(
                start,
                end.end() if end else dated.end(),
                handle["v"],
                fragment_text(name["v"]) or None if name else None,
                when.date if when else None,
                written or None,
                _shown(text["v"]) if text else None,
                own[0].status_id if own else None,
                own[0].link or own[0].url if own else None,
            )
        )
    return cards


def _markdown_cards(src: str) -> list[Card]:
    """The old card made Markdown: the text right after the handle (as the avatar's alt text
    names it; `\\_` is Markdown's escape)."""
    cards = []
    for m in MARKDOWN_CARD_RE.finditer(src):
        handle, rest = m["handle"], m["rest"]
        escaped = handle.replace("_", "\\_")
        written = next((w for w in (handle, escaped) if rest.startswith(w)), None)
        own = find_status_urls(m["url"])
        when = find_date(m["date"], 0)
        if written is None or len(own) != 1 or own[0].handle != handle:
            continue
        cards.append(
            Card(
                m.start(),
                m.end(),
                handle,
                m["name"].strip() or None,
                when.date if when else None,
                m["date"].strip(),
                rest[len(written) :].strip() or None,
                own[0].status_id,
                m["url"],
                (m.start("handle") - 1, m.start("at")),
            )
        )
    return cards


# What X's widget drew in place of an embed's blockquote (2015-2020), as a page saved whole
# ("Save as… complete", a scraper's DOM) keeps it: `<blockquote class="Tweet h-entry …"
# cite="…/status/…" data-tweet-id="…">`, the author's `TweetAuthor-name` and
# `TweetAuthor-screenName`, the text in `<p class="Tweet-text …">`, and the time the
# `long-permalink` link gives as `data-datetime="2015-09-02T03:01:05+0000"`.
WIDGET_RE = re.compile(r"<blockquote\s[^<>]*?class=\"Tweet h-entry[^<>]*>")
WIDGET_REACH = 65536  # a drawn post's markup: inline styles make it long
WIDGET_PARTS = {
    "name": re.compile(r"class=\"TweetAuthor-name[^\"]*\"[^<>]*>(?P<v>[^<]{0,200})<"),
    "handle": re.compile(rf"class=\"TweetAuthor-screenName[^\"]*\"[^<>]*>@?(?P<v>{HANDLE})<"),
    "text": re.compile(r"class=\"Tweet-text[^\"]*\"[^<>]*>(?P<v>.{0,8000}?)</p>", re.DOTALL),
    "date": re.compile(r"data-datetime=\"(?P<v>\d{4}-\d\d-\d\dT[\d:]{5,8}(?:Z|[+-]\d\d:?\d\d))\""),
}
ID_RE = re.compile(r"data-tweet-id=\"(\d{1,19})\"")


def _widget_cards(src: str) -> list[Card]:
    """Posts X's widget drew: each part read from its element, within the drawn post."""
    cards = []
    starts = [m for m in WIDGET_RE.finditer(src)]
    for m, after in zip(starts, [*(n.start() for n in starts[1:]), len(src)], strict=True):
        stop = min(after, m.start() + WIDGET_REACH)
        parts = {k: part.search(src, m.end(), stop) for k, part in WIDGET_PARTS.items()}
        handle, dated, tweet_id = parts["handle"], parts["date"], ID_RE.search(m.group(0))
        if handle is None or tweet_id is None:
            continue
        own = [u for u in find_status_urls(m.group(0)) if u.status_id == tweet_id[1]]
        end = src.find("</blockquote>", (dated or handle).end(), stop)
        name, text = parts["name"], parts["text"]
        cards.append(
            Card(
                m.start(),
                end + len("</blockquote>") if end >= 0 else (dated or handle).end(),
                handle["v"],
                html.unescape(name["v"]).strip() or None if name else None,
                _day(dated["v"]) if dated else None,
                dated["v"] if dated else None,
                _shown(text["v"]) if text else None,
                tweet_id[1],
                own[0].link or own[0].url if own else None,
            )
        )
    return cards
