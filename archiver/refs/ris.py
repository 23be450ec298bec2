"""RIS records (Zotero, EndNote, Mendeley and every database export them) that cite a post:
`TY  - ELEC`, `AU  - Zotero [@zotero]`, `TI  - …`, `DA  - 2011/08/22/`, `UR  - …/status/…`, `ER  -`.

A record cites a post when its URL is a post's, or when its author names a handle and it says
it is a post on X (`M3  - Tweet`, `T2  - Twitter`): then its handle and day bound the post.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

TAG_RE = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$", re.MULTILINE)
ON_X_RE = re.compile(r"\b(?:Tweet|Twitter|X post)\b", re.IGNORECASE)
DATE_RE = re.compile(r"(\d{4})(?:/(\d{1,2})(?:/(\d{1,2}))?)?")
MAX_RECORD = 2000  # tags a record holds at most (Zotero writes a `KW` a keyword) before it is left


@dataclass
class Record:
    start: int
    end: int
    tags: dict[str, list[str]] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # each tag's first value

    def first(self, *names: str) -> str:
        return next((self.tags[n][0] for n in names if self.tags.get(n)), "")

    def when(self) -> tuple[date | None, str | None]:
        """The day `DA` (or `PY`, `Y1`) gives, and the date as written."""
        written = self.first("DA", "PY", "Y1").strip("/ ")
        m = DATE_RE.match(written)
        if m is None or not (m[2] and m[3]):
            return None, written or None
        try:
            return date(int(m[1]), int(m[2]), int(m[3])), written
        except ValueError:
            return None, written

    def on_x(self) -> bool:
        return any(ON_X_RE.search(self.first(name)) for name in ("M3", "T2", "PB", "DB", "TY"))


def find_records(text: str) -> Iterator[Record]:
    """Every RIS record of `text`, from its `TY` to its `ER`."""
    if "TY  -" not in text:
        return
    record: Record | None = None
    for m in TAG_RE.finditer(text):
        tag, value = m[1], m[2].strip()
        if tag == "TY":
            record = Record(m.start(), m.end())
        if record is None:
            continue
        if tag == "ER":
            record.end = m.end()
            yield record
            record = None
            continue
        record.tags.setdefault(tag, []).append(value)
        record.spans.setdefault(tag, (m.start(2), m.end(2)))
        if sum(map(len, record.tags.values())) > MAX_RECORD:
            record = None
