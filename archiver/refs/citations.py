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
- OSCOLA: `Name (@handle), 'Text' (X, 11 October 2024) <URL>`; AGLC: `@handle, 'Text' (Twitter,
  3 March 2020, 4.15pm) <URL>`; Vancouver: `Name [@handle]. Text [Internet]. Twitter; 2021 Dec
  17 [cited …]. Available from: URL`; AMA: `@handle. Text. Posted
  March 7, 2019. Accessed March 10, 2019.` (or `Name [@handle]. Text. X. …`)
- Bluebook: `Name (@handle), Twitter (Jan. 8, 2021, 9:46 AM), URL` and `@handle, X (…)`, with a
  quoted parenthetical where one follows.
- wikitext: `{{cite tweet |user= |number= |title= |date=}}` (see wikitext.py).

A citation's handle is its author, never an account the document mentions; a handle that is a
template's placeholder (`[@username]`, `[@twitter handle]`) makes the entry a model, not a
citation, and gives nothing.
"""

from __future__ import annotations

import re

from . import bibtex, managers, ris
from .abnt import abnt
from .columns import in_columns, past_left_column
from .dated import ama, au_harvard, gost, ieee_unquoted, mla_unquoted, oscola, vancouver
from .dates import find_date
from .entries import KEPT_STOP_RE, saved_title
from .ids import plausible_id
from .platforms import BLUEBOOK_PLATFORM, BLUEBOOK_RE, elsewhere, other_platforms, with_url
from .ref import Ref, shown_post, within
from .styles import (
    NAME_AFTER_RE,
    OPEN_QUOTES,
    Citation,
    apa_or_rendered,
    bluebook,
    harvard,
    harvard_platform_near,
    in_text,
    is_placeholder,
    mla7_after,
    quoted,
    year_before,
)
from .urls import HANDLE, find_status_urls
from .wikitext import SCRIPT_PREFIX_RE, find_templates, shown

HANDLE_RE = re.compile(HANDLE)
ID_WITH_QUERY_RE = re.compile(r"(\d{1,19})[?&#/]")
# A footnote's number and a Bluebook signal before the author: `12 See Donald J. Trump (@…`.
SIGNALS = (  # and an explanatory parenthetical's `(quoting Name (@h), …)`
    r"(?:(?:see(?: also| generally)?,?|cf\.,?|e\.g\.,|accord,?|but see,?|compare|quoting|citing"
    r"|quoted in|cited in)\s+)*"
)
SIGNAL_RE = re.compile(f"^{SIGNALS}", re.IGNORECASE)  # a note's `See also Name (@…`
# A footnote's number before the author, as PDF text gives a superscript mark: `12 Conan O'Brien`
FOOTNOTE_NUMBER_RE = re.compile(r"^(\d{1,4})\.?(?:\s+|$)")
HYPHEN_BREAK_RE = re.compile(r"-\r?\n[ \t]*")
POST_BY_RE = re.compile(r"^(?:Tweet|Post|Twitter post|X post)s? (?:by|from) ", re.IGNORECASE)
ENTITY_END_RE = re.compile(r"&#?\w{1,10}$")  # `&amp;`: its `;` ends no citation
# The end of a sentence of prose before a citation: a word of three lowercase letters or more
# (not an initial, `D. J.`, nor `Inc.`, `Jr.`), or a quotation, then its stop and a space; a
# footnote's mark may follow (`day.[12]`)
SENTENCE_END_RE = re.compile(r"(?:\b[a-z]{3,}[.!?]|[.!?][\"”’])(?:\[\d{1,3}\])?[ \t\u00a0]+(?=\S)")
# Where a citation names its author's account. Each form starts with a literal the regex engine
# finds fast; they are looked for one at a time and their matches put in order. Each comes with
# characters a text must hold (one of them) for it to match at all: looking for one character is
# much faster than any search (looking for two is not).
CUES = (
    # [@handle]: APA, MLA 9, Wikipedia; `\[@handle\]` as converters to Markdown escape it
    # (a handle a line's end hyphenated, as typesetting does: `[@Kamala-` / `Harris]`)
    (re.compile(r"\[@(?P<b>[^\]\n\\]{1,30}(?:-\r?\n[ \t]*[^\]\n\\]{1,30})?)\\?\]"), ("[",)),
    # (@handle), "…": Chicago; (@handle). 2015. "…": Chicago author-date; (handle). "…": MLA 7
    (
        re.compile(
            rf"\((?P<p>@?{HANDLE})\)(?=[ \t\u00a0]*[.,]\s*(?:\d{{4}}\.\s*)?[{OPEN_QUOTES}])"
        ),
        tuple(OPEN_QUOTES),
    ),
    # @handle. "…" / @handle, "…" / @handle (date) / @handle, X (Mar. 1, 2024): Bluebook;
    # @handle. (2022, Nov. 16). Text [Twitter post]: APA with the handle as the author
    (
        re.compile(rf"@(?P<a>{HANDLE})(?=[.,]\s+[{OPEN_QUOTES}]|\.?\s+\(\w|{BLUEBOOK_PLATFORM})"),
        ("@",),
    ),
    # (@handle) (2012) or (@handle) 2012.: Harvard; (@handle), Twitter (Jan. 8, 2021): Bluebook
    (
        re.compile(
            rf"\((?P<h>@{HANDLE})\)(?=[ \t\u00a0]*\(\d{{4}}\)|[ \t\u00a0]\d{{4}}\.[ \t\u00a0]"
            rf"|{BLUEBOOK_PLATFORM})"
        ),
        ("(",),
    ),
    # Jones, A. (2016) @handle 'Text' [Twitter] 8 November: Harvard with the year first
    # (the `@` first, then the year behind it: a pattern that starts with a literal is skipped to)
    (re.compile(rf"@(?<=\(\d{{4}}\)[ \t\u00a0]@)(?P<y>{HANDLE})(?=,?[ \t\u00a0]+['‘\"“])"), ("@",)),
    # [handle]. (2012, November 6): APA 6, which wrote the handle without its @; [handle] 2013,
    # 'Text': Harvard as Australian guides write it
    (
        re.compile(
            rf"\[(?=[0-9_]*[A-Za-z])(?P<n>{HANDLE})\]"
            r"(?=\.?[ \t\u00a0]*\(\d{4},|[ \t\u00a0]+\d{4},[ \t\u00a0]*['‘\"“])"
        ),
        ("[",),
    ),
    # SOBRENOME, Nome. Texto. Local, 20 mar. 2020. Twitter: @handle.: ABNT (abnt.py)
    (re.compile(rf"(?<=[.,] )(?:Twitter|X): @(?P<r>{HANDLE})(?=\.)"), ("Twitter: @", "X: @")),
    # Name/@handle (2020) Text [X]. 11 August.: Harvard as Cite Them Right writes it
    (re.compile(rf"/(?<=[.\w]/)@(?P<s>{HANDLE})(?=[ \t\u00a0]+\(\d{{4}}\))"), ("@",)),
    # (@handle), 'Text' (X, 11 October 2024): OSCOLA
    (re.compile(rf"\((?P<o>@{HANDLE})\)(?=,[ \t\u00a0]*['‘])"), ("'", "‘")),
    # @h, 'Text' (Twitter, 3 March 2020, 4.15pm) / @h (Name), 'Text' (…) / @h, (Twitter, …):
    # AGLC, as Australian law writes it
    (
        re.compile(
            rf"@(?P<g>{HANDLE})(?=(?:[ \t\u00a0]+\([^()\n]{{1,60}}\))?,[ \t\u00a0]*"
            # (a footnote's line break in its title or before `(Twitter,`, as OSCOLA's)
            r"(?:['‘](?:[^\n'’(]|\((?!@)|\n(?![ \t]*\n)){1,800}?['’][ \t\u00a0]*"
            r"(?:\r?\n[ \t\u00a0]*)?)?"
            r"\((?:Twitter|X),)"
        ),
        ("(Twitter,", "(X,"),
    ),
    # @handle. Text. Posted March 7, 2019. Accessed March 10, 2019.: AMA; @handle. Text.
    # Twitter, 9 May 2019, 6:33 pm: MLA as citation generators write it
    (re.compile(rf"@(?P<m>{HANDLE})(?=\.[ \t\u00a0]+\S)"), ("Accessed", "Twitter, ", "X, ")),
    # "Text" (@handle, April 22, 2015): Chicago's in-text citation
    (
        re.compile(rf"\(@(?P<t>{HANDLE}),[ \t\u00a0]+(?=[A-Z][a-z]{{2,8}}\.?[ \t\u00a0]+\d)"),
        ("(@",),
    ),
)
NOT_BEFORE_AT = re.compile(r"[\w@/.&]")
IEEE_MARK_RE = re.compile(r"\[\d{1,4}\]")  # an IEEE reference list numbers its entries `[1]`
# An author's name followed by the post's text, quoted, before the handle (IEEE's generators)
TITLE_BEFORE_RE = re.compile(
    r"(?P<name>[^\"“”]{1,80}?),[ \t]*[\"“](?P<title>[^\"”]{1,800}?)[,.]?[\"”],?"
)
LIST_MARK_RE = re.compile(
    r"^\s*(?:\[\d{1,4}\]\s*|\[\^[^\]\s]{1,40}\]:\s*|\d{1,4}[.)]\s+|[-*•>]\s+)?"  # [^1]: Markdown's
    r"(?:[\^↑]\s*(?:[a-z]{1,2}\s+){0,8})?"  # the backlink to the text: `^ a b`, `↑`
)
MAX_NAME = 100
# A line above a `(@h)` that starts its own line is its author's name if it reads as one: short,
# capitalised, no link or markup (a footnote's number first: `21 Donald J. Trump`).
NAME_LINE_RE = re.compile(r"[ \t]*(?:\d{1,4}\.?[ \t]+)?[A-Z][\w.'’ \t-]{0,58}(?<![.:;,])[ \t]*$")


def find_citations(text: str, others: list[tuple[int, int]] | None = None) -> list[Citation]:
    """Every citation of a post in `text`, in order: templates first met, then entries. The
    handles of entries that cite another platform's post go to `others` (their spans): an
    Instagram or TikTok handle is not an account on X."""
    found = [
        cited
        for t in find_templates(text)
        if (cited := _from_template(t.start, t.end, t.params, t.web)).handle or cited.status_id
    ]
    found += [c for entry in bibtex.find_entries(text) if (c := managers.from_bibtex(text, entry))]
    found += [c for record in ris.find_records(text) if (c := managers.from_ris(text, record))]
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
    if not params.get("number") and params.get("url"):  # wiki.gg's and Fandom's: `url=`
        posts = find_status_urls(params["url"])
        if len(posts) == 1:
            params = {"number": posts[0].status_id, "user": posts[0].handle or "", **params}
    if not params.get("number") and plausible_id(params.get("2", "").strip()):
        params = {**params, "user": params.get("1", ""), "number": params["2"]}  # {{Tweet|h|id}}
    # (Wikipedia's {{Tweet}}, a post's quote: `|ID=`, `|name=`, `|text=`)
    number = params.get("number") or params.get("messageid") or params.get("id") or ""
    named = params.get("user") or params.get("username") or params.get("handle") or ""
    user = named.lstrip("@").strip()
    last, first = (
        params.get("last") or params.get("last1"),
        params.get("first") or params.get("first1"),
    )
    author = f"{first} {last}" if last and first else last or params.get("author")
    author = author or params.get("author1") or params.get("name")
    cited = Citation("wikitext", start, end, None, None, author or None)
    if HANDLE_RE.fullmatch(user) and not is_placeholder(user):
        cited.handle = user
    elif user:
        cited.warnings.append(f"user {user!r} is not a handle")
    number = number.strip()
    if ID_WITH_QUERY_RE.match(number):  # `|number=1585841080431321088?s=20`: copied with its URL's
        number = number[: ID_WITH_QUERY_RE.match(number).end(1)]  # type: ignore[union-attr]
    if number and plausible_id(number):
        cited.status_id = number
    elif number:
        cited.warnings.append(f"number {number!r} is not a post id")
    title = params.get("title") or SCRIPT_PREFIX_RE.sub("", params.get("script-title") or "")
    title = title or params.get("quote") or params.get("text") or ""
    cited.title = shown(title) or None
    saved = saved_title(cited.title) if web and cited.title else None
    if saved is not None and saved[1] is None and author and saved[0] != author:
        saved = None  # `Comedy is now legal on Twitter` by Elon Musk: a title of its own
    if saved is not None:  # `Name on Twitter: "Text" / Twitter`: a tool's title of the page
        cited.author_name = cited.author_name or saved[0]
        cited.title = saved[1]
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
    written = HYPHEN_BREAK_RE.sub("", written)  # `Kamala-` / `Harris`: one handle
    if is_placeholder(written):
        return None
    handle = written.lstrip("@") if HANDLE_RE.fullmatch(written.lstrip("@")) else None
    if hint == "p" and not written.startswith("@") and not mla7_after(text, cue.end()):
        return None  # "(word). "…"" is a citation only in MLA 7, which ends with "Tweet."
    platform = BLUEBOOK_RE.match(text, cue.end())
    cited = bluebook(text, cue) if platform else None
    # `, Twitter (` is Bluebook's alone; `, Twitter, June 15` may be another style's
    if cited is None and not (platform and platform.group(0).endswith("(")):
        cited = _other_styles(text, cue, hint)
    if cited is None:
        return None
    cited.handle, cited.handle_span = handle, (cue.start(), cue.end())
    if handle is None:
        cited.warnings.append(f"handle written as {written!r}")
    cited.end = with_url(text, cited.end, handle)
    if in_columns(text, cited.start, cited.end):
        cited.title = None  # its words may be the other column's
    if hint == "g":  # AGLC: `@h (Name), '…'`, the name after the handle, if any
        name = NAME_AFTER_RE.match(text, cue.end())
        cited.style, cited.author_name = "aglc", name["name"].strip() if name else None
    elif hint not in ("a", "t", "r"):  # `@h (Name)`: the name its entry gave; in-text none
        cited.author_name = _author(text, cue.start(), handle)
    if cited.style in ("bluebook", "chicago") and cited.author_name:  # a footnote's
        cited.author_name = SIGNAL_RE.sub("", cited.author_name) or None
    if hint != "r":  # (ABNT's entry starts where abnt.py found its author)
        cited.start = _entry_start(text, cue.start()) if cited.author_name else cue.start()
    if (
        cited.style == "chicago"
        and IEEE_MARK_RE.match(text, _entry_start(text, cue.start(), marks=False))
    ) or (
        cited.style in ("chicago", "bluebook")
        and "[Online]" in text[max(0, cited.end - 200) : cited.end]
    ):
        # `[1] N. Name (@h), "…," Twitter, …. [Online]. Available: URL` (`, Twitter (date)` is
        # Bluebook's alone, whatever numbers a footnote: `[1]` where a brief became text)
        cited.style = "ieee"
    titled = TITLE_BEFORE_RE.fullmatch(cited.author_name or "")
    if titled:  # `[1] NASA, "Text," [@NASA], Twitter, …`: the text before the handle
        cited.author_name = titled["name"]
        cited.title = cited.title or titled["title"]
    return cited


def _other_styles(text: str, cue: re.Match[str], hint: str) -> Citation | None:
    if hint == "y":  # `(2016) @handle 'Text' [Twitter]`: only Harvard writes it
        return harvard(text, cue) if harvard_platform_near(text, cue.end()) else None
    if hint in ("h", "s"):
        return harvard(text, cue)
    if hint in ("o", "g"):
        return oscola(text, cue)
    if hint == "m":
        return (ama(text, cue) if _holds(text, "Accessed") else None) or mla_unquoted(text, cue)
    if hint == "t":
        return in_text(text, cue)
    if hint == "r":
        return abnt(text, cue)
    return (
        (vancouver(text, cue) if any(_holds(text, w) for w in VANCOUVER_WORDS) else None)
        or (gost(text, cue) if _holds(text, "// Twitter") or _holds(text, "// X") else None)
        or apa_or_rendered(text, cue)
        or quoted(text, cue)
        or harvard(text, cue)
        or au_harvard(text, cue)
        or (ama(text, cue) if _holds(text, "Accessed") else None)
        or ieee_unquoted(text, cue)
    )


VANCOUVER_WORDS = ("Twitter;", "X;", "[Internet];")  # one of them before its date
_HELD: list = [None, {}]  # the text last asked about (held, so never another's), its answers


def _holds(text: str, word: str) -> bool:
    """`word in text`, looked for once per text (every cue of a long text asks it)."""
    if _HELD[0] is not text:
        _HELD[:] = [text, {}]
    answers = _HELD[1]
    if word not in answers:
        answers[word] = word in text
    return answers[word]


def _entry_start(text: str, cue_start: int, marks: bool = True) -> int:
    """Where the entry whose handle starts at `cue_start` begins: its line (the line above,
    when a `(@h)` starts its own: a short name the line's end cut off), table cell, the `; `
    that ends the citation before it in a footnote, or the `^` a rendered reference list run
    together on one line starts it with; past its list mark (unless not `marks`)."""
    line_start = text.rfind("\n", 0, cue_start) + 1
    if line_start > 1 and text[cue_start] == "(" and not text[line_start:cue_start].strip():
        above = text.rfind("\n", 0, line_start - 1) + 1
        if NAME_LINE_RE.match(text, above, line_start - 1):
            line_start = above
    floor = max(line_start, cue_start - MAX_NAME)  # (searches reach no further: linear time)
    bar = text.rfind("|", floor, cue_start)  # a table cell
    semi = text.rfind("; ", floor, cue_start)  # `…/status/1037…; Hillary Clinton (@…`
    while semi >= 0 and ENTITY_END_RE.search(text, max(line_start, semi - 12), semi):
        semi = text.rfind("; ", floor, semi)
    start = max(floor, bar + 1, semi + 2 if semi >= 0 else 0)
    caret = text.rfind(" ^ ", start, cue_start)  # `… Sky News. ^ UK Ministry of Defence [@…`
    start = caret + 1 if caret >= 0 else start
    start = past_left_column(text, start, cue_start)
    # past the prose a citation follows in a brief: `…on hold." Elon Musk (@elonmusk), …`
    for sentence in SENTENCE_END_RE.finditer(text, start, cue_start):
        start = sentence.end()
    lead = text[start:cue_start]
    if not marks:
        return start + len(lead) - len(lead.lstrip())
    mark = LIST_MARK_RE.match(lead)
    skip = mark.end() if mark else len(lead) - len(lead.lstrip())
    return start + skip


def _author(text: str, cue_start: int, handle: str | None) -> str | None:
    """The name an entry gives before its handle, past a footnote's number (`50 Cent (@50cent)`
    keeps its own: the handle starts with it)."""
    before = year_before(text, cue_start)  # Harvard's year, not part of the name
    name = text[_entry_start(text, cue_start) : before.start() if before else cue_start]
    name = " ".join(name.split()).strip(" ,\\")  # `Gruber, John \[@gruber\]`: Markdown's
    number = FOOTNOTE_NUMBER_RE.match(name)
    if number and not (handle or "").startswith(number[1]):
        name = name[number.end() :]
    name = POST_BY_RE.sub("", name)  # `Tweet by Donald J. Trump (@realDonaldTrump), Twitter (…)`
    if name.count("(") > name.count(")"):  # a citation in prose's parentheses: `tweets (Name`
        name = name[name.rfind("(") + 1 :].strip()
    if name.endswith(".") and not KEPT_STOP_RE.search(name):
        name = name[:-1].rstrip()  # `ALVES, Vanessa. (Vanessa_CI).`: the stop ends the name
    return name or None


def citation_ref(cited: Citation, document: str, match: str, offset: int = 0) -> Ref:
    """The ref of a citation found at `offset` (its line and column are set when kept)."""
    return shown_post(
        "citation",
        document,
        match,
        offset,
        cited.date,
        cited.status_id,
        handle=cited.handle,
        author_name=cited.author_name,
        date_text=cited.date_text,
        time=cited.time,
        style=cited.style,
        text=cited.title,
        warnings=list(cited.warnings),
    )
