"""A post cited by its URL in a reference-list entry that names no handle: the URL says whose
post and which; the entry says who wrote it, when, and what it said.

- Wikipedia's `cite web` as each language renders it: `Musk, Elon (October 28, 2022). "Title".
  Twitter. Retrieved …`, `(en) Elon Musk, « Title », sur Twitter, 28 octobre 2022 (consulté le
  …)`, `Elon Musk: Title. In: Twitter. 28. Oktober 2022, abgerufen am …`, `Elon Musk. Title
  (англ.). Twitter (28 октября 2022). Дата обращения: …`, and Spanish, Portuguese, Italian and
  Polish alike; the title is the link's text.
- APA with the author's name alone: `Blinn, A. (2021, September 16). Title. Twitter. Retrieved
  from URL`, the user name as the author (`mothcharm. (2020, August 28). Text [Tweet].`), the URL
  first (`URL - Ackroyd, R. (2023, March 24). Twitter.`), or the whole entry the link's text.
- MLA's `Musk, Elon. "Text." Twitter, Twitter, 7 Aug. 2018, twitter.com/…`.
- IEEE of a saved page: `“Name on Twitter: ‘Text’ / Twitter,” Twitter. [Online]. Available: URL`.

An entry is a line (a list item, a footnote) that cites this post alone, names the platform
apart from the URL, names its author first and dates the post where entries do (after `(` or
after the platform's name), on the day the post's id encodes; a date after an access label
(`Retrieved`, `consulté le`, `abgerufen am`, …) is when it was read, not when it was posted.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .accounts import LINK_REACH
from .dates import FoundDate, find_date
from .styles import Citation

if TYPE_CHECKING:
    from .htmlview import TextView

MAX_ENTRY = 600  # how far an entry runs on either side of its URL
MAX_SPOTS = 8  # places an entry's date is looked for at most
PLATFORM = (
    r"(?<![\w@/.#-])(?:(?:Twitter|X)(?![\w/@-]|\.com)|(?:[Tt]witter|[Xx])\.com(?![\w/-]|\.\w))"
)
PLATFORM_RE = re.compile(PLATFORM)
PLATFORM_STOP_RE = re.compile(r"(?<=[.\]])\s+" + PLATFORM)  # `… [Tweet]. Twitter.` ends a title
ACCESS = (
    r"(?:retrieved|accessed|archived|consulté le|abgerufen am|дата обращения|consultado (?:el|em)"
    r"|acesso em|consultato il|dostęp|geraadpleegd op|läst|haettu|erişim tarihi|閲覧"
    r"|تاريخ الوصول|available|cited)"
)
ACCESS_RE = re.compile(ACCESS + r"[\s:]*$", re.IGNORECASE)  # right before a date
ACCESS_WORD_RE = re.compile(r"\b" + ACCESS, re.IGNORECASE)
ACCESS_REACH = 24  # how far before a date its access label may stand
# An access date written before its label: `2022年10月29日閲覧`, `2022년 10월 29일에 확인함`
ACCESS_AFTER = ("閲覧", "에 확인")
# Before the author: a list's mark, a footnote's, a rendered list's backlink; a language mark;
# a Markdown link's `[` when the entry is its text
LEAD_RE = re.compile(
    r"[ \t]*(?:\[\^[^\]\s]{1,40}\]:[ \t]*|\[\d{1,4}\][ \t]*|\d{1,4}[.)][ \t]+|[-*•][ \t]+"
    r"|[↑^][ \t]*(?:[a-z]{1,2}[ \t]+)*)*(?:\((?:[A-Za-z]{2,3})\)[ \t]*)?\[?"
)
QUOTED_RE = re.compile(r"«\s*(.+?)\s*»|“(.+?)”|„(.+?)[“”]|\"(.+?)\"|(?<!\w)_(.+?)_(?!\w)")
# The quotes a title is written in, opening and closing (QUOTED_RE's, looked for with `find`:
# a line of openers with no closer is read once, not once an opener)
# (Harvard's single quotes too, `'Title', Twitter,`: a title's whole, its closing quote before
# the entry's comma or stop; an apostrophe or a phrase quoted inside a title is none)
QUOTES = (
    ("«", "»"),
    ("“", "”"),
    ("„", "“"),
    ("„", "”"),
    ('"', '"'),
    ("_", "_"),
    ("‘", "’"),
    ("'", "'"),
)
SINGLE = "'‘’_"  # quotes that are also a word's own (`it's`, `snake_case`) inside one
ENTRY_PUNCTUATION = ",."
Quote = tuple[int, str]  # where the quote opens, and its text
# A post's page title as tools save it: `Name on Twitter: "Text"`, since 2022 with ` / Twitter`
# (then ` / X`) after it; a page that had not drawn yet, its site's name alone
ON_PLATFORM_RE = re.compile(
    r"^(?P<name>[^:\n]{1,60}?) on (?:Twitter|X): [‘'\"“](?P<text>.*)[’'\"”]"
    r"(?: / (?:Twitter|X))?\W*$"
)
SITE_TITLE_RE = re.compile(
    r"^(?:(?P<name>[^:\n/]{1,60}?)(?: \(@\w{1,15}\))?(?: on (?:Twitter|X)| / (?:Twitter|X))"
    r"|(?:https?://)?(?:www\.|mobile\.)?(?:twitter|x)\.com(?:/\S*)?|Twitter|X)\W*$"
)
NAME_RE = re.compile(r"^\w[\w.'’ \t,-]{0,78}[\w.]$")
USER_NAME_RE = re.compile(r"^\w{1,15}$")  # APA's author when only the user name is known
ENTRY_CUT_RE = re.compile(r"(?<=\S)[ \t]+(\[\d{1,4}\])[ \t]|https?://[^\s<>\"]+[ \t]+")
URL_DASH_RE = re.compile(r"[ \t]+[-–—][ \t]+")
URL_TEXT_RE = re.compile(r"\s*(?:https?://|www\.|(?:mobile\.)?(?:twitter|x)\.com/)", re.IGNORECASE)
# Where entries date a post: after `(` (APA, CS1), or after the platform's name and its
# punctuation (`sur Twitter, 28 octobre 2022`, `In: Twitter. 28. Oktober 2022`); only there is a
# date looked for (a few places a line: linear whatever the line holds)
DATE_SPOT_RE = re.compile(
    rf"(?:\(|{PLATFORM}[*_]{{0,2}}[)\]]?[.,:;]?[*_]{{0,2}}[ \t\u00a0]*\(?)[ \t\u00a0]*"
)  # (`*Twitter*, 28 octobre`, `In: *Twitter.* 28. Oktober`: Markdown's emphasis)
# A name's last stop that is its own: an initial's (`Blinn, A.`), an abbreviation's (`Jr.`)
DOUBLED_STOP_RE = re.compile(r"\.{2,}(?=\s*$)")
KEPT_STOP_RE = re.compile(r"(?:(?<!\w)[^\W\d_]|\b(?:Jr|Sr|Inc|Ltd|Co|Corp|Bros|St))\.$")
HARVARD_DAY_RE = re.compile(r"\d{1,2}[ \t\u00a0]+[^\W\d_]{3,9}\b")
HARVARD_YEAR_RE = re.compile(r"\((\d{4})[a-z]?\)")
# Vancouver (NLM): the author's name and initials (or an organisation's name), the title,
# `[Internet]`, the site, `;`
VANCOUVER_RE = re.compile(
    r"(?P<author>[^\W\d_][\w'’ -]{1,60}?[ \t]+[A-Z]{1,3}|[A-Z][\w'’&-]*(?:[ \t]+[\w'’&-]+){1,7})"
    r"\.[ \t]+(?!\(?\d{4}[a-z]?\)?\.)(?P<title>[^\[\n]{1,600}?)"  # (a year there: author-date)
    r"[ \t]*\[(?:Internet|Tweet)\]\.?[ \t]*"
)
IEEE_MARK_RE = re.compile(r"[ \t]*(?:[-*•][ \t]+)?\[\d{1,4}\]")
APA_DATE_RE = re.compile(r"\(\d{4}, \w")
APA_MARKS_RE = re.compile(r"\s*\[[^\[\]\n]{1,30}\]")  # `[Images attached] [Tweet]`
ENDS = " \t\u00a0,.:;–—-"
# The small words of names (`Ministry of Defence`, `Ursula von der Leyen`); any other word in
# lower case makes the words before a date a sentence
PARTICLES = frozenset(
    "of the and for de del der den di du da das dos van von la le al bin y e und".split()
)
# What labels a line rather than signs it: `Source: URL (Twitter, …)`, `Photo: @h via Twitter`
LABELS = frozenset(
    """source sources photo photos image images video screenshot thread update credit credits
    via link tweet tweets tuit tuits post posts see quelle foto bild fuente fonte источник фото
    figure fig figura abbildung note editor caption capture bildschirmfoto""".split()
)


def url_entry(raw: str, view: TextView | None, shown: str, start: int, end: int) -> Citation | None:
    """The entry around the post's URL at `raw[start:end]`: in a page (`view`, whose text is
    `shown`), a link's `href` stands for its text, the entry's title."""
    linked, rest = False, end
    if view is not None:
        if raw.endswith(('href="', "href='"), 0, start):
            tag_end = raw.find(">", end, end + LINK_REACH)
            close = raw.find("</a", tag_end, tag_end + MAX_ENTRY) if tag_end > 0 else -1
            if close > 0:
                start, end, linked = tag_end + 1, close, True
        start, end = view.view_offset(start), view.view_offset(end)
        rest = end
    elif raw.startswith("](", start - 2) and raw.startswith(")", end):  # Markdown: [Title](URL)
        opened = raw.rfind("[", max(0, start - MAX_ENTRY), start - 2)
        if opened >= 0 and "\n" not in raw[opened : start - 2]:
            start, end, rest, linked = opened + 1, start - 2, end + 1, True
    return entry_citation(shown, start, end, linked, rest)


def entry_citation(
    text: str, start: int, end: int, linked: bool, rest: int | None = None
) -> Citation | None:
    """The citation of the entry around the post's URL at `text[start:end]` (or, `linked`, the
    text of a link to it, the entry going on at `rest`), or None when its line is no such
    entry (module docstring)."""
    low = max(text.rfind("\n", max(0, start - MAX_ENTRY), start) + 1, start - MAX_ENTRY)
    end = rest if rest is not None and not linked else end
    rest = end if rest is None else rest
    high = text.find("\n", rest, rest + MAX_ENTRY)
    high = min(len(text), rest + MAX_ENTRY) if high < 0 else high
    shown_url = _markdown_text(text, low, start, end)  # `[URL](URL)`: the same URL twice
    if text.find("/status", low, shown_url) >= 0 or text.find("/status", rest, high) >= 0:
        return None  # a line that cites other posts too: a list or prose, not one entry
    outside = ((low, high),) if linked else ((low, shown_url), (rest, high))  # (the URL's not)
    if not _names_platform(text, outside) and not URL_DASH_RE.match(text, rest):
        return None  # (the platform's words looked for first: most lines name none, fast)
    low = _after_last_entry(text, low, shown_url)  # lists run together on one line
    lead = LEAD_RE.match(text, low, start)
    first = lead.end() if lead else low
    if linked and URL_TEXT_RE.match(text, start, end):
        start, linked = end, False  # the link shows its URL: no title of its own
    elif linked and APA_DATE_RE.search(text, start, end):
        shown_url = start = end  # the link's text is the whole entry (MITRE's lists)
        linked = False
    dash = URL_DASH_RE.match(text, rest) if first == shown_url else None
    if dash is not None:  # the URL first: `URL - Author (date). Title. Retrieved …` (APA's)
        first, shown_url, start, end = dash.end(), high, high, high  # all of it is its head
        rest = high
    elif not (PLATFORM_RE.search(text, first, shown_url) or PLATFORM_RE.search(text, rest, high)):
        return None
    quoted = _first_quote(text, first, start)
    on_platform = ON_PLATFORM_RE.match(quoted[1]) if quoted else None
    when, spot = _posted(text, first, high, (shown_url, rest))
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
    vancouver = VANCOUVER_RE.match(text, first, spot)  # `Musk E. Title [Internet]. Twitter;`
    if vancouver is not None:
        author = _name(vancouver["author"], False)
        title = _no_title(vancouver["title"].strip())
        if author is None:
            return None
        return Citation(
            "vancouver", low, high, None, None, author, when.date, when.text, title=title
        )
    apa = APA_DATE_RE.match(text, when.start - 1) is not None
    author_end = min(start, spot, quoted[0] if quoted else start)
    opened = text.rfind("(", max(first, author_end - 3), author_end)  # `Name (October 28, 2022)`
    year = HARVARD_YEAR_RE.search(text, first, author_end)  # `Gates, B. (2019) [Twitter] 9 May`
    author_end = year.start() if year else opened if opened >= 0 else author_end
    # IEEE's `[5] NASA, "Title," Twitter, Feb. 18, 2021.`: its author may be one word too
    written = text[first:author_end]
    ieee = bool(quoted and IEEE_MARK_RE.match(text, low) and written.rstrip().endswith(","))
    author = _name(written, apa or ieee)
    if author is None or (dash is not None and not apa):
        return None
    title = _title(text, quoted, (start, end) if linked else None, shown_url, when.end, high)
    style = "apa" if apa else "harvard" if year else "ieee" if ieee else "web"
    return Citation(style, low, high, None, None, author, when.date, when.text, title=title)


def saved_title(title: str) -> tuple[str | None, str | None] | None:
    """(author name, post text) of a title saved from a post's page (ON_PLATFORM_RE,
    SITE_TITLE_RE); None for a title written by hand."""
    page = ON_PLATFORM_RE.match(title)
    if page is not None:
        return page["name"].strip(), page["text"].strip() or None
    site = SITE_TITLE_RE.match(title)
    return ((site["name"] or "").strip() or None, None) if site is not None else None


def _names_platform(text: str, spans: tuple[tuple[int, int], ...]) -> bool:
    """Whether `spans` of the line may name the platform: a quick look for its words before
    the exact rule (PLATFORM_RE); a site's name, not a URL's host (`pic.twitter.com/…`)."""
    for a, b in spans:
        if text.find("Twitter", a, b) >= 0 or text.find("X", a, b) >= 0:
            return True
        for site in ("twitter.com", "x.com"):
            at = text.find(site, a, b)
            while at >= 0:
                if at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "./@#-"):
                    return True
                at = text.find(site, at + 1, b)
    return False


def _after_last_entry(text: str, low: int, at: int) -> int:
    """Where the entry that holds `at` starts in a line of several run together (a PDF's list
    made Markdown: `[21] Name (2017). … https://… [22] Name (2022). …`): past the last list
    mark or URL before it; `low` when none."""
    cut = low
    for m in ENTRY_CUT_RE.finditer(text, low, at):
        cut = m.end() if m.group(1) is None else m.start()
    return cut


def _markdown_text(text: str, low: int, start: int, end: int) -> int:
    """Where the URL at `text[start:end]` is first shown: in a Markdown link whose text is the
    URL itself (`[URL](URL)`), that text's start; else `start`."""
    if not text.startswith("](", start - 2):
        return start
    shown = start - 2 - (end - start)
    return shown if shown >= low and text[shown : start - 2] == text[start:end] else start


