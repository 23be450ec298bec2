"""How each style writes an entry after its author's handle: APA and rendered Wikipedia
(`(date). Text [Tweet]`), the quoted forms of Chicago and MLA (`, "Text," Twitter, date`),
Bluebook (`, Twitter (date, time)`) and Harvard (`(2019) 'Text'. Twitter, 13 June`); those of
one pattern each (OSCOLA, Vancouver, GOST, AMA…) are in dated.py. Each reader takes the text and
the cue (where the handle is written) and gives the entry's Citation, or None when the text
there is no such entry (citations.py says whose handle it is).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .dates import FoundDate, find_date, find_time
from .platforms import BLUEBOOK_RE, MARKER_RE, PLATFORM_RE, names_x, platform_end, with_url

# A title's quotation marks in the languages entries are written in: English's "…" and “…”,
# German's „…“ and »…«, French's and Russian's «…» (« … » with spaces), Japanese 「…」『…』
OPEN_QUOTES = '"“„«»「『'
CLOSE_QUOTES = '"”“»«」』'
# After a bare Bluebook entry's date: what ends a clause or the entry, or an aside, or its URL.
ENTRY_GOES_ON_RE = re.compile(r"[ \t\u00a0]*+(?:[,.;)(—–]|-[ \t]|\r?\n|\Z)")
ZONE_RE = re.compile(r"[ \t\u00a0]+(?:[ECMPA][SD]?T|UTC|GMT)\b")  # `9:14 AM ET`: a court's zone
ARCHIVED_RE = re.compile(r"[ \t\u00a0]*(?:\((?:archived|deleted)\))?")  # a note on the post
PERMA_RE = re.compile(r"[ \t\u00a0]*\[(?:https?://)?perma\.cc/[\w-]{1,40}\]")  # a law review's copy
PARENTHETICAL_RE = re.compile(
    rf"[ \t\u00a0]*\([ \t\u00a0]*[{OPEN_QUOTES}](?P<title>[^{CLOSE_QUOTES}\n]{{1,800}})"
    rf"[{CLOSE_QUOTES}][ \t\u00a0]*\)"
)
# Harvard: the year in brackets, the text (quoted, its own stop or `!` inside the quotes; or
# bare before `[Twitter]` or `. Twitter.`, as Ulster's guide writes it), the platform, then the
# day and month.
# (`2022.` unbracketed, as Leeds's guide writes it: `Name (@h) 2022. Text. [Twitter]. 8 Sept.`)
HARVARD_YEAR = r"[ \t\u00a0]*(?:\((?P<year>\d{4})\)|(?P<leeds>\d{4})\.)[ \t\u00a0]*"
HARVARD_YEAR_BEFORE_RE = re.compile(r"\((?P<year>\d{4})\)[ \t\u00a0]\Z")
HARVARD_RE = re.compile(
    r"(?:" + HARVARD_YEAR + r")?[,:]?[ \t\u00a0]*"  # no year here when it came before the handle
    r"(?:['‘\"“](?P<quoted>[^\n]{1,800}?)['’\"”](?=[ \t\u00a0]*(?:[.,\[]|(?:Twitter|X)\b))"
    r"|(?P<bare>[^\[\n]{1,800}?)(?=[ \t\u00a0]*\[|\.[ \t\u00a0]+(?:Twitter|X)\.))"
    r"[ \t\u00a0]*[.,]?[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?(?:\[(?:Twitter|X)\]|(?:Twitter|X)\b)"
    r"[ \t\u00a0]*[.,]?[ \t\u00a0]*(?P<day>\d{1,2}[ \t\u00a0]+[A-Za-z]{3,9})\b\.?"
)
DATE_PAREN_RE = re.compile(r"\.?[ \t\u00a0]*\(")
NO_DATE_RE = re.compile(r"n\.[ \u00a0]?d\.\)", re.IGNORECASE)
YEAR_ONLY_RE = re.compile(r"(?P<year>(?:19|20)\d\d)[a-z]?\)")  # `(2023).`: a blog's APA, no day
QUOTED_RE = re.compile(
    rf"[{OPEN_QUOTES}](?P<title>(?:[^{CLOSE_QUOTES}\n]|\n(?![ \t]*\n)){{1,800}}?)[{CLOSE_QUOTES}]"
)
# A straight quote's text runs to the next straight quote: curly ones inside it are the post's
# (`"“Joe Biden wins,” network projects,"`)
STRAIGHT_QUOTED_RE = re.compile(r'"(?P<title>(?:[^"\n]|\n(?![ \t]*\n)){1,800}?)"')
BARE_TITLE_RE = re.compile(  # up to the first bracket, or to a marker in parentheses
    r"(?P<title>(?:[^\[\n]|\n(?![ \t]*\n)){1,800}?)"
    r"(?=\s*\[|\s*\((?:Tweet|Post|Retweet|Thread)\))"
)
# After the handle: `,` (a note) or `.` (an entry), and in Chicago's author-date form the year.
SEPARATOR_RE = re.compile(r"[ \t\u00a0]*(?P<sep>[.,])[ \t\u00a0\n]*(?:\d{4}\.[ \t\u00a0\n]*)?")
# After a title or the platform: a stop, perhaps a line break (an entry wrapped there)
AFTER_QUOTE_RE = re.compile(r"[ \t\u00a0]*[.,]?[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?")
TWEET_WORD_RE = re.compile(r"[.,]?[ \t\u00a0]*Tweet\.")
TWEET_MARK_RE = re.compile(r"Tweet\.[ \t\u00a0]+(?=(?:Twitter|X)\b)")
NAME_AFTER_RE = re.compile(r"[ \t\u00a0]+\((?P<name>[^()@\n\d]{1,80})\)")  # `@h (Barack Obama)`


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


PLACEHOLDERS = frozenset(
    """username user handle twitterhandle twitter_handle screenname screen_name name yourhandle
    your_handle yourname account accountname account_name handlename user_name author
    authorhandle xhandle x_handle userid example yourusername your_username yourcompany
    yourtwitterhandle""".split()
)


def is_placeholder(word: str) -> bool:
    """True for the words citation guides write where a handle goes (`username`, `handle`)."""
    key = word.strip().lstrip("@").lower()
    return key in PLACEHOLDERS or " " in key or key.replace(" ", "") in PLACEHOLDERS


def quote_at(text: str, pos: int) -> re.Match[str] | None:
    """The quoted text at `pos` (its `title`), if a quote opens there."""
    return (STRAIGHT_QUOTED_RE if text.startswith('"', pos) else QUOTED_RE).match(text, pos)


def apa_or_rendered(text: str, cue: re.Match[str]) -> Citation | None:
    """`[@h]. (date). Text [Tweet]. Twitter.` or `[@h] (date). "Text" (Tweet) – via Twitter.`"""
    paren = DATE_PAREN_RE.match(text, cue.end())
    if paren is None:
        return _apa_undated(text, cue)
    # APA's (n.d.), or only the year: no day given
    undated = NO_DATE_RE.match(text, paren.end()) or YEAR_ONLY_RE.match(text, paren.end())
    when = None if undated else find_date(text, paren.end(), reach=48, wrap=True)
    close = when.end + text.startswith(".)", when.end) if when else 0  # Korean `(2022. 3. 10.)`
    if undated is None and (when is None or not text.startswith(")", close)):
        return None
    pos = undated.end() if undated else close + 1
    pos += len(AFTER_QUOTE_RE.match(text, pos).group(0))  # type: ignore[union-attr]
    marker = None
    for form in (quote_at, BARE_TITLE_RE.match):  # a text that opens with a quote may go on
        title_m = form(text, pos)
        marker = MARKER_RE.match(text, title_m.end()) if title_m else None
        if marker is not None:
            break
    if title_m is None or marker is None:
        return None
    generic = marker.group("marker").lower() in ("post", "thread")
    if generic and not names_x(text, marker.end()):
        return None  # APA's `[Post]` of any platform, `[Post]. Threads.`: only X's are X's
    apa = text[marker.start("marker") - 1] == "[" or text.startswith(".", cue.end())
    style = "apa" if apa else "wikipedia"  # Wikipedia renders `[@h] (date)`, no full stop
    end = platform_end(text, marker.end())
    title = clean_title(title_m.group("title"))
    cited = Citation(style, cue.start(), end, None, None, None, title=title)
    if when is not None:
        cited.date, cited.date_text = when.date, when.text
    else:  # (n.d.) or the year alone; a day after the platform (`Twitter, 9 May 2019.`) dates it
        cited.date_text = undated.groupdict().get("year") or "n.d."  # type: ignore[union-attr]
        _dated_after_platform(text, cited)
    return cited


def _apa_undated(text: str, cue: re.Match[str]) -> Citation | None:
    """APA 6 with the date left out: `Name [@h] Text [Tweet]. Retrieved from URL`: only with
    the marker `[Tweet]` and X named after it (or its URL)."""
    title_m = BARE_TITLE_RE.match(text, cue.end() + len(AFTER_QUOTE_RE.match(text, cue.end())[0]))
    marker = MARKER_RE.match(text, title_m.end()) if title_m else None
    if marker is None or marker.group("marker").lower() != "tweet":
        return None
    if not text.startswith("[", marker.start("marker") - 1) or not names_x(text, marker.end()):
        return None
    end = platform_end(text, marker.end())
    cited = Citation("apa", cue.start(), end, None, None, None, None, "n.d.")
    cited.title = clean_title(title_m.group("title"))  # type: ignore[union-attr]
    quoted = QUOTED_RE.fullmatch(cited.title)
    cited.title = quoted["title"].strip() if quoted else cited.title
    if _dated_after_platform(text, cited):  # ISO 690: `« Text » [Tweet]. Twitter, 31 mai 2017.`
        cited.style = "iso690"
    return cited


def _dated_after_platform(text: str, cited: Citation) -> bool:
    """Date `cited` by the day right after its platform's comma (`Twitter, 9 May 2019.`), never
    an access date there (`Twitter, consulté le …`); whether it was."""
    end = cited.end
    when = find_date(text, end, reach=40) if text.endswith(",", 0, end) else None
    if when is None or text[end : when.start].strip():
        return False
    cited.date, cited.date_text = when.date, when.text
    cited.end = when.end + text.startswith(".", when.end)
    return True


# Chicago's in-text citation: `"Text" (@ConanOBrien, April 22, 2015).`
IN_TEXT_QUOTE_RE = re.compile(
    rf"[{OPEN_QUOTES}](?P<title>[^{CLOSE_QUOTES}\n]{{1,800}})[{CLOSE_QUOTES}][ \t\u00a0]*\Z"
)


def in_text(text: str, cue: re.Match[str]) -> Citation | None:
    """`(@h, April 22, 2015)`: the date, then the closing parenthesis; the text quoted right
    before it, if any, is the post's."""
    dated = _date_and_time(text, cue.end())
    if dated is None or not text.startswith(")", dated[2]):
        return None
    when, time, end = dated
    said = IN_TEXT_QUOTE_RE.search(text, max(0, cue.start() - 802), cue.start())
    cited = Citation("chicago", cue.start(), end + 1, None, None, None, when.date, when.text, time)
    cited.title = clean_title(said.group("title")) if said else None
    return cited


