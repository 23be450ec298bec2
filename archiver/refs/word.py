"""Word documents (.docx): paragraphs in reading order, tables' cells included, then footnotes,
endnotes and comments; hyperlinks count like their URL written where their text is.

A reference's line is its paragraph's number (from 1, in that order) and its column the
character in the paragraph. The package's XML parts are read as streams (iterparse), never
whole: every paragraph the document shows counts, wherever Word nests it (a table's cell, a
content control such as a bibliography or a reference manager's citation, a tracked insertion,
a text box, once), and deleted text does not; every paragraph of the body is a line, empty
ones too, as Word numbers them. A part that would unpack past PART_LIMIT is refused before a
byte of it is read, so a small file cannot inflate into gigabytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from typing import Protocol
from xml.etree import ElementTree

from .anchors import Anchor, attach
from .ref import Lines, Ref

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
BODY = "word/document.xml"  # the main part, unless the package names another
# Read after the body, as notes: footnotes, endnotes, and comments (where editors and
# fact-checkers put a claim's source)
NOTES = ("word/footnotes.xml", "word/endnotes.xml", "word/comments.xml")
NOTE_PARTS = (  # relationship types, and part names
    "/footnotes",
    "/endnotes",
    "/comments",
    "footnotes.xml",
    "endnotes.xml",
    "comments.xml",
)
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
R_ID = f"{R}id"
STRICT_W = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
STRICT_R = "{http://purl.oclc.org/ooxml/officeDocument/relationships}"
PART_LIMIT = 64 * 1024 * 1024  # unpacked bytes of one part (a 2,000-page report's: a few MB)
SHOWN = {f"{W}t": None, f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n"}  # None: its text
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
FIELD_LINK_RE = re.compile(r'HYPERLINK\s+"([^"]+)"')  # a field's instruction: HYPERLINK "url"
CSL_URL_RE = re.compile(r'"URL"\s*:\s*"([^"\s]{1,2000})"')

Paragraph = tuple[str, list[tuple[str, str]]]  # its text; its links (address, text shown)


class Unreadable(Exception):
    """The bytes are not a Word document that can be read."""


def docx_refs(data: bytes, document: str) -> Iterator[Ref]:
    """The references in the Word document in `data`."""

    def paragraphs() -> Iterator[Paragraph]:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            body, notes = _parts(package)
            if body not in package.namelist():
                raise Unreadable(f"no {body}")
            for name in (body, *notes):
                yield from _paragraphs(package, name)

    return paragraph_refs(paragraphs(), document)


def paragraph_refs(paragraphs: Iterable[Paragraph], document: str) -> Iterator[Ref]:
    """The references in a document's `paragraphs` (each its text and its links), a line each:
    a ref's line is its paragraph's number, its column the character in it. Any surprise while
    they are read (zipfile's, the XML parser's, on hostile bytes) is an unreadable document."""
    texts: list[str] = []
    starts: list[int] = []  # where each paragraph starts in the joined text
    anchors: list[Anchor] = []
    pos = 0
    try:
        for para, links in paragraphs:
            starts.append(pos)
            texts.append(para)
            after = 0  # links come in order: the same words linked twice are two places
            for address, label in links:
                found = para.find(label, after) if label else -1
                found = para.find(label) if found < 0 and label else found
                anchors.append(Anchor(address, pos + max(found, 0)))
                after = found + len(label) if found >= 0 else after
            pos += len(para) + 1
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001
        raise Unreadable(str(exc) or type(exc).__name__) from exc
    text = "\n".join(texts)
    del texts
    # Read a block at a time, each post once, as a text file is: memory stays that of a block's
    # references however many the parts hold. A paragraph may hold line breaks (Shift+Enter):
    # a ref's line is then its paragraph, its column the character in it.
    from .blocks import text_refs

    lines = Lines(text)
    refs = list(text_refs(text, document))
    for r in refs:
        r.offset = lines.offset(r.line, r.column)
    refs = attach(refs, anchors, document, lines)
    for r in refs:
        index = bisect_right(starts, r.offset) - 1
        r.line, r.column = index + 1, r.offset - starts[index] + 1
    yield from refs


def _paragraphs(package: zipfile.ZipFile, name: str) -> Iterator[Paragraph]:
    """Each paragraph of part `name` with text or links, in document order (a paragraph nested
    in another, as in a text box, comes when it ends, its text its own). The parser calls a
    reader as it goes (no tree is built): time and memory stay those of the stream."""
    if name not in package.namelist():
        return
    yield from streamed(
        package, name, _Reader(_targets(package, name), not name.endswith(NOTE_PARTS))
    )


class ParagraphReader(Protocol):
    """An XML parser's target that turns what it meets into paragraphs (`done`)."""

    done: list[Paragraph]


def streamed(package: zipfile.ZipFile, name: str, reader: ParagraphReader) -> Iterator[Paragraph]:
    """The paragraphs `reader` makes of part `name` of `package`, as the part is read; a part
    that would unpack past PART_LIMIT is refused before a byte of it is read."""
    size = package.getinfo(name).file_size
    if size > PART_LIMIT:
        raise Unreadable(f"{name} unpacks to {size:,} bytes, more than {PART_LIMIT:,}")
    parser = ElementTree.XMLParser(target=reader)
    with package.open(name) as part:
        while chunk := part.read(CHUNK):
            parser.feed(chunk)
            yield from reader.done
            reader.done.clear()
    parser.close()
    yield from reader.done


CHUNK = 256 * 1024