def _posted(text: str, low: int, high: int, skip: tuple[int, int]) -> tuple[FoundDate | None, int]:
    """The post's date in `text[low:high]`, outside `skip`: the first written where entries
    date a post (DATE_SPOT_RE) that no access label comes before, and where its spot starts
    (the `(` or the platform's name before it, which end the author); None and -1 if none."""
    tried = 0
    for m in DATE_SPOT_RE.finditer(text, low, high):
        at = m.end()
        if skip[0] <= at < skip[1] or at >= high or not text[at].isalnum():
            continue
        tried += 1
        if tried > MAX_SPOTS:
            break  # (an entry dates its post in its first few; a line of `(` is no entry)
        when = find_date(text, at) or _harvard_day(text, low, at)
        if when is None or when.end > high or "(" in when.text:
            continue
        if ACCESS_RE.search(text, max(low, at - ACCESS_REACH), at):
            continue
        if text[when.end : when.end + 4].lstrip().startswith(ACCESS_AFTER):
            continue
        return when, m.start()
    return None, -1


def _harvard_day(text: str, low: int, at: int) -> FoundDate | None:
    """Harvard's date, its year in brackets after the author and its day and month after the
    platform (`Gates, B. (2019) [Twitter] 9 May.`), as one."""
    day = HARVARD_DAY_RE.match(text, at)
    year = HARVARD_YEAR_RE.search(text, low, at) if day else None
    if day is None or year is None:
        return None
    when = find_date(f"{day[0]} {year[1]}")
    return FoundDate(when.date, at, day.end(), day[0]) if when else None