def quoted(text: str, cue: re.Match[str]) -> Citation | None:
    """`(@h), "Text," Twitter, April 22, 2015, 11:10 a.m., URL.` and the MLA forms; the handle
    first (`@h (Name), "Text," Twitter, …`); `[@h]. "Text." Tweet. Twitter, May 31, 2017.`"""
    name = NAME_AFTER_RE.match(text, cue.end()) if cue.groupdict().get("a") else None
    sep = SEPARATOR_RE.match(text, name.end() if name else cue.end())
    if sep is None:
        return None
    title_m = quote_at(text, sep.end())
    if title_m is None:
        return None
    pos = title_m.end() + len(AFTER_QUOTE_RE.match(text, title_m.end()).group(0))  # type: ignore[union-attr]
    marked = TWEET_MARK_RE.match(text, pos)  # Zotero's Chicago: `"…" Tweet. Twitter, May 31`
    platform = PLATFORM_RE.match(text, marked.end() if marked else pos)
    if platform is None and (sep.group("sep") == "," or name) and cue.groupdict().get("a"):
        # `@bob, "a great guy", Jan 5`: prose, unless the platform is named; `@h (Name). "…"
        # Twitter, 12 Aug. 2017`: MLA 9's handle first, but with no platform MLA 7's `Name
        # (handle).` with a name that starts with @
        return None
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
    title = clean_title(title_m.group("title"))
    author = " ".join(name.group("name").split()) if name else None
    return Citation(style, cue.start(), end, None, None, author, when.date, when.text, time, title)


