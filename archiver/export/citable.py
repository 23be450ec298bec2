"""What a citation is made from (`Citable`), and the text and dates every citation format shares.

Everything here is pure: no archive, no clock. Text from a post is hostile: `clean` drops the
control characters (C0, C1, bidi embeddings, overrides and isolates) that would corrupt a
reference list or a terminal, and every format escapes what is left for its own syntax.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from ..refs.ids import SNOWFLAKE_EPOCH_MS
from ..text import visible

MONTHS = (
    "January February March April May June July August September October November December".split()
)
MLA_MONTHS = "Jan. Feb. Mar. Apr. May June July Aug. Sept. Oct. Nov. Dec.".split()
GONE = ("deleted", "suspended", "protected", "withheld", "unavailable")
SNOWFLAKE_MIN = 1 << 22 << 27  # ids below this were handed out before ids carried a time
HANDLE_RE = re.compile(r"[A-Za-z0-9_]{1,15}")
STATUS_URL_RE = re.compile(r"https://(?:x|twitter)\.com/(?:[A-Za-z0-9_]{1,15}|i/web)/status/\d+")
MEDIA_LINK_RE = re.compile(
    r"\s*(?:https?://)?(?:pic\.(?:twitter|x)\.com/\w+"
    r"|(?:www\.)?(?:twitter|x)\.com/\w+/status/\d+/(?:photo|video)/\d+)"
)
TRAILING_TCO_RE = re.compile(r"\s*https?://t\.co/\w+\s*$")
OPEN_QUOTE_AFTER = " \t([{—–-/"
ATTACHED = {"photo": "Image attached", "video": "Video attached", "gif": "Video attached"}
# a Wayback snapshot read raw (`id_`: no banner, links not rewritten), and as a reader sees it
RAW_SNAPSHOT_RE = re.compile(r"(https://web\.archive\.org/web/\d{4,14})id_/")


@dataclass(frozen=True)
class Recovery:
    """Fields of a post that were read from a recovered copy rather than from X itself."""

    source: str  # "wayback", "witness", … (the capture source's name)
    at: datetime | None  # when that copy was made, e.g. the snapshot time
    url: str | None = None  # where that copy can be seen, e.g. the snapshot's URL
    fields: tuple[str, ...] = ("text",)


@dataclass
class Citable:
    """One post, as the citation formats need it. `url` is the post on X."""

    status_id: str
    url: str
    handle: str | None
    author_name: str | None
    created_at: datetime | None
    text: str
    media_kinds: list[str]
    record_digest: str | None  # the bundle's canonical record, `sha256:…`
    accessed: datetime | None  # when archiver last read it from a source
    state: str = "unknown"  # live, deleted, suspended, protected, withheld, unavailable, unknown
    lang: str | None = None  # as X labels it: "en", "ar", "und", "qme"…
    text_expanded: str | None = None  # `text` with t.co links replaced by where they lead
    archive_url: str | None = None  # a public archived copy, e.g. a Wayback snapshot
    archive_date: datetime | None = None  # when that copy was made
    recovered_from: list[Recovery] = field(default_factory=list)
    trusted_time: str | None = None  # e.g. "timestamped by <TSA> at 2024-12-07T10:00:00Z"

    @property
    def gone(self) -> bool:
        return self.state in GONE

    @classmethod
    def from_view(cls, view: dict, accessed: datetime | None = None) -> Citable:
        """From `views.post_view`; fields the view does not hold keep their defaults. The
        archived copy is the public one made on request (Save Page Now), or else the Wayback
        snapshot the post's text was recovered from."""
        created = view.get("created_at")
        copy = view.get("archive_copy") or {}
        recovered = view.get("provenance") or {}
        snapshot = _replayed(recovered.get("snapshot_url"))
        archive_url = copy.get("url") or snapshot
        archive_at = copy.get("at") or recovered.get("snapshot_at")
        return cls(
            status_id=str(view["status_id"]),
            url=str(view.get("url") or ""),
            handle=view.get("handle"),
            author_name=view.get("author_name"),
            created_at=datetime.fromisoformat(created.replace("Z", "+00:00")) if created else None,
            text=str(view.get("text") or ""),
            media_kinds=[m["kind"] for m in view.get("media") or [] if m.get("kind") in ATTACHED],
            record_digest=view.get("record_digest"),
            accessed=accessed,
            state=str(view.get("state") or "unknown"),
            lang=view.get("lang"),
            text_expanded=view.get("text_expanded"),
            archive_url=archive_url,
            archive_date=_when(archive_at),
            recovered_from=[Recovery("wayback", _when(recovered.get("snapshot_at")), snapshot)]
            if snapshot
            else [],
            trusted_time=view.get("trusted_time"),
        )


