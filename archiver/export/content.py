"""What goes into a bundle: per post its record, raw answers, media and history; per document
the document and a report of each citation, with the quoted text compared to the archive's."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from ..archive import Archive
from ..models import Capture, Check, Document, Job, Post, Reference
from ..record import iso_utc
from ..rows.jobs import given_by_a_source
from ..views import post_view
from ..vocab import CITING_KINDS, GONE_STATES, JobKind, JobState, PostState, Step
from .bagit import Entry, safe_name
from .citations import Citable
from .html import text_html
from .mediatypes import ACTIVE, extension

LINK_RE = re.compile(r"(?:https?://)?(?:t\.co|pic\.(?:twitter|x)\.com)/\w+")


def dumps(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


@dataclass
class Collected:
    entries: list[Entry] = field(default_factory=list)
    views: list[dict] = field(default_factory=list)
    citables: list[Citable] = field(default_factory=list)
    media_files: dict[str, str] = field(default_factory=dict)  # digest → path from data/
    raw: dict[int, str] = field(default_factory=dict)  # capture id → its answer's file
    exchanges: list[Capture] = field(default_factory=list)  # every capture, for the WARC
    latest: str = "1970-01-01T00:00:00Z"  # newest capture or check: the bag's date

    def raw_answer(self, archive: Archive, base: str, capture: Capture) -> str | None:
        """Bundle the bytes of `capture`'s answer in `base`/raw/, named after it (once,
        whoever asks again); the file's name from data/ (None: the answer had no body)."""
        if not capture.blob_digest or capture.id is None:
            return None
        if capture.id not in self.raw:
            suffix = extension(capture.header("content-type"))
            suffix += ".txt" if suffix in ACTIVE else ""  # never run by opening it
            name = f"{base}/raw/{capture.id:06d}-{safe_name(capture.source)}.{suffix}"
            self.entries.append(Entry.blob(name, archive.store, capture.blob_digest))
            self.raw[capture.id] = name.removeprefix("data/")
        return self.raw[capture.id]


def collect_posts(archive: Archive, status_ids: list[str], into: Collected) -> None:
    for status_id in status_ids:
        view = post_view(archive, status_id)
        base = f"data/posts/{safe_name(status_id)}"
        with archive.session() as sess:
            post = sess.exec(select(Post).where(Post.status_id == status_id)).one()
            captures = sess.exec(
                select(Capture).where(Capture.post_id == post.id).order_by(col(Capture.id))
            ).all()
            checks = sess.exec(
                select(Check).where(Check.post_id == post.id).order_by(col(Check.id))
            ).all()
            for row in captures:
                sess.expunge(row)
        if post.record_digest:
            into.entries.append(
                Entry.blob(f"{base}/record.json", archive.store, post.record_digest)
            )
        into.exchanges += captures
        for capture in captures:
            if capture.source != "media":
                into.raw_answer(archive, base, capture)
            into.latest = max(into.latest, iso_utc(capture.fetched_at))
        for check in checks:
            into.latest = max(into.latest, iso_utc(check.at))
        for item in view["media"]:  # type: ignore[union-attr]
            digest = item["digest"]
            if digest and digest not in into.media_files:
                kind = extension(item["media_type"], item["format"])
                name = f"{base}/media/{digest[7:]}.{kind}"
                into.entries.append(Entry.blob(name, archive.store, digest))
                into.media_files[digest] = name.removeprefix("data/")
        history = {"captures": [{**_capture_dict(c)} for c in captures], "checks": view["checks"]}
        into.entries.append(Entry(f"{base}/post.json", dumps(view)))
        into.entries.append(Entry(f"{base}/history.json", dumps(history)))
        into.views.append(view)
        found = [
            c for c in captures if c.outcome == "found" and c.source not in ("witness", "media")
        ]
        into.citables.append(Citable.from_view(view, found[0].fetched_at if found else None))


def _post_job(sess: Session, status_id: str) -> Job | None:
    """The job that captures the post: its own, else the one that follows a quote to it."""
    jobs = sess.exec(
        select(Job).where(
            Job.target == status_id, col(Job.kind).in_([JobKind.POST, JobKind.QUOTED])
        )
    ).all()
    return next((j for j in jobs if j.kind == JobKind.POST), jobs[0] if jobs else None)


def _capture_dict(c: Capture) -> dict[str, object]:
    return {
        "id": c.id,
        "source": c.source,
        "url": c.url,
        "final_url": c.final_url,
        "http_status": c.http_status,
        "headers": c.header_pairs(),
        "fetched_at": iso_utc(c.fetched_at),
        "elapsed_ms": c.elapsed_ms,
        "digest": c.blob_digest,
        "outcome": c.outcome,
        "reason": c.reason,
        "tool_version": c.tool_version,
    }


