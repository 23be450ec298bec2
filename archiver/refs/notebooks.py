"""Jupyter notebooks (`.ipynb`), as data journalists and researchers share them: each cell's
text read as what it is (a Markdown cell as Markdown, its embeds and quotes whole; a code cell
as text), not the notebook's JSON around it. A reference's `page` is its cell (from 1), its
line and column within the cell. Outputs are what the code printed, not what the notebook
cites: not read."""

from __future__ import annotations

import json
from collections.abc import Iterator

from .ref import Ref
from .scanner import scan


def notebook_refs(text: str, document: str) -> Iterator[Ref] | None:
    """The references of each cell of the notebook `text` (its JSON), cell by cell; None when
    `text` is no notebook (read as text then)."""
    try:
        cells = json.loads(text).get("cells")
    except (ValueError, RecursionError, AttributeError):
        return None
    if not isinstance(cells, list):
        return None
    return _cells(cells, document)


def _cells(cells: list[object], document: str) -> Iterator[Ref]:
    for number, cell in enumerate(cells, 1):
        source = cell.get("source") if isinstance(cell, dict) else None
        if isinstance(source, list):
            source = "".join(part for part in source if isinstance(part, str))
        if not isinstance(source, str) or not source.strip():
            continue
        for r in scan(source, document, is_html=None):
            r.page = number
            yield r