def _date_and_time(text: str, pos: int) -> tuple[FoundDate, str | None, int] | None:
    """The date written at `pos`, the clock time after it if any, and where they end."""
    when = find_date(text, pos, reach=48, wrap=True)
    if when is None:
        return None
    clock = find_time(text, when.end)
    return (when, *clock) if clock is not None else (when, None, when.end)


def bluebook(text: str, cue: re.Match[str]) -> Citation | None:
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
        end += len(ARCHIVED_RE.match(text, end).group(0))  # type: ignore[union-attr]
        past_url = with_url(text, end)  # the parenthetical may follow the URL (and its copy)
        if past_url > end:
            copy = PERMA_RE.match(text, past_url)
            after = copy.end() if copy else past_url
            if PARENTHETICAL_RE.match(text, after):
                end = after
    else:
        past_url = with_url(text, end)
        if past_url == end and not ENTRY_GOES_ON_RE.match(text, end):
            return None  # `(@h), Twitter, June 15, 2022 was the day…`: prose, not a footnote
        end = past_url + len(ARCHIVED_RE.match(text, past_url).group(0))  # type: ignore[union-attr]
    said = PARENTHETICAL_RE.match(text, end)
    title = clean_title(said.group("title")) if said else None
    cited = Citation("bluebook", cue.start(), said.end() if said else end, None, None, None)
    cited.date, cited.date_text, cited.time, cited.title = when.date, when.text, time, title
    return cited


