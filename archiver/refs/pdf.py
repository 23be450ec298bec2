"""PDF documents: each page's text (pypdf), and its link annotations as URLs.

A reference's `page` is the page (from 1); its line and column are within that page's text as
pypdf lays it out. A link annotation counts like its URL written where its anchor text is
(found by the annotation's rectangle among the page's text pieces). pypdf is imported only
when a PDF is read.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import NamedTuple

from .anchors import Anchor, attach
from .ref import Lines, Ref
from .scanner import scan

# pypdf reads a content stream at about 0.5 MB/s. A page of text holds tens of kilobytes; a
# page past PAGE_CONTENT is a drawing (or a trap), and past DOCUMENT_CONTENT the rest of the
# document is left: a small file cannot keep a run for hours.
PAGE_CONTENT = 2 * 1024 * 1024
DOCUMENT_CONTENT = 24 * 1024 * 1024


class Unreadable(Exception):
    """The bytes are not a PDF pypdf can open."""


def pdf_refs(data: bytes, document: str, warnings: list[str]) -> Iterator[Ref]:
    """The references on every page of the PDF in `data`, page by page."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # what breaks is reported here
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("encrypted")
        pages = list(reader.pages)
    except Unreadable:
        raise
    except NotImplementedError as exc:  # pypdf's word for an encryption it does not read
        raise Unreadable(f"encrypted in a way it cannot read ({exc})") from exc
    except Exception as exc:  # noqa: BLE001  hostile bytes: any surprise is an unreadable PDF
        raise Unreadable(str(exc) or type(exc).__name__) from exc
    budget, read = DOCUMENT_CONTENT, {}  # pages drawn by the same content: read once
    for number, page in enumerate(pages, 1):
        try:
            key = (repr(page.get("/Contents")), repr(page.get("/Resources")))
            if key not in read:
                contents = page.get_contents()
                size = len(contents.get_data()) if contents is not None else 0
                if size > PAGE_CONTENT:
                    warnings.append(f"page {number}: not read ({size:,} bytes of drawing)")
                    continue
                if size > budget:
                    warnings.append(
                        f"pages {number}-{len(pages)}: not read (the document's pages hold more "
                        f"than {DOCUMENT_CONTENT:,} bytes of drawing)"
                    )
                    break
                budget -= size
                read[key] = _pieces(page)
            text, anchors = _page(page, read[key])
        except Exception as exc:  # noqa: BLE001  a hostile page must not end the document
            warnings.append(f"page {number}: text not readable ({type(exc).__name__})")
            continue
        refs = attach(scan(text, document, is_html=False), anchors, document, Lines(text))
        for r in refs:
            r.page = number
        yield from refs


# The ligatures a typesetter draws as one glyph (`ﬁ`), which PDF text gives as one character:
# as letters, a handle or a URL that holds them reads whole (`Ofﬁcial` is `Official`)
LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)


class Piece(NamedTuple):
    y: float  # its baseline
    x: float  # where it starts
    em: float  # its font's size on the page
    text: str


def _pieces(page: object) -> list[Piece]:
    """The page's text as pieces, in the order pypdf reads them."""
    pieces: list[Piece] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: object) -> None:
        if text:
            scale = abs(tm[0] * cm[0]) or 1.0
            em = float(size) * scale if isinstance(size, int | float) and size else 10.0
            text = text.translate(LIGATURES)
            pieces.append(Piece(tm[5] * cm[3] + cm[5], tm[4] * cm[0] + cm[4], em, text))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return pieces


def _page(page: object, pieces: list[Piece]) -> tuple[str, list[Anchor]]:
    """The page's text and its links' anchors."""
    text, starts = _with_gaps(pieces)
    anchors = []
    for annot in page.get("/Annots") or []:  # type: ignore[attr-defined]
        annot = annot.get_object()
        action = annot.get("/A")
        action = action.get_object() if action is not None else {}
        uri = action.get("/URI") if annot.get("/Subtype") == "/Link" else None
        if not uri:
            continue
        anchors.append(Anchor(str(uri), _anchor_offset(pieces, starts, annot.get("/Rect"))))
    return text, anchors


def _with_gaps(pieces: list[Piece]) -> tuple[str, list[int]]:
    """The page's text with a blank line where the page leaves more room between two lines than
    its line spacing (the spacing that sets paragraphs and quoted posts apart), and where each
    piece starts in it."""
    steps = [a.y - b.y for a, b in zip(pieces, pieces[1:], strict=False) if a.text.endswith("\n")]
    usual = min([s for s in steps if s > 0] or [0])  # the page's line spacing
    out, starts, at = [], [], 0
    for i, (y, _, _, piece) in enumerate(pieces):
        starts.append(at + len(piece) - len(piece.lstrip()))
        out.append(piece)
        at += len(piece)
        after = pieces[i + 1].y if i + 1 < len(pieces) else None
        if usual and after is not None and piece.endswith("\n") and y - after > 1.5 * usual:
            out.append("\n")
            at += 1
    return "".join(out), starts


def _anchor_offset(pieces: list[Piece], starts: list[int], rect: object) -> int | None:
    """Where in the page's text the words under a link's rectangle are: in the piece whose
    baseline sits where a line's does in the rectangle (a quarter of its height up from the
    bottom: below it the descenders, above it the letters), not the line above or below that
    the rectangle touches; as far into it as the rectangle's left edge, at half an em a
    character (an estimate: a PDF gives no character's width here)."""
    try:
        left = float(rect[0])  # type: ignore[index]
        low, high = sorted((float(rect[1]), float(rect[3])))  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None
    baseline = low + (high - low) / 4
    near = [
        (abs(p.y - baseline), i)
        for i, p in enumerate(pieces)
        if low - 2 <= p.y <= high + 2 and p.text.strip()
    ]
    if not near:
        return None
    piece = pieces[min(near)[1]]
    into = int(max(0.0, left - piece.x) / (piece.em / 2))
    return starts[min(near)[1]] + min(into, len(piece.text.strip()) - 1)
