r"""Status URLs inside other services' links: percent-encoded in a redirect's parameter
(`l.php?u=https%3A%2F%2Fx.com%2F…`), rewritten by Proofpoint's URL Defense, which mail
gateways put in place of every link (`urldefense.proofpoint.com/v2/url?u=https-3A__twitter.com_
user_status_id&d=…`, `-XX` for `%XX` and `_` for `/`; v3 keeps the URL as it is, between
`__`), written with JSON's escaped slashes (an answer pasted in code, a data dump:
`https:\/\/twitter.com\/user\/status\/id`; an HTML page's scripts are not read), Thread
Reader App's page of a thread, named after its first post, and a URL a PDF's line cuts inside
its handle or the word `status` (`…/realDonald-` then `Trump/status/…`; cuts after a slash or
in the id are the status form's own, see urls.py), a URL with the invisible breaks a word
processor puts in long URLs (`/\u200cstatus/\u200c…`) or defanged as threat reports write
them (`hxxps://x[.]com/…`); and on a page of X's or of a mirror's saved
as HTML, a link to a post relative to the page's host (`href="/NASA/status/…"`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from .cues import near
from .urls import (
    HANDLE,
    HTML_BREAK_RE,
    LINE_CUT,
    RESERVED,
    SOFT_BREAKS,
    STATUS_HOSTS,
    StatusURL,
    canonical_status_url,
)

# (`%25` before each: a link wrapped twice, an Outlook safe link around a Google redirect)
ENCODED_STATUS_RE = re.compile(
    r"(?:(?:https?%(?:25)?3A)?%(?:25)?2F%(?:25)?2F|(?<=%[0-9A-Fa-f]{2})|(?<![\w.-]))"
    r"(?:www(?:\.|%(?:25)?2E)|mobile(?:\.|%(?:25)?2E))?"
    r"(?:twitter|x)(?:\.|%(?:25)?2E)com%(?:25)?2F"  # (LinkedIn's redirect encodes the dots too)
    rf"(?P<user>{HANDLE})%(?:25)?2Fstatus%(?:25)?2F(?P<id>\d{{1,19}})(?!\d)",
    re.IGNORECASE,
)
# URL Defense v2: a handle's `_` is written `-5F` (a bare `_` stands for `/`).
PROOFPOINT_RE = re.compile(
    r"urldefense\.proofpoint\.com/v2/url\?u=https?-3A__(?:www\.|mobile\.)?(?:twitter|x)\.com_"
    r"(?P<user>(?:[A-Za-z0-9]|-5F){1,45})_status_(?P<id>\d{1,19})(?!\d)",
    re.IGNORECASE,
)
ESCAPED_STATUS_RE = re.compile(
    r"(?<![\w.-])(?:https?:\\/\\/)?(?:www\.|mobile\.)?(?:twitter|x)\.com\\/"
    rf"(?:(?P<user>{HANDLE})\\/status(?:es)?|i\\/web\\/status|i\\/status)\\/(?P<id>\d{{1,19}})(?!\d)",
    re.IGNORECASE,
)
THREAD_READER_RE = re.compile(
    r"(?<![\w.-])(?:https?://)?(?:www\.)?threadreaderapp\.com/thread/(?P<id>\d{1,19})(?!\d)"
    r"(?:\.html)?(?:\?[^\s\"'<>()\[\]{},|\\^`]*)?",
    re.IGNORECASE,
)

# A line cut inside a handle or inside `status`, with the hyphen a typesetter may add there (a
# handle holds none, nor does `status`); a browser's print to PDF cuts a long URL anywhere
CUT = rf"-?{LINE_CUT}"
CUT_RE = re.compile(CUT)
CUT_STATUS_RE = re.compile(
    r"(?<![\w.-])(?:https?://)?(?:www\.|mobile\.)?(?:twitter|x)\.com/"
    rf"(?P<user>{HANDLE}(?:{CUT}{HANDLE})?)/"
    + "".join(f"{letter}(?:{CUT})?" for letter in "statu")
    + r"s/(?P<id>\d{5,19})(?!\d)",
    re.IGNORECASE,
)
# A line that ends inside a post URL's handle or its `status` (not a media link's code, which
# often ends a line): looked for only there. (Not case-blind: the regex engine then skips ahead
# to `.com/`, a pattern that starts with a literal, not to `.COM/`, which no one writes.)
CUT_CUE = re.compile(
    r"\.com/(?:(?<=[tT]witter\.com/)|(?<=[xX]\.com/))(?<!pic\.twitter\.com/)(?<!pic\.x\.com/)"
    rf"(?=[A-Za-z0-9_]{{0,15}}{CUT}|[A-Za-z0-9_]{{1,15}}/[A-Za-z]{{0,5}}{CUT})"
)

# A page of X's or of a mirror's, saved whole or as its DOM (a scraper's `page_source`): its
# links to posts are written relative to its host (`href="/NASA/status/…"`)
X_HOST = r"https?://(?:www\.|mobile\.)?(?:twitter\.com|x\.com|nitter\.[\w.]+|xcancel\.com)/"
PAGE_OF_X_RE = re.compile(  # its markup, or its own address (canonical, base, og:url)
    r"data-testid=\"tweet\"|class=\"tweet-link\""
    rf"|<link\b[^<>]*?\brel=\"canonical\"[^<>]*?\bhref=\"{X_HOST}"
    rf"|<link\b[^<>]*?\bhref=\"{X_HOST}[^\"]*\"[^<>]*?\brel=\"canonical\""
    rf"|<base\b[^<>]*?\bhref=\"{X_HOST}|property=\"og:url\"[^<>]*?\bcontent=\"{X_HOST}",
    re.IGNORECASE,
)
RELATIVE_STATUS_RE = re.compile(
    rf"\bhref=[\"'](?P<url>/(?P<user>{HANDLE})/status/(?P<id>\d{{5,19}}))(?![\d\w])"
)


def find_wrapped(text: str, plausible: Callable[[str], bool]) -> list[StatusURL]:
    """The posts named by status URLs wrapped in other services' links, in each form's order."""
    found = []
    for literal, form in (
        ("status%2", ENCODED_STATUS_RE),
        ("urldefense", PROOFPOINT_RE),
        ("\\/", ESCAPED_STATUS_RE),
    ):
        if literal not in text:
            continue
        for m in form.finditer(text):
            user = (m.group("user") or "i").replace("-5F", "_").replace("-5f", "_")
            digits, user = m.group("id"), None if user.lower() == "i" else user
            if not plausible(digits) or (user and (user.lower() in RESERVED or len(user) > 15)):
                continue
            link = canonical_status_url(digits, user)
            found.append(StatusURL(m.group(0), digits, user, m.start(), m.end(), link))
    if "\n" in text and ".com/" in text:
        found += _cut_in_handle_or_status(text, plausible)
    if 'href="/' in text and PAGE_OF_X_RE.search(text, 0, 65536):
        for m in RELATIVE_STATUS_RE.finditer(text):
            digits, user = m["id"], m["user"]
            if plausible(digits) and user.lower() not in RESERVED:
                link = canonical_status_url(digits, user)
                found.append(StatusURL(m["url"], digits, user, m.start("url"), m.end(), link))
    if not text.isascii() and any(c in text for c in SOFT_BREAKS):  # (one `in` each: fast)
        found += _written_apart(text, SOFT_BREAK_RE, lambda _mark: "")
    markup = "<" in text or "&" in text  # (most plain text has neither; a page has both at once)
    if (
        markup
        and ("<wbr" in text or "<WBR" in text or "&shy;" in text or "&#" in text)
        and HTML_BREAK_RE.search(text)
    ):
        found += _written_apart(text, HTML_BREAK_RE, lambda _mark: "")
    if "\n" in text and "http" in text:  # a host cut by a line's end: `https://twit` / `ter.com/…`
        found += _written_apart(text, HOST_CUT_RE, _joined)
    if "[.]" in text or "(.)" in text:  # (`hxxps://x.com/…` is the status form's own)
        found += _written_apart(text, DEFANGED_RE, _undefanged)
    if "threadreaderapp" in text:
        found += [
            StatusURL(m.group(0), m.group("id"), None, m.start(), m.end())
            for m in THREAD_READER_RE.finditer(text)
            if plausible(m.group("id"))
        ]
    return found


def _cut_in_handle_or_status(text: str, plausible: Callable[[str], bool]) -> list[StatusURL]:
    found = []
    for m in near(CUT_STATUS_RE, CUT_CUE, text, 30, 96):
        head = text[m.start() : m.start("id")]
        user = CUT_RE.sub("", m.group("user"))
        if (
            "\n" not in head  # (no cut: the status form's own)
            or len(user) > 15
            or user.lower() in RESERVED
            or not plausible(m.group("id"))
        ):
            continue
        link = canonical_status_url(m.group("id"), user)
        found.append(StatusURL(m.group(0), m.group("id"), user, m.start(), m.end(), link))
    return found


# What a word processor puts in a long URL as optional line breaks (Word's and LibreOffice's
# "no-width optional break", U+200C or U+200B, often after each slash), a word joiner, a
# zero-width joiner, a soft hyphen, a BOM: none is the URL's, which is read without them.
SOFT_BREAK_RE = re.compile(f"[{SOFT_BREAKS}]")
# A URL "defanged" as threat reports and OSINT notes write links not to be followed:
# `hxxps://x[.]com/…`, `twitter(.)com`, `https[:]//`, `[dot]` (looked for where `[.]` or `(.)`
# is: a host defanged with `[dot]` alone is rare)
DEFANGED_RE = re.compile(
    r"[hH][xX]{2}(?=[pP][sS]?(?:\[?:\]?)?//)|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\[:\]"
)
UNDEFANGED = {"[:]": ":"}
URL_REACH = 400  # how far a URL may run on either side of one
# The line break (and the next line's indent) inside a URL's host, as Word's and Google Docs'
# PDFs break a long URL in a narrow column or a footnote at any letter: `https://x.co` / `m/…`
# (case kept: a pattern that starts with a literal is skipped to, many times faster)
HOST_CUT_RE = re.compile(r"https?://[\w.-]{1,30}\r?\n[ \t]*(?=[\w.-]{1,30}/)")
LINE_BREAK_RE = re.compile(r"\r?\n[ \t]*")


def _joined(mark: str) -> str:
    """A host's two parts a line's end cut, as one; a typesetter's hyphen there (`twit-` /
    `ter.com`) is not the host's."""
    joined = LINE_BREAK_RE.sub("", mark)
    host = joined.partition("://")[2].lower()
    if joined.endswith("-") and not any(h.startswith(host) for h in STATUS_HOSTS):
        return joined[:-1]  # (`twitter-` / `com.translate.goog` keeps the host's own)
    return joined


