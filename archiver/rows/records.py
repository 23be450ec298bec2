"""Rows for what was received and what it says: blobs, captures (only ever added), posts and
their canonical records, documents, references and what a citing document shows (a witness)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import TypeVar

from sqlalchemy import Insert, Table, bindparam, func, insert, update
from sqlmodel import Session, col, select

from .. import __version__
from ..exchange import Exchange
from ..models import Blob, Capture, Document, Post, Reference, ReferenceLink, utcnow
from ..record import PostRecord, canonical_json, parse_iso
from ..refs import Ref
from ..refs.ids import snowflake_time
from ..sources.witness import witness_record, witness_url, witnessed
from ..store import Store
from ..vocab import Outcome, PostState, Step

T = TypeVar("T")

JSON_HEADERS = [("content-type", "application/json")]


# The writer's frequent statements, made once: a statement built anew is compiled anew, and
# one naming the ORM's columns goes through the ORM's machinery too (plain tables here).
POSTS, CAPTURES = Post.__table__, Capture.__table__
SET_STATE = (
    update(POSTS)
    .where(POSTS.c.id == bindparam("post"))
    .values(state=bindparam("state"), state_reason=bindparam("reason"))
)
SET_STATE_AT = SET_STATE.values(updated_at=bindparam("at"))
LAST_CAPTURE = select(func.max(CAPTURES.c.id)).where(
    CAPTURES.c.post_id == bindparam("post"), CAPTURES.c.source == bindparam("source")
)
ADD_CAPTURES = insert(CAPTURES)
_IGNORING: dict[tuple[str, str], Insert] = {}


def insert_ignore(sess: Session, table: Table, rows: list[dict]) -> None:
    """Insert `rows`, leaving alone those whose key is already there (one statement)."""
    if not rows:
        return
    dialect = sess.get_bind().dialect.name
    statement = _IGNORING.get((dialect, table.name))
    if statement is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        statement = _IGNORING[(dialect, table.name)] = dialect_insert(
            table
        ).on_conflict_do_nothing()
    sess.execute(statement, rows)


def exchange_outcome(exchange: Exchange) -> Outcome:
    """What an exchange said on its own, for one that is not the last of a reading."""
    if exchange.refused:
        return Outcome.REFUSED
    if exchange.location:
        return Outcome.REDIRECT
    return Outcome.LOOKUP if exchange.ok else Outcome.ERROR


class Batch:
    """The blobs and captures of one decision, written with one statement per table (the
    writer applies thousands of decisions a minute; row objects one by one cost too much)."""

    def __init__(self) -> None:
        self.blobs: dict[str, dict] = {}
        self.captures: list[dict] = []

    def blob(
        self, digest: str | None, size: int, media_type: str | None = None, derived: bool = False
    ) -> None:
        if digest and digest not in self.blobs:
            self.blobs[digest] = {
                "digest": digest,
                "size": size,
                "media_type": media_type,
                "derived": derived,
                "created_at": utcnow(),
                "verified_at": None,
            }

    def capture(
        self,
        exchange: Exchange,
        source: str,
        outcome: Outcome,
        reason: str | None = None,
        post_id: int | None = None,
        reference_id: int | None = None,
        final_url: str | None = None,
        digest: str | None = None,
    ) -> None:
        """One exchange as a capture row (its body, if any, as a blob row)."""
        self.blob(exchange.digest, exchange.size, exchange.media_type)
        self.captures.append(
            {
                "post_id": post_id,
                "reference_id": reference_id,
                "source": source,
                "url": exchange.url,
                "final_url": final_url or exchange.location,
                "http_status": exchange.status,
                "headers": json.dumps(exchange.header_list, ensure_ascii=False),
                "fetched_at": exchange.fetched_at,
                "elapsed_ms": exchange.elapsed_ms,
                "blob_digest": digest or exchange.digest,
                "outcome": outcome,
                "reason": reason or exchange.error,
                "tool_version": __version__,
            }
        )

    def reading(
        self,
        exchanges: list[Exchange],
        source: str,
        outcome: Outcome,
        reason: str | None,
        post_id: int | None,
    ) -> None:
        """Every exchange of one reading; the last carries the reading's outcome and reason."""
        for i, exchange in enumerate(exchanges):
            if i == len(exchanges) - 1 and not exchange.refused:
                self.capture(exchange, source, outcome, reason, post_id)
            else:
                self.capture(exchange, source, exchange_outcome(exchange), None, post_id)

    def write(self, sess: Session) -> None:
        """Insert the rows; new blobs belong to the session's run (`sess.info["run"]`)."""
        run = sess.info.get("run")
        rows = [{**row, "run_id": run} for row in self.blobs.values()]
        insert_ignore(sess, Blob.__table__, rows)  # type: ignore[arg-type]
        if self.captures:
            sess.execute(ADD_CAPTURES, self.captures)