def _replayed(url: object) -> str | None:
    """A Wayback snapshot's address as the Wayback Machine shows it to a reader: the raw form
    archiver reads (`…/web/<time>id_/…`) without its `id_`. Other addresses as they are."""
    if not isinstance(url, str) or not url:
        return None
    return RAW_SNAPSHOT_RE.sub(r"\1/", url, count=1)


def _when(value: object) -> datetime | None:
    """An ISO 8601 time (`…Z` or with an offset) as an aware datetime; None when unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def clean(text: str | None) -> str:
    """One line of text, each control character in it shown as a visible mark (ESC as `␛`, a
    bidi override as `⟨RLO⟩`: text.visible), never dropped from a quote; newlines and tabs
    become spaces."""
    return " ".join(visible(text or "").split())


def post_text(c: Citable) -> str:
    """The post's text as a reader sees it, lines and all: links expanded, the media's own
    links left out (the post shows the media instead). Control characters are still there."""
    text = MEDIA_LINK_RE.sub("", c.text_expanded or c.text or "")
    if c.media_kinds:  # X puts the link to attached media at the end of the text
        text = TRAILING_TCO_RE.sub("", text)
    return text.strip()


def shown_text(c: Citable) -> str:
    """`post_text` on one line, its control characters shown as marks: what citations quote."""
    return clean(post_text(c))


def first_words(text: str, count: int) -> str:
    """The first `count` words; a URL, hashtag or emoji counts as one (APA 7, no ellipsis)."""
    return " ".join(text.split()[:count])


def first_chars(text: str, count: int) -> str:
    """At most `count` characters, cut at a word, "…" marking the cut."""
    if len(text) <= count:
        return text
    cut = text[: count - 1]
    if " " in cut and not text[count - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def attached(c: Citable) -> list[str]:
    """ "Image attached", "Video attached": each kind of media the post carries, once."""
    return sorted({ATTACHED[k] for k in c.media_kinds if k in ATTACHED})


def handle(c: Citable) -> str | None:
    return c.handle if c.handle and HANDLE_RE.fullmatch(c.handle) else None


def author(c: Citable, brackets: str = "[]") -> str:
    """`Name [@handle]` (APA, MLA) or `Name (@handle)` (Chicago); `@handle` without a name."""
    name, user = clean(c.author_name), handle(c)
    if name and user:
        return f"{name} {brackets[0]}@{user}{brackets[1]}"
    return name or (f"@{user}" if user else "Unknown author")


def snowflake_time(status_id: str) -> datetime | None:
    """The creation time an id carries (ids from November 2010 on), to the millisecond."""
    if not status_id.isdigit() or int(status_id) < SNOWFLAKE_MIN:
        return None
    return datetime.fromtimestamp(((int(status_id) >> 22) + SNOWFLAKE_EPOCH_MS) / 1000, UTC)


def posted(c: Citable) -> datetime | None:
    """When the post was made: as recorded, or as its id says."""
    return utc(c.created_at) if c.created_at else snowflake_time(c.status_id)


def utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def clock(when: datetime) -> str:
    """`9:32 a.m. UTC` (MLA and Chicago write a.m. and p.m. this way)."""
    when = utc(when)
    hour = when.hour % 12 or 12
    return f"{hour}:{when.minute:02d} {'a.m.' if when.hour < 12 else 'p.m.'} UTC"


def stamp(c: Citable, date: Callable[[datetime], str]) -> str | None:
    """The post's date with its UTC time, `6 Dec. 2024, 9:32 a.m. UTC` (MLA and Chicago)."""
    when = posted(c)
    return f"{date(when)}, {clock(when)}" if when else None


