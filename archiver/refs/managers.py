"""What reference managers export, as citations of posts: BibTeX and BibLaTeX entries
(bibtex.py reads them), RIS records (ris.py) and CSL-JSON items (csl_items). A record
cites a post by its URL; with none, by the handle its author field gives and its day, when it
says it is a post on X.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from . import bibtex, ris
from .exports import objects_in
from .styles import Citation, is_placeholder
from .urls import find_status_urls

ON_X_FIELDS = ("howpublished", "note", "journal", "booktitle")  # a BibTeX entry's: `Twitter`
CSL_TYPES = frozenset({"post", "post-weblog", "webpage", "personal_communication"})
DATE_PART_RE = re.compile(r"\d{1,4}")


def from_bibtex(text: str, entry: bibtex.Entry) -> Citation | None:
    """`@misc{key, author = {…}, title = {…}, year = …, url = {…/status/…}}`."""
    return _from_record(
        text,
        ("bibtex", entry.start, entry.end),
        (entry.plain("author"), entry.spans.get("author")),
        entry.plain("title"),
        (entry.when(), bibtex.date_text(entry)),
        [entry.plain(name) for name in ("url", "howpublished", "note")],
        any(ris.ON_X_RE.search(entry.plain(n)) for n in ON_X_FIELDS),
    )


def from_ris(text: str, record: ris.Record) -> Citation | None:
    """`TY  - ELEC`, `AU  - Name [@h]`, `TI  - …`, `DA  - 2011/08/22/`, `UR  - …`, `ER  -`."""
    return _from_record(
        text,
        ("ris", record.start, record.end),
        (record.first("AU", "A1"), record.spans.get("AU") or record.spans.get("A1")),
        record.first("TI", "T1"),
        record.when(),
        record.tags.get("UR", []) + record.tags.get("L2", []),
        record.on_x(),
    )


def from_csl(item: dict, text: str) -> Citation | None:
    """A CSL-JSON item (csl_items) of a post, or None."""
    parts = item["date"]
    when = date(*parts) if len(parts) == 3 and _valid_day(parts) else None
    written = "-".join(str(p) for p in parts) or None
    author = (item["author"], None)
    return _from_record(
        text,
        ("csl-json", 0, 0),
        author,
        item["title"],
        (when, written),
        [item["url"]],
        item["on_x"],
    )


def _valid_day(parts: tuple) -> bool:
    try:
        date(*parts)
    except (TypeError, ValueError, OverflowError):
        return False
    return True


def _from_record(
    text: str,
    where: tuple[str, int, int],
    author: tuple[str, tuple[int, int] | None],
    title: str,
    when: tuple[date | None, str | None],
    urls: list[str],
    on_x: bool,
) -> Citation | None:
    """A reference manager's record of a post: the post its URL names, by the author its
    author field names (with the handle, when it gives one); with no URL, one that says it is
    a post on X and gives a handle and a day (they bound the post's id)."""
    post = next((found[0] for url in urls if (found := find_status_urls(url))), None)
    name, handle = bibtex.split_author(author[0])
    handle = None if handle and is_placeholder(handle) else handle
    if post is None and not (handle and when[0] and on_x):
        return None
    at = text.find(f"@{handle}", *author[1]) if handle and author[1] else -1
    return Citation(
        where[0],
        where[1],
        where[2],
        (at, at + 1 + len(handle)) if handle and at >= 0 else None,
        handle or (post.handle if post else None),
        name,
        when[0],
        when[1],
        title=title or None,
        status_id=post.status_id if post else None,
    )


def _parts(day: list) -> Iterator[str]:
    """A CSL date's parts as written, up to the first that is no number (`[[2020, null, 5]]`)."""
    for part in day[:3]:
        if not DATE_PART_RE.fullmatch(str(part)):
            return
        yield str(part)


def csl_items(values: list[object]) -> Iterator[dict[str, object]]:
    """CSL-JSON items (Zotero's, Mendeley's, Pandoc's) of a post: `"type": "post"` with a URL
    or an author; as (`title`, `url`, `author`, `date`: (year, month, day) as far as given)."""
    for d in objects_in(values):
        if d.get("type") not in CSL_TYPES or not isinstance(d.get("author"), list):
            continue
        first = next((a for a in d["author"] if isinstance(a, dict)), {})
        author = first.get("literal") or " ".join(
            str(first[k]) for k in ("given", "family") if isinstance(first.get(k), str)
        )
        parts = (
            (d.get("issued") or {}).get("date-parts") if isinstance(d.get("issued"), dict) else None
        )
        day = parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], list) else []
        yield {
            "title": d.get("title") if isinstance(d.get("title"), str) else "",
            "url": d.get("URL") if isinstance(d.get("URL"), str) else "",
            "author": author if isinstance(author, str) else "",
            "date": tuple(int(p) for p in _parts(day)),
            "on_x": any(
                isinstance(d.get(k), str) and ris.ON_X_RE.search(d[k])
                for k in ("container-title", "genre", "publisher")
            ),
        }
