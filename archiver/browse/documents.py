"""Cited documents: each with what became of its citations (`archiver list --documents`), and
one document's text with every citation placed on its line (the viewer's document page)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from ..errors import InputError
from ..names import documents_named
from ..refs.filetypes import sniff
from ..store import Store
from ..vocab import CITING_KINDS, GONE_STATES, PostState
from .filters import iso
from .pgreader import POSTGRESQL, SQLITE, dialect

SHOWN_BYTES = 2 * 1024 * 1024  # the page shows a document's text up to this much
ARCHIVED, GONE, PENDING, UNRESOLVED = "archived", "gone", "pending", "unresolved"
CITES = f"""
    SELECT r.id, r.document_id, r.kind, r.line, r."column", r."match", p.status_id, p.state
    FROM reference r LEFT JOIN post p ON p.id = r.post_id
    WHERE r.document_id IS NOT NULL AND r.kind IN ({", ".join("?" * len(CITING_KINDS))})
    AND {{in_post}} IS NULL"""
IN_POST = {  # the reference's `in_post` (None when its data is not JSON)
    SQLITE: "json_extract(CASE WHEN json_valid(r.data) THEN r.data ELSE '{}' END, '$.in_post')",
    POSTGRESQL: "json_field(r.data, 'in_post')",  # pgdb.py
}


def cites_query(conn: sqlite3.Connection) -> str:
    return CITES.format(in_post=IN_POST[dialect(conn)])


def status(status_id: str | None, state: str | None) -> str:
    """What became of one citation: archived, gone, pending or unresolved."""
    if not status_id:
        return UNRESOLVED
    if state == PostState.LIVE:
        return ARCHIVED
    return GONE if state in GONE_STATES else PENDING


def find_documents(conn: sqlite3.Connection, name: str) -> list[dict[str, object]]:
    """The documents `name` names: by id, path, digest, or the end of a path."""
    rows = [dict(r) for r in conn.execute("SELECT * FROM document ORDER BY id")]
    named = documents_named([(r["id"], r["path"], r["blob_digest"]) for r in rows], name)
    found = [r for r in rows if r["id"] in named]
    if not found:
        raise InputError(f"--document {name[:200]!r}: no such document in the archive")
    return found


def documents(conn: sqlite3.Connection) -> list[dict[str, object]]:
    """Every document with how many citations it holds and what became of the posts cited."""
    out = []
    counts: dict[int, dict[str, set | int]] = {}
    for r in conn.execute(cites_query(conn), CITING_KINDS):
        seen = counts.setdefault(r["document_id"], {"citations": 0})
        seen["citations"] += 1  # type: ignore[operator]
        what = status(r["status_id"], r["state"])
        key = r["status_id"] or f"reference {r['id']}"
        seen.setdefault(what, set()).add(key)  # type: ignore[union-attr]
    for d in conn.execute("SELECT * FROM document ORDER BY id"):
        seen = counts.get(d["id"], {"citations": 0})
        out.append(
            {
                "id": d["id"],
                "path": d["path"],
                "media_type": d["media_type"],
                "digest": d["blob_digest"],
                "added_at": iso(d["added_at"]),
                "citations": seen["citations"],
                **{k: len(seen.get(k, ())) for k in (ARCHIVED, GONE, PENDING, UNRESOLVED)},  # type: ignore[arg-type]
            }
        )
    return out


@dataclass
class Cite:
    line: int | None
    column: int | None
    match: str
    kind: str
    status_id: str | None
    state: str | None
    status: str


@dataclass
class Page:
    """A document as the viewer shows it: its lines cut into (text, citation or None) runs."""

    document: dict[str, object]
    cites: list[Cite]
    lines: list[list[tuple[str, Cite | None]]] = field(default_factory=list)
    cut: bool = False  # the text goes on beyond what is shown
    binary: bool = False  # PDF, Word…: the citations are listed, the text is not shown


def document_page(conn: sqlite3.Connection, store: Store, document_id: int) -> Page | None:
    """One document's page (its text read from `store`); None when there is no such document."""
    row = conn.execute("SELECT * FROM document WHERE id = ?", (document_id,)).fetchone()
    if row is None:
        return None
    cites = [
        Cite(r["line"], r["column"], r["match"], r["kind"], r["status_id"], r["state"], "")
        for r in conn.execute(
            cites_query(conn) + ' AND r.document_id = ? ORDER BY r.line, r."column"',
            (*CITING_KINDS, document_id),
        )
    ]
    for c in cites:
        c.status = status(c.status_id, c.state)
    page = Page(dict(row), cites)
    try:
        with store.open(row["blob_digest"]) as stream:
            head = stream.read(SHOWN_BYTES + 1)
    except (OSError, InputError):
        head = b""  # `verify` reports a missing blob; the citations are still listed
    encoding, bom = sniff(head)
    if encoding is None:
        page.binary = True
        return page
    page.cut = len(head) > SHOWN_BYTES
    text = head[bom:SHOWN_BYTES].decode(encoding, errors="replace")
    page.lines = place(text.splitlines(), cites)
    return page


def place(lines: list[str], cites: list[Cite]) -> list[list[tuple[str, Cite | None]]]:
    """Each line cut into runs, a citation's match marked where its line and column say (or
    first found on its line); a match that spans lines or is not found is left unmarked."""
    by_line: dict[int, list[Cite]] = {}
    for c in cites:
        if c.line and "\n" not in c.match:
            by_line.setdefault(c.line, []).append(c)
    out = []
    for number, text in enumerate(lines, 1):
        spans = []
        for c in by_line.get(number, []):
            at = (c.column or 1) - 1
            start = at if text[at : at + len(c.match)] == c.match else text.find(c.match)
            if start >= 0 and c.match:
                spans.append((start, start + len(c.match), c))
        runs: list[tuple[str, Cite | None]] = []
        done = 0
        for start, end, c in sorted(spans, key=lambda s: s[0]):
            if start < done:
                continue  # overlaps the one before
            runs += [(text[done:start], None), (text[start:end], c)]
            done = end
        runs.append((text[done:], None))
        out.append([r for r in runs if r[0]])
    return out
