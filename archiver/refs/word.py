"""Word documents (.docx): paragraphs in reading order, tables' cells included, then footnotes
and endnotes; hyperlinks count like their URL written where their text is.

A reference's line is its paragraph's number (from 1, in that order) and its column the
character in the paragraph. python-docx reads the body; the notes, which it does not read, come
from the package's own XML. python-docx is imported only when a Word file is read.
"""

from __future__ import annotations

import io
import zipfile
from bisect import bisect_right
from collections.abc import Iterator
from xml.etree import ElementTree

from .anchors import Anchor, attach
from .ref import Lines, Ref
from .scanner import scan

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
NOTES = ("word/footnotes.xml", "word/endnotes.xml")


class Unreadable(Exception):
    """The bytes are not a Word document python-docx can open."""


def docx_refs(data: bytes, document: str) -> Iterator[Ref]:
    """The references in the Word document in `data`."""
    from docx import Document

    # Hostile bytes: any surprise of the libraries is an unreadable document, never a crash.
    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001
        raise Unreadable(str(exc) or type(exc).__name__) from exc
    try:
        paragraphs = list(_body(doc)) + list(_notes(data))
    except Exception as exc:  # noqa: BLE001
        raise Unreadable(f"broken part: {exc or type(exc).__name__}") from exc
    text = "\n".join(para for para, _ in paragraphs)
    starts, anchors, pos = [], [], 0
    for para, links in paragraphs:
        starts.append(pos)
        for address, label in links:
            found = para.find(label) if label else -1
            anchors.append(Anchor(address, pos + found if found >= 0 else pos))
        pos += len(para) + 1
    refs = attach(scan(text, document, is_html=False), anchors, document, Lines(text))
    for r in refs:
        index = bisect_right(starts, r.offset) - 1
        r.line, r.column = index + 1, r.offset - starts[index] + 1
    yield from refs


def _body(doc: object) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Each paragraph's text and hyperlinks (address, text), tables' cells in reading order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(parent: object, element: object) -> Iterator[tuple[str, list[tuple[str, str]]]]:
        for child in element.iterchildren():  # type: ignore[attr-defined]
            if child.tag == f"{W}p":
                para = Paragraph(child, parent)  # type: ignore[arg-type]
                links = [(h.address, h.text) for h in para.hyperlinks if h.address]
                yield para.text, links
            elif child.tag == f"{W}tbl":
                for row in Table(child, parent).rows:  # type: ignore[arg-type]
                    for cell in row.cells:
                        yield from walk(cell, cell._tc)

    yield from walk(doc, doc.element.body)  # type: ignore[attr-defined]


def _notes(data: bytes) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Footnotes' and endnotes' paragraphs (Chicago notes live there), with their links."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        for name in NOTES:
            if name not in names:
                continue
            targets = _targets(package, name)
            root = ElementTree.fromstring(package.read(name))
            for para in root.iter(f"{W}p"):
                text, links = [], []
                for node in para.iter():
                    if node.tag == f"{W}t":
                        text.append(node.text or "")
                    elif node.tag == f"{W}hyperlink" and node.get(R_ID) in targets:
                        label = "".join(t.text or "" for t in node.iter(f"{W}t"))
                        links.append((targets[node.get(R_ID)], label))  # type: ignore[index]
                if text:
                    yield "".join(text), links


def _targets(package: zipfile.ZipFile, name: str) -> dict[str, str]:
    folder, _, file = name.rpartition("/")
    rels = f"{folder}/_rels/{file}.rels"
    if rels not in package.namelist():
        return {}
    root = ElementTree.fromstring(package.read(rels))
    return {r.get("Id", ""): r.get("Target", "") for r in root.iter(RELS)}
