"""A post cited by its URL in a reference-list entry that names no handle: the URL says whose
post and which; the entry says who wrote it, when, and what it said.

- Wikipedia's `cite web` as each language renders it: `Musk, Elon (October 28, 2022). "Title".
  Twitter. Retrieved …`, `(en) Elon Musk, « Title », sur Twitter, 28 octobre 2022 (consulté le
  …)`, `Elon Musk: Title. In: Twitter. 28. Oktober 2022, abgerufen am …`, `Elon Musk. Title
  (англ.). Twitter (28 октября 2022). Дата обращения: …`, and Spanish, Portuguese, Italian and
  Polish alike; the title is the link's text.
- APA with the author's name alone: `Blinn, A. (2021, September 16). Title. Twitter. Retrieved
  from URL`, also with the URL first (`URL - Ackroyd, R. (2023, March 24). Twitter.`).
- IEEE of a saved page: `“Name on Twitter: ‘Text’ / Twitter,” Twitter. [Online]. Available: URL`.

An entry is a line (a list item, a footnote) that names the platform apart from the URL and
dates the post, or quotes the page's `Name on Twitter:` title; a date after an access label
(`Retrieved`, `consulté le`, `abgerufen am`, …) is when it was read, not when it was posted.
"""

from __future__ import annotations

import re

from .dates import find_date
from .styles import Citation

MAX_ENTRY = 600  # how far an entry runs on either side of its URL
PLATFORM_RE = re.compile(r"(?<![\w@/.#-])(?:Twitter|X)(?![\w/@-]|\.com)")
ACCESS = (
    r"(?:retrieved|accessed|archived|consulté le|abgerufen am|дата обращения|consultado (?:el|em)"
    r"|acesso em|consultato il|dostęp|geraadpleegd op|läst|haettu|erişim tarihi|閲覧"
    r"|تاريخ الوصول|available)"
)
ACCESS_RE = re.compile(ACCESS + r"[\s:]*$", re.IGNORECASE)  # right before a date
ACCESS_WORD_RE = re.compile(r"\b" + ACCESS, re.IGNORECASE)
ACCESS_REACH = 24  # how far before a date its access label may stand
# Before the author: a list's mark, a footnote's, a rendered list's backlink; a language mark
LEAD_RE = re.compile(
    r"[ \t]*(?:\[\^[^\]\s]{1,40}\]:[ \t]*|\[\d{1,4}\][ \t]*|\d{1,4}[.)][ \t]+|[-*•][ \t]+"
    r"|[↑^][ \t]*(?:[a-z]{1,2}[ \t]+)*)*(?:\((?:[A-Za-z]{2,3})\)[ \t]*)?"
)
QUOTED_RE = re.compile(r"«\s*(.+?)\s*»|“(.+?)”|„(.+?)[“”]|\"(.+?)\"|(?<!\w)_(.+?)_(?!\w)")
ON_PLATFORM_RE = re.compile(
    r"^(?P<name>[^:\n]{1,60}?) on (?:Twitter|X): [‘'\"“](?P<text>.*)[’'\"”] / (?:Twitter|X)\W*$"
)
NAME_RE = re.compile(r"^\w[\w.'’ \t,-]{0,78}[\w.]$")
URL_DASH_RE = re.compile(r"[ \t]+[-–—][ \t]+")
DATE_START_RE = re.compile(r"(?<![\w])(?=\w)")  # where a date may start: a word's first character
# What stands right before the post's date in an entry: `(` (APA, CS1), or the platform's name
# and its punctuation (`sur Twitter, 28 octobre 2022`, `In: Twitter. 28. Oktober 2022`)
DATE_AFTER_RE = re.compile(
    r"(?:\(|(?<![\w@/.#-])(?:Twitter|X)\)?[.,:]?(?:\s*\(|\s*\w{0,3}[.:]?)?)\s*$"
)
# A name's last stop that is its own: an initial's (`Blinn, A.`), an abbreviation's (`Jr.`)
KEPT_STOP_RE = re.compile(r"(?:(?<![\w.])[^\W\d_]|\b(?:Jr|Sr|Inc|Ltd|Co|Corp|Bros|St))\.$")
APA_DATE_RE = re.compile(r"\(\d{4}, \w")
ENDS = " \t\u00a0,.:;–—-"
# The small words of names (`Ministry of Defence`, `Ursula von der Leyen`); any other word in
# lower case makes the words before a date a sentence
PARTICLES = frozenset(
    "of the and for de del der den di du da das dos van von la le al bin y e und".split()
)
# An access date written before its label: `2022年10月29日閲覧`, `2022년 10월 29일에 확인함`
ACCESS_AFTER = ("閲覧", "에 확인")