def harvard(text: str, cue: re.Match[str]) -> Citation | None:
    """`[@h] (2019) 'Text'. Twitter, 13 June.` or `(@h) (2012) Text [Twitter]. 7 November.`"""
    m = HARVARD_RE.match(text, cue.end())
    year = m and (m.group("year") or m.group("leeds") or year_before(text, cue.start()))
    if m is None or not year:
        return None
    written = f"{m.group('day')} {year if isinstance(year, str) else year.group('year')}"
    when = find_date(written, 0)
    if when is None:
        return None
    title = clean_title(m.group("quoted") or m.group("bare"))
    cited = Citation("harvard", cue.start(), m.end(), None, None, None, when.date, written)
    cited.title = title
    return cited


def mla7_after(text: str, pos: int) -> bool:
    """MLA 7 names the account without an @ and ends the entry with "Tweet."."""
    return TWEET_WORD_RE.search(text, pos, pos + 1000) is not None


MARKDOWN_ESCAPE_RE = re.compile(r"\\([#_*\[\]`~])")  # `\#crdh2019`, `\_`: Markdown's escapes
EMPHASIS_RE = re.compile(r"([_*]{1,2})(?=\S)((?:(?!\1).)+)(?<=\S)\1")  # `_Title_`, whole


def clean_title(raw: str) -> str:
    """An entry's title as text: spaces collapsed, soft hyphens (a typesetter's, where a word
    may break), Markdown's escapes and whole-title emphasis (an italic title) dropped."""
    title = " ".join(raw.replace("\u00ad", "").split()).rstrip(",.\\").strip()  # `\[Tweet\]`
    if "\\" in title:
        title = MARKDOWN_ESCAPE_RE.sub(r"\1", title)
    whole = EMPHASIS_RE.fullmatch(title)
    return whole[2] if whole else title


def harvard_platform_near(text: str, pos: int) -> bool:
    """Whether `Twitter` or `[X]` is written within a title's reach of `pos` (a fast search,
    before the entry's pattern is tried on every `(2019) @handle '` of a text)."""
    return text.find("Twitter", pos, pos + 900) >= 0 or text.find("[X]", pos, pos + 900) >= 0


def year_before(text: str, pos: int) -> re.Match[str] | None:
    """`(2016) ` right before `pos` (Harvard's year, written before the handle)."""
    return HARVARD_YEAR_BEFORE_RE.search(text, max(0, pos - 8), pos)
