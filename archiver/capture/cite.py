"""Step 2: what the inputs cite, as rows. Each document is kept byte for byte as a blob; each
reference becomes a row (with the short links it cites), an embed's rendering a witness capture,
and each post or link a queued job. One transaction per document (or named reference)."""

from __future__ import annotations

import io
import pickle
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, BinaryIO

from sqlmodel import Session

from ..archive import Archive
from ..models import Post, Reference
from ..refs import Ref, extract_file
from ..rows.jobs import done_results, enqueue, enqueue_many
from ..rows.records import (
    add_document,
    add_witness,
    identify,
    post_for,
    post_ids,
    reference_rows,
    witness_post,
)
from ..vocab import CITING_KINDS, JobKind, JobState, Verdict
from .inputs import Item
from .writer import crash_point

NAMED_GROUP = 1000  # references taken in together: named in a list, a transaction each


@dataclass
class Cited:
    """One reference the user asked to archive, and what became of it."""

    reference_id: int
    label: str
    status_id: str | None
    short_links: list[str]
    outcome: Verdict = Verdict.PENDING
    reason: str | None = None
    state: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "reference": self.label,
            "status_id": self.status_id,
            "outcome": self.outcome,
            "state": self.state,
            "reason": self.reason,
        }


@dataclass
class Intake:
    cited: list[Cited] = field(default_factory=list)
    job_ids: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    unreadable: list[Cited] = field(default_factory=list)  # documents kept, nothing read from


def take_in(
    archive: Archive,
    items: list[Item],
    stdin: BinaryIO | None,
    recapture: bool,
    run: int | None = None,
) -> Intake:
    """Store documents, references and witnesses (their blobs `run`'s); queue jobs."""
    intake = Intake()
    named: list[Ref] = []  # references named on the command line or in a list, taken in together
    for position, item in enumerate(items):
        if item.ref is not None:
            named.append(item.ref)
            following = items[position + 1] if position + 1 < len(items) else None
            if len(named) >= NAMED_GROUP or following is None or following.ref is None:
                with archive.session(run) as sess:  # one transaction for the group
                    _cite(archive, sess, named, None, intake, recapture)
                crash_point("cite:committed")
                named = []
            continue
        name = "-" if item.stdin else str(item.path)
        # Streamed into the store (kept in memory only while small), then read from there:
        # a document of any size is never held whole, nor are its references: they wait in a
        # spool file, so the transaction is no longer than the writing of its rows.
        staged = archive.store.stage((stdin or sys.stdin.buffer) if item.stdin else item.path)  # type: ignore[arg-type]
        kept = staged.source()
        try:
            with io.BytesIO(kept) if isinstance(kept, bytes) else open(kept, "rb") as stream:
                doc = extract_file(name, stream, "" if item.stdin else Path(name).suffix)
                spool = _spooled(doc.refs)
        except BaseException:  # ^C, or a surprise: the staged copy goes, nothing is named yet
            archive.store.discard([staged])
            raise
        intake.warnings += [f"{name}: {w}" for w in doc.warnings]
        with spool:
            if doc.skipped and doc.error is None:  # not a document (a picture, a binary): left
                archive.store.discard([staged])
                continue
            archive.store.settle([staged])  # durable before the transaction that names it
            with archive.session(run) as sess:
                document = add_document(sess, staged.digest, staged.size, name)
                for group in _unspooled(spool):
                    _cite(archive, sess, group, document.id, intake, recapture)
        crash_point("cite:committed")
        if doc.error is not None:  # kept as asked, but nothing in it could be read
            intake.unreadable.append(Cited(0, name, None, [], Verdict.FAILED, doc.error))
    return intake


def _spooled(refs: Iterable[Ref]) -> IO[bytes]:
    """`refs` written to a temporary file, NAMED_GROUP to a record."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115  (returned open, closed by the caller)
    each = iter(refs)
    try:
        while group := list(islice(each, NAMED_GROUP)):
            pickle.dump(group, spool, pickle.HIGHEST_PROTOCOL)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


def _unspooled(spool: IO[bytes]) -> Iterator[list[Ref]]:
    """The groups of references `_spooled` wrote, in order."""
    while True:
        try:
            group = pickle.load(spool)
        except EOFError:
            return
        yield group


def _cite(
    archive: Archive,
    sess: Session,
    refs: list[Ref],
    document_id: int | None,
    intake: Intake,
    recapture: bool,
) -> None:
    links = [
        [str(u) for u in ([r.canonical_url] if r.kind == "short_link" else r.short_links) if u]
        for r in refs
    ]
    posts = post_ids(sess, [r.status_id for r in refs if r.status_id])
    rows = reference_rows(sess, refs, document_id, links, posts)
    citing = [
        r.kind in CITING_KINDS and not (r.kind == "short_link" and r.in_post) for r in refs
    ]  # not accounts; links inside an embed belong to the embed
    # Each post's job names the first reference to it: by its id, or by a link resolved before.
    resolved = done_results(sess, JobKind.RESOLVE, [link for cited in links for link in cited])
    asked: dict[str, int | None] = {}
    for ref, cited, (row_id, _), is_citing in zip(refs, links, rows, citing, strict=True):
        if is_citing:
            leads = [ref.status_id] if ref.status_id else [resolved.get(link) for link in cited]
            for status_id in leads:
                if status_id and status_id.isdigit():
                    asked.setdefault(status_id, row_id)
    jobs = enqueue_many(sess, JobKind.POST, asked, again=recapture)
    for ref, cited, (row_id, new), is_citing in zip(refs, links, rows, citing, strict=True):
        if not is_citing:
            continue
        label = ref.match if document_id is None else f"{ref.document}:{ref.line}: {ref.match}"
        item = Cited(row_id, label, ref.status_id, cited)
        if ref.status_id:
            intake.job_ids.add(jobs[ref.status_id])
        else:
            _resolve_links(sess, row_id, cited, intake, recapture)
        if ref.kind in ("attribution", "citation") and new:
            if ref.status_id:
                post = sess.get_one(Post, posts[ref.status_id])
            else:
                post = witness_post(sess, ref)
                sess.get_one(Reference, row_id).post_id = post.id
            add_witness(sess, archive.store, ref.to_dict(), post, row_id)
        if not ref.status_id and not cited and ref.handle and ref.date:
            found = enqueue(sess, JobKind.FIND, str(row_id), row_id, again=recapture, named=True)
            intake.job_ids.add(found.id)  # type: ignore[arg-type]
        intake.cited.append(item)


def _resolve_links(
    sess: Session, row_id: int, links: list[str], intake: Intake, recapture: bool
) -> None:
    """Queue the short links a reference cites; one resolved before points it at its post."""
    for link in links:
        job = enqueue(sess, JobKind.RESOLVE, link, row_id, named=True)
        intake.job_ids.add(job.id)  # type: ignore[arg-type]
        if job.state == JobState.DONE and (job.result or "").isdigit():
            row = sess.get_one(Reference, row_id)
            identify(sess, row, post_for(sess, job.result))  # type: ignore[arg-type]
            post_job = enqueue(
                sess,
                JobKind.POST,
                job.result,  # type: ignore[arg-type]
                row_id,
                again=recapture,
                named=True,
            )
            intake.job_ids.add(post_job.id)  # type: ignore[arg-type]
