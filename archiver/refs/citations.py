"""Posts cited the way reference lists write them.

- APA 7: `Name [@handle]. (2020, September 2). Text [Image attached] [Tweet]. Twitter. URL`
- Wikipedia as rendered: `Name [@handle] (7 February 2015). "Text" (Tweet) – via Twitter.`,
  or `@handle (June 12, 2016). "Text" (URL) (Tweet) – via Twitter.`
- MLA: `Athar, Sohaib (ReallyVirtual). "Text." 1 May 2011, 3:58 p.m. Tweet.` (7th edition),
  `@AOC. "Text." X, 4 Mar. 2024, 9:15 a.m., x.com/AOC/status/….` and `Name [@h]. "Text." …`
- Chicago: `Name (@handle), "Text," Twitter, April 22, 2015, 11:10 a.m., URL.` (note) and
  `Last, First (@handle). "Text." Twitter, April 22, 2015. URL.` (bibliography)
- Harvard: `Name [@handle] (2019) 'Text'. Twitter, 13 June. Available at: URL (Accessed: …)`,
  also `Name (@handle) (2012) Text [Twitter]. 7 November.`
- Bluebook: `Name (@handle), Twitter (Jan. 8, 2021, 9:46 AM), URL` and `@handle, X (…)`, with a
  quoted parenthetical where one follows.
- wikitext: `{{cite tweet |user= |number= |title= |date=}}` (see wikitext.py).

A citation's handle is its author, never an account the document mentions; a handle that is a
template's placeholder (`[@username]`, `[@twitter handle]`) makes the entry a model, not a
citation, and gives nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .dates import FoundDate, find_date, find_time
from .platforms import (
    BLUEBOOK_PLATFORM,
    BLUEBOOK_RE,
    MARKER_RE,
    PLATFORM_RE,
    elsewhere,
    names_x,
    other_platforms,
    platform_end,
    with_url,
)
from .ref import within
from .urls import HANDLE, find_status_urls, plausible_id
from .wikitext import SCRIPT_PREFIX_RE, find_templates, shown

HANDLE_RE = re.compile(HANDLE)
# A footnote's number and a Bluebook signal before the author: `12 See Donald J. Trump (@…`.
SIGNAL_RE = re.compile(
    r"^(?:\d{1,4}\.?(?:\s+|$))?"
    r"(?:(?:see(?: also| generally)?|cf\.|e\.g\.,|accord|but see|compare)\s+)?",
    re.IGNORECASE,
)
# After a bare Bluebook entry's date: what ends a clause or the entry, or an aside, or its URL.
ENTRY_GOES_ON_RE = re.compile(r"[ \t\u00a0]*+(?:[,.;)(—–]|-[ \t]|\r?\n|\Z)")
ZONE_RE = re.compile(r"[ \t\u00a0]+(?:[ECMPA][SD]?T|UTC|GMT)\b")  # `9:14 AM ET`: a court's zone
ARCHIVED_RE = re.compile(r"[ \t\u00a0]*(?:\(archived\))?")
PARENTHETICAL_RE = re.compile(
    r"[ \t\u00a0]*\([ \t\u00a0]*[\"“](?P<title>[^\"”\n]{1,800})[\"”][ \t\u00a0]*\)"
)
# Harvard: the year in brackets, the text (quoted, or bare before `[Twitter]`), the platform,
# then the day and month.
HARVARD_YEAR = r"[ \t\u00a0]*\((?P<year>\d{4})\)[ \t\u00a0]*"
HARVARD_YEAR_BEFORE_RE = re.compile(r"\((?P<year>\d{4})\)[ \t\u00a0]\Z")
HARVARD_RE = re.compile(
    r"(?:" + HARVARD_YEAR + r")?[,:]?[ \t\u00a0]*"  # no year here when it came before the handle
    r"(?:['‘\"“](?P<quoted>[^\n]{1,800}?)['’\"”](?=[ \t\u00a0]*[.,\[])"
    r"|(?P<bare>[^\[\n]{1,800}?)(?=[ \t\u00a0]*\[))"
    r"[ \t\u00a0]*[.,]?[ \t\u00a0]*(?:\[(?:Twitter|X)\]|(?:Twitter|X)\b)"
    r"[ \t\u00a0]*[.,]?[ \t\u00a0]*(?P<day>\d{1,2}[ \t\u00a0]+[A-Za-z]{3,9})\b\.?"
)
# Where a citation names its author's account. Each form starts with a literal the regex engine
# finds fast; they are looked for one at a time and their matches put in order. Each comes with
# characters a text must hold (one of them) for it to match at all: looking for one character is
# much faster than any search (looking for two is not).
CUES = (
    (re.compile(r"\[@(?P<b>[^\]\n]{1,30})\]"), ("[",)),  # [@handle]: APA, MLA 9, Wikipedia
    # (@handle), "…": Chicago; (@handle). 2015. "…": Chicago author-date; (handle). "…": MLA 7
    (
        re.compile(rf"\((?P<p>@?{HANDLE})\)(?=[ \t\u00a0]*[.,]\s*(?:\d{{4}}\.\s*)?[\"“])"),
        ('"', "“"),
    ),
    # @handle. "…" / @handle, "…" / @handle (date) / @handle, X (Mar. 1, 2024): Bluebook;
    # @handle. (2022, Nov. 16). Text [Twitter post]: APA with the handle as the author
    (
        re.compile(rf"@(?P<a>{HANDLE})(?=[.,]\s+[\"“]|\.?\s+\(\w|{BLUEBOOK_PLATFORM})"),
        ("@",),
    ),
    # (@handle) (2012): Harvard; (@handle), Twitter (Jan. 8, 2021, 9:46 AM): Bluebook
    (
        re.compile(rf"\((?P<h>@{HANDLE})\)(?=[ \t\u00a0]*\(\d{{4}}\)|{BLUEBOOK_PLATFORM})"),
        ("(",),
    ),
    # Jones, A. (2016) @handle 'Text' [Twitter] 8 November: Harvard with the year first
    # (the `@` first, then the year behind it: a pattern that starts with a literal is skipped to)
    (re.compile(rf"@(?<=\(\d{{4}}\)[ \t\u00a0]@)(?P<y>{HANDLE})(?=,?[ \t\u00a0]+['‘\"“])"), ("@",)),
    # [handle]. (2012, November 6): APA 6, which wrote the handle without its @
    (re.compile(rf"\[(?=[0-9_]*[A-Za-z])(?P<n>{HANDLE})\](?=\.?[ \t\u00a0]*\(\d{{4}},)"), ("[",)),
)
NOT_BEFORE_AT = re.compile(r"[\w@/.&]")
DATE_PAREN_RE = re.compile(r"\.?[ \t\u00a0]*\(")
NO_DATE_RE = re.compile(r"n\.[ \u00a0]?d\.\)", re.IGNORECASE)
QUOTED_RE = re.compile(r"[\"“](?P<title>(?:[^\"”\n]|\n(?![ \t]*\n)){1,800}?)[\"”]")
BARE_TITLE_RE = re.compile(  # up to the first bracket, or to a marker in parentheses
    r"(?P<title>(?:[^\[\n]|\n(?![ \t]*\n)){1,800}?)"
    r"(?=\s*\[|\s*\((?:Tweet|Post|Retweet|Thread)\))"
)
# After the handle: `,` (a note) or `.` (an entry), and in Chicago's author-date form the year.
SEPARATOR_RE = re.compile(r"[ \t\u00a0]*(?P<sep>[.,])[ \t\u00a0\n]*(?:\d{4}\.[ \t\u00a0\n]*)?")
AFTER_QUOTE_RE = re.compile(r"[ \t\u00a0]*[.,]?[ \t\u00a0]*")
TWEET_WORD_RE = re.compile(r"[.,]?[ \t\u00a0]*Tweet\.")
TWEET_MARK_RE = re.compile(r"Tweet\.[ \t\u00a0]+(?=(?:Twitter|X)\b)")
NAME_AFTER_RE = re.compile(r"[ \t\u00a0]+\((?P<name>[^()@\n\d]{1,80})\)")  # `@h (Barack Obama)`
LIST_MARK_RE = re.compile(
    r"^\s*(?:\[\d{1,4}\]\s*|\[\^[^\]\s]{1,40}\]:\s*|\d{1,4}[.)]\s+|[-*•>]\s+)?"  # [^1]: Markdown's
    r"(?:\^\s*(?:[a-z]{1,2}\s+){0,8})?"
)
PLACEHOLDERS = frozenset(
    """username user handle twitterhandle twitter_handle screenname screen_name name yourhandle
    your_handle yourname account accountname account_name handlename user_name author
    authorhandle xhandle x_handle userid example yourusername your_username yourcompany""".split()
)
MAX_NAME = 100


@dataclass
class Citation:
    """A reference-list entry or template that cites a post."""

    style: str  # apa, mla, chicago, harvard, bluebook, wikipedia, wikitext
    start: int
    end: int
    handle_span: tuple[int, int] | None
    handle: str | None
    author_name: str | None
    date: date | None = None
    date_text: str | None = None
    time: str | None = None
    title: str | None = None
    status_id: str | None = None
    warnings: list[str] = field(default_factory=list)


def is_placeholder(word: str) -> bool:
    """True for the words citation guides write where a handle goes (`username`, `handle`)."""
    key = word.strip().lstrip("@").lower()
    return key in PLACEHOLDERS or " " in key or key.replace(" ", "") in PLACEHOLDERS


def find_citations(text: str, others: list[tuple[int, int]] | None = None) -> list[Citation]:
    """Every citation of a post in `text`, in order: templates first met, then entries. The
    handles of entries that cite another platform's post go to `others` (their spans): an
    Instagram or TikTok handle is not an account on X."""
    found = [
        cited
        for t in find_templates(text)
        if (cited := _from_template(t.start, t.end, t.params, t.web)).handle or cited.status_id
    ]
    templates = sorted((c.start, c.end) for c in found)
    reach = 0  # where the last entry ends: cues come in order, so one before it is inside one
    platforms: list[int] | None = None
    cues = sorted(
        (
            m
            for cue, needs in CUES
            if any(literal in text for literal in needs)
            for m in cue.finditer(text)
        ),
        key=lambda m: m.start(),
    )
    for m in cues:
        if m.start() < reach or within(templates, m.start()):
            continue
        if m.group(0)[0] == "@" and m.start() and NOT_BEFORE_AT.match(text, m.start() - 1):
            continue
        cited = _entry(text, m)
        if cited is not None:
            found.append(cited)
            reach = max(reach, cited.end)
        elif others is not None:
            if platforms is None:
                platforms = other_platforms(text)  # once, when an entry first fails
            if elsewhere(text, m.end(), platforms):
                others.append(m.span())
    return sorted(found, key=lambda c: c.start)


def _from_template(start: int, end: int, params: dict[str, str], web: bool = False) -> Citation:
    if web:  # `{{cite web |url=<a post's URL> |title=… |date=…}}`: the URL says whose and which
        posts = find_status_urls(params.get("url") or "")
        if len(posts) != 1:
            return Citation("wikitext", start, end, None, None, None)
        params = {**params, "user": posts[0].handle or "", "number": posts[0].status_id}
    user = (params.get("user") or "").lstrip("@").strip()
    last, first = (
        params.get("last") or params.get("last1"),
        params.get("first") or params.get("first1"),
    )
    author = f"{first} {last}" if last and first else last or params.get("author")
    author = author or params.get("author1")
    cited = Citation("wikitext", start, end, None, None, author or None)
    if HANDLE_RE.fullmatch(user) and not is_placeholder(user):
        cited.handle = user
    elif user:
        cited.warnings.append(f"user {user!r} is not a handle")
    number = (params.get("number") or "").strip()
    if number and plausible_id(number):
        cited.status_id = number
    elif number:
        cited.warnings.append(f"number {number!r} is not a post id")
    title = params.get("title") or SCRIPT_PREFIX_RE.sub("", params.get("script-title") or "")
    cited.title = shown(title) or None
    when = shown(params.get("date") or "")
    if when:
        found = find_date(when, 0)
        if found:
            cited.date, cited.date_text = found.date, when
        else:
            cited.warnings.append(f"date {when!r} not understood")
    return cited


def _entry(text: str, cue: re.Match[str]) -> Citation | None:
    groups = cue.groupdict()
    hint, written = next(((k, v) for k, v in groups.items() if v), ("b", ""))
    if is_placeholder(written):
        return None
    handle = written.lstrip("@") if HANDLE_RE.fullmatch(written.lstrip("@")) else None
    if hint == "p" and not written.startswith("@") and not _mla7_after(text, cue.end()):
        return None  # "(word). "…"" is a citation only in MLA 7, which ends with "Tweet."
    bluebook = BLUEBOOK_RE.match(text, cue.end())
    cited = _bluebook(text, cue) if bluebook else None
    # `, Twitter (` is Bluebook's alone; `, Twitter, June 15` may be another style's
    if cited is None and not (bluebook and bluebook.group(0).endswith("(")):
        cited = _other_styles(text, cue, hint)
    if cited is None:
        return None
    cited.handle, cited.handle_span = handle, (cue.start(), cue.end())
    if handle is None:
        cited.warnings.append(f"handle written as {written!r}")
    cited.end = with_url(text, cited.end, handle)
    if hint != "a":  # `@h (Name)`: the name its entry gave, if any
        cited.author_name = _author(text, cue.start())
    if cited.style == "bluebook" and cited.author_name:
        cited.author_name = SIGNAL_RE.sub("", cited.author_name) or None
    cited.start = _entry_start(text, cue.start()) if cited.author_name else cue.start()
    return cited


def _other_styles(text: str, cue: re.Match[str], hint: str) -> Citation | None:
    if hint == "y":  # `(2016) @handle 'Text' [Twitter]`: only Harvard writes it
        return _harvard(text, cue) if _harvard_platform_near(text, cue.end()) else None
    if hint == "h":
        return _harvard(text, cue)
    return _apa_or_rendered(text, cue) or _quoted(text, cue) or _harvard(text, cue)


def _apa_or_rendered(text: str, cue: re.Match[str]) -> Citation | None:
    """`[@h]. (date). Text [Tweet]. Twitter.` or `[@h] (date). "Text" (Tweet) – via Twitter.`"""
    paren = DATE_PAREN_RE.match(text, cue.end())
    if paren is None:
        return None
    undated = NO_DATE_RE.match(text, paren.end())  # APA's (n.d.): no date given
    when = None if undated else find_date(text, paren.end(), reach=48, wrap=True)
    if undated is None and (when is None or not text.startswith(")", when.end)):
        return None
    pos = undated.end() if undated else when.end + 1  # type: ignore[union-attr]
    pos += len(AFTER_QUOTE_RE.match(text, pos).group(0))  # type: ignore[union-attr]
    title_m = QUOTED_RE.match(text, pos) or BARE_TITLE_RE.match(text, pos)
    if title_m is None:
        return None
    marker = MARKER_RE.match(text, title_m.end())
    if marker is None:
        return None
    generic = marker.group("marker").lower() in ("post", "thread")
    if generic and not names_x(text, marker.end()):
        return None  # APA's `[Post]` of any platform, `[Post]. Threads.`: only X's are X's
    apa = text[marker.start("marker") - 1] == "[" or text.startswith(".", cue.end())
    style = "apa" if apa else "wikipedia"  # Wikipedia renders `[@h] (date)`, no full stop
    end = platform_end(text, marker.end())
    title = _title(title_m.group("title"))
    date, written = (when.date, when.text) if when else (None, "n.d.")
    return Citation(style, cue.start(), end, None, None, None, date, written, None, title)


def _quoted(text: str, cue: re.Match[str]) -> Citation | None:
    """`(@h), "Text," Twitter, April 22, 2015, 11:10 a.m., URL.` and the MLA forms; the handle
    first (`@h (Name), "Text," Twitter, …`); `[@h]. "Text." Tweet. Twitter, May 31, 2017.`"""
    name = NAME_AFTER_RE.match(text, cue.end()) if cue.groupdict().get("a") else None
    sep = SEPARATOR_RE.match(text, name.end() if name else cue.end())
    if sep is None or (name and sep.group("sep") != ","):
        return None  # `@h (Name). "…"`: MLA 7's `Name (handle).` with a name that starts with @
    title_m = QUOTED_RE.match(text, sep.end())
    if title_m is None:
        return None
    pos = title_m.end() + len(AFTER_QUOTE_RE.match(text, title_m.end()).group(0))  # type: ignore[union-attr]
    marked = TWEET_MARK_RE.match(text, pos)  # Zotero's Chicago: `"…" Tweet. Twitter, May 31`
    platform = PLATFORM_RE.match(text, marked.end() if marked else pos)
    if platform is None and sep.group("sep") == "," and cue.groupdict().get("a"):
        return None  # `@bob, "a great guy", Jan 5`: prose, unless the platform is named
    if platform is not None:
        pos = platform.end() + len(AFTER_QUOTE_RE.match(text, platform.end()).group(0))  # type: ignore[union-attr]
    dated = _date_and_time(text, pos)
    if dated is None:
        return None
    when, time, end = dated
    tweet = TWEET_WORD_RE.match(text, end)
    end = tweet.end() if tweet else end
    month_first = text[when.start].isalpha()
    style = "chicago" if sep.group("sep") == "," or (month_first and not tweet) else "mla"
    title = _title(title_m.group("title"))
    author = " ".join(name.group("name").split()) if name else None
    return Citation(style, cue.start(), end, None, None, author, when.date, when.text, time, title)


def _date_and_time(text: str, pos: int) -> tuple[FoundDate, str | None, int] | None:
    """The date written at `pos`, the clock time after it if any, and where they end."""
    when = find_date(text, pos, reach=48, wrap=True)
    if when is None:
        return None
    clock = find_time(text, when.end)
    return (when, *clock) if clock is not None else (when, None, when.end)


def _bluebook(text: str, cue: re.Match[str]) -> Citation | None:
    """`(@h), Twitter (Jan. 8, 2021, 9:46 AM ET)` or `(@h), Twitter, June 15, 2022 7:40 p.m.
    ET,`, then the URL (perhaps a Wayback copy's) and a quoted parenthetical, if they follow."""
    platform = BLUEBOOK_RE.match(text, cue.end())
    if platform is None:
        return None
    dated = _date_and_time(text, platform.end())
    if dated is None:
        return None
    when, time, end = dated
    zone = ZONE_RE.match(text, end)
    end = zone.end() if zone else end
    if platform.group(0).endswith("("):
        if not text.startswith(")", end):
            return None
        end += 1
    else:
        past_url = with_url(text, end)
        if past_url == end and not ENTRY_GOES_ON_RE.match(text, end):
            return None  # `(@h), Twitter, June 15, 2022 was the day…`: prose, not a footnote
        end = past_url + len(ARCHIVED_RE.match(text, past_url).group(0))  # type: ignore[union-attr]
    said = PARENTHETICAL_RE.match(text, end)
    title = _title(said.group("title")) if said else None
    cited = Citation("bluebook", cue.start(), said.end() if said else end, None, None, None)
    cited.date, cited.date_text, cited.time, cited.title = when.date, when.text, time, title
    return cited


def _harvard(text: str, cue: re.Match[str]) -> Citation | None:
    """`[@h] (2019) 'Text'. Twitter, 13 June.` or `(@h) (2012) Text [Twitter]. 7 November.`"""
    m = HARVARD_RE.match(text, cue.end())
    year = m and (m.group("year") or _year_before(text, cue.start()))
    if m is None or not year:
        return None
    written = f"{m.group('day')} {year if isinstance(year, str) else year.group('year')}"
    when = find_date(written, 0)
    if when is None:
        return None
    title = _title(m.group("quoted") or m.group("bare"))
    cited = Citation("harvard", cue.start(), m.end(), None, None, None, when.date, written)
    cited.title = title
    return cited


def _mla7_after(text: str, pos: int) -> bool:
    """MLA 7 names the account without an @ and ends the entry with "Tweet."."""
    return TWEET_WORD_RE.search(text, pos, pos + 1000) is not None


def _title(raw: str) -> str:
    return " ".join(raw.split()).rstrip(",.").strip()


def _entry_start(text: str, cue_start: int) -> int:
    line_start = text.rfind("\n", 0, cue_start) + 1
    bar = text.rfind("|", line_start, cue_start)  # a table cell
    start = max(line_start, bar + 1, cue_start - MAX_NAME)
    lead = text[start:cue_start]
    mark = LIST_MARK_RE.match(lead)
    skip = mark.end() if mark else len(lead) - len(lead.lstrip())
    return start + skip


def _harvard_platform_near(text: str, pos: int) -> bool:
    """Whether `Twitter` or `[X]` is written within a title's reach of `pos` (a fast search,
    before the entry's pattern is tried on every `(2019) @handle '` of a text)."""
    return text.find("Twitter", pos, pos + 900) >= 0 or text.find("[X]", pos, pos + 900) >= 0


def _year_before(text: str, pos: int) -> re.Match[str] | None:
    """`(2016) ` right before `pos` (Harvard's year, written before the handle)."""
    return HARVARD_YEAR_BEFORE_RE.search(text, max(0, pos - 8), pos)


def _author(text: str, cue_start: int) -> str | None:
    before = _year_before(text, cue_start)  # Harvard's year, not part of the name
    name = text[_entry_start(text, cue_start) : before.start() if before else cue_start]
    name = " ".join(name.split()).strip(" ,")
    return name or None