def _name(written: str, apa: bool) -> str | None:
    """The author's name as the entry writes it, or None when what stands there is none: a
    sentence, a label, a cell. An APA entry's author may be a user name (`mothcharm.`)."""
    written = DOUBLED_STOP_RE.sub(".", written)  # `Carr, N..` (MITRE's lists)
    name = written.strip(ENDS + '([«“"„_*')
    if KEPT_STOP_RE.search(written.rstrip(ENDS.replace(".", "") + "_*")):
        name += "."  # `Blinn, A.`: the initial's stop is the name's
    if not name or not NAME_RE.match(name) or PLATFORM_RE.search(name):
        return None
    words = name.replace(",", " ").split()
    if any(w.lower().strip(".:'’s") in LABELS for w in words):
        return None  # `Source:`, `Screenshot Tweet von …`, `Figure 3.`, `UPDATE 2`: labels
    if len(words) == 1 and not apa:
        return None  # one word is a name in APA's `Name. (date)` only
    if apa and USER_NAME_RE.match(name):
        return name
    if len(words) > 7 or any(w[0].islower() and w not in PARTICLES for w in words):
        return None  # a sentence (`Elon Musk posted on`), not a name
    return name


def _title(
    text: str,
    quoted: Quote | None,
    link: tuple[int, int] | None,
    url: int,
    dated: int,
    high: int,
) -> str | None:
    """The post's text as the entry gives it: its `link`'s text (a rendered entry's title),
    else the first quoted or italic span after the author, else (APA) what stands between the
    date and the platform (or the URL at `url`), APA's bracketed marks left out."""
    if link is not None:
        shown = text[link[0] : link[1]]
        title = _no_title(_quoted(shown) or shown.strip(ENDS + '«»“”"„'))
        if title is not None:
            return title
        url = min(url, link[0] - 1)  # `[Twitter](URL)`: the title is written before the link
    quoted = quoted or _first_quote(text, dated, min(url, high) if url > dated else high)
    if quoted is not None:
        return quoted[1] or None
    close = text.find(")", dated, dated + 3)
    if close < 0:
        return None
    after = close + 3  # (past `). ` and the title's first letter: a title may start `Twitter`)
    stops = [PLATFORM_STOP_RE.search(text, after, high), ACCESS_WORD_RE.search(text, after, high)]
    stop = min([m.start() for m in stops if m], default=url)
    written = APA_MARKS_RE.sub("", text[close + 1 : stop]).strip(ENDS + "[(")
    return None if written.startswith(("http", "[", "(")) else _no_title(written)