def last_capture(sess: Session, post_id: int, source: str) -> int | None:
    """The post's latest capture from `source`."""
    return sess.execute(LAST_CAPTURE, {"post": post_id, "source": source}).scalar()


def post_for(sess: Session, status_id: str) -> Post:
    """The post row of `status_id`, made when there is none yet."""
    post = sess.exec(select(Post).where(Post.status_id == status_id)).first()
    if post is None:
        post = Post(status_id=status_id)
        sess.add(post)
        sess.flush()
    return post


def save_record(sess: Session, post_id: int, record: PostRecord, digest: str, size: int) -> None:
    """Point the post at its canonical record (a blob made durable before the commit) and bring
    the row up to date with what the record says (what it leaves out stays as it was)."""
    blob = Batch()
    blob.blob(digest, size, "application/json", derived=True)
    blob.write(sess)
    when = parse_iso(record.created_at or _snowflake_iso(record.status_id))
    values: dict[str, object] = {
        "state": record.state,
        "state_reason": record.state_reason,
        "record_digest": digest,
        "updated_at": utcnow(),
    }
    for name in (
        "handle",
        "author_name",
        "author_id",
        "lang",
        "reply_to_status_id",
        "quoted_status_id",
        "repost_of_status_id",
        "card_title",
    ):
        if getattr(record, name):
            values[name] = getattr(record, name)
    if when:
        values["created_at"] = when
    if record.text is not None:
        values["text"] = record.text
    if record.edited:
        values["edit_ids"] = json.dumps(record.edit_ids)
    sess.execute(update(POSTS).where(POSTS.c.id == post_id).values(**values))


def _snowflake_iso(status_id: str) -> str | None:
    when = snowflake_time(status_id) if status_id.isdigit() else None
    return when.isoformat() if when else None


def add_document(sess: Session, digest: str, size: int, path: str) -> Document:
    batch = Batch()
    batch.blob(digest, size, None)
    batch.write(sess)
    document = sess.exec(
        select(Document).where(Document.blob_digest == digest, Document.path == path)
    ).first()
    if document is None:
        document = Document(blob_digest=digest, path=path)
        sess.add(document)
        sess.flush()
    return document


def chunks(items: list[T], size: int = 500) -> Iterator[list[T]]:
    """`items` in parts small enough for one statement's parameters on any database."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def add_posts(sess: Session, status_ids: Iterable[str]) -> None:
    """Post rows for the status ids that have none yet."""
    wanted = list(dict.fromkeys(status_ids))
    known: set[str] = set()
    for part in chunks(wanted):
        known.update(sess.exec(select(Post.status_id).where(col(Post.status_id).in_(part))))  # type: ignore[arg-type]
    missing = [s for s in wanted if s not in known]
    if missing:
        stamp = utcnow()
        rows = [
            {
                "status_id": s,
                "state": PostState.UNKNOWN,
                "first_seen_at": stamp,
                "updated_at": stamp,
            }
            for s in missing
        ]
        insert_ignore(sess, POSTS, rows)  # one another worker adds meanwhile is as good


def post_ids(sess: Session, status_ids: Iterable[str]) -> dict[str, int]:
    """status id → its post row's id, rows made for those that have none yet."""
    wanted = list(dict.fromkeys(status_ids))
    add_posts(sess, wanted)
    found: dict[str, int] = {}
    for part in chunks(wanted):
        query = select(Post.status_id, Post.id).where(col(Post.status_id).in_(part))
        for status_id, post_id in sess.exec(query):
            found[status_id] = post_id  # type: ignore[index]
    return found


