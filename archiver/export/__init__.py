"""Citation bundles: a BagIt bag (folder or zip) that proves what posts said and showed, with
ready-to-paste citations, checkable with standard tools and without archiver."""

from __future__ import annotations

import os
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from sqlmodel import col, select

from .. import __version__
from ..archive import Archive
from ..config import Settings
from ..errors import InputError
from ..models import Document, Post
from ..names import documents_named, find_posts
from ..progress import Progress, ensure
from . import citations
from .bagit import Entry, build_bag, check_destination, safe_name, write_bag
from .content import Collected, collect_posts, document_report, dumps, post_status, source_gave
from .html import page, post_html, report_html
from .stamps import CUSTODY_README, custody_entries, stamp_bag
from .wacz import write_wacz
from .warc import Page, media_urls, page_title, write_warc

README = """This is a citation bundle made by archiver {version}: a BagIt 1.0 bag (RFC 8493).

What is here
  data/index.html            the posts as a reader sees them, offline, with their digests
  data/citations/            APA 7, MLA 9, Chicago (note), BibTeX and CSL-JSON citations
  data/posts/<id>/record.json    the canonical post record; its SHA-256 is the digest cited
  data/posts/<id>/post.json      the post with its captures, media and checks
  data/posts/<id>/raw/           every answer the sources gave, byte for byte (a page or a
                                 script named .html.txt, .js.txt: shown, never run, when opened)
  data/posts/<id>/media/         photos and videos, named by their SHA-256
  data/posts/<id>/history.json   every capture (URL, status, headers, time) and check
  data/warc/bundle.warc.gz   (--warc) every exchange as WARC request/response records, and a
                             page for each post at https://archiver.invalid/posts/<id>
  data/bundle.wacz           (--wacz) the same WARC with its index and pages, for replay tools
  data/documents/, report.json   for a document bundle: the document and its citations;
                             for posts named (or --all), report.json says what became of each
  data/links/<link>/raw/     what a cited short link that led to no post answered, per hop

How to check it with standard tools (from the folder that holds bagit.txt)
  sha256sum -c manifest-sha256.txt        every payload file is whole
  sha512sum -c manifest-sha512.txt        the same with SHA-512
  sha256sum -c tagmanifest-sha256.txt     the manifests and bag-info.txt are whole
  sha256sum data/posts/*/record.json      compare with record_digest in post.json
or with the Library of Congress bagit tool: bagit.py --validate .
"""


def select_posts(
    archive: Archive, posts: list[str], document: str | None, everything: bool
) -> tuple[list[str], list[Document]]:
    """(status ids, documents) that the bundle covers."""
    with archive.session() as sess:
        if everything:
            ids = [
                p
                for p in sess.exec(
                    select(Post.status_id)
                    .where(col(Post.status_id).is_not(None))
                    .order_by(col(Post.status_id))
                )
            ]
            return ids, list(sess.exec(select(Document).order_by(col(Document.id))))  # type: ignore[arg-type]
        documents: list[Document] = []
        if document:
            every = list(sess.exec(select(Document).order_by(col(Document.id))))
            named = documents_named([(d.id, d.path, d.blob_digest) for d in every], document)  # type: ignore[misc]
            documents = [d for d in every if d.id in named]
            if not documents:
                raise InputError(f"--document {document}: no such document in the archive")
    with archive.session() as sess:
        # a post named twice (by id and by URL, say) is in the bundle once
        ids = list(dict.fromkeys(p.status_id for p in find_posts(sess, posts))) if posts else []
    return ids, documents  # type: ignore[return-value]


def export(
    archive: Archive,
    settings: Settings,
    out: Path,
    posts: list[str] | None = None,
    document: str | None = None,
    everything: bool = False,
    warc: bool = False,
    progress: Progress | None = None,
    wacz: bool = False,
) -> Bundle:
    """Write a citation bundle of the posts named (or a document's, or all) at `out`; progress
    counts the bytes hashed, then written."""
    check_destination(out, archive.home)
    ids, documents = select_posts(archive, posts or [], document, everything)
    if not ids and not documents:
        raise InputError("nothing to export: name posts, --document PATH or --all")
    collected = Collected()
    reports = []
    for doc in documents:
        # the document by its file in the bundle, never by the local path it was read at
        shown = f"documents/{doc.id:04d}-{safe_name(Path(doc.path).name)}"
        rows, cited = document_report(archive, doc, shown, collected)
        reports += rows
        ids += [i for i in cited if i not in ids]
        collected.entries.append(Entry.blob(f"data/{shown}", archive.store, doc.blob_digest))
    # what became of each post named, or of every post for --all (documents or not)
    named = _statuses(archive, ids) if everything or not documents else []
    if named:  # and, beside documents, each citation no post stands for (unresolved)
        named += [{**r, "verdict": _verdict(r["status"])} for r in reports if not r["status_id"]]
    ids += _quoted(archive, ids)
    collect_posts(archive, ids, collected)
    by_id = {v["status_id"]: v for v in collected.views}
    cites = {c.status_id: c for c in collected.citables}
    cards = [
        post_html(v, collected.media_files, by_id.get(v.get("quoted_status_id")), cites)
        for v in collected.views
    ]
    title = (  # (--all: the archive's, whatever documents it holds)
        f"Archived posts ({len(ids)})"
        if everything or not documents
        else f"Posts cited by {Path(documents[0].path).name}"
        + (f" and {len(documents) - 1} other documents" if len(documents) > 1 else "")
    )
    collected.entries += [
        Entry(
            "data/index.html", page(title, cards, report_html(reports) if reports else "").encode()
        ),
        Entry("data/README.txt", _readme(settings, collected).encode()),
        *_citation_entries(collected),
    ]
    if reports or named:
        collected.entries.append(Entry("data/report.json", dumps(named or reports)))
    made = _web_archive(archive, collected, cites, title, warc, wacz) if warc or wacz else []
    collected.entries += custody_entries(archive, [c.record_digest for c in collected.citables])
    info = [
        *[
            (name, value)
            for name, value in (
                ("Source-Organization", settings.source_organization),
                ("Contact-Name", settings.contact_name),
                ("Contact-Email", settings.contact_email),
            )
            if value
        ],
        *[("External-Identifier", f"x:status:{i}") for i in ids],
        ("Bagging-Date", collected.latest[:10]),
        ("Bag-Software-Agent", f"archiver {__version__}"),
    ]
    progress = ensure(progress)
    try:
        progress.start(2 * sum(e.size() for e in collected.entries), unit="bytes")
        entries = build_bag(collected.entries, info, progress)
        if settings.tsa_urls:
            entries, failures = stamp_bag(entries, settings)
            for line in failures:
                progress.note(line)
        write_bag(entries, out, progress)
    finally:
        for path in made:
            path.unlink(missing_ok=True)
    if named:
        return Bundle(out, len(named), Counter(n.pop("verdict") for n in named), "posts")
    return Bundle(out, len(reports), Counter(_verdict(r["status"]) for r in reports))


