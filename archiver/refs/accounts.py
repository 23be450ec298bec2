"""Accounts documents name: profile URLs (and their tabs), `@handle` in prose, the follow
button's web intent and Wikipedia's profile templates.

Everything here works on plain strings; positions are offsets into the string scanned.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit

from .cues import near
from .styles import is_placeholder
from .urls import (
    BREAK,
    CASELESS_HANDLE,
    HANDLE,
    HASHBANG,
    HTML_BREAK_RE,
    LINE_CUT,
    PAGES,
    PROFILE_HOSTS,
    QUERY_SKIP,
    RESERVED,
    SOFT_BREAKS,
    URL_HANDLE,
    hosts_pattern,
    is_x_host,
    trim_punct,
)

# What may follow a handle in a profile's URL: nothing more of a path, or one of its tabs (a
# list it owns: `/lists/artemis`).
PROFILE_TAB = (
    r"(?:/(?:with_replies|media|likes|highlights|articles|followers|following"
    r"|verified_followers|lists(?:/[\w-]{1,25})?)(?![\w-]))?(?![\w@-]|\\_|\.\w|/\w)"
)

PROFILE_RE = re.compile(
    r"(?<![\w.-])(?:https?://)?(?:www\.|mobile\.|m\.)?"
    rf"(?:{hosts_pattern(PROFILE_HOSTS)})/{HASHBANG}@?(?P<handle>{URL_HANDLE}){PROFILE_TAB}"
    rf"(?!/{LINE_CUT}status)"  # a status URL a PDF's line cut after the handle
    r"/?(?:\?[^\s\"'<>()\[\]{},|\\^`]*)?",
    re.IGNORECASE,
)
# `@handle` or `＠handle` (CJK text writes the full-width sign), as X links them: not after an
# ASCII word, an address or a path (`e@x`, `a@b@c`, `site/@user`) but after any other script's
# letters (`ニュース＠nhk_news`); not before more of a handle, an accented Latin letter or a
# domain; not a GitHub login (`@jane-doe`, `@github-actions[bot]`: X's handles hold no hyphen);
# nor a fediverse handle, but for an X account's as bridges and 2022's lists wrote it
# (`@nasa@twitter.com`, `@IAPonomarenko@bird.makeup`). The check follows the sign, so that the
# regex engine skips ahead to it.
NOT_AFTER = (
    r"(?![A-Za-z0-9_＠\u00c0-\u024f]|@(?!(?:twitter|x)\.com\b|bird\.makeup\b)|\\_"
    r"|\.[A-Za-z]{2}|://|-[A-Za-z]|\[bot\])"
)
MENTION_TAIL = rf"(?P<handle>{HANDLE}){NOT_AFTER}"
# Markdown from HTML escapes `_` (turndown every one, pandoc some): `@Miss\_Snuffy`.
ESCAPED_TAIL = rf"(?P<handle>{URL_HANDLE}){NOT_AFTER}"  # `@\_jack` too
# GitHub's release notes credit logins: `by @octocat in https://github.com/…`, `@a made their
# first contribution` (read after a mention: a lookahead in MENTION_RE would cost every one).
GITHUB_CREDIT = (" in https://github.com/", " made their first contribution")
MENTION_RE = re.compile(r"@(?<![A-Za-z0-9_@＠./:+#$%&=<-]@)" + MENTION_TAIL)  # `<@U024`: Slack's
ESCAPED_MENTION_RE = re.compile(r"@(?<![A-Za-z0-9_@＠./:+#$%&=<-]@)" + ESCAPED_TAIL)
WIDE_MENTION_RE = re.compile(r"＠(?<![A-Za-z0-9_@＠./:+#$%&=-]＠)" + MENTION_TAIL)

# A profile's host is never the media host's (`pic.twitter.com/…`, `pic.x.com/…`): a host
# after `pic.` has neither a lookbehind-free start nor a `www.`, `mobile.` or `m.` before it.
PROFILE_AHEAD = 56  # past the cue: `\#%21/@` and a handle, its `_` escaped
PROFILE_BACK = 22  # before it: `https://mobile.twitter` before a profile's `.com/`
NOT_MEDIA_HOST = (
    r"(?<![pP][iI\u0130\u0131][cC]\.[tT][wW][iI\u0130\u0131][tT][tT][eE][rR]\.)"
    r"(?<![pP][iI\u0130\u0131][cC]\.[xX]\.)"
)
PROFILE_CUE = re.compile(  # twitter.com/ or x.com/, then a handle alone (or a profile's tab)
    rf"\.(?<=[xXrR]\.){NOT_MEDIA_HOST}[cC][oO][mM]/"
    rf"(?={HASHBANG}@?(?:{CASELESS_HANDLE}|\\_){{1,15}}{PROFILE_TAB})"
)

HANDLE_RE = re.compile(HANDLE)
# Wikipedia's templates of an account; their parameters, as long as no template is nested there.
PROFILE_TEMPLATE_RE = re.compile(
    r"\{\{[ \t]*(?:[Tt]witter(?:[ _]+profile)?|X[ _]+profile)[ \t]*\|(?P<params>[^{}\n]{1,300})\}\}"
)
# The follow button's web intent names an account: `twitter.com/intent/follow?screen_name=…`.
INTENT_USER_RE = re.compile(
    r"(?<![\w.-])(?:https?://)?(?:www\.)?(?:twitter|x)\.com/intent/(?:follow|user)\?"
    rf"{QUERY_SKIP}screen_name=(?P<handle>{HANDLE})(?![\w])"
)


class Account(NamedTuple):
    handle: str
    match: str
    start: int
    end: int
    url: str | None = None


# A profile URL's handle that a line break cut (LaTeX breaks a URL after any letter): the next
# line goes on with the rest of a post's URL, `…/realDonald⏎Trump/status/…`. Not an account.
CUT_STATUS_RE = re.compile(
    rf"{LINE_CUT}[A-Za-z0-9_]{{0,14}}/{BREAK}stat{BREAK}us(?:es)?/[ \t\r\n]*\d"
)


def find_profiles(text: str) -> list[Account]:
    """Accounts named by profile URLs (`x.com/<handle>`), not by pages of the site."""
    found = []
    for m in near(PROFILE_RE, PROFILE_CUE, text, PROFILE_BACK, PROFILE_AHEAD, past_spaces=True):
        handle = m.group("handle").replace("\\", "")
        if text.startswith("…", m.end("handle")) and "//" not in m.group(0):
            continue  # X's display of a URL cut short (`x.com/Zelensky…`): another's name, or none
        if _written_on(text, m.end("handle")):
            continue  # `x.com/Kyiv<soft hyphen>Independent/…`, `…/<wbr>status/…`: a longer URL
        if handle.lower() not in RESERVED and not CUT_STATUS_RE.match(text, m.end("handle")):
            end = trim_punct(text, m.start(), m.end(), m.end("handle"))
            url = text[m.start() : end]
            found.append(Account(handle, url, m.start(), end, url.replace("\\", "")))
    if "screen_name=" in text:
        for m in INTENT_USER_RE.finditer(text):
            found.append(Account(m.group("handle"), m.group(0), m.start(), m.end(), m.group(0)))
        found.sort(key=lambda a: a.start)
    if "{{" in text:
        found += _profile_templates(text)
        found.sort(key=lambda a: a.start)
    return found


SOFT_BREAK_SET = frozenset(SOFT_BREAKS)


def _written_on(text: str, at: int) -> bool:
    """Whether a profile URL's handle, ending at `at`, goes on past an invisible break (a soft
    hyphen, a zero-width space, `<wbr>`), or its `/` does: a longer URL written apart."""
    at += text.startswith("/", at)
    return (at < len(text) and text[at] in SOFT_BREAK_SET) or (
        text[at : at + 1] in ("<", "&") and HTML_BREAK_RE.match(text, at) is not None
    )


def _profile_templates(text: str) -> list[Account]:
    """Wikipedia's `{{Twitter|NASA|NASA}}`, `{{X profile|id=ESA|name=…}}`: the account named by
    `id=` or the first unnamed parameter."""
    found = []
    for m in PROFILE_TEMPLATE_RE.finditer(text):
        params = [p.strip() for p in m.group("params").split("|")]
        named = [p.partition("=")[2].strip() for p in params if p.partition("=")[0].strip() == "id"]
        unnamed = [p for p in params if "=" not in p]
        handle = (named or unnamed or [""])[0].lstrip("@")
        if HANDLE_RE.fullmatch(handle) and handle.lower() not in RESERVED:
            found.append(Account(handle, m.group(0), m.start(), m.end()))
    return found


def find_mentions(text: str) -> list[Account]:
    """`@handle` in prose; not e-mail addresses, fediverse handles, `site/@user` paths, chat
    apps' mentions of a user id (`<@U024BE7LH>`) or of a phone number."""
    if "\\_" in text:
        found = [
            Account(handle, m.group(0), m.start(), m.end())
            for m in ESCAPED_MENTION_RE.finditer(text)
            if len(handle := m.group("handle").replace("\\", "")) <= 15
            and not text.startswith(GITHUB_CREDIT, m.end())
        ]
    else:
        found = [
            Account(m.group("handle"), m.group(0), m.start(), m.end())
            for m in MENTION_RE.finditer(text)
            if not text.startswith(GITHUB_CREDIT, m.end())
        ]
    if "＠" in text:  # a pattern that starts with one literal is much faster than with either
        found += [
            Account(m.group("handle"), m.group(0), m.start(), m.end())
            for m in WIDE_MENTION_RE.finditer(text)
        ]
        found.sort(key=lambda a: a.start)
    return [
        a
        for a in found
        if not (a.handle[0].isdigit() and _number_not_handle(text, a))
        and a.handle.lower() not in PAGES  # `work @home`: x.com/home is X's own page
    ]


