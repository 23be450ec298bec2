"""Links whose address is not in the text: a PDF's link annotations, a Word file's hyperlinks.

Each counts like the URL written where its anchor text is: a status URL anchored inside an
embed's byline or a citation is the post that embed or citation shows (as an HTML embed's date
link is); elsewhere it is a reference of its own.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from .merge import merge
from .ref import Lines, Ref
from .scanner import scan
from .times import finish

OWNERS = ("attribution", "citation")
SLACK = 4  # characters between an entry's end and a link anchored right after it


@dataclass
class Anchor:
    url: str
    offset: int | None  # where its anchor text starts in the text scanned, when found


def attach(refs: list[Ref], anchors: list[Anchor], document: str, lines: Lines) -> list[Ref]:
    """`refs` of a text with the references its `anchors` add, merged per post."""
    owners = sorted((r for r in refs if r.kind in OWNERS), key=lambda r: r.offset)
    starts = [r.offset for r in owners]
    for anchor in anchors:
        at = anchor.offset or 0
        for found in scan(anchor.url, document, is_html=False):
            found.offset = at
            found.line, found.column = lines.at(at)
            owner = _owner(owners, starts, at) if found.kind == "status_url" else None
            if owner is not None:
                owner.status_id, owner.url = found.status_id, found.url
                owner.canonical_url, owner.id_range = found.canonical_url, None
                owner.handle = owner.handle or found.handle
                finish(owner)
                continue
            if anchor.offset is None:
                found.warnings.append("link annotation: where its anchor is was not found")
            refs.append(found)
    return merge(refs)


def _owner(owners: list[Ref], starts: list[int], at: int) -> Ref | None:
    """The embed or citation a link anchored at `at` belongs to: one whose text holds it, or
    that ends just before it (`…, 11:10 a.m., <the post>`). `owners` are in order of `starts`;
    the nearest few before `at` are looked at (entries do not nest deeper)."""
    for i in range(bisect_right(starts, at) - 1, max(bisect_right(starts, at) - 9, -1), -1):
        r = owners[i]
        if r.status_id is None and at <= r.offset + len(r.match) + SLACK:
            return r
    return None