class Bundle(NamedTuple):
    """A bundle written: where, and for a document's, its citations and what became of them
    (`archived`, `partial`, `pending`, `failed`, `unresolved`, or a gone post's state)."""

    path: Path
    citations: int = 0
    verdicts: Counter[str] = Counter()
    what: str = "citations"  # or the posts named, when no document is

    @property
    def not_archived(self) -> str | None:
        """`2 of 7 citations not archived (1 pending, 1 suspended)`, or None when all are."""
        missing = {v: n for v, n in sorted(self.verdicts.items()) if v != "archived"}
        if not missing:
            return None
        said = ", ".join(f"{n} {v}" for v, n in missing.items())
        return f"{sum(missing.values())} of {self.citations} {self.what} not archived ({said})"


def _statuses(archive: Archive, ids: list[str]) -> list[dict[str, str]]:
    """What the archive holds of each post named (content.post_status), and its verdict: a gone
    post whose record is kept (an archive's copy, or what was captured while it was live) is
    archived."""
    rows = []
    with archive.session() as sess:
        query = select(Post).where(col(Post.status_id).in_(ids))
        posts = {p.status_id: p for p in sess.exec(query)}
        for status_id in (i for i in ids if i in posts):
            post, status = posts[status_id], post_status(sess, posts[status_id])
            verdict = _verdict(status)
            if verdict == post.state and source_gave(sess, post):  # gone, its copy whole
                verdict = "archived"
            rows.append({"status_id": status_id, "status": status, "verdict": verdict})
    return rows


def _verdict(status: str) -> str:
    return status.split(" ", 1)[0]


def _web_archive(
    archive: Archive,
    collected: Collected,
    cites: dict,
    title: str,
    warc: bool,
    wacz: bool,
) -> list[Path]:
    """The WARC (and WACZ) of the bundle's exchanges and post pages, as temp files under the
    archive's tmp/ (removed once the bag is written, or by the next run if this one dies)."""
    by_id = {v["status_id"]: v for v in collected.views}
    urls = media_urls(collected.exchanges)
    pages = []
    for view in collected.views:
        card = post_html(view, urls, by_id.get(view.get("quoted_status_id")), cites)
        at = max((c["fetched_at"] for c in view["captures"]), default=collected.latest)
        when = datetime.fromisoformat(str(at).replace("Z", "+00:00"))
        pages.append(
            Page(view["status_id"], page(page_title(view), [card]).encode(), when, page_title(view))
        )
    archive.store.tmp.mkdir(exist_ok=True)
    stem = archive.store.tmp / f"put-{os.getpid()}-{uuid.uuid4().hex}"
    warc_path, wacz_path = stem.with_suffix(".warc.gz"), stem.with_suffix(".wacz")
    with open(warc_path, "wb") as out:
        write_warc(out, collected.exchanges, pages, archive.store)
    made = [warc_path]
    if warc:
        collected.entries.append(Entry("data/warc/bundle.warc.gz", source=warc_path))
    if wacz:
        created = datetime.fromisoformat(collected.latest.replace("Z", "+00:00"))
        write_wacz(wacz_path, warc_path, pages, title, created)
        collected.entries.append(Entry("data/bundle.wacz", source=wacz_path))
        made.append(wacz_path)
    return made


def _quoted(archive: Archive, ids: list[str]) -> list[str]:
    """Quoted posts that are archived, so that the page can show them inside their quote."""
    with archive.session() as sess:
        quoted = [
            p.quoted_status_id
            for p in sess.exec(select(Post).where(col(Post.status_id).in_(ids)))
            if p.quoted_status_id and p.quoted_status_id not in ids
        ]
        return [
            q
            for q in dict.fromkeys(quoted)
            if sess.exec(select(Post).where(Post.status_id == q)).first()
        ]


def _readme(settings: Settings, collected: Collected) -> str:
    """The bundle's README: what is here, and how to check it (and its stamps, when it has)."""
    text = README.format(version=__version__)
    if any(c.trusted_time for c in collected.citables):
        text += "\n" + CUSTODY_README
    if settings.tsa_urls:
        from ..stamp import README_SECTION

        text += "\n" + README_SECTION
    return text


def _citation_entries(collected: Collected) -> list[Entry]:
    files = citations.files(collected.citables)
    return [Entry(f"data/citations/{name}", body) for name, body in files]
