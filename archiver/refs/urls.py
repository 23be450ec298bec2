"""URL forms that name posts, short links and accounts, and their canonical forms.

Everything here works on plain strings; positions are offsets into the string scanned.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# Hosts that serve a post at /<user>/status/<id>. Nitter mirrors come and go: extend the list
# with ARCHIVER_NITTER_HOSTS="host1,host2".
STATUS_HOSTS = """
    twitter.com x.com fxtwitter.com vxtwitter.com fixupx.com fixvx.com twittpr.com nitter.net
    nitter.poast.org nitter.privacydev.net xcancel.com nitter.space nitter.cz nitter.it
    nitter.1d4.us nitter.kavin.rocks
""".split()
PROFILE_HOSTS = ["twitter.com", "x.com"]
HANDLE = r"[A-Za-z0-9_]{1,15}"
# First path segments that are pages of the site, not accounts.
RESERVED = frozenset(
    """
    i home search hashtag intent share settings explore notifications messages login logout
    signup tos privacy about help compose account following followers lists download jobs
    widgets oauth status statuses who_to_follow rules media personalization notices
    verified_followers communities bookmarks topics moments events tweetdeck web
    privacy_policy en es fr de ja ar pt ru it ko nl tr pl sv id hi
""".split()
)

SNOWFLAKE_EPOCH_MS = 1288834974657
LAST_SEQUENTIAL_ID = 30_000_000_000  # ids before snowflakes (Nov 2010) stayed below this


def _hosts_pattern(hosts: list[str]) -> str:
    return "|".join(re.escape(h) for h in sorted(set(hosts), key=len, reverse=True))


def status_hosts() -> list[str]:
    extra = os.environ.get("ARCHIVER_NITTER_HOSTS", "")
    return STATUS_HOSTS + [h.strip().lower() for h in extra.split(",") if h.strip()]


_TAIL = r"(?:/(?:photo|video)/\d{1,2})?/?(?:\?[^\s\"'<>()\[\]{},|\\^`]*)?(?:#[\w.-]*)?"


def _status_re(hosts: list[str]) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w.-])(?:https?://)?(?:www\.|mobile\.|m\.)?"
        rf"(?P<host>{_hosts_pattern(hosts)})"
        rf"/(?:(?P<user>{HANDLE})/status(?:es)?|i/web/status|i/status|statuses)"
        r"/(?P<id>\d+)" + _TAIL,
        re.IGNORECASE,
    )


STATUS_RE = _status_re(status_hosts())
SHORT_RE = re.compile(
    r"(?:(?<![\w.-])(?:https?://)?t\.co|(?:https?://)?pic\.(?:twitter|x)\.com)"
    r"/(?P<code>[A-Za-z0-9]+)",
    re.IGNORECASE,
)
PROFILE_RE = re.compile(
    r"(?<![\w.-])(?:https?://)?(?:www\.|mobile\.|m\.)?"
    rf"(?:{_hosts_pattern(PROFILE_HOSTS)})/(?:#!/)?@?(?P<handle>{HANDLE})(?![\w@-]|\.\w|/\w)"
    r"/?(?:\?[^\s\"'<>()\[\]{},|\\^`]*)?",
    re.IGNORECASE,
)
MENTION_RE = re.compile(rf"@(?P<handle>{HANDLE})(?![\w@]|\.[A-Za-z]{{2}})")
NOT_BEFORE_MENTION = re.compile(r"[\w@./:+#$%&=-]")
STATUS_CUE = re.compile(r"/[sS][tT][aA][tT][uU][sS]")
DOTCOM_CUE = re.compile(r"\.[cC][oO][mM]?/")
TRAILING_PUNCT = ".,;:!?)]}'\"…"
TCO_CODE_LEN = 10  # every t.co and pic.twitter.com code since 2012


@dataclass(frozen=True)
class StatusURL:
    url: str  # exactly as written
    status_id: str
    handle: str | None
    start: int
    end: int

    @property
    def canonical_url(self) -> str:
        return canonical_status_url(self.status_id, self.handle)


def canonical_status_url(status_id: str, handle: str | None) -> str:
    return f"https://x.com/{handle or 'i/web'}/status/{status_id}"


def snowflake_time(status_id: str | int) -> datetime | None:
    """The creation time a snowflake id encodes, or None for ids from before November 2010."""
    value = int(status_id)
    if value <= LAST_SEQUENTIAL_ID:
        return None
    return datetime.fromtimestamp(((value >> 22) + SNOWFLAKE_EPOCH_MS) / 1000, UTC)


def plausible_id(digits: str, now: datetime | None = None) -> bool:
    """True for ids a real post can have: sequential (pre-2010) or snowflake up to now."""
    if not digits.isdigit() or len(digits) > 19 or digits.startswith("0"):
        return False
    value = int(digits)
    if value <= LAST_SEQUENTIAL_ID:
        return True
    if len(digits) < 15:  # between the two id schemes: a snowflake id that was cut short
        return False
    when = snowflake_time(value)
    return when is not None and when <= (now or datetime.now(UTC)) + timedelta(days=1)


REACH = 64  # past a cue, how far a match's required part may run (a 19-digit id and more)
WINDOW = 4096  # past a cue, how far a whole match may run (query strings)


def near(
    pattern: re.Pattern[str], cue: re.Pattern[str], text: str, back: int
) -> Iterator[re.Match[str]]:
    """Matches of `pattern`, looked for only around matches of `cue`: a cheap literal that every
    match holds, at most `back` characters into it. Much faster than `finditer` for patterns
    the regex engine cannot skip ahead on (optional prefixes, lookbehinds)."""
    end = 0
    for c in cue.finditer(text):
        if c.start() < end:
            continue
        low = max(end, c.start() - back)
        while (m := pattern.search(text, low, c.end() + REACH)) is not None:
            # The search saw a cut text; the match is real only if it holds on the whole text.
            whole = pattern.match(text, m.start(), c.end() + WINDOW)
            if whole is None:
                low = m.start() + 1
                continue
            yield whole
            end = low = whole.end()
            if end >= c.end():
                break


def _trim(text: str, start: int, end: int, floor: int) -> int:
    """Drop trailing punctuation a linkifier would not take (never below `floor`)."""
    while end > floor and text[end - 1] in TRAILING_PUNCT:
        end -= 1
    return end


def find_status_urls(text: str) -> list[StatusURL]:
    found = []
    for m in near(STATUS_RE, STATUS_CUE, text, 80):
        digits = m.group("id")
        after = text[m.end("id") : m.end("id") + 3]
        if after[:1] in ("…",) or after == "..." or re.match(r"\.\w", after):
            continue  # cut short ("…/status/18649…") or an API path ("statuses/123.xml")
        if not plausible_id(digits):
            continue
        user = m.group("user")
        if user and user.lower() == "i":
            user = None  # /i/status/<id>: no handle in the URL
        elif user and user.lower() in RESERVED:
            continue
        end = _trim(text, m.start(), m.end(), m.end("id"))
        found.append(StatusURL(text[m.start() : end], digits, user, m.start(), end))
    return found


@dataclass(frozen=True)
class ShortLink:
    url: str
    code: str
    start: int
    end: int
    warning: str | None = None

    @property
    def canonical_url(self) -> str:
        return f"https://t.co/{self.code}"


def find_short_links(text: str) -> list[ShortLink]:
    found = []
    for m in near(SHORT_RE, DOTCOM_CUE, text, 30):
        code, end, warning = m.group("code"), m.end(), None
        if len(code) > TCO_CODE_LEN and "pic." in m.group(0).lower():
            end = m.start("code") + TCO_CODE_LEN  # glued to the word after it
            code = code[:TCO_CODE_LEN]
            warning = (
                "short link glued to the following text; code taken as its first 10 characters"
            )
        found.append(ShortLink(text[m.start() : end], code, m.start(), end, warning))
    return found


@dataclass(frozen=True)
class Account:
    handle: str
    match: str
    start: int
    end: int
    url: str | None = None


def find_profiles(text: str) -> list[Account]:
    """Accounts named by profile URLs (`x.com/<handle>`), not by pages of the site."""
    found = []
    for m in near(PROFILE_RE, DOTCOM_CUE, text, 30):
        handle = m.group("handle")
        if handle.lower() not in RESERVED:
            end = _trim(text, m.start(), m.end(), m.end("handle"))
            url = text[m.start() : end]
            found.append(Account(handle, url, m.start(), end, url))
    return found


def find_mentions(text: str) -> list[Account]:
    """`@handle` in prose; not e-mail addresses, fediverse handles or `site/@user` paths."""
    return [
        Account(m.group("handle"), m.group(0), m.start(), m.end())
        for m in MENTION_RE.finditer(text)
        if not (m.start() and NOT_BEFORE_MENTION.match(text, m.start() - 1))
    ]


def unescape_url(url: str) -> str:
    """A URL as written in HTML (`&amp;`) made literal."""
    return html.unescape(url) if "&" in url else url
