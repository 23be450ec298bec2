"""Step 1: what the user names (URLs, ids, short links, documents, stdin, a list file), checked
whole before anything is written: a bad input is one line and exit 2, and nothing is archived."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..names import ID_RE
from ..paths import check_regular, check_stdin, path_kind, read_regular
from ..refs import Ref, scan
from ..refs.documents import iter_paths
from ..refs.ids import ascii_id, plausible_id
from ..refs.urls import canonical_status_url
from ..vocab import CITING_KINDS

MAX_LIST_BYTES = 64 * 1024 * 1024


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
        value = ascii_id(value)
        url = canonical_status_url(value, None)
        return Ref("status_url", "argument", 1, 1, value, status_id=value, canonical_url=url)
    found = [r for r in scan(value, "argument", is_html=False) if r.kind in CITING_KINDS]
    if len(found) == 1 and value.startswith(found[0].match):
        return found[0]
    raise InputError(f"{value[:200]!r}: not a post URL, a post id, a short link or a file")


def _stdin_list() -> bytes:
    """`--list -`: the list read from stdin, up to MAX_LIST_BYTES."""
    check_stdin(sys.stdin)
    raw = sys.stdin.buffer.read(MAX_LIST_BYTES + 1)
    if len(raw) > MAX_LIST_BYTES:
        raise InputError(f"-: larger than {MAX_LIST_BYTES >> 20} MiB")
    return raw


def read_inputs(inputs: list[str], list_file: str | None) -> list[Item]:
    """Every input, checked. A bad one raises InputError before anything is written."""
    items: list[Item] = []
    names = list(inputs)
    if list_file == "-" and "-" in names:
        raise InputError("stdin is read once: give `-` or `--list -`, not both")
    if list_file:
        try:
            raw = _stdin_list() if list_file == "-" else read_regular(list_file, MAX_LIST_BYTES)
            lines = raw.decode("utf-8-sig").splitlines()
        except InputError as exc:
            raise InputError(f"--list {exc}") from None
        except UnicodeDecodeError:
            raise InputError(f"--list {list_file}: not UTF-8 text") from None
        names += [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    for name in names:
        if name == "-":
            check_stdin(sys.stdin)
            items.append(Item(stdin=True))
        elif path_kind(name) is not None:  # a FIFO, a device, a loop of links: one line
            for _, path in iter_paths([name]):
                if path is not None:
                    check_regular(path)
                    items.append(Item(path=path))
        elif "/" in name and not re.match(r"^(https?://|[\w.-]+\.\w+/)", name):
            raise InputError(f"{name}: no such file")
        else:
            items.append(Item(ref=parse_inline(name)))
    if not items:
        raise InputError("nothing to archive: name URLs, ids, short links or documents")
    return items
