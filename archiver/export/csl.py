"""CSL-JSON items (Citation Style Language 1.0.2 data) for reference managers and CSL processors.

A CSL style cannot shorten a title, and the guides quote different lengths of a post (APA the
first 20 words, MLA all of it, Chicago up to 160 characters), so besides the plain item there is
one per style, made so that the official style renders archiver's own reference:
- `apa`: the title carries `[Image attached]`, the genre `Post` gives `[Post]`;
- `mla`, `chicago`: the author as that style writes it, inner quotes single, and `issued` as a
  literal date with the UTC time (CSL dates have no time of day), no genre.
Each item keeps the archived copies in `note`, which reference managers show and the three
styles do not print.
"""

from __future__ import annotations

import re

from .citable import (
    Citable,
    apa_title,
    archive_note,
    author,
    chicago_date,
    cited_url,
    mla_date,
    posted,
    quoted_title,
    shown_text,
    stamp,
)

LANG_RE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
NOT_LANGUAGES = ("und", "zxx", "art")  # X's labels for no language; q* are its private codes


def language(code: str | None) -> str | None:
    """A BCP 47 tag for the post's language, or None for X's "no language" labels."""
    code = (code or "").strip()
    if not LANG_RE.fullmatch(code) or code in NOT_LANGUAGES or code.startswith("q"):
        return None
    return code


def _parts(when) -> dict[str, list[list[int]]]:  # type: ignore[no-untyped-def]
    return {"date-parts": [[when.year, when.month, when.day]]}


def item(c: Citable, style: str | None = None) -> dict[str, object]:
    """The CSL-JSON item for a post; `style` is None, "apa", "mla" or "chicago"."""
    when = posted(c)
    data: dict[str, object] = {
        "id": f"x-{c.status_id}",
        "type": "post",
        "author": [{"literal": author(c, "()" if style == "chicago" else "[]")}],
        "title": shown_text(c),
        "container-title": "X",
        "URL": cited_url(c),
    }
    if style in (None, "apa"):
        data["genre"] = "Post"
        if when:
            data["issued"] = _parts(when)
    if style == "apa":
        data["title"] = apa_title(c)
    elif style == "mla":
        data["title"] = quoted_title(c)
    elif style == "chicago":
        title = quoted_title(c, 160)
        data["title"] = title[:-1] if title.endswith(".") else title
    if style in ("mla", "chicago") and when:
        data["issued"] = {"literal": stamp(c, mla_date if style == "mla" else chicago_date)}
    if c.accessed:
        data["accessed"] = _parts(c.accessed)
    if lang := language(c.lang):
        data["language"] = lang
    if note := archive_note(c):
        data["note"] = note
    return data