class _Reader:
    """What the XML parser meets, turned into paragraphs (`done`)."""

    def __init__(self, targets: dict[str, str], every: bool) -> None:
        self.targets, self.every = targets, every  # every: empty paragraphs count as lines
        self.done: list[Paragraph] = []
        self.open: list[tuple[list[str], list[tuple[str, str]]]] = []  # paragraphs, innermost last
        self.link: tuple[str, list[str]] | None = None  # the hyperlink read: address, its text
        self.chars: list[str] | None = None  # the text of a w:t or w:instrText being read
        self.runs = 0  # runs open: a tab or break shows only in one (not a paragraph's tab stops)
        self.fallback = 0  # inside mc:Fallback, a copy of what mc:Choice shows (a text box)
        # A field's instruction, which Word may split over several runs, up to its result
        self.instruction: list[str] | None = None

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag.startswith(STRICT_W):  # Strict Open XML: the same names in other namespaces
            tag = W + tag[len(STRICT_W) :]
            attrib = {_transitional(k): v for k, v in attrib.items()}
        if tag == FALLBACK or self.fallback:
            self.fallback += 1
        elif tag == f"{W}r":
            self.runs += 1
        elif tag == f"{W}p":
            self.open.append(([], []))
        elif tag in (f"{W}t", f"{W}instrText"):
            self.chars = []
        elif tag == f"{W}hyperlink" and attrib.get(R_ID) in self.targets:
            self.link = (self.targets[attrib[R_ID]], [])
        elif tag == f"{W}fldSimple" and self.open:
            _field_link(attrib.get(f"{W}instr", ""), self.open[-1][1])
        elif tag == f"{W}fldChar":
            kind = attrib.get(f"{W}fldCharType")
            if kind == "begin":
                self.instruction = []
            elif kind in ("separate", "end") and self.instruction is not None:
                if self.open:
                    _field_link("".join(self.instruction), self.open[-1][1])
                self.instruction = None

    def data(self, text: str) -> None:
        if self.chars is not None:
            self.chars.append(text)

    def end(self, tag: str) -> None:
        if tag.startswith(STRICT_W):
            tag = W + tag[len(STRICT_W) :]
        if self.fallback:
            self.fallback -= 1
        elif tag == f"{W}r":
            self.runs -= 1
        elif tag == f"{W}instrText":
            if self.instruction is not None:
                self.instruction.append("".join(self.chars or ()))
            elif self.open:  # a field with no begin mark: its instruction read alone
                _field_link("".join(self.chars or ()), self.open[-1][1])
            self.chars = None
        elif tag in SHOWN and self.runs:
            shown = SHOWN[tag] if SHOWN[tag] is not None else "".join(self.chars or ())
            self.chars = None
            if self.open:
                self.open[-1][0].append(shown)
            if self.link is not None:
                self.link[1].append(shown)
        elif tag == f"{W}hyperlink" and self.link is not None:
            if self.open:
                self.open[-1][1].append((self.link[0], "".join(self.link[1])))
            self.link = None
        elif tag == f"{W}p" and self.open:
            pieces, links = self.open.pop()
            if pieces or links or self.every:
                self.done.append(("".join(pieces), links))

    def close(self) -> None:
        pass


def _field_link(instruction: str, links: list[tuple[str, str]]) -> None:
    """A HYPERLINK field's address (its text shown is the field's result, not known here); and
    a reference manager's citation's items' URLs (Zotero's and Mendeley's fields hold their
    CSL-JSON: `ADDIN ZOTERO_ITEM CSL_CITATION {…"URL":"https://x.com/…"…}`), the post cited
    where the citation stands, its bibliography not inserted yet."""
    if m := FIELD_LINK_RE.search(instruction):
        links.append((m.group(1), ""))
    elif "CSL_CITATION" in instruction:
        links += [(url.replace("\\/", "/"), "") for url in CSL_URL_RE.findall(instruction)]


def _transitional(name: str) -> str:
    for strict, transitional in ((STRICT_W, W), (STRICT_R, R)):
        if name.startswith(strict):
            return transitional + name[len(strict) :]
    return name


def _relationships(package: zipfile.ZipFile, name: str) -> list[tuple[str, str, str]]:
    """A part's relationships (the package's own for name ""): (id, type, target)."""
    folder, _, file = name.rpartition("/")
    rels = f"{folder}/_rels/{file}.rels".lstrip("/")
    if rels not in package.namelist() or package.getinfo(rels).file_size > PART_LIMIT:
        return []
    root = ElementTree.fromstring(package.read(rels))
    return [(r.get("Id", ""), r.get("Type", ""), r.get("Target", "")) for r in root.iter(RELS)]


def _targets(package: zipfile.ZipFile, name: str) -> dict[str, str]:
    """A part's relationships: id → target (a hyperlink's address)."""
    return {rel_id: target for rel_id, _, target in _relationships(package, name)}


def _parts(package: zipfile.ZipFile) -> tuple[str, list[str]]:
    """The document's main part (the package names it: `word/document2.xml` as Word Online
    writes it) and its footnotes, endnotes and comments."""
    body = next(
        (
            _part_name("", target)
            for _, kind, target in _relationships(package, "")
            if kind.endswith("/officeDocument")
        ),
        BODY,
    )
    notes = [
        _part_name(body, target)
        for _, kind, target in _relationships(package, body)
        if kind.endswith(NOTE_PARTS)
    ]
    return body, notes or [n for n in NOTES if n != body]


def _part_name(source: str, target: str) -> str:
    """A relationship's target as a name in the package: absolute (`/word/…`) or relative to
    the folder of the part it is `source`'s."""
    if target.startswith("/"):
        return target[1:]
    folder = source.rpartition("/")[0]
    return f"{folder}/{target}" if folder else target
