"""The canonical post record: what every source's payload is read into, and what is cited.

`canonical_json` is deterministic (sorted keys, no spaces, UTF-8), so a post version has one
digest whatever source or machine produced it.

Records carry a `schema` version. Version 1 records (written before the field existed) have no
`schema` key and only the fields in `V1_FIELDS`; they are read back as version 1 and written out
exactly as they were, so their digests stay valid. New records are version 2.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime

V1_TEXT_FIELDS = (
    "status_id",
    "source",
    "handle",
    "author_name",
    "author_id",
    "author_avatar",
    "created_at",
    "text",
    "text_expanded",
    "lang",
    "reply_to_status_id",
    "quoted_status_id",
    "card_url",
    "card_image",
    "community_note",
    "state",
    "state_reason",
)
TEXT_FIELDS = (
    *V1_TEXT_FIELDS,
    "repost_of_status_id",
    "reply_to_handle",
    "source_app",
    "card_title",
    "card_description",
    "snapshot_at",
    "snapshot_url",
)
ID_FIELDS = ("status_id", "reply_to_status_id", "quoted_status_id", "repost_of_status_id")
POST_ID_RE = re.compile(r"[0-9]{1,19}")  # a post's id: ASCII digits (it names rows and paths)
# What one answer may list: a post holds four photos, or a video (eight leaves room for a
# card's); a video, a few renditions. More is a hostile answer's, each one a request.
MAX_MEDIA = 8
MAX_VARIANTS = 16
SCHEMA = 2
V1_FIELDS = (
    *V1_TEXT_FIELDS,
    "counts",
    "note_tweet",
    "media",
    "notes",
)


@dataclass
class MediaItem:
    kind: str  # photo, video, gif
    url: str  # the photo's base URL, or the chosen video variant
    width: int | None = None
    height: int | None = None
    duration_ms: int | None = None
    alt_text: str | None = None
    variants: list[dict[str, object]] = field(default_factory=list)  # video: url, bitrate, type
    poster: str | None = None


# A repost's own text as X's APIs give it: "RT @author: " and the reposted post's text, cut at
# 140 characters with "…". (Written by hand, before X had reposts, the same form is a post.)
RT_RE = re.compile(r"^RT @(\w{1,15}): (.*)$", re.DOTALL)
INCOMPLETE = "incomplete: "  # a note naming what the record lacks (PostRecord.gaps)


def gaps_of(notes: list[str]) -> list[str]:
    """What a record lacks that its post has, from its notes (see PostRecord.note_gap)."""
    return [n.removeprefix(INCOMPLETE) for n in notes if n.startswith(INCOMPLETE)]


@dataclass
class PostRecord:
    status_id: str
    source: str  # which source this reading came from
    handle: str | None = None
    author_name: str | None = None
    author_id: str | None = None
    author_avatar: str | None = None
    created_at: str | None = None  # ISO 8601 UTC, "Z"
    text: str | None = None  # as the source gives it, t.co links and all
    text_expanded: str | None = None  # t.co links replaced by where they lead
    lang: str | None = None
    reply_to_status_id: str | None = None
    quoted_status_id: str | None = None
    counts: dict[str, int] = field(default_factory=dict)  # likes, reposts, replies, quotes, views
    card_url: str | None = None
    card_image: str | None = None  # the card's picture, at its largest
    community_note: str | None = None
    note_tweet: bool = False  # a long post: `text` may be cut short by the source
    media: list[MediaItem] = field(default_factory=list)
    state: str = "live"
    state_reason: str | None = None
    notes: list[str] = field(default_factory=list)  # what archiver noticed (times that disagree)
    # Version 2 on (see the module doc).
    schema: int = SCHEMA
    repost_of_status_id: str | None = None  # a repost: the post it reposts
    reply_to_handle: str | None = None
    edit_ids: list[str] = field(default_factory=list)  # every version of the post, oldest first
    source_app: str | None = None  # the app it was posted from ("Twitter for Android")
    possibly_sensitive: bool | None = None
    withheld_in: list[str] = field(default_factory=list)  # countries (codes or names)
    place: dict[str, str] = field(default_factory=dict)  # id, name, country_code
    poll: dict[str, object] = field(default_factory=dict)  # choices [{label, votes}], ends_at…
    card_title: str | None = None
    card_description: str | None = None
    snapshot_at: str | None = None  # an archived copy: when the snapshot was taken (UTC)
    snapshot_url: str | None = None  # and where it is

    @property
    def url(self) -> str:
        return f"https://x.com/{self.handle or 'i/web'}/status/{self.status_id}"

    def note_gap(self, what: str) -> None:
        """Note what the record lacks that the post has (a capture of it is then partial)."""
        self.notes.append(INCOMPLETE + what)

    @property
    def gaps(self) -> list[str]:
        return gaps_of(self.notes)

    @property
    def reposted_handle(self) -> str | None:
        """The author an "RT @author: …" text names, when the record does not say which post
        it reposts (the answer gave the repost as itself): the record then lacks that post."""
        match = RT_RE.match(self.text or "") if not self.repost_of_status_id else None
        return match[1] if match else None

    def check(self, status_id: str) -> None:
        """Raise ValueError unless this record is about post `status_id` and every field has
        the type the archive stores (a payload of surprising shape must not get further)."""
        if self.status_id != status_id:
            raise ValueError(
                f"the answer is about post {str(self.status_id)[:40]}, not {status_id}"
            )
        for name in TEXT_FIELDS:
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{name} is {type(value).__name__}, not text")
        if self.created_at is not None:
            parse_iso(self.created_at)
        if not all(isinstance(k, str) and _whole(v) for k, v in self.counts.items()):
            raise ValueError("counts are not whole numbers the archive can hold")
        for name in ("edit_ids", "withheld_in"):
            if not all(isinstance(v, str) for v in getattr(self, name)):
                raise ValueError(f"{name} are not all text")
        for name, value in [(n, getattr(self, n)) for n in ID_FIELDS] + [
            ("edit_ids", v) for v in self.edit_ids
        ]:
            if value is not None and not POST_ID_RE.fullmatch(value):
                raise ValueError(f"{name} is not a post id: {value[:40]!r}")
        if not all(isinstance(v, str) for v in self.place.values()):
            raise ValueError("place is not text")
        if self.possibly_sensitive not in (None, True, False):
            raise ValueError("possibly_sensitive is not a yes or no")
        if isinstance(self.media, list) and len(self.media) > MAX_MEDIA:
            self.notes.append(
                f"the answer lists {len(self.media):,} media items, more than a post holds: "
                f"the first {MAX_MEDIA} kept"
            )
            del self.media[MAX_MEDIA:]
        for item in self.media:
            if isinstance(item, MediaItem) and len(item.variants) > MAX_VARIANTS:
                self.notes.append(
                    f"a media item lists {len(item.variants):,} renditions: the first "
                    f"{MAX_VARIANTS} kept"
                )
                del item.variants[MAX_VARIANTS:]
            if not isinstance(item, MediaItem) or not isinstance(item.url, str):
                raise ValueError("a media item has no URL")
            for name in ("width", "height", "duration_ms"):
                if getattr(item, name) is not None and not _whole(getattr(item, name)):
                    raise ValueError(f"media {name} is not a whole number the archive can hold")
            for name in ("kind", "alt_text", "poster"):
                if getattr(item, name) is not None and not isinstance(getattr(item, name), str):
                    raise ValueError(f"media {name} is not text")
            for variant in item.variants:
                if not isinstance(variant, dict):
                    raise ValueError("a media variant is not an object")
                if variant.get("bitrate") is not None and not _whole(variant["bitrate"]):
                    raise ValueError("a media variant's bitrate is not a whole number")
        try:  # the record as it will be kept: text that cannot be UTF-8 stops here
            canonical_json(self.to_dict())
        except (TypeError, ValueError) as exc:
            raise ValueError(f"the record cannot be kept ({exc.__class__.__name__})") from None

    @property
    def edited(self) -> bool:
        return len(self.edit_ids) > 1

    @property
    def latest_version(self) -> bool | None:
        """Whether this is the newest version of an edited post (None when not known)."""
        return self.edit_ids[-1] == self.status_id if self.edit_ids else None

    @property
    def provenance(self) -> str | None:
        """Where an archived copy's text comes from, in words."""
        if not self.snapshot_at:
            return None
        when = self.snapshot_at.replace("T", " ").removesuffix("Z")[:16]
        return f"text recovered from the Wayback Machine snapshot of {when} UTC"

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        if self.schema == 1:
            return {name: data[name] for name in V1_FIELDS}
        return data

    @classmethod
    def from_dict(cls, data: dict) -> PostRecord:
        """A record as stored; one without `schema` is version 1 and stays so."""
        known = {f.name for f in fields(cls)}
        media = [MediaItem(**item) for item in data.get("media", [])]
        values = {k: v for k, v in data.items() if k in known}
        return cls(**{**values, "media": media, "schema": data.get("schema", 1)})


