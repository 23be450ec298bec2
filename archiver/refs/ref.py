"""A reference found in a document, in the JSON shape other tools read."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, fields
from itertools import accumulate, count
from operator import add, attrgetter
from typing import TYPE_CHECKING, Any

from .urls import post_url

if TYPE_CHECKING:
    from datetime import date

KINDS = ("status_url", "short_link", "attribution", "citation", "account")
AUTHORED = ("attribution", "citation")  # the kinds that name a post's author


@dataclass(slots=True)
class Ref:
    """One reference found in a document; `to_dict` gives the stable JSON shape."""

    kind: str
    document: str
    line: int
    column: int
    match: str
    url: str | None = None
    canonical_url: str | None = None
    status_id: str | None = None
    handle: str | None = None
    author_name: str | None = None
    date: str | None = None
    date_text: str | None = None
    text: str | None = None
    short_links: list[str] = field(default_factory=list)
    in_post: str | None = None
    snowflake_time: str | None = None
    warnings: list[str] = field(default_factory=list)
    time: str | None = None  # a citation's clock time as written ("15:58"), zone unknown
    style: str | None = None  # a citation's: apa, mla, chicago, harvard, bluebook, gost, wikipedia…
    page: int | None = None  # a PDF's page, a notebook's cell (line and column are within it)
    id_range: list[str] | None = None  # an unlinked post: the ids its handle's day can hold
    offset: int = field(default=0, repr=False)

    def to_dict(self) -> dict[str, object]:
        # Built field by field (dataclasses.asdict deep-copies every value: a tenth of a
        # millisecond a ref, most of the time a long list of URLs took to be taken in).
        data = dict(zip(SHOWN, _shown(self), strict=True))
        for name in LISTS:
            if data[name] is not None:
                data[name] = list(data[name])  # type: ignore[call-overload]
        return data

    def __reduce__(self) -> tuple[type[Ref], tuple[object, ...]]:
        # Refs cross from the extract workers by the tens of thousands: as a tuple of values
        # they pickle and load three times faster than slots by name.
        return Ref, _values(self)


def shown_post(
    kind: str,
    document: str,
    match: str,
    offset: int,
    when: date | None,
    status_id: str | None = None,
    **shown: Any,
) -> Ref:
    """The ref of a post as a document shows it (an embed, a card, a citation), found at
    `offset`: its day `when`, its post's URL once its id is known; its line and column are set
    when kept."""
    return Ref(
        kind,
        document,
        0,
        0,
        match,
        date=when.isoformat() if when else None,
        status_id=status_id,
        canonical_url=post_url(status_id, shown.get("handle")),
        offset=offset,
        **shown,
    )


_values = attrgetter(*(f.name for f in fields(Ref)))
SHOWN = tuple(f.name for f in fields(Ref) if f.name != "offset")  # the JSON shape's keys
LISTS = ("short_links", "warnings", "id_range")
_shown = attrgetter(*SHOWN)


class Lines:
    """Offset → (line, column), both from 1; the text may start inside a line (`first_column`).
    The index of line starts is built when first asked for."""

    def __init__(self, text: str, first_line: int = 1, first_column: int = 1) -> None:
        self.text = text
        self.first_line, self.first_column = first_line, first_column
        self._starts: list[int] | None = None

    def _index(self) -> list[int]:
        # Line k starts after lines 0..k-1 and their k line breaks.
        ends = accumulate(map(len, self.text.split("\n")))
        starts = [0, *map(add, ends, count(1))]
        starts.pop()  # the start of a line after the last
        self._starts = starts
        return starts

    def offset(self, line: int, column: int) -> int:
        """The offset of (`line`, `column`): `at`'s inverse."""
        starts = self._starts or self._index()
        index = line - self.first_line
        return starts[index] + column - 1 - (self.first_column - 1 if index == 0 else 0)

    def at(self, offset: int) -> tuple[int, int]:
        starts = self._starts or self._index()
        index = bisect_right(starts, offset) - 1
        column = offset - starts[index] + 1
        return self.first_line + index, column + (self.first_column - 1 if index == 0 else 0)


def within(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether `offset` falls in one of `spans` (sorted, not overlapping)."""
    i = bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]
