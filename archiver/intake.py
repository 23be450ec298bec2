"""From what the user names (URLs, ids, short links, documents, stdin, a list file) to rows:
documents as blobs, references, witnesses and queued jobs; and, after a run, what became of
each reference.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from . import jobs
from .archive import Archive
from .errors import InputError
from .models import Capture, Document, Job, Post, Reference
from .refs import Ref, extract_file, scan
from .refs.documents import iter_paths
from .refs.urls import canonical_status_url, plausible_id
from .rows import add_blob, add_witness, post_for

ID_RE = re.compile(r"\d{1,19}")
POST_KINDS = ("status_url", "attribution", "short_link")


@dataclass
class Cited:
    """One reference the user asked to archive, and what became of it."""

    reference_id: int
    label: str
    status_id: str | None
    short_links: list[str]
    outcome: str = "pending"
    reason: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "reference": self.label,
            "status_id": self.status_id,
            "outcome": self.outcome,
            "reason": self.reason,
        }


def parse_inline(text: str) -> Ref:
    """A status URL, a bare id or a short link named on the command line."""
    value = text.strip()
    if ID_RE.fullmatch(value):
        if not plausible_id(value):
            raise InputError(f"{value!r}: not a real post id")
        return Ref(
            "status_url",
            "argument",
            1,
            1,
            value,
            status_id=value,
            canonical_url=canonical_status_url(value, None),
        )
    found = [r for r in scan(value, "argument", is_html=False) if r.kind in POST_KINDS]
    if len(found) == 1 and value.startswith(found[0].match):
        return found[0]
    raise InputError(f"{value!r}: not a post URL, a post id, a short link or a file")


def read_inputs(inputs: list[str], list_file: str | None) -> list[tuple[str, object]]:
    """Check every input before anything is written: ("doc", path) / ("stdin", bytes) /
    ("ref", Ref). A bad one raises InputError and nothing is archived."""
    items: list[tuple[str, object]] = []
    names = list(inputs)
    if list_file:
        try:
            lines = Path(list_file).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                f"--list {list_file}: {getattr(exc, 'strerror', None) or exc}"
            ) from exc
        names += [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    for name in names:
        if name == "-":
            items.append(("stdin", None))
        elif Path(name).exists():
            items += [("doc", path) for _, path in iter_paths([name]) if path is not None]
        elif "/" in name and not re.match(r"^(https?://|[\w.-]+\.\w+/)", name):
            raise InputError(f"{name}: no such file")
        else:
            items.append(("ref", parse_inline(name)))
    if not items:
        raise InputError("nothing to archive: name URLs, ids, short links or documents")
    return items


def take_in(
    archive: Archive,
    items: list[tuple[str, object]],
    stdin: io.BufferedIOBase | None,
    recapture: bool,
) -> tuple[list[Cited], set[int], list[str]]:
    """Store documents, references and witnesses; queue jobs. (cited, job ids, warnings)."""
    cited: list[Cited] = []
    job_ids: set[int] = set()
    warnings: list[str] = []
    for kind, value in items:
        if kind == "ref":
            assert isinstance(value, Ref)
            with archive.session() as sess:
                cited += _cite(archive, sess, [value], None, job_ids, recapture)
            continue
        data = (stdin.read() if stdin else b"") if kind == "stdin" else Path(value).read_bytes()
        name = "-" if kind == "stdin" else str(value)
        doc = extract_file(name, io.BytesIO(data), Path(name).suffix)
        refs = list(doc.refs)
        warnings += [f"{name}: {w}" for w in doc.warnings]
        if doc.skipped:
            continue
        with archive.session() as sess:
            digest, size = archive.store.put(data)
            add_blob(sess, digest, size, None)
            document = sess.exec(
                select(Document).where(Document.blob_digest == digest, Document.path == name)
            ).first()
            if document is None:
                document = Document(blob_digest=digest, path=name)
                sess.add(document)
                sess.flush()
            cited += _cite(archive, sess, refs, document.id, job_ids, recapture)
    return cited, job_ids, warnings


def _cite(
    archive: Archive,
    sess: Session,
    refs: list[Ref],
    document_id: int | None,
    job_ids: set[int],
    recapture: bool,
) -> list[Cited]:
    out = []
    for ref in refs:
        row, new = _reference_row(sess, ref, document_id)
        if ref.kind not in POST_KINDS or (ref.kind == "short_link" and ref.in_post):
            continue  # accounts; links inside an embed belong to the embed
        links = [ref.canonical_url] if ref.kind == "short_link" else list(ref.short_links)
        label = ref.match if document_id is None else f"{ref.document}:{ref.line}: {ref.match}"
        item = Cited(row.id, label, ref.status_id, [str(link) for link in links])  # type: ignore[arg-type]
        if ref.status_id:
            job_ids.add(jobs.enqueue(sess, "post", ref.status_id, row.id, again=recapture).id)  # type: ignore[arg-type]
            row.post_id = post_for(sess, ref.status_id).id
        else:
            for link in item.short_links:
                job_ids.add(jobs.enqueue(sess, "resolve", link, row.id).id)  # type: ignore[arg-type]
        if ref.kind == "attribution" and new:
            post = post_for(sess, ref.status_id) if ref.status_id else _witness_post(sess, ref)
            row.post_id = post.id
            add_witness(archive, sess, ref.to_dict(), post, row.id)
        out.append(item)
    return out


def _reference_row(sess: Session, ref: Ref, document_id: int | None) -> tuple[Reference, bool]:
    """The row for this reference; one already there (same document, place and text) is
    reused, so archiving the same document again adds nothing."""
    row = sess.exec(
        select(Reference).where(
            Reference.document_id == document_id,
            Reference.line == ref.line,
            Reference.column == ref.column,
            Reference.match == ref.match,
        )
    ).first()
    if row is not None:
        return row, False
    row = Reference(
        document_id=document_id,
        kind=ref.kind,
        line=ref.line,
        column=ref.column,
        match=ref.match,
        status_id=ref.status_id,
        data=json.dumps(ref.to_dict(), ensure_ascii=False),
    )
    sess.add(row)
    sess.flush()
    return row, True


def _witness_post(sess: Session, ref: Ref) -> Post:
    """The post a document shows but does not identify, keyed by handle, date and text."""
    digest = hashlib.sha256((ref.text or "").encode()).hexdigest()[:16]
    key = f"{(ref.handle or '').lower()}|{ref.date}|{digest}"
    post = sess.exec(select(Post).where(Post.witness_key == key)).first()
    if post is None:
        post = Post(witness_key=key, handle=ref.handle, author_name=ref.author_name, text=ref.text)
        sess.add(post)
        sess.flush()
    return post


def settle(archive: Archive, cited: list[Cited], started: datetime) -> list[Cited]:
    """What became of each reference after a run."""
    with archive.session() as sess:
        for item in cited:
            _settle(sess, item, started)
    return cited


def _job(sess: Session, kind: str, target: str) -> Job | None:
    return sess.exec(select(Job).where(Job.kind == kind, Job.target == target)).first()


def _settle(sess: Session, item: Cited, started: datetime) -> None:
    if item.status_id is None:
        resolves = [j for link in item.short_links if (j := _job(sess, "resolve", link))]
        found = next((j.result for j in resolves if j.result and j.result.isdigit()), None)
        if found is None:
            if any(j.state in ("pending", "running") for j in resolves):
                item.outcome, item.reason = (
                    "pending",
                    _first_error(resolves) or "link not resolved yet",
                )
            elif any(j.state == "failed" for j in resolves):
                item.outcome, item.reason = "failed", _first_error(resolves)
            else:
                item.outcome = "unresolved"
                item.reason = _first_error(resolves) or "no status URL and no link to resolve"
                item.reason += "; the document's rendering is kept as a witness"
            return
        item.status_id = found
        ref = sess.get(Reference, item.reference_id)
        if ref is not None and ref.kind == "attribution":
            _identify(sess, ref, found)
    job = _job(sess, "post", item.status_id) or _job(sess, "quoted", item.status_id)
    post = sess.exec(select(Post).where(Post.status_id == item.status_id)).first()
    if job is None or post is None or job.state in ("pending", "running"):
        item.outcome, item.reason = "pending", job.last_error if job else None
    elif job.state == "failed":
        item.outcome, item.reason = "failed", job.last_error
    elif post.state in ("deleted", "suspended", "protected", "withheld", "unavailable"):
        item.outcome, item.reason = "deleted", f"{post.state}: {post.state_reason}"
    else:
        first = post.first_seen_at
        item.outcome = (
            "already"
            if first and first < started and not _new_capture(sess, post, started)
            else "captured"
        )


def _new_capture(sess: Session, post: Post, started: datetime) -> bool:
    return (
        sess.exec(
            select(Capture).where(
                Capture.post_id == post.id,
                Capture.outcome == "found",
                Capture.source != "witness",
                Capture.fetched_at >= started,
            )
        ).first()
        is not None
    )


def _identify(sess: Session, ref: Reference, status_id: str) -> None:
    """An embed shown without an id, now known by its link: point the reference at the post
    and add the document's witness to that post (the witness-only post stays as it was)."""
    post = sess.exec(select(Post).where(Post.status_id == status_id)).first()
    if post is None or ref.post_id == post.id:
        return
    witness = sess.exec(
        select(Capture).where(Capture.reference_id == ref.id, Capture.source == "witness")
    ).first()
    if witness is not None:
        copy = witness.model_dump(exclude={"id"})
        sess.add(Capture(**{**copy, "post_id": post.id}))
    ref.post_id, ref.status_id = post.id, status_id


def _first_error(found: list[Job]) -> str | None:
    return next((j.last_error for j in found if j.last_error), None)