def reference_rows(
    sess: Session,
    refs: list[Ref],
    document_id: int | None,
    links: list[list[str]],
    posts: dict[str, int],
) -> list[tuple[int, bool]]:
    """Each reference's row id and whether the row is new; one already there (same document,
    place and text) is reused, so archiving the same document again adds nothing. A reference
    to a status id points at its post (`posts`). Refs come by the thousand (a list of posts, a
    long document): a few statements for all of them, not a few each."""
    table = Reference.__table__
    there: dict[tuple[int | None, int | None, str], tuple[int, int | None]] = {}
    for part in chunks(list({r.match for r in refs})):
        query = (
            select(
                Reference.line, Reference.column, Reference.match, Reference.id, Reference.post_id
            )
            .where(Reference.document_id == document_id, col(Reference.match).in_(part))
            .order_by(col(Reference.id))
        )
        for line, column, match, row_id, post_id in sess.exec(query):
            there.setdefault((line, column, match), (row_id, post_id))
    made: dict[tuple[int | None, int | None, str], int] = {}  # key → index among the new rows
    new_rows: list[dict] = []
    repoint: list[dict] = []
    for ref, cited in zip(refs, links, strict=True):
        key = (ref.line, ref.column, ref.match)
        post_id = posts.get(ref.status_id) if ref.status_id else None
        if key in there:
            row_id, had = there[key]
            if post_id is not None and had != post_id:
                repoint.append({"row": row_id, "post": post_id})
                there[key] = (row_id, post_id)
        elif key not in made:
            made[key] = len(new_rows)
            new_rows.append(
                {
                    "document_id": document_id,
                    "post_id": post_id,
                    "kind": ref.kind,
                    "line": ref.line,
                    "column": ref.column,
                    "match": ref.match,
                    "status_id": ref.status_id,
                    "data": json.dumps(ref.to_dict(), ensure_ascii=False),
                    "added_at": utcnow(),
                    "links": list(dict.fromkeys(cited)),
                }
            )
    ids: list[int] = []
    if new_rows:
        links_of = [row.pop("links") for row in new_rows]
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)  # type: ignore[attr-defined]
        ids = [row_id for (row_id,) in sess.execute(statement, new_rows)]
        link_rows = [
            {"reference_id": row_id, "url": url}
            for row_id, urls in zip(ids, links_of, strict=True)
            for url in urls
        ]
        if link_rows:
            sess.execute(insert(ReferenceLink.__table__), link_rows)  # type: ignore[arg-type]
    if repoint:
        statement = update(table).where(table.c.id == bindparam("row"))  # type: ignore[attr-defined]
        sess.execute(statement.values(post_id=bindparam("post")), repoint)
    out: list[tuple[int, bool]] = []
    first = set()
    for ref in refs:
        key = (ref.line, ref.column, ref.match)
        if key in made and key not in first:
            first.add(key)
            out.append((ids[made[key]], True))
        else:
            out.append((there[key][0] if key in there else ids[made[key]], False))
    return out


def witness_post(sess: Session, ref: Ref) -> Post:
    """The post a document shows but does not identify, keyed by handle, date and text."""
    digest = hashlib.sha256((ref.text or "").encode()).hexdigest()[:16]
    key = f"{(ref.handle or '').lower()}|{ref.date}|{digest}"
    post = sess.exec(select(Post).where(Post.witness_key == key)).first()
    if post is None:
        post = Post(witness_key=key, handle=ref.handle, author_name=ref.author_name, text=ref.text)
        sess.add(post)
        sess.flush()
    return post


def add_witness(
    sess: Session, store: Store, shown: dict, post: Post, reference_id: int | None
) -> None:
    """Keep what a citing document shows of a post as a `witness` capture of that post; until a
    source gives the post, the witness is its record."""
    shown = witnessed(shown)
    digest, size = store.put(canonical_json(shown))
    exchange = Exchange(url=witness_url(shown), header_list=JSON_HEADERS)
    batch = Batch()
    batch.blob(digest, size, "application/json")
    batch.capture(exchange, Step.WITNESS, Outcome.FOUND, None, post.id, reference_id, digest=digest)
    if post.record_digest is None:
        record = witness_record(post.status_id, shown)
        record_digest, record_size = store.put(canonical_json(record.to_dict()))
        save_record(sess, post.id, record, record_digest, record_size)  # type: ignore[arg-type]
    batch.write(sess)
    sess.expire(post)


def identify(sess: Session, ref: Reference, post: Post) -> None:
    """A reference shown without an id, now known by its link: point it at the post; an embed's
    witness is added to that post too (the witness-only post stays as it was)."""
    if ref.post_id == post.id:
        return
    if ref.kind == "attribution":
        for witness in sess.exec(
            select(Capture).where(Capture.reference_id == ref.id, Capture.source == Step.WITNESS)
        ).all():
            if witness.post_id != post.id:
                copy = witness.model_dump(exclude={"id"})
                sess.add(Capture(**{**copy, "post_id": post.id}))
    ref.post_id, ref.status_id = post.id, post.status_id
    sess.flush()  # the next statement may be plain SQL, which does not flush the session
