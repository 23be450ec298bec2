"""Where a reference-list entry says its post is: on X (Twitter, by its names, an entry's marker,
or the post's URL after the entry), or on another platform (an Instagram or TikTok post's entry,
whose handle is not an account on X)."""

from __future__ import annotations

import re

BLUEBOOK_PLATFORM = r"[ \t\u00a0]*,[ \t\u00a0]*(?:Twitter|X)[ \t\u00a0]*\("
BLUEBOOK_RE = re.compile(BLUEBOOK_PLATFORM)
MARKER_RE = re.compile(
    r"\s*(?:\((?:https?://)?[^\s()]+\)\s*)?"  # a rendered citation's link, printed
    r"(?:\[[^\]\n]{1,40}\]\.?\s*)*?[\[(](?P<marker>Tweet|Post|Retweet|Thread|Twitter post)[\])]\.?",
    re.IGNORECASE,
)
PLATFORM_RE = re.compile(
    r"[ \t\u00a0]*(?:[–—-][ \t\u00a0]*)?(?:via[ \t\u00a0]+)?[*_]?"
    r"(?:(?:Twitter|X(?:[ \t\u00a0]+\((?:formerly[ \t\u00a0]+)?Twitter\))?)(?:[ \t\u00a0]+post)?"
    r"|tweet(?=,))[*_]?(?P<end>[.,]?)"
)
ENTRY_REACH = 400  # how far an entry's platform is looked for past its handle
OTHER_PLATFORM_RE = re.compile(
    r"[\"”.,\]][ \t\u00a0]*(?:Instagram|TikTok|Facebook|YouTube|Threads|Mastodon|Bluesky"
    r"|LinkedIn|Reddit|Tumblr|Weibo|Telegram|Snapchat|Pinterest|Twitch|Truth Social)\b"
)
X_NAMED_RE = re.compile(r"\b(?:Twitter|Tweet|X(?=[ \t\u00a0]*[.,(])|x\.com/)")
URL_AFTER_RE = re.compile(  # APA 6 and Harvard say where: "Retrieved from", "Available at:"
    r"[ \t\u00a0]*[,.]?[ \t\u00a0]*"
    r"(?:(?:Retrieved[ \t\u00a0]+from|Available[ \t\u00a0]+(?:at|from):?)[ \t\u00a0]+)?"
    r"<?(?:https?://)?(?:www\.|mobile\.)?"
    r"(?:(?:twitter|x)\.com|t\.co)/[^\s<>\"]+"
)


def names_x(text: str, pos: int) -> bool:
    """Whether X (or Twitter), or a post's URL there, follows an entry's marker."""
    return bool(PLATFORM_RE.match(text, pos) or URL_AFTER_RE.match(text, pos))


def elsewhere(text: str, pos: int) -> bool:
    """Whether the entry going on at `pos` names another platform as where the post is, and
    not X (`"…" Instagram, 3 Mar. 2023.`, `[Photograph]. TikTok.`)."""
    end = text.find("\n\n", pos, pos + ENTRY_REACH)
    entry = text[pos : end if end >= 0 else pos + ENTRY_REACH]
    return bool(OTHER_PLATFORM_RE.search(entry)) and not X_NAMED_RE.search(entry)


def with_url(text: str, end: int) -> int:
    """The entry's end, past the post's URL when one follows it."""
    url = URL_AFTER_RE.match(text, end)
    if url is None:
        return end
    return url.end() - (text[url.end() - 1] in ".,;")


def platform_end(text: str, pos: int) -> int:
    platform = PLATFORM_RE.match(text, pos)
    return platform.end() if platform else pos