PHONE_DIGITS = 10  # `@4915123456789` in a chat export: a phone number, not a handle
CLOCK_RE = re.compile(r"[:.]\d\d(?!\d)")  # `@10:30`, `@9.15`: a time, not a handle
# `@19h30`, as French writes it; `@5pm`
CLOCK_HANDLE_RE = re.compile(r"(?:[01]?\d|2[0-3])h[0-5]\d|(?:1[0-2]|0?[1-9])[AaPp][Mm]")


def _number_not_handle(text: str, found: Account) -> bool:
    """Whether an `@…` that starts with a digit is a phone number or the time of day something
    happens at."""
    if found.handle.isdigit():
        return len(found.handle) >= PHONE_DIGITS or (
            len(found.handle) <= 2 and CLOCK_RE.match(text, found.end) is not None
        )
    return CLOCK_HANDLE_RE.fullmatch(found.handle) is not None


# A mention inside a page's link: where that link goes says whose account it shows
LINK_REACH = 2048  # how far before a mention the link holding it may open
HREF_RE = re.compile(r"<a\s[^<>]*?\bhref\s*=\s*[\"']?(?P<url>[^\"'\s<>]+)", re.IGNORECASE)
PLACEHOLDER_AFTER = re.compile(r"[ _-]?(?:handle|user ?name|name|account)\b", re.IGNORECASE)


