"""The styles whose entry is one pattern read right after the author's handle, its date in it:
OSCOLA and AGLC, Vancouver, GOST, Harvard as Australian guides write it, AMA, and MLA and IEEE
as generators write them with the text unquoted."""

from __future__ import annotations

import re
from collections.abc import Callable

from .dates import find_date, find_time
from .platforms import X_NAME
from .styles import Citation, clean_title

# OSCOLA: `Name (@handle), 'Text' (X, 11 October 2024) <URL> accessed …`; AGLC (Australian
# legal), the handle first: `@h (Name), 'Text' (Twitter, 3 March 2020, 4.15pm) <URL>`, and
# `@AustLII, (Twitter, 10 December 2018, 8.26pm) <URL>` with no text.
OSCOLA_RE = re.compile(  # (one line break anywhere in it: a footnote's lines, as printed)
    r"(?:[ \t\u00a0]+\([^()\n]{1,60}\))?,[ \t\u00a0]*"
    # (the title ends at the quote its `(X,` follows: never runs into the next footnote's)
    r"(?:['‘](?P<title>(?:[^\n'’(]|['’](?![ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?\()|\((?!@)"
    r"|\n(?![ \t]*\n)){1,800}?)['’][ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?)?"
    r"\((?:Twitter|X),[ \t\u00a0]*(?P<date>(?:[^()\n]|\n(?![ \t]*\n)){4,40}?)\)"
)
# Vancouver (NLM, ICMJE): `Name [@handle]. Text [Internet]. Twitter; 2021 Dec 17 [cited 2021
# Dec 18]. Available from: URL` (`[Tweet]` where JMIR and BMJ write it, `[Tweet]. Twitter
# [Internet];` as generators do).
VANCOUVER_RE = re.compile(
    # (a long post's text cut short with `[...]` in it)
    r"\.?[ \t\u00a0]+(?P<title>(?:[^\[\n]|\[(?:\.\.\.|…)\]){1,800}?)"
    r"[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?\[(?:Internet|Tweet)\]\.?[ \t\u00a0]*"
    rf"(?:Twitter|{X_NAME})(?:[ \t\u00a0]*\[Internet\])?[ \t\u00a0]*;[ \t\u00a0]*"
    r"(?P<date>\d{4}[ \t\u00a0]+[A-Za-z]{3,9}\.?(?:[ \t\u00a0]+\d{1,2})?)"
    r"(?:[ \t\u00a0]*\[cited[^\]\n]{0,40}\])?\.?"
)
# Harvard as Australian guides write it (AGPS): `West, K [kanyewest] 2013, 'Text', tweet,
# 9 December, viewed 19 February 2014.`
AU_HARVARD_RE = re.compile(
    r"[ \t\u00a0]+(?P<year>\d{4}),[ \t\u00a0]*['‘\"“](?P<title>[^\n]{1,800}?)['’\"”],"
    r"[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?(?:tweet|post|Twitter post|X post|Twitter|X),[ \t\u00a0]*"
    r"(?P<day>\d{1,2}[ \t\u00a0]+[A-Za-z]{3,9})\b\.?"
)


def oscola(text: str, cue: re.Match[str]) -> Citation | None:
    """`(@h), 'Text' (X, 11 October 2024)`, then its URL in angle brackets."""
    return _dated("oscola", OSCOLA_RE, text, cue, lambda m: " ".join(m["date"].split()))


def vancouver(text: str, cue: re.Match[str]) -> Citation | None:
    """`[@h]. Text [Internet]. Twitter; 2021 Dec 17 [cited …].`, then `Available from: URL`."""
    return _dated("vancouver", VANCOUVER_RE, text, cue)


# GOST R 7.0.100-2018 (Russia; DSTU 8302:2015 in Ukraine writes it alike): `Медведев Д. А.
# [@MedvedevRussia]. Текст [Электронный ресурс] // Twitter. – 2022. – 24 февр.`: the text up
# to the first `//` (never past it: each entry is tried once), the platform, the year, then the
# day and month
GOST_RE = re.compile(
    r"\.?[ \t\u00a0]+(?P<title>(?:[^\n/]|/(?!/)){1,800}?)"
    r"[ \t\u00a0]*(?:\[[^\]\n]{1,40}\][ \t\u00a0]*)?"
    r"//[ \t\u00a0](?:Twitter|X)\.?[ \t\u00a0]*[–—-]?[ \t\u00a0]*(?P<year>\d{4})\.?"
    r"[ \t\u00a0]*[–—-]?[ \t\u00a0]*(?P<day>\d{1,2}[ \t\u00a0]+[^\W\d]{3,10}\.?)"
)


