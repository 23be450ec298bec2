"""Step 2: what the inputs cite, as rows. Each document is kept byte for byte as a blob; each
reference becomes a row (with the short links it cites), an embed's rendering a witness capture,
and each post or link a queued job. One transaction per document (or named reference)."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session

from ..archive import Archive
from ..refs import Ref, extract_file
from ..rows.jobs import enqueue
from ..rows.records import (
    add_document,
    add_witness,
    identify,
    post_for,
    reference_row,
    witness_post,
)
from ..vocab import CITING_KINDS, JobKind, JobState, Verdict
from .inputs import Item
from .writer import crash_point

NAMED_GROUP = 1000  # references named in a list, taken in per transaction


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
        data = (stdin or sys.stdin.buffer).read() if item.stdin else Path(item.path).read_bytes()  # type: ignore[arg-type]
        name = "-" if item.stdin else str(item.path)
        doc = extract_file(name, io.BytesIO(data), "" if item.stdin else Path(name).suffix)
        refs = list(doc.refs)
        intake.warnings += [f"{name}: {w}" for w in doc.warnings]
        if doc.skipped:
            continue
        with archive.session(run) as sess:
            digest, size = archive.store.put(data)
            document = add_document(sess, digest, size, name)
            _cite(archive, sess, refs, document.id, intake, recapture)
        crash_point("cite:committed")
    return intake


def _cite(
    archive: Archive,
    sess: Session,
    refs: list[Ref],
    document_id: int | None,
    intake: Intake,
    recapture: bool,
) -> None:
    for ref in refs:
        links = [ref.canonical_url] if ref.kind == "short_link" else list(ref.short_links)
        links = [str(link) for link in links if link]
        row, new = reference_row(sess, ref, document_id, links)
        if ref.kind not in CITING_KINDS or (ref.kind == "short_link" and ref.in_post):
            continue  # accounts; links inside an embed belong to the embed
        label = ref.match if document_id is None else f"{ref.document}:{ref.line}: {ref.match}"
        item = Cited(row.id, label, ref.status_id, links)  # type: ignore[arg-type]
        if ref.status_id:
            job = enqueue(sess, JobKind.POST, ref.status_id, row.id, again=recapture)
            intake.job_ids.add(job.id)  # type: ignore[arg-type]
            row.post_id = post_for(sess, ref.status_id).id
        else:
            for link in links:
                job = enqueue(sess, JobKind.RESOLVE, link, row.id)
                intake.job_ids.add(job.id)  # type: ignore[arg-type]
                if job.state == JobState.DONE and (job.result or "").isdigit():
                    # resolved before: this reference points at that post at once
                    identify(sess, row, post_for(sess, job.result))  # type: ignore[arg-type]
                    post_job = enqueue(sess, JobKind.POST, job.result, row.id, again=recapture)  # type: ignore[arg-type]
                    intake.job_ids.add(post_job.id)  # type: ignore[arg-type]
        if ref.kind in ("attribution", "citation") and new:
            post = post_for(sess, ref.status_id) if ref.status_id else witness_post(sess, ref)
            row.post_id = post.id
            add_witness(sess, archive.store, ref.to_dict(), post, row.id)
        if not ref.status_id and not links and ref.handle and ref.date:
            intake.job_ids.add(enqueue(sess, JobKind.FIND, str(row.id), row.id).id)  # type: ignore[arg-type]
        intake.cited.append(item)