def links_own_post(raw: str, opened: int, handle: str) -> bool:
    """Whether the link that opens at `opened` (around an `@handle`) goes to one of its own posts
    (an embed card's header, `<a href="…/kroger/status/…">…@kroger…</a>`): the author, shown."""
    tag_end = raw.find(">", opened, opened + LINK_REACH)
    return tag_end >= 0 and f"/{handle.lower()}/status/" in raw[opened:tag_end].lower()


TELEGRAM_MENTION = "ShowMentionName()"  # Telegram Desktop's HTML export: `<a href="" onclick=…>`


def links_elsewhere(raw: str, opened: int, handle: str) -> bool:
    """Whether the link that opens at `opened` goes to `handle` on a site other than X (or its
    mirrors): the `@handle` it shows is an account there (not an article's, whose words do)."""
    tag_end = raw.find(">", opened, opened + LINK_REACH)
    if tag_end > 0 and raw.find(TELEGRAM_MENTION, opened, tag_end) >= 0:
        return True  # Telegram's export of a chat: its user's mention, linked to no page
    href = HREF_RE.match(raw, opened)
    if href is None or handle.lower() not in href["url"].lower():
        return False
    host = urlsplit(href["url"]).hostname or ""
    return bool(host) and not is_x_host(host)


def open_link(raw: str, at: int) -> int:
    """Where the link (`<a …>`) still open at `at` starts, or -1."""
    opened = raw.rfind("<a ", max(0, at - LINK_REACH), at)
    return opened if opened >= 0 and raw.find("</a", opened, at) < 0 else -1


def placeholder_mention(text: str, handle: str, end: int) -> bool:
    """`@username`, `[@twitter handle]`: a guide's model of a handle, not an account."""
    return is_placeholder(handle) or PLACEHOLDER_AFTER.match(text, end) is not None