def gost(text: str, cue: re.Match[str]) -> Citation | None:
    """`[@h]. Text // Twitter. – 2022. – 24 февр.`: the year before the day and month."""
    return _dated("gost", GOST_RE, text, cue, lambda m: f"{m['day']} {m['year']}")


def au_harvard(text: str, cue: re.Match[str]) -> Citation | None:
    """`[h] 2013, 'Text', tweet, 9 December`: the year after the handle, the day at the end."""
    return _dated("harvard", AU_HARVARD_RE, text, cue, lambda m: f"{m['day']} {m['year']}")


def _dated(
    style: str,
    entry: re.Pattern[str],
    text: str,
    cue: re.Match[str],
    written: Callable[[re.Match[str]], str] = lambda m: m["date"],
) -> Citation | None:
    """The entry `entry` reads right after the cue: its `title`, and its date as `written`
    gives it; None when the text there is no such entry or its date does not read."""
    m = entry.match(text, cue.end())
    when = find_date(written(m), 0) if m else None
    if m is None or when is None:
        return None
    cited = Citation(style, cue.start(), m.end(), None, None, None, when.date, when.text)
    cited.title = clean_title(m.group("title")) if m.group("title") else None
    clock = find_time(written(m), when.end)  # `(Twitter, 3 March 2020, 4.15pm)`
    cited.time = clock[0] if clock else None
    return cited


# AMA (11th edition): `@AMAManual. Text. Posted March 7, 2019. Accessed March 10, 2019.` or
# `Name [@h]. Text. X. March 7, 2019. Accessed …`: the text runs to the date the access follows.
AMA_RE = re.compile(
    r"\.[ \t\u00a0]+(?P<title>(?:[^\n]|\n(?![ \t]*\n)){1,900}?)[ \t\u00a0\n]+"
    rf"(?:(?:Twitter|{X_NAME})\.[ \t\u00a0\n]+)?"
    r"(?:(?:Posted|Published)[ \t\u00a0]+)?"
    r"(?P<date>[A-Z][a-z]{2,8}\.?[ \t\u00a0]+\d{1,2},[ \t\u00a0]+\d{4})\."
    r"[ \t\u00a0\n]+Accessed\b[^.\n]{0,40}\."
)


# MLA as citation generators write it, the text unquoted: `@BillGates. Text. Twitter, 9 May
# 2019, 6:33 pm, twitter.com/BillGates/status/….`
MLA_UNQUOTED_RE = re.compile(
    r"\.[ \t\u00a0]+(?P<title>[^\n]{1,800}?)[.?!]?[ \t\u00a0]+(?:Twitter|X),[ \t\u00a0]+"
    r"(?P<date>\d{1,2}[ \t\u00a0]+[A-Z][a-z]{2,8}\.?[ \t\u00a0]+\d{4}"
    r"(?:,[ \t\u00a0]+\d{1,2}:\d{2}(?:[ \t\u00a0]*[AaPp]\.?[Mm]\.?)?)?)"
    r"(?=[,.;]|[ \t\u00a0]*(?:\r?\n|$|https?://))"  # the entry's end or its URL, not prose on
)


def mla_unquoted(text: str, cue: re.Match[str]) -> Citation | None:
    """`@h. Text. Twitter, 9 May 2019, 6:33 pm,` then the URL."""
    return _dated("mla", MLA_UNQUOTED_RE, text, cue)


def ama(text: str, cue: re.Match[str]) -> Citation | None:
    """`[@h]. Text. X. Posted March 7, 2019. Accessed March 10, 2019.`, then its URL."""
    return _dated("ama", AMA_RE, text, cue)


# IEEE as some guides write it, the text unquoted: `Gibson, W. [@GreatDismal], Text, Twitter,
# Jul. 20, 2015. [Online]. Available: URL` (the URL is read after it: platforms.with_url).
IEEE_UNQUOTED_RE = re.compile(
    r",[ \t\u00a0]+(?P<title>[^\n\[\]]{1,800}?),[ \t\u00a0]+(?:Twitter|X),[ \t\u00a0]+"
    r"(?P<date>[A-Z][a-z]{2,8}\.?[ \t\u00a0]+\d{1,2},[ \t\u00a0]+\d{4})\."
)


def ieee_unquoted(text: str, cue: re.Match[str]) -> Citation | None:
    """`[@h], Text, Twitter, Jul. 20, 2015.`, then `[Online]. Available: URL`."""
    return _dated("ieee", IEEE_UNQUOTED_RE, text, cue)
