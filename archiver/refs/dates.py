"""Dates as documents write them, in every language CLDR knows.

`December 6, 2024`, `6 December 2024`, `28 de marzo de 2017`, `6. joulukuuta 2024`,
`24 марта 2019 г.`, `٦ ديسمبر ٢٠٢٤`, `2019年3月24日`, `2019년 3월 24일`, `6 tháng 12, 2024`,
Twitter's Japanese widget forms `2016, 2月 9` and `2月 22, 2012`, APA's `(2020, September 2)`.

A date is read as tokens, not as one pattern per locale: a month name (any CLDR locale's wide or
abbreviated name, in format or stand-alone form, from the table in cldr.py), a four-digit or
year-marked number (the year), a number of at most two digits, perhaps marked (`24日`, `6th`:
the day), and the words patterns put between them (`de`, `gada`, `г.`). Any digits count
(Arabic-Indic, Devanagari…). An all-digit date is read only when its order is certain: year
first, or the order of the language given.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import NamedTuple

TOKEN_RE = re.compile(r"[^\s,.;:/\\\-–—()\[\]{}\"'«»“”„‚‘’،、。·|<>\u200e\u200f\u061c⹁]+")
PIECE_RE = re.compile(r"\d+[年月日년월일]|\d+\D*|\D+")  # `6日星期五`: the weekday is its own
NUMBER_RE = re.compile(r"(\d+)(\D*)")
SPACES_RE = re.compile(r"[\s\u00a0\u202f]+")
FAST_RE = re.compile(
    r"[ \t]*(?:([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})|(\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4}))"
    r"(?![\w.])"
)
TIME_RE = re.compile(
    r"(?<!\d)(?P<h>\d{1,2})[:.h](?P<m>\d{2})(?::\d{2})?\s?(?P<ap>[aApP])?(?(ap)\.?\s?[mM]\.?)"
)
# English names as CLDR's table has them, so that the commonest dates need not load it.
ENGLISH_MONTHS = {
    name: n
    for n, names in enumerate(
        [
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sep sept",
            "october oct",
            "november nov",
            "december dec",
        ],
        1,
    )
    for name in names.split()
}
BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u200b\ufeff"))
ORDINALS = frozenset("st nd rd th er e ème eme º ª o a".split())
MAX_TOKENS = 12
MAX_GAP = 4  # characters of separators between two tokens of one date


def normalize(word: str) -> str:
    """The key a month name or pattern word is looked up by: NFC, case-folded, one space."""
    word = unicodedata.normalize("NFC", word.translate(BIDI)).casefold()
    return SPACES_RE.sub(" ", word).strip().rstrip(".")


@dataclass(frozen=True)
class _Table:
    months: dict[str, int]
    overrides: dict[str, dict[str, int]]
    order: dict[str, str]
    glue: frozenset[str]
    attached: tuple[str, ...]
    trailing: frozenset[str]
    year_marks: frozenset[str]
    day_marks: frozenset[str]
    longest: int  # the most tokens one month name spans
    first_words: dict[str, tuple[int, ...]]  # first token of a name of several: their lengths


# Words of dates as people write them that CLDR's patterns leave out: Vietnamese `ngày 2 tháng
# 4 năm 2020` (CLDR's `2 tháng 4, 2020`), viwiki's rendering
EVERYDAY_GLUE = ("năm", "ngày")


@cache
def _table() -> _Table:
    from . import cldr  # loaded on first use: start-up never pays for it

    months = {name: n for n, names in enumerate(cldr.MONTHS, 1) for name in _words(names)}
    longest = max(len(TOKEN_RE.findall(name)) for name in months)
    spans: dict[str, set[int]] = {}
    for name in months:
        tokens = _tokens_of(name)
        if len(tokens) > 1:
            spans.setdefault(tokens[0], set()).add(len(tokens))
    first_words = {word: tuple(sorted(lengths, reverse=True)) for word, lengths in spans.items()}
    return _Table(
        months,
        _overrides(cldr.OVERRIDES),
        dict(item.split(":") for item in cldr.NUMERIC_ORDER.split("|")),
        frozenset(_words(cldr.GLUE)) | {_key(word) for word in EVERYDAY_GLUE},
        tuple(_words(cldr.ATTACHED)),
        frozenset(_words(cldr.TRAILING)),
        frozenset(_words(cldr.YEAR_MARKS)),
        frozenset(_words(cldr.DAY_MARKS)) | ORDINALS,
        longest,
        first_words,
    )


def _words(line: str) -> list[str]:
    return [word.replace("_", " ") for word in line.split("|") if word]


def _overrides(line: str) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for part in line.split(";"):
        lang, _, words = part.partition(":")
        pairs = (item.rpartition("=") for item in words.split(",") if item)
        out[lang] = {name.replace("_", " "): int(n) for name, _, n in pairs}
    return out


def month_number(word: str, lang: str | None = None) -> int | None:
    """The month a name stands for (`Dezember`, `марта`, `2月`), or None."""
    return _lookup(normalize(word), lang, _table())


def _tokens_of(name: str) -> list[str]:
    return [_key(name[a:b]) for a, b in _tokens(name, 0, len(name))]


def _language(lang: str) -> str:
    return lang.replace("-", "_").split("_")[0].lower()


class FoundDate(NamedTuple):
    """A date found in a text: the day it names and where it is written."""

    date: date
    start: int
    end: int
    text: str


def _tokens(text: str, pos: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each token, digit runs split from what follows them (`2019年3月24日`)."""
    out: list[tuple[int, int]] = []
    for m in TOKEN_RE.finditer(text, pos, end):
        if len(out) > MAX_TOKENS:
            break
        start = m.start()
        for piece in PIECE_RE.findall(m.group(0)):
            out.append((start, start + len(piece)))
            start += len(piece)
    return out