def entry_citation(text: str, start: int, end: int, linked: bool) -> Citation | None:
    """The citation of the entry around the post's URL at `text[start:end]` (or, `linked`, the
    text of a page's link to it), or None when its line is no such entry: one that cites this
    post alone."""
    low = max(text.rfind("\n", max(0, start - MAX_ENTRY), start) + 1, start - MAX_ENTRY)
    high = text.find("\n", end, end + MAX_ENTRY)
    high = min(len(text), end + MAX_ENTRY) if high < 0 else high
    if text.find("/status", low, start) >= 0 or text.find("/status", end, high) >= 0:
        return None  # a line that cites other posts too: a list or prose, not one entry
    lead = LEAD_RE.match(text, low, start)
    first = lead.end() if lead else low
    dash = URL_DASH_RE.match(text, end) if first == start else None
    if dash is not None:  # the URL first: `URL - Author (date). Title. Retrieved …`
        first, start, end = dash.end(), high, high  # all of it is the entry's head
        linked = False
    elif (text.find("Twitter", low, high) < 0 and text.find("X", low, high) < 0) or not (
        PLATFORM_RE.search(text, low, start) or PLATFORM_RE.search(text, end, high)
    ):
        return None  # (the platform named apart from the URL; its two words first, fast)
    quoted = QUOTED_RE.search(text, first, start)
    on_platform = ON_PLATFORM_RE.match(_inner(quoted)) if quoted else None
    when = _posted(text, first, high, (start, end))
    if when is not None and not DATE_AFTER_RE.search(text, max(first, when.start - 16), when.start):
        when = None  # a date not where entries date a post: after `(` or the platform's name
    if on_platform is not None:
        return Citation(
            "ieee",
            low,
            high,
            None,
            None,
            on_platform["name"].strip(),
            when.date if when else None,
            when.text if when else None,
            title=on_platform["text"].strip() or None,
        )
    if when is None:
        return None
    author_end = min(start, when.start)
    opened = text.rfind("(", max(first, author_end - 3), author_end)  # `Name (October 28, 2022)`
    author = _name(text[first : opened if opened >= 0 else author_end])
    title = _title(text, first, (start, end) if linked else None, start, when.end, high)
    if author is None and title is None:
        return None
    style = "apa" if APA_DATE_RE.match(text, when.start - 1) else "web"
    return Citation(style, low, high, None, None, author, when.date, when.text, title=title)


def _posted(text: str, low: int, high: int, skip: tuple[int, int]):  # type: ignore[no-untyped-def]
    """The first date in `text[low:high]` outside `skip` that no access label comes before."""
    for m in DATE_START_RE.finditer(text, low, high):
        at = m.start()
        if skip[0] <= at < skip[1]:
            continue
        when = find_date(text, at)
        if when is None or when.end > high or "(" in when.text:
            continue  # (`A. (2021, …`: an initial read as the date's start; it is met later)
        if ACCESS_RE.search(text, max(low, at - ACCESS_REACH), at):
            continue
        if text[when.end : when.end + 4].lstrip().startswith(ACCESS_AFTER):
            continue
        return when
    return None


def _name(written: str) -> str | None:
    """The author's name as the entry writes it, or None when what stands there is none."""
    name = written.strip(ENDS + '(«“"„')
    if KEPT_STOP_RE.search(written.rstrip(ENDS.replace(".", ""))):
        name += "."  # `Blinn, A.`: the initial's stop is the name's
    if name.endswith(")") and "(" not in name:
        name = name[:-1].rstrip(ENDS)
    if not name or not NAME_RE.match(name) or PLATFORM_RE.search(name):
        return None
    words = name.replace(",", " ").split()
    if len(words) > 7 or any(w[0].islower() and w not in PARTICLES for w in words):
        return None  # a sentence (`Elon Musk posted on`), not a name
    return name


def _title(
    text: str, first: int, link: tuple[int, int] | None, url: int, dated: int, high: int
) -> str | None:
    """The post's text as the entry gives it: its `link`'s text (a rendered entry's title),
    else the first quoted or italic span, else (APA) what stands between the date and the
    platform (or the URL at `url`)."""
    if link is not None:
        shown = text[link[0] : link[1]]
        return _quoted(shown) or shown.strip(ENDS + '«»“”"„') or None
    quoted = QUOTED_RE.search(text, first, high)
    if quoted is not None:
        return _inner(quoted) or None
    close = text.find(")", dated, dated + 3)
    if close < 0:
        return None
    stops = [PLATFORM_RE.search(text, close, high), ACCESS_WORD_RE.search(text, close, high)]
    stop = min([m.start() for m in stops if m], default=url)
    written = text[close + 1 : stop].strip(ENDS)
    return written if written and not written.startswith("http") else None


def _quoted(written: str) -> str | None:
    """The text inside the quotes that wrap all of `written` (a title), or None."""
    m = QUOTED_RE.fullmatch(written.strip(ENDS))
    return _inner(m) if m else None


def _inner(quoted: re.Match[str]) -> str:
    """A quoted span's text, without the stop or comma styles put inside the quotes."""
    return next(g for g in quoted.groups() if g is not None).strip().rstrip(",.")
