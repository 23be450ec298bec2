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
        parts = (
            iso.groups() if iso else (self.plain("year"), self.plain("month"), self.plain("day"))
        )
        year, month, day = parts
        month_number = (
            int(month)
            if month.isdigit()
            else MONTHS.index(month[:3].lower()) + 1
            if month[:3].lower() in MONTHS
            else None
        )
        try:
            return date(int(year), month_number, int(day)) if month_number and day else None
        except ValueError:
            return None


def find_entries(text: str) -> Iterator[Entry]:
    """Every entry of `text` that names a post's URL or an author's handle, in order."""
    if "@" not in text or "{" not in text:
        return
    for m in ENTRY_RE.finditer(text):
        entry = _read(text, m)
        if entry is not None and (
            any("/status" in entry.fields.get(name, "") for name in ("url", "howpublished", "note"))
            or "@" in entry.fields.get("author", "")
        ):
            yield entry


def _read(text: str, m: re.Match[str]) -> Entry | None:
    entry = Entry(m.start(), m.end(), m.group("type").lower())
    pos, limit = m.end(), min(len(text), m.start() + MAX_ENTRY)
    while pos < limit:
        name = FIELD_RE.match(text, pos, limit)
        if name is None:
            break
        start = name.end()
        end = _value_end(text, start, limit)
        if end is None:
            return None
        entry.fields[name["name"].lower()] = text[start:end].strip().strip('{}"')
        entry.spans[name["name"].lower()] = (start, end)
        pos = end
        while pos < limit and text[pos] in " \t\r\n#":
            pos += 1  # `#` joins strings: their parts are read as one value
        if pos < limit and text[pos] == ",":
            pos += 1
    while pos < limit and text[pos] in " \t\r\n":
        pos += 1
    if pos >= limit or text[pos] != "}":
        return None
    entry.end = pos + 1
    return entry


def _value_end(text: str, start: int, limit: int) -> int | None:
    """Where the value starting at `start` ends: its closing brace or quote, or its bare word."""
    if start >= limit:
        return None
    opener = text[start]
    if opener in '{"':
        depth, pos = 0, start
        while pos < limit:
            char = text[pos]
            if char == "\\":
                pos += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0 and opener == "{":
                    return pos + 1
                if depth < 0:
                    return None
            elif char == '"' and opener == '"' and pos > start and depth == 0:
                return pos + 1
            pos += 1
        return None
    bare = BARE_RE.match(text, start, limit)
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