def find_date(
    text: str, pos: int = 0, lang: str | None = None, reach: int = 80, wrap: bool = False
) -> FoundDate | None:
    """The date written at `pos` (leading spaces skipped), or None when none starts there.
    With `wrap`, where a date is expected (a reference-list entry), one line break may cut it:
    `1 May` / `2011`, as a PDF or a hard-wrapped list writes it."""
    fast = _fast(text, pos, lang)
    if fast is not None:
        return fast
    table = _table()
    tokens = _tokens(text, pos, min(len(text), pos + reach))
    if not tokens or text[pos : tokens[0][0]].strip():
        return None
    year = month = day = None
    numbers: list[int] = []  # bare numbers of one or two digits
    year_first = False
    first, last, i = tokens[0][0], tokens[0][0], 0  # `last`: the end of the date so far
    seen = first  # the end of the last token read, glue included
    while i < len(tokens):
        start, end = tokens[i]
        if i and _gap_too_wide(text, seen, start, wrap):
            break
        kind, value, used = _classify(text, tokens, i, lang, table)
        if kind == "stop":
            break
        i += used
        seen = tokens[i - 1][1]
        if kind == "glue":
            continue
        last = tokens[i - 1][1]
        if kind == "year" and year is None:
            year = value
            year_first = not numbers and month is None and day is None
        elif kind == "month" and month is None:
            month = value
        elif kind == "day" and day is None:
            day = value
        elif kind == "number":
            numbers.append(value)
        else:
            break
        if len(numbers) + sum(v is not None for v in (year, month, day)) >= 3:
            break
    order = "ymd" if year_first else _order(lang, table) if lang else None
    year, month, day = _settle(year, month, day, numbers, order)
    if year is None or month is None or day is None:
        return None
    last = _trailing(text, last, tokens, table)
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return FoundDate(found, first, last, text[first:last])


def _fast(text: str, pos: int, lang: str | None) -> FoundDate | None:
    """The commonest forms (`December 6, 2024`, `6 Dec 2024`) without the token machinery."""
    m = FAST_RE.match(text, pos)
    if m is None:
        return None
    word, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(5), m.group(4))
    key = word.lower()
    month = ENGLISH_MONTHS.get(key) if lang is None else None
    if month is None:
        month = _lookup(key, lang, _table())
    if month is None:
        return None
    try:
        found = date(int(m.group(3) or m.group(6)), month, int(day))
    except ValueError:
        return None
    return FoundDate(found, m.start(1) if m.group(1) else m.start(4), m.end(), m.group(0).strip())


def _order(lang: str, table: _Table) -> str:
    tag = lang.replace("-", "_").lower()
    return table.order.get(tag) or table.order.get(_language(lang), "dmy")


def _gap_too_wide(text: str, last: int, start: int, wrap: bool = False) -> bool:
    gap = text[last:start]
    if wrap and gap.count("\n") == 1:  # the break and the next line's indent (a hanging one)
        before, _, after = gap.partition("\n")
        gap = before + after.lstrip(" \t")
    return len(gap) > MAX_GAP or "\n" in gap


def _key(word: str) -> str:
    return word.lower() if word.isascii() else normalize(word)