def _undefanged(mark: str) -> str:
    if mark[:1] in "hH":  # `hxxp`, `hXXp`: the letters in the case they were written
        return mark[0] + ("TT" if mark[1].isupper() else "tt")
    return UNDEFANGED.get(mark, ".")


def _written_apart(
    text: str, marks: re.Pattern[str], replace: Callable[[str], str]
) -> list[StatusURL]:
    """Status URLs written with `marks` inside (invisible breaks, a defanged dot), read with each
    replaced (`replace(mark)`), at their place in `text`."""
    from .urls import find_status_urls

    found, done = [], 0
    for m in marks.finditer(text):
        if m.start() < done:
            continue  # in the stretch of text read already
        start, end = m.start(), m.end()
        low, high = max(start - URL_REACH, 0), min(end + URL_REACH, len(text))
        while start > low and not text[start - 1].isspace():
            start -= 1
        while end < high and not text[end].isspace():
            end += 1
        done = end
        parts, where, pos = [], [], start  # the token as read, and each character's place
        for mark in marks.finditer(text, start, end):
            read = replace(mark.group())
            parts += [text[pos : mark.start()], read]
            where += [*range(pos, mark.start()), *[mark.start()] * len(read)]
            pos = mark.end()
        parts.append(text[pos:end])
        where += range(pos, end)
        clean = "".join(parts)
        if "tatus" not in clean and "TATUS" not in clean.upper():
            continue
        cut_left = start == low and low > 0 and not text[low - 1].isspace()
        cut_right = end == high and high < len(text) and not text[high].isspace()
        for f in find_status_urls(clean):
            at, to = where[f.start], where[f.end - 1] + 1
            id_end = f.start + f.url.rfind(f.status_id) + len(f.status_id)
            if (cut_left and at == start) or (cut_right and id_end >= len(clean)):
                continue  # a URL the window cut inside its id: the id may be cut short
            link = f.link or f.url
            found.append(StatusURL(text[at:to], f.status_id, f.handle, at, to, link, f.warning))
    return found
