"""BibTeX and BibLaTeX entries that cite a post: `@misc{key, author = {…}, title = {…}, year =
{2022}, month = {12}, day = {28}, url = {https://twitter.com/…/status/…}}` (`@online`, `@electronic`
and `@www` alike; the URL in `url`, `howpublished = {\\url{…}}` or `note`).

Fields are `name = {…}` (braces nested), `"…"` or a bare word or number (`month = jun`, a
month macro), split at the entry's top level only. The reader never raises and gives up on an
entry that does not close within MAX_ENTRY characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from .urls import HANDLE

ENTRY_RE = re.compile(r"@(?P<type>[A-Za-z]{2,20})[ \t]*\{[ \t]*[^\s,{}=]*[ \t]*,")
FIELD_RE = re.compile(r"\s*(?P<name>[A-Za-z][\w-]{0,30})\s*=\s*")
BARE_RE = re.compile(r"[^\s,{}\"#]+")
BRACE_RE = re.compile(r"[{}]")
QUOTED_RE = re.compile(r'["{]')  # inside a quoted value: its end, or a braced group
YEAR_RE = re.compile(r"\d{4}")
DAY_RE = re.compile(r"\d{1,2}")
MAX_ENTRY = 8192
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
# `Greta Thunberg - @GretaThunberg`, `Name [@handle]`, `@handle`: the account an author field names
AUTHOR_HANDLE_RE = re.compile(rf"(?:^|[\s(\[-])@(?P<handle>{HANDLE})(?![\w@.])")
LATEX_RE = re.compile(r"\\(?:url|href|textit|emph|textbf)\s*|[{}]|\\(?=[_&%#$])")
# LaTeX's accents and letters, as names are written in BibTeX: `Vo{\ss}`, `M{\"u}ller`, `\'{e}`
ACCENT_RE = re.compile(r"""\\(?P<mark>["'`^~=.]|[cvuHk](?=[{ ]))\s*\{?(?P<letter>[A-Za-z])\}?""")
MARKS = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "c": "\u0327",
    "v": "\u030c",
    "u": "\u0306",
    "H": "\u030b",
    "k": "\u0328",
}
LETTER_RE = re.compile(r"\\(?P<name>ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i)(?![A-Za-z])\s?")
LETTERS = dict(
    ss="ß", ae="æ", AE="Æ", oe="œ", OE="Œ", aa="å", AA="Å", o="ø", O="Ø", l="ł", L="Ł", i="ı"
)
SPACES_RE = re.compile(r"\s+")


@dataclass
class Entry:
    """One entry: its span, type and fields (as written, braces of the values' own kept)."""

    start: int
    end: int
    type: str
    fields: dict[str, str] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # each value's span

    def plain(self, name: str) -> str:
        """A field's value as text: LaTeX's accents as letters, its braces and commands gone,
        spaces collapsed."""
        value = self.fields.get(name, "")
        if "\\" in value:
            value = ACCENT_RE.sub(lambda m: m["letter"] + MARKS[m["mark"]], value)
            value = unicodedata.normalize("NFC", LETTER_RE.sub(lambda m: LETTERS[m["name"]], value))
        return SPACES_RE.sub(" ", LATEX_RE.sub("", value)).strip()

    def when(self) -> date | None:
        """The day `year`, `month` and `day` give (or BibLaTeX's `date = {2022-12-28}`)."""
        iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", self.plain("date"))
        year, month, day = (
            iso.groups() if iso else (self.plain("year"), self.plain("month"), self.plain("day"))
        )
        if month[:3].lower() in MONTHS:
            month = str(MONTHS.index(month[:3].lower()) + 1)
        if not (YEAR_RE.fullmatch(year) and DAY_RE.fullmatch(month) and DAY_RE.fullmatch(day)):
            return None
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            return None


def find_entries(text: str) -> Iterator[Entry]:
    """Every entry of `text` that names a post's URL or an author's handle, in order. Each
    brace's match is found once for the whole text, and an entry is read within its own
    braces: the time stays linear, however the braces are set."""
    if "@" not in text or "{" not in text:
        return
    cues = list(ENTRY_RE.finditer(text))
    if not cues:
        return
    pairs = _pairs(text)
    reach = 0
    for m in cues:
        close = pairs.get(text.find("{", m.start()))
        if m.start() < reach or close is None or close - m.start() > MAX_ENTRY:
            continue
        entry = _read(text, m, close, pairs)
        if entry is None:
            continue
        reach = entry.end
        if any(
            "/status" in entry.fields.get(name, "") for name in ("url", "howpublished", "note")
        ) or "@" in entry.fields.get("author", ""):
            yield entry


def _pairs(text: str) -> dict[int, int]:
    """Each `{` and the `}` that closes it (BibTeX counts braces, escaped or not)."""
    pairs, opened = {}, []
    for m in BRACE_RE.finditer(text):
        if m.group() == "{":
            opened.append(m.start())
        elif opened:
            pairs[opened.pop()] = m.start()
    return pairs


def _read(text: str, m: re.Match[str], close: int, pairs: dict[int, int]) -> Entry | None:
    """The entry whose braces end at `close`: its fields, each value's parts (`#` joins them)
    as one."""
    entry = Entry(m.start(), close + 1, m.group("type").lower())
    pos = m.end()
    while (name := FIELD_RE.match(text, pos, close)) is not None:
        parts, pos = [], name.end()
        while True:
            end = _value_end(text, pos, close, pairs)
            if end is None:
                return None
            parts.append(text[pos:end].strip().strip('{}"'))
            pos = end
            while pos < close and text[pos] in " \t\r\n":
                pos += 1
            if pos >= close or text[pos] != "#":
                break
            pos += 1
            while pos < close and text[pos] in " \t\r\n":
                pos += 1
        key = name["name"].lower()
        entry.fields[key], entry.spans[key] = "".join(parts), (name.end(), pos)
        if pos < close and text[pos] == ",":
            pos += 1
    return entry


def _value_end(text: str, start: int, close: int, pairs: dict[int, int]) -> int | None:
    """Where the value starting at `start` ends (before `close`): its closing brace or quote,
    or its bare word."""
    if start >= close:
        return None
    if text[start] == "{":
        end = pairs.get(start)
        return end + 1 if end is not None and end < close else None
    if text[start] == '"':
        pos = start + 1
        while (m := QUOTED_RE.search(text, pos, close)) is not None:
            if m.group() == '"':
                return m.end()
            end = pairs.get(m.start())  # a brace inside the quotes: its group is skipped
            if end is None or end >= close:
                return None
            pos = end + 1
        return None
    bare = BARE_RE.match(text, start, close)
    return bare.end() if bare else None


def split_author(author: str) -> tuple[str | None, str | None]:
    """An author field's name and the handle it gives (`Name - @handle`, `Name [@handle]`)."""
    m = AUTHOR_HANDLE_RE.search(author)
    if m is None:
        return author.strip() or None, None
    return author[: m.start()].strip(" -–—([") or None, m["handle"]


def date_text(entry: Entry) -> str | None:
    """The entry's date as written: BibLaTeX's `date`, or `year month day`."""
    written = entry.plain("date") or " ".join(
        entry.plain(name) for name in ("year", "month", "day") if entry.plain(name)
    )
    return written or None
