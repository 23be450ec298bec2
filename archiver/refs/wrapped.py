r"""Status URLs inside other services' links: percent-encoded in a redirect's parameter
(`l.php?u=https%3A%2F%2Fx.com%2F…`), rewritten by Proofpoint's URL Defense, which mail
gateways put in place of every link (`urldefense.proofpoint.com/v2/url?u=https-3A__twitter.com_
user_status_id&d=…`, `-XX` for `%XX` and `_` for `/`; v3 keeps the URL as it is, between
`__`), written with JSON's escaped slashes (an answer pasted in code, a data dump:
`https:\/\/twitter.com\/user\/status\/id`; an HTML page's scripts are not read), and Thread
Reader App's page of a thread, named after its first post."""

from __future__ import annotations

import re
from collections.abc import Callable

from .urls import HANDLE, RESERVED, StatusURL, canonical_status_url

ENCODED_STATUS_RE = re.compile(
    r"(?:(?:https?%3A)?%2F%2F|(?<=%[0-9A-Fa-f]{2})|(?<![\w.-]))(?:www\.|mobile\.)?"
    r"(?:twitter|x)\.com%2F"
    rf"(?P<user>{HANDLE})%2Fstatus%2F(?P<id>\d{{1,19}})(?!\d)",
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
    if "threadreaderapp" in text:
        found += [
            StatusURL(m.group(0), m.group("id"), None, m.start(), m.end())
            for m in THREAD_READER_RE.finditer(text)
            if plausible(m.group("id"))
        ]
    return found
