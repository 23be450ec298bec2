"""Step 1: what the user names (URLs, ids, short links, documents, stdin, a list file), checked
whole before anything is written: a bad input is one line and exit 2, and nothing is archived."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..names import ID_RE
from ..refs import Ref, scan
from ..refs.documents import iter_paths
from ..refs.urls import canonical_status_url, plausible_id

POST_KINDS = ("status_url", "attribution", "short_link", "citation")


@dataclass
class Item:
    """One input: a document (a path, or stdin when `path` is None) or a reference."""

    path: Path | None = None
    ref: Ref | None = None
    stdin: bool = False


def parse_inline(text: str) -> Ref:
    """A status URL, a bare id or a short link named on the command line."""
    value = text.strip()
    if ID_RE.fullmatch(value):
        if not plausible_id(value):
            raise InputError(f"{value!r}: not a real post id")
        url = canonical_status_url(value, None)
        return Ref("status_url", "argument", 1, 1, value, status_id=value, canonical_url=url)
    found = [r for r in scan(value, "argument", is_html=False) if r.kind in POST_KINDS]
    if len(found) == 1 and value.startswith(found[0].match):
        return found[0]
    raise InputError(f"{value[:200]!r}: not a post URL, a post id, a short link or a file")


def read_inputs(inputs: list[str], list_file: str | None) -> list[Item]:
    """Every input, checked. A bad one raises InputError before anything is written."""
    items: list[Item] = []
    names = list(inputs)
    if list_file:
        try:
            lines = Path(list_file).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                f"--list {list_file}: {getattr(exc, 'strerror', None) or exc}"
            ) from exc
        names += [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    for name in names:
        if name == "-":
            items.append(Item(stdin=True))
        elif Path(name).exists():
            items += [Item(path=path) for _, path in iter_paths([name]) if path is not None]
        elif "/" in name and not re.match(r"^(https?://|[\w.-]+\.\w+/)", name):
            raise InputError(f"{name}: no such file")
        else:
            items.append(Item(ref=parse_inline(name)))
    if not items:
        raise InputError("nothing to archive: name URLs, ids, short links or documents")
    return items
