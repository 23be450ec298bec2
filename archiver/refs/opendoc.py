"""OpenDocument files (.odt, and the text of .ods and .odp: LibreOffice's and OpenOffice's own,
which many governments and newsrooms write in): the paragraphs and headings of `content.xml` in
reading order, footnotes where they are anchored (a note's paragraphs come as lines of their
own), tables' cells included; a link (`text:a`) counts like its URL written where its text is.
Text a tracked change deleted, and comments, are not read. Lines and columns are paragraphs and
characters in them, as for Word (word.paragraph_refs); a part that would unpack past
word.PART_LIMIT is refused before a byte of it is read."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from .ref import Ref
from .word import Paragraph, Unreadable, paragraph_refs, streamed

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
HREF = "{http://www.w3.org/1999/xlink}href"
CONTENT = "content.xml"
PARAGRAPHS = (f"{TEXT}p", f"{TEXT}h")
# What is not read as the text: a tracked change's deleted text (kept aside in
# `text:tracked-changes`), comments, and a footnote's number mark (run into a URL before it,
# `…/status/20` and `1` would make post 201).
HIDDEN = (f"{TEXT}tracked-changes", f"{OFFICE}annotation", f"{TEXT}note-citation")
SHOWN = {f"{TEXT}tab": "\t", f"{TEXT}line-break": "\n"}


def is_opendocument(head: bytes, suffix: str) -> bool:
    return head.startswith(b"PK\x03\x04") and (
        suffix.lower() in (".odt", ".ods", ".odp", ".ott")
        or b"application/vnd.oasis.opendocument" in head[:200]
    )


def odf_refs(data: bytes, document: str) -> Iterator[Ref]:
    """The references in the OpenDocument file in `data`."""

    def paragraphs() -> Iterator[Paragraph]:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if CONTENT not in package.namelist():
                raise Unreadable(f"no {CONTENT}")
            yield from streamed(package, CONTENT, _Reader())

    return paragraph_refs(paragraphs(), document)


class _Reader:
    """What the XML parser meets, turned into paragraphs (`done`)."""

    def __init__(self) -> None:
        self.done: list[Paragraph] = []
        self.open: list[tuple[list[str], list[tuple[str, str]]]] = []  # innermost last
        self.links: list[tuple[str, list[str]]] = []  # links open: address, their text
        self.hidden = 0  # inside what is not shown

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if self.hidden or tag in HIDDEN:
            self.hidden += 1
        elif tag in PARAGRAPHS:
            self.open.append(([], []))
        elif tag == f"{TEXT}a":
            self.links.append((attrib.get(HREF, ""), []))
        elif tag in SHOWN:
            self._text(SHOWN[tag])
        elif tag == f"{TEXT}s":  # a run of spaces, written as one element with its count
            count = attrib.get(f"{TEXT}c", "1")
            self._text(" " * min(int(count) if count.isdigit() else 1, 1000))

    def data(self, text: str) -> None:
        if not self.hidden:
            self._text(text)

    def end(self, tag: str) -> None:
        if self.hidden:
            self.hidden -= 1
        elif tag == f"{TEXT}a" and self.links:
            address, shown = self.links.pop()
            if self.open and address:
                self.open[-1][1].append((address, "".join(shown)))
        elif tag in PARAGRAPHS and self.open:
            pieces, links = self.open.pop()
            self.done.append(("".join(pieces), links))

    def close(self) -> None:
        pass

    def _text(self, text: str) -> None:
        # (text outside any paragraph is the XML's layout: spaces and line breaks between tags)
        if self.open:
            self.open[-1][0].append(text)
            for _, shown in self.links:
                shown.append(text)
