"""What a list of posts is narrowed to: the same filters for `archiver list` and the viewer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..errors import InputError
from ..vocab import GONE_STATES, PostState, Step

GONE = "gone"  # any state in which the post cannot be seen now
SORTS = ("posted", "archived", "handle")
TIMES = ("posted", "captured")


def known_sources() -> tuple[str, ...]:
    """What `--source` may name: the remote sources, and the documents' witness."""
    from ..sources import ALL  # loaded only when asked: the sources bring the network stack

    return (*ALL, Step.WITNESS)


DURATION_RE = re.compile(r"(\d+)([hdw])")
UNITS = {"h": 3600, "d": 86400, "w": 604800}


def stamp(value: datetime) -> str:
    """An instant as the database writes it (naive UTC, to the microsecond)."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def iso(value: str | None) -> str | None:
    """A time as the database holds it, written `2024-12-06T09:32:35Z`."""
    if not value:
        return None
    if len(value) in (19, 26) and value[10] == " ":  # naive UTC, as this archiver writes it
        return f"{value[:10]}T{value[11:19]}Z"
    when = datetime.fromisoformat(value)
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return when.isoformat(timespec="seconds").replace("+00:00", "Z")


def when(text: str, flag: str, end: bool = False) -> datetime:
    """An instant from `2024-12-06`, `2024-12-06T09:30Z` or a time ago (`12h`, `30d`, `2w`).
    A date alone as an `end` means the end of that day."""
    value = text.strip()
    ago = DURATION_RE.findall(value.lower())
    if ago and "".join(n + u for n, u in ago) == value.lower():
        try:
            return datetime.now(UTC) - timedelta(seconds=sum(int(n) * UNITS[u] for n, u in ago))
        except (OverflowError, ValueError):
            raise InputError(f"{flag} {value[:40]!r}: further back than any date") from None
    try:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"{flag} {value[:100]!r}: expected a date (2024-12-06), a time "
            "(2024-12-06T09:30Z) or a time ago (12h, 30d, 2w)"
        ) from None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    try:
        if end and len(value) == 10:
            instant += timedelta(days=1)
        return instant.astimezone(UTC)
    except OverflowError:  # `9999-12-31` as an end: past the last day a date can be
        return datetime.max.replace(tzinfo=UTC)


def states(names: list[str]) -> list[str]:
    """Post states from names (`gone` stands for every state in which a post is not seen)."""
    out: list[str] = []
    for name in names:
        for part in filter(None, (p.strip().lower() for p in name.split(","))):
            if part == GONE:
                out += sorted(GONE_STATES)
            elif part in set(PostState):
                out.append(part)
            else:
                known = ", ".join([*PostState, GONE])
                raise InputError(f"--state {part[:100]!r}: not a post state ({known})")
    return list(dict.fromkeys(out))


@dataclass
class Filters:
    """Which posts, in which order. Times are UTC; `time` says whether `since` and `until`
    bound when the post was posted or when it was captured."""

    states: list[str] = field(default_factory=list)
    handle: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    time: str = "posted"
    document: str | None = None
    source: str | None = None
    has_media: bool = False
    failed: bool = False
    search: str | None = None
    sort: str = "posted"
    reverse: bool = False
    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise InputError(f"--sort {self.sort[:100]!r}: expected one of {', '.join(SORTS)}")
        if self.time not in TIMES:
            raise InputError(f"--time {self.time[:100]!r}: expected one of {', '.join(TIMES)}")
        if self.source is not None and self.source not in known_sources():
            known = ", ".join(known_sources())
            raise InputError(f"--source {self.source[:100]!r}: not a source ({known})")
        if self.limit is not None and self.limit < 0 or self.offset < 0:
            raise InputError("--limit: expected a number of posts, 0 or more")
        if self.handle is not None:
            self.handle = self.handle.strip().removeprefix("@") or None
        if self.search is not None and not self.search.strip():
            self.search = None

    @classmethod
    def parse(
        cls,
        state: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        **others: object,
    ) -> Filters:
        """Filters from what a user typed (flags or a query string)."""
        return cls(
            states=states(state or []),
            since=when(since, "--since") if since else None,
            until=when(until, "--until", end=True) if until else None,
            **others,  # type: ignore[arg-type]
        )