def _no_title(written: str) -> str | None:
    """`written`, or None when it is no title: empty, or the platform's name in a phrase
    (`Twitter`, `on Twitter`, `auf X`, `X post`, `Twitter thread`)."""
    if not written or (len(written.split()) <= 3 and PLATFORM_RE.search(written)):
        return None
    return written


def _first_quote(text: str, low: int, high: int) -> Quote | None:
    """The first span of `text[low:high]` in one of QUOTES, as QUOTED_RE reads it: where it
    opens, and its text. Each kind of quote is looked for once: linear in the span."""
    best: Quote | None = None
    for opening, closing in QUOTES:
        at = text.find(opening, low, high)
        while opening in SINGLE and at > low and text[at - 1].isalnum():  # (a word's own)
            at = text.find(opening, at + 1, high)
        if at < 0 or (best is not None and at >= best[0]):
            continue
        close = text.find(closing, at + 1, high)
        while closing in SINGLE and 0 < close < high - 1 and _not_closing(text, close, closing):
            close = text.find(closing, close + 1, high)  # `it's`: the word's, not the close
        if close > at + 1:
            best = (at, text[at + 1 : close].strip().rstrip(",."))
    return best


def _not_closing(text: str, at: int, closing: str) -> bool:
    """Whether the mark at `at` cannot close a title: a word's own (`it's`, `snake_case`), or
    a single quote not right before the entry's comma or stop (`'Stay at home' is …`)."""
    after = text[at + 1]
    return after.isalnum() or (closing != "_" and after not in ENTRY_PUNCTUATION)


def _quoted(written: str) -> str | None:
    """The text inside the quotes that wrap all of `written` (a title), or None."""
    m = QUOTED_RE.fullmatch(written.strip(ENDS))
    return _inner(m) if m else None


def _inner(quoted: re.Match[str]) -> str:
    """A quoted span's text, without the stop or comma styles put inside the quotes."""
    return next(g for g in quoted.groups() if g is not None).strip().rstrip(",.")
