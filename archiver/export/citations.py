"""Citations of a post in APA 7, MLA 9, Chicago (note), BibTeX and CSL-JSON, written by archiver
itself: deterministic, with the archived copy's digest beside the original URL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MLA_MONTHS = [
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
]
LINK_RE = re.compile(r"\s*(?:https?://)?(?:t\.co|pic\.(?:twitter|x)\.com)/\w+")


@dataclass
class Citable:
    status_id: str
    url: str
    handle: str | None
    author_name: str | None
    created_at: datetime | None
    text: str
    media_kinds: list[str]
    record_digest: str | None
    accessed: datetime | None


def _words(text: str, count: int) -> str:
    words = LINK_RE.sub("", text).split()
    cut = " ".join(words[:count])
    return cut + ("…" if len(words) > count else "")


def _author(c: Citable) -> str:
    name = c.author_name or c.handle or "Unknown author"
    return f"{name} [@{c.handle}]" if c.handle else name


def _attached(c: Citable) -> str:
    kinds = {"photo": "Image", "video": "Video", "gif": "Video"}
    found = sorted({kinds.get(k, "Media") for k in c.media_kinds})
    return "".join(f" [{k} attached]" for k in found)


def _archived(c: Citable) -> str:
    return f" Archived copy: {c.record_digest}." if c.record_digest else ""


def _time(when: datetime) -> str:
    hour = when.hour % 12 or 12
    return f"{hour}:{when.minute:02d} {'a.m.' if when.hour < 12 else 'p.m.'} UTC"


def apa(c: Citable) -> str:
    date = (
        f"{c.created_at.year}, {MONTHS[c.created_at.month - 1]} {c.created_at.day}"
        if c.created_at
        else "n.d."
    )
    return (
        f"{_author(c)}. ({date}). {_words(c.text, 20)}{_attached(c)} [Post]. X. "
        f"{c.url}{_archived(c)}"
    )


def mla(c: Citable) -> str:
    when = (
        f"{c.created_at.day} {MLA_MONTHS[c.created_at.month - 1]} {c.created_at.year}, "
        f"{_time(c.created_at)}, "
        if c.created_at
        else ""
    )
    text = " ".join(LINK_RE.sub("", c.text).split())
    return f'{_author(c)}. "{text}" X, {when}{c.url}.{_archived(c)}'


def chicago(c: Citable) -> str:
    name = c.author_name or c.handle or "Unknown author"
    who = f"{name} (@{c.handle})" if c.handle else name
    text = " ".join(LINK_RE.sub("", c.text).split())
    text = text if len(text) <= 160 else text[:159].rstrip() + "…"
    when = (
        f"{MONTHS[c.created_at.month - 1]} {c.created_at.day}, {c.created_at.year}, "
        f"{_time(c.created_at)}, "
        if c.created_at
        else ""
    )
    return f'{who}, "{text}," X, {when}{c.url}.{_archived(c)}'


def _bib(text: str) -> str:
    text = text.replace("\\", "\\textbackslash{}")
    for ch in "&%$#_{}":
        text = text.replace(ch, "\\" + ch)
    return text.replace("~", "\\textasciitilde{}").replace("^", "\\textasciicircum{}")


def bibtex(c: Citable) -> str:
    key = f"{re.sub(r'[^A-Za-z0-9]', '', c.handle or 'x')}_{c.status_id}"
    fields = [
        ("author", "{" + _bib(c.author_name or c.handle or "Unknown author") + "}"),
        ("title", "{" + _bib(_words(c.text, 20)) + "}"),
        ("howpublished", "{Post on X}"),
        ("url", "{" + c.url + "}"),
    ]
    if c.created_at:
        fields += [
            ("year", str(c.created_at.year)),
            ("month", MONTHS[c.created_at.month - 1][:3].lower()),
            ("day", str(c.created_at.day)),
        ]
    if c.accessed:
        fields.append(("urldate", "{" + c.accessed.date().isoformat() + "}"))
    if c.record_digest:
        fields.append(("note", "{Archived copy: " + c.record_digest + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"


def csl(c: Citable) -> dict[str, object]:
    def parts(when: datetime) -> dict[str, list[list[int]]]:
        return {"date-parts": [[when.year, when.month, when.day]]}

    item: dict[str, object] = {
        "id": f"x-{c.status_id}",
        "type": "post",
        "container-title": "X",
        "author": [{"literal": c.author_name or c.handle or "Unknown author"}],
        "title": _words(c.text, 20),
        "URL": c.url,
        "genre": "Post",
    }
    if c.created_at:
        item["issued"] = parts(c.created_at)
    if c.accessed:
        item["accessed"] = parts(c.accessed)
    if c.record_digest:
        item["archive"] = "archiver"
        item["archive_location"] = c.record_digest
        item["note"] = f"Archived copy: {c.record_digest}"
    return item
