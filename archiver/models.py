"""Database rows (sqlmodel). Captures and checks are only ever added, never rewritten.

Status ids are kept as text: they are 64-bit snowflakes that JSON readers must not round.
Times are timezone-aware `datetime`s in UTC. A table change is a new step in `migrations.py`.
Full-text search (`search_*` tables, views and triggers) is kept by the database itself from
these rows: it is declared in `migrations.py` only.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import Field, SQLModel, UniqueConstraint

from .vocab import JobState, MediaStatus, PostState


def utcnow() -> datetime:
    return datetime.now(UTC)


class Blob(SQLModel, table=True):
    """One stored object, named by its digest."""

    digest: str = Field(primary_key=True)
    size: int
    media_type: str | None = None
    derived: bool = False  # made by archiver from other blobs (e.g. a thumbnail), not received
    created_at: datetime = Field(default_factory=utcnow)
    verified_at: datetime | None = None
    run_id: int | None = Field(
        default=None, foreign_key="run.id", index=True
    )  # the run that added it


class Run(SQLModel, table=True):
    """One run of a command that captures (archive, retry, recheck, wayback). At its end its
    custody record (a blob: archiver.stamp.custody) lists the blobs it added."""

    id: int | None = Field(default=None, primary_key=True)
    command: str
    runner: str | None = None  # host:pid, as jobs name who holds them
    operator: str | None = None
    started_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None
    custody_digest: str | None = Field(default=None, foreign_key="blob.digest")


class RunStamp(SQLModel, table=True):
    """An RFC 3161 timestamp of a run's custody record: the TSA's answer and its chain, blobs."""

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True)
    tsa: str  # the signer's common name
    url: str | None = None
    time: datetime  # the TSA's genTime
    response_digest: str = Field(foreign_key="blob.digest")
    chain_digest: str = Field(foreign_key="blob.digest")


class Document(SQLModel, table=True):
    """A document that cites posts; its bytes are a blob."""

    id: int | None = Field(default=None, primary_key=True)
    blob_digest: str = Field(foreign_key="blob.digest", index=True)
    path: str  # as the user named it
    media_type: str | None = None
    added_at: datetime = Field(default_factory=utcnow)


class Post(SQLModel, table=True):
    """The latest known state of one post. Witness-only posts have no status id yet."""

    id: int | None = Field(default=None, primary_key=True)
    status_id: str | None = Field(default=None, unique=True)
    witness_key: str | None = Field(default=None, unique=True)  # handle + date + text digest
    handle: str | None = Field(default=None, index=True)
    author_name: str | None = None
    author_id: str | None = None
    created_at: datetime | None = Field(default=None, index=True)
    text: str | None = None
    lang: str | None = None
    state: str = PostState.UNKNOWN
    state_reason: str | None = None
    reply_to_status_id: str | None = None
    quoted_status_id: str | None = None
    repost_of_status_id: str | None = None  # a repost: the post it reposts
    edit_ids: str | None = None  # an edited post: every version's id, oldest first (JSON list)
    card_title: str | None = None  # the link card's title, so that search finds it
    record_digest: str | None = Field(default=None, foreign_key="blob.digest")
    first_seen_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Reference(SQLModel, table=True):
    """One place where a document (or the command line) cites a post, a link or an account."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    post_id: int | None = Field(default=None, foreign_key="post.id", index=True)
    kind: str  # status_url, short_link, attribution, account, status_id
    line: int | None = None
    column: int | None = None
    match: str
    status_id: str | None = Field(default=None, index=True)
    data: str = "{}"  # the full reference as `archiver extract` reports it (JSON)
    added_at: datetime = Field(default_factory=utcnow)


class ReferenceLink(SQLModel, table=True):
    """A short link a reference cites (its own URL, or links inside a cited embed): when the
    link is resolved, the reference is pointed at the post it leads to."""

    __tablename__ = "reference_link"
    __table_args__ = (UniqueConstraint("reference_id", "url"),)

    id: int | None = Field(default=None, primary_key=True)
    reference_id: int = Field(foreign_key="reference.id")
    url: str = Field(index=True)


class Capture(SQLModel, table=True):
    """One attempt at one source: what was asked, what came back, and the raw bytes."""

    id: int | None = Field(default=None, primary_key=True)
    post_id: int | None = Field(default=None, foreign_key="post.id", index=True)
    reference_id: int | None = Field(default=None, foreign_key="reference.id", index=True)
    source: str
    url: str
    final_url: str | None = None
    http_status: int | None = None
    headers: str = "[]"  # response headers as sent: JSON list of [name, value] (older: an object)
    fetched_at: datetime = Field(default_factory=utcnow, index=True)
    elapsed_ms: int | None = None
    blob_digest: str | None = Field(default=None, foreign_key="blob.digest", index=True)
    outcome: str  # vocab.Outcome
    reason: str | None = None
    tool_version: str

    def header_pairs(self) -> list[tuple[str, str]]:
        """The response headers as sent, in order, repeats kept."""
        data = json.loads(self.headers or "[]")
        if isinstance(data, dict):  # archives written before headers kept their repeats
            return [(str(k), str(v)) for k, v in data.items()]
        return [(str(k), str(v)) for k, v in data]

    def header(self, name: str) -> str | None:
        """The first value of header `name` (any case)."""
        name = name.lower()
        return next((v for k, v in self.header_pairs() if k.lower() == name), None)


class Media(SQLModel, table=True):
    """One media item of a post, and the blob that holds it when it was fetched."""

    __table_args__ = (UniqueConstraint("post_id", "position", "remote_url"),)

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="post.id", index=True)
    position: int
    kind: str  # vocab.MediaKind
    remote_url: str
    blob_digest: str | None = Field(default=None, foreign_key="blob.digest", index=True)
    rendition: str | None = None  # orig, 4096x4096, large, mp4 variant…
    media_type: str | None = None
    width: int | None = None
    height: int | None = None
    duration_ms: int | None = None
    bitrate: int | None = None
    alt_text: str | None = None
    phash: str | None = Field(default=None, index=True)
    status: str = MediaStatus.PENDING
    reason: str | None = None
    format: str | None = None  # what the bytes are: JPEG, PNG, GIF, mp4…
    mode: str | None = None  # image mode (RGB, P, L…)
    frames: int | None = None  # images: animation frames
    codec: str | None = None  # video: codecs, when known
    thumbnail_digest: str | None = Field(default=None, foreign_key="blob.digest")  # derived


class Check(SQLModel, table=True):
    """A later observation of whether a post is still live."""

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="post.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    state: str
    source: str
    capture_id: int | None = Field(default=None, foreign_key="capture.id")


class Job(SQLModel, table=True):
    """The work queue: one row per thing to capture; survives a killed run."""

    __table_args__ = (UniqueConstraint("kind", "target"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # vocab.JobKind
    target: str  # status id or short-link URL
    reference_id: int | None = Field(default=None, foreign_key="reference.id")
    state: str = Field(default=JobState.PENDING, index=True)
    attempts: int = 0
    next_try_at: datetime | None = None
    last_error: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    claimed_by: str | None = None  # "host:pid" of the run working on it
    result: str | None = None  # resolve: the status id or the URL a link leads to