def _classify(
    text: str, tokens: list[tuple[int, int]], i: int, lang: str | None, table: _Table
) -> tuple[str, int, int]:
    """(kind, value, tokens used) for the token at `i`: year, month, day, number, glue or stop."""
    start, end = tokens[i]
    word = text[start:end]
    key = _key(word)
    for span in table.first_words.get(key, ()):  # names of several tokens: `tháng 12`, `ม.ค.`
        if span <= len(tokens) - i:
            if any(
                _gap_too_wide(text, tokens[j][1], tokens[j + 1][0]) for j in range(i, i + span - 1)
            ):
                continue
            month = month_number(text[start : tokens[i + span - 1][1]], lang)
            if month:
                return "month", month, span
    month = _lookup(key, lang, table)
    if month:
        return "month", month, 1
    number = NUMBER_RE.fullmatch(word)
    if number is None:
        if key in table.glue:
            return "glue", 0, 1
        month = _attached_month(key, lang, table)
        return ("month", month, 1) if month else ("stop", 0, 1)
    digits, mark = number.groups()
    value = int(digits)
    mark = _key(mark) if mark else ""
    if mark and mark not in table.year_marks and mark not in table.day_marks:
        tokens[i] = (start, start + len(digits))  # `2019Later`: a block glued after the date
        mark = ""
    if not mark:
        if len(digits) == 4 and value >= 1000:
            return "year", _gregorian(value), 1
        return ("number", value, 1) if len(digits) <= 2 else ("stop", 0, 1)
    if mark in table.year_marks and len(digits) == 4:
        return "year", _gregorian(value), 1
    if mark in table.day_marks and len(digits) <= 2:
        return "day", value, 1
    return "stop", 0, 1


def _lookup(key: str, lang: str | None, table: _Table) -> int | None:
    if lang:
        found = table.overrides.get(_language(lang), {}).get(key)
        if found:
            return found
    return table.months.get(key)


def _attached_month(key: str, lang: str | None, table: _Table) -> int | None:
    """A month name with a pattern's word written onto it (`בדצמבר`, `abenduaren`)."""
    for piece in table.attached:
        if key.startswith(piece) and len(key) > len(piece):
            found = month_number(key[len(piece) :], lang)
        elif key.endswith(piece) and len(key) > len(piece):
            found = month_number(key[: -len(piece)], lang)
        else:
            continue
        if found:
            return found
    return None


def _gregorian(year: int) -> int:
    return year - 543 if 2400 <= year <= 2800 else year  # the Thai solar calendar's era


def _settle(
    year: int | None,
    month: int | None,
    day: int | None,
    numbers: list[int],
    order: str | None,
) -> tuple[int | None, int | None, int | None]:
    """Give the bare numbers their places; all-digit dates only when the order is known
    (`order`: 'ymd', 'dmy', 'mdy', or None)."""
    if month is not None:
        if day is None and numbers:
            day = numbers.pop(0)
        return (year, month, day) if not numbers else (None, None, None)
    if year is None or len(numbers) != 2 or day is not None:
        return None, None, None
    a, b = numbers
    if order == "mdy":
        return year, a, b
    if order in ("dmy", "ymd"):  # ymd locales write the year first: the rest is month, day
        return (year, b, a) if order == "dmy" else (year, a, b)
    return (year, a, b) if a <= 12 < b else (year, b, a) if b <= 12 < a else (None, None, None)


def _trailing(text: str, last: int, tokens: list[tuple[int, int]], table: _Table) -> int:
    """Extend past a word a pattern ends with (`2019 г.`), with its full stop."""
    for start, end in tokens:
        if start < last:
            continue
        if start - last <= 2 and normalize(text[start:end]) in table.trailing:
            last = end + (text[end : end + 1] == ".")
        break
    return last


def parse_date(text: str, lang: str | None = None) -> date | None:
    """The first date written in `text` (`6 марта 2021 г.`, `2月 22, 2012`), or None."""
    for start, _end in _tokens(text, 0, len(text))[:MAX_TOKENS]:
        found = find_date(text, start, lang)
        if found:
            return found.date
    return None


def find_time(text: str, pos: int = 0, reach: int = 24) -> tuple[str, int] | None:
    """A clock time just after `pos` (`3:58 p.m.`, `15:58`, `15h58`) as ('15:58', end), or
    None."""
    m = TIME_RE.search(text, pos, min(len(text), pos + reach))
    if m is None or text[pos : m.start()].strip(" ,-–—\u00a0\u202fatà·"):
        return None
    hour, minute = int(m.group("h")), int(m.group("m"))
    period = (m.group("ap") or "").lower()
    if period == "p" and 12 < hour < 24:
        period = ""  # `20:52 pm`: a 24-hour time, its `pm` said twice
    if period and not 1 <= hour <= 12:
        return None
    hour = hour % 12 + (12 if period == "p" else 0) if period else hour
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}", m.end()