def _whole(value: object) -> bool:
    """An integer SQLite can hold (a signed 64-bit one)."""
    return type(value) is int and -(2**63) <= value < 2**63


def canonical_json(data: object) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def iso_utc(value: datetime) -> str:
    """ISO 8601 in UTC with a "Z"; a naive time (as SQLite gives them back) is UTC already."""
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def trusted_time(tsa: str, when: datetime) -> str:
    """The line `show`, pages and citations give: timestamped by <TSA> at <UTC time>."""
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return f"timestamped by {tsa} at {when.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def parse_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def from_epoch(seconds: float | int | None) -> str | None:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not seconds:
        return None
    try:
        return iso_utc(datetime.fromtimestamp(seconds, UTC))
    except (OverflowError, OSError, ValueError):
        return None


def id_time(status_id: str | None) -> str | None:
    """The creation time a post's (snowflake) id encodes, ISO 8601 UTC; None before 2010."""
    from .refs.ids import snowflake_time

    if not status_id or not status_id.isdigit() or len(status_id) > 19:
        return None
    when = snowflake_time(status_id)
    return iso_utc(when) if when else None


def from_twitter_date(value: str | None) -> str | None:
    """`Thu Oct 13 20:47:08 +0000 2022` or ISO 8601 → ISO 8601 UTC."""
    if not value or not isinstance(value, str):
        return None
    for parse in (
        lambda v: datetime.strptime(v, "%a %b %d %H:%M:%S %z %Y"),
        lambda v: datetime.fromisoformat(v.replace("Z", "+00:00")),
    ):
        try:
            return iso_utc(parse(value))
        except ValueError:
            continue
    return None


def pick_counts(payload: dict, **keys: str) -> dict[str, int]:
    """Counts at capture time (likes, reposts…) from the payload's own keys, where numbers."""
    return {name: payload[key] for name, key in keys.items() if isinstance(payload.get(key), int)}


def expand_links(text: str, urls: list[dict]) -> str:
    """`text` with each t.co link replaced by its expanded URL (entities from the payload)."""
    for entity in urls if isinstance(urls, list) else []:
        short, long = (
            entity.get(k) if isinstance(entity, dict) else None for k in ("url", "expanded_url")
        )
        if isinstance(short, str) and short and isinstance(long, str):
            text = text.replace(short, long)
    return text
