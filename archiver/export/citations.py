"""Citations of a post in APA 7, MLA 9 and Chicago 17 (note and bibliography), written by archiver
itself: deterministic, plain text, with the archived copy cited beside the original.

The forms follow the style guides' own guidance for posts on X (formerly Twitter):
- APA Style, "Twitter references" (Publication Manual, 7th ed., 10.15): `Name [@handle]. (Year,
  Month Day). First 20 words of the post, a URL, hashtag or emoji counting as one word and none
  added [Image attached] [Post]. X. URL`; nothing is added after the 20th word.
- MLA Style Center, "How do I cite a tweet?" and MLA Handbook, 9th ed.: `Name [@handle]. "Full
  text of the post." X, Day Mon. Year, time, URL.`: the whole text as title, its own double
  quotation marks turned single, the period inside the closing quotation mark.
- The Chicago Manual of Style, 17th ed., 14.209 (social media): note `Name (@handle), "Up to
  the first 160 characters," X, Month Day, Year, time, URL.`; bibliography `Name (@handle). "…"
  X, Month Day, Year, time. URL.`
Times are given in UTC and say so, since a post's time depends on the reader's time zone.
A post that is gone is cited by its public archived copy (APA, MLA and Chicago all send the reader
to the copy that can still be seen); a sentence after the reference names the other copies: the
post's own URL, the public copy and the bundle's record digest.

The same references come out of the official CSL styles (apa.csl,
modern-language-association.csl, chicago-notes-bibliography-17th-edition.csl) fed with
`csl.item(c, style)`; tests/test_citations.py renders them with citeproc-py to check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime

from ..text import for_plain_text
from . import bibtex, csl, wikitext
from .citable import (
    Citable,
    Recovery,
    apa_date,
    apa_title,
    archive_note,
    author,
    chicago_date,
    cited_url,
    mla_date,
    posted,
    quoted_title,
    stamp,
)

__all__ = [
    "Citable",
    "Recovery",
    "apa",
    "mla",
    "chicago",
    "chicago_bibliography",
    "bibtex",
    "csl",
    "files",
]
ENDS_SENTENCE_RE = re.compile(r"[.?!][’']*$")


def _sentence(text: str) -> str:
    """`text` ending as a sentence inside a closing quotation mark: `…city.` / `…gates?`."""
    return text if ENDS_SENTENCE_RE.search(text) else text + "."


def _clause(text: str) -> str:
    """`text` ending a Chicago note's title: the comma replaces a final period."""
    if ENDS_SENTENCE_RE.search(text) and not text.rstrip("’'").endswith("."):
        return text
    return (text[:-1] if text.endswith(".") else text) + ","


def _tail(reference: str, c: Citable, date: Callable[[datetime], str]) -> str:
    note = archive_note(c, date)
    return f"{reference} {note}" if note else reference


def _stamp(c: Citable, date: Callable[[datetime], str], before: str = "", after: str = "") -> str:
    when = stamp(c, date)
    return f"{before}{when}{after}" if when else ""


def apa(c: Citable) -> str:
    """APA 7 reference-list entry."""
    when = posted(c)
    date = apa_date(when) if when else "n.d."
    ref = f"{author(c)}. ({date}). {apa_title(c)} [Post]. X. {cited_url(c)}"
    return _tail(ref, c, apa_date)


def mla(c: Citable) -> str:
    """MLA 9 works-cited entry."""
    text = _sentence(quoted_title(c))
    ref = f"{author(c)}. “{text}” X, {_stamp(c, mla_date, after=', ')}{cited_url(c)}."
    return _tail(ref, c, mla_date)


def chicago(c: Citable) -> str:
    """Chicago 17 note (14.209)."""
    text = _clause(quoted_title(c, 160))
    ref = f"{author(c, '()')}, “{text}” X, {_stamp(c, chicago_date, after=', ')}{cited_url(c)}."
    return _tail(ref, c, chicago_date)


def chicago_bibliography(c: Citable) -> str:
    """Chicago 17 bibliography entry."""
    text = _sentence(quoted_title(c, 160))
    ref = f"{author(c, '()')}. “{text}” X{_stamp(c, chicago_date, before=', ')}. {cited_url(c)}."
    return _tail(ref, c, chicago_date)


def files(items: list[Citable]) -> list[tuple[str, bytes]]:
    """Every citation file of a bundle, as (name under data/citations/, content)."""

    def lines(fn) -> bytes:  # type: ignore[no-untyped-def]
        text = "\n\n".join(fn(c) for c in items) + "\n"
        return for_plain_text(text).encode()  # a post's ESC or NUL shown, never passed on

    def items_json(style: str | None) -> bytes:
        data = [csl.item(c, style) for c in items]
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()

    return [
        ("apa.txt", lines(apa)),
        ("mla.txt", lines(mla)),
        ("chicago.txt", lines(chicago)),
        ("chicago-bibliography.txt", lines(chicago_bibliography)),
        ("citations.bib", lines(bibtex.misc)),
        ("citations-biblatex.bib", lines(bibtex.online)),
        ("cite-tweet.wiki", lines(wikitext.cite_tweet)),
        ("citations.csl.json", items_json(None)),
        ("apa.csl.json", items_json("apa")),
        ("mla.csl.json", items_json("mla")),
        ("chicago.csl.json", items_json("chicago")),
    ]
