"""Patterns looked for only around a cheap literal every match holds (a cue): much faster than
`finditer` for patterns the regex engine cannot skip ahead on (optional prefixes, lookbehinds).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

WINDOW = 4096  # past a cue, how far a whole match may run (query strings)
# A match that ends MARGIN characters before the search's end read nothing past it (the forms
# look at most nine characters further: `/photo/12`): it is the match on the whole text.
MARGIN = 16


def near(
    pattern: re.Pattern[str],
    cue: re.Pattern[str],
    text: str,
    back: int,
    ahead: int,
    past_spaces: bool = False,
) -> Iterator[re.Match[str]]:
    """Matches of `pattern`, looked for only around matches of `cue`: a cheap literal that every
    match holds, at most `back` characters into it, with at most `ahead` characters of the
    match's required part after it. Much faster than `finditer` for patterns the regex engine
    cannot skip ahead on (optional prefixes, lookbehinds).

    With `past_spaces`, for patterns that match no space, line break, quote, parenthesis or
    `>` (URLs), the search starts after the last of these before the cue. A match before it
    would hold a cue of its own, met earlier (so it was found then); only a non-ASCII stretch
    can hide one (`/ſtatus` is `/status` to a case-blind pattern), and there the search starts
    as before."""
    end = 0
    for c in cue.finditer(text):
        at = c.start()
        if at < end:
            continue
        low = max(end, at - back)
        if past_spaces:
            last = max(
                text.rfind(" ", low, at),
                text.rfind("\n", low, at),
                text.rfind('"', low, at),
                text.rfind("(", low, at),  # Markdown's [text](url), "(url)"
                text.rfind(">", low, at),  # <a …>url</a>
            )
            line = last
            while line > low and text[line] in " \t":  # a line's indentation
                line -= 1
            if (
                line > low
                and text[line] == "\n"
                and (text[line - 1] in "/\r.:" or _goes_on(text, line))
            ):
                last = _last_stop(text, low, line)  # perhaps a URL a PDF's line cut: look on
            if last >= low and text[low:last].isascii():
                low = last + 1
        reach = c.end() + ahead
        while (m := pattern.search(text, low, reach)) is not None:
            # The search saw a cut text; the match is real only if it holds on the whole text.
            whole = (
                m if m.end() + MARGIN <= reach else pattern.match(text, m.start(), c.end() + WINDOW)
            )
            if whole is None:
                low = m.start() + 1
                continue
            yield whole
            end = low = whole.end()
            if end >= c.end():
                break


def _last_stop(text: str, low: int, at: int) -> int:
    """`at` (a line break), or when a slash, a dot or a colon ends its line (a URL a PDF's line
    cut, which does not count), the last space, line break, quote, parenthesis or `>` before it."""
    while at > low and (text[at - 1 - (text[at - 1] == "\r")] in "/.:" or _goes_on(text, at)):
        at = max(
            text.rfind(" ", low, at),
            text.rfind("\n", low, at),
            text.rfind('"', low, at),
            text.rfind("(", low, at),
            text.rfind(">", low, at),
        )
        if at < low or text[at] != "\n":
            return at
    return at


def _goes_on(text: str, at: int) -> bool:
    """Whether the line after the break at `at` starts with a dot or a slash: a URL the
    typesetter cut before one (`https://twitter` / `.com/NASA/status/…`)."""
    nxt = at + 1
    while nxt < len(text) and text[nxt] in " \t":
        nxt += 1
    return text[nxt : nxt + 1] in (".", "/")