def apa_date(when: datetime) -> str:
    when = utc(when)
    return f"{when.year}, {MONTHS[when.month - 1]} {when.day}"


def mla_date(when: datetime) -> str:
    when = utc(when)
    return f"{when.day} {MLA_MONTHS[when.month - 1]} {when.year}"


def chicago_date(when: datetime) -> str:
    when = utc(when)
    return f"{MONTHS[when.month - 1]} {when.day}, {when.year}"


def iso_date(when: datetime) -> str:
    return utc(when).date().isoformat()


def safe_url(url: str | None) -> str | None:
    """An http(s) URL with nothing in it that a citation syntax would read: spaces, quotes,
    braces, backslashes and non-ASCII are percent-encoded; anything else is refused (None)."""
    url = clean(url)
    if not url or urlsplit(url).scheme.lower() not in ("http", "https"):
        return None
    return quote(url, safe="/:?#[]@!$&'()*+,;=%-._~")


def post_url(c: Citable) -> str:
    """The post's address on X, rebuilt from the id when the one given is not a status URL."""
    if STATUS_URL_RE.fullmatch(c.url or ""):
        return c.url
    status_id = c.status_id if c.status_id.isdigit() else quote(c.status_id, safe="")
    return f"https://x.com/{handle(c) or 'i/web'}/status/{status_id}"


def cited_url(c: Citable) -> str:
    """The URL a reference gives: the post, or its public archived copy once the post is gone."""
    archived = safe_url(c.archive_url)
    return archived if c.gone and archived else post_url(c)


def archive_note(c: Citable, date: Callable[[datetime], str] = iso_date) -> str:
    """Where else the post can be checked, as one sentence (empty when there is nothing):
    the post's own URL once it is gone, the public copy, the bundle's record digest."""
    parts = []
    archived = safe_url(c.archive_url)
    if archived and archived != cited_url(c):
        when = f" ({date(c.archive_date)})" if c.archive_date else ""
        parts.append(archived + when)
    if c.record_digest:
        trusted = clean(c.trusted_time)
        parts.append(clean(c.record_digest) + (f", {trusted}" if trusted else ""))
    note = f"Archived copy: {'; '.join(parts)}." if parts else ""
    if c.gone:
        note = f"No longer on X ({clean(c.state)}): {post_url(c)}. {note}".strip()
    return note


def single_quotes(text: str) -> str:
    """Double quotation marks inside a quoted title become single (MLA and Chicago)."""
    out = []
    for i, ch in enumerate(text):
        if ch == "“":
            out.append("‘")
        elif ch == "”":
            out.append("’")
        elif ch == '"':
            before = text[i - 1] if i else " "
            out.append("‘" if before in OPEN_QUOTE_AFTER else "’")
        else:
            out.append(ch)
    return "".join(out)


def apa_title(c: Citable) -> str:
    """The first 20 words, then `[Image attached]` / `[Video attached]`."""
    marks = " ".join(f"[{kind}]" for kind in attached(c))
    return " ".join(part for part in (first_words(shown_text(c), 20), marks) if part)


def quoted_title(c: Citable, chars: int | None = None) -> str:
    """The text as MLA and Chicago quote it (inner quotes single), or what is attached."""
    text = shown_text(c)
    text = first_chars(text, chars) if chars else text
    return single_quotes(text) or " ".join(f"[{kind}]" for kind in attached(c)) or "[Post]"