def word_diff(quoted: str, archived: str) -> tuple[bool, list[list[str]], str]:
    """(same words?, operations, HTML with <del>/<ins>), links and spacing aside; the HTML
    escaped, its control characters shown as marks (a right-to-left override spoofs text)."""
    a = LINK_RE.sub(" ", quoted).split()
    b = LINK_RE.sub(" ", archived).split()
    ops: list[list[str]] = []
    html: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            html.append(text_html(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(["document", " ".join(a[i1:i2])])
            html.append(f"<del>{text_html(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            ops.append(["archive", " ".join(b[j1:j2])])
            html.append(f"<ins>{text_html(' '.join(b[j1:j2]))}</ins>")
    return not ops, ops, " ".join(html)


MAX_HOPS = 20  # a chain is cut here (a loop's, or a run's told to follow more)


def resolved(sess: Session) -> dict[str, Capture]:
    """Each URL a short link's hop was asked at, with its last kept answer."""
    captures = sess.exec(
        select(Capture).where(Capture.source == Step.RESOLVE).order_by(col(Capture.id))
    )
    return {c.url: c for c in captures}


def hop_chain(hops: dict[str, Capture], link: str) -> list[dict[str, object]]:
    """The hops from a cited short link (`hops`: `resolved`), as last kept: URL, status, where
    it led (to its post, or wherever a link that leads to none went)."""
    chain, url, seen = [], link, set()
    while url in hops and url not in seen and len(chain) < MAX_HOPS:
        seen.add(url)
        hop = hops[url]
        chain.append(
            {
                "url": hop.url,
                "http_status": hop.http_status,
                "leads_to": hop.final_url,
                "fetched_at": iso_utc(hop.fetched_at),
                "digest": hop.blob_digest,
            }
        )
        url = hop.final_url or ""
    return chain


def _job(sess: Session, kind: JobKind, target: str) -> Job | None:
    return sess.exec(select(Job).where(Job.kind == kind, Job.target == target)).first()


def _looked_up(sess: Session, reference_id: int | None) -> str | None:
    """What looking a link-less citation's post up by its handle and day found, in its words."""
    job = _job(sess, JobKind.FIND, str(reference_id))
    return job.last_error if job is not None else None


def _link_status(sess: Session, link: str) -> str:
    """What became of a short link that leads to no post: its job's end, in its words."""
    job = _job(sess, JobKind.RESOLVE, link)
    if job is None:
        return "unresolved (never followed)"
    if job.state == JobState.DONE:  # (its first word is the verdict a bundle counts)
        return f"unresolved (leads to {job.result or 'nowhere'}, no post)"
    return f"{job.state} ({job.last_error or 'not followed yet'})"


def source_gave(sess: Session, post: Post) -> bool:
    """Whether the post's text is a source's, not a document's own rendering (a witness)."""
    return bool(sess.exec(given_by_a_source().where(Capture.post_id == post.id)).first())


def post_status(sess: Session, post: Post) -> str:
    """What the archive holds of `post`, as a bundle's report says it: `archived`, `partial
    (why)`, `pending (…)`, `failed (why)`, or a gone post's state and when it was last seen."""
    job = _post_job(sess, post.status_id) if post.status_id else None
    failed = job is not None and job.state == JobState.FAILED
    unfinished = job is not None and job.state in (JobState.PENDING, JobState.RUNNING)
    if post.state == PostState.LIVE and source_gave(sess, post):  # partial, as archive says
        if failed:
            return f"partial ({job.last_error})"  # type: ignore[union-attr]
        return "pending (not finished: `archiver retry` finishes it)" if unfinished else "archived"
    if post.state not in GONE_STATES:
        return f"failed ({job.last_error})" if failed else "pending"  # type: ignore[union-attr]
    if failed:  # gone, and its archived copy not read, or not whole (as archive says)
        return f"{'partial' if source_gave(sess, post) else 'failed'} ({job.last_error})"  # type: ignore[union-attr]
    seen = sess.exec(
        select(Check.at)
        .where(Check.post_id == post.id, Check.state == "live")
        .order_by(col(Check.at).desc())
    ).first()
    when = iso_utc(seen) if seen else "never by this archive"
    return f"{post.state} (last seen live: {when})"


def document_report(
    archive: Archive, document: Document, shown: str, into: Collected
) -> tuple[list[dict], list[str]]:
    """Each citation of a document (`shown`, its file in the bundle), and the status ids of the
    posts it cites. The answers of a short link that leads to no post go `into` the bundle
    under data/links/ (a post's go with the post)."""
    rows, ids = [], []
    hops: dict[str, Capture] | None = None  # read when the first short link is met
    with archive.session() as sess:
        refs = sess.exec(
            select(Reference)
            .where(Reference.document_id == document.id)
            .order_by(col(Reference.line), col(Reference.column))
        ).all()
        for ref in refs:
            data = json.loads(ref.data)
            if ref.kind not in CITING_KINDS or data.get("in_post"):
                continue
            post = sess.get(Post, ref.post_id) if ref.post_id else None
            row: dict = {
                "where": f"{shown}:{ref.line}",
                "kind": ref.kind,
                "match": ref.match,
                "status_id": post.status_id if post else None,
            }
            given = post is not None and source_gave(sess, post)
            link = data.get("canonical_url") or ref.match
            if ref.kind == "short_link" and post is None:
                row["status"] = _link_status(sess, link)  # a link that led to no post
            elif post is None or post.status_id is None:
                looked = _looked_up(sess, ref.id)  # (the candidates weighed, if it was looked up)
                row["status"] = "unresolved (the document's rendering is kept as a witness" + (
                    f"; {looked})" if looked else ")"
                )
            else:
                row["status"] = post_status(sess, post)
            if post is not None and post.status_id and post.status_id not in ids:
                ids.append(post.status_id)
            if ref.kind == "short_link":
                hops = resolved(sess) if hops is None else hops
                row["hops"] = hop_chain(hops, link)
                for hop in row["hops"] if post is None else ():  # (a post's go with it)
                    capture = hops[str(hop["url"])]
                    if all(c.id != capture.id for c in into.exchanges):
                        into.exchanges.append(capture)
                    folder = f"data/links/{safe_name(link.split('://', 1)[-1])}"
                    hop["file"] = into.raw_answer(archive, folder, capture)
            if ref.kind == "attribution" and given and post.text and data.get("text"):  # type: ignore[union-attr]
                same, ops, html = word_diff(data["text"], post.text)
                row.update(quote_matches=same, differences=ops, diff_html=html)
            rows.append(row)
    return rows, ids
