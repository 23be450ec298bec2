"""Reading documents: files, folders and stdin; encodings; binary files; CSV, JSON, HTML, text.

Large text is read in blocks of whole lines, so memory follows the block size, not the file's.
"""

from __future__ import annotations

import codecs
import io
import itertools
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from . import blocks as _blocks
from . import exports, filetypes, mail
from .blocks import scan_blocks, unseen
from .cells import (
    WHOLE_LIMIT,
    json_lines,
    post_ref,
    read_json,
    read_json_array,
    read_json_lines,
    read_table,
)
from .htmlview import is_feed, unescape_feed
from .notebooks import notebook_refs
from .ref import AUTHORED, Ref
from .scanner import scan
from .urls import canonical_status_url

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
KIND_NAMES = {
    "pdf": "PDF",
    "webarchive": "Safari web archive",
    "opendocument": "OpenDocument file",
    "rtf": "RTF document",
}


class _Replaced:
    """Counts bytes that could not be decoded (the `archiver-replace` codec error handler)."""

    count = 0

    @classmethod
    def handler(cls, exc: UnicodeDecodeError) -> tuple[str, int]:
        cls.count += exc.end - exc.start
        return "\ufffd", exc.end


codecs.register_error("archiver-replace", _Replaced.handler)


@dataclass
class Extracted:
    """One document. `refs` streams; `warnings`, `error` and `skipped` are final once it ends."""

    document: str
    refs: Iterator[Ref] = field(default_factory=lambda: iter(()))
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # the document could not be read at all
    skipped: bool = False


def iter_paths(
    paths: Iterable[str], unlisted: dict[str, str] | None = None
) -> Iterator[tuple[str, Path | None]]:
    """(name, path) for every file named or inside a folder named; '-' is stdin (path None).
    A folder that cannot be listed is an input error (NotRegular), or with `unlisted` given,
    named there with why and given as a path of its own, in its place."""
    for name in paths:
        if name == "-":
            yield "-", None
            continue
        path = Path(name)
        if not path.is_dir():
            yield name, path
            continue
        # A linked folder is read as a linked file is; a folder the walk has taken already
        # (a loop of links, or two links to one folder) is not taken again: its files are
        # read once.
        seen = {os.path.realpath(path)}  # the folders taken, as their real paths
        failed: list[OSError] = []
        walk = os.walk(
            path, onerror=_unreadable if unlisted is None else failed.append, followlinks=True
        )
        for folder, dirs, files in _with_failed(walk, failed, unlisted):
            taken = []
            for d in sorted(d for d in dirs if not d.startswith(".")):
                real = os.path.realpath(os.path.join(folder, d))
                if real not in seen:
                    seen.add(real)
                    taken.append(d)
            dirs[:] = taken
            for file in sorted(f for f in files if not f.startswith(".")):
                yield os.path.join(folder, file), Path(folder) / file


def _with_failed(
    walk: Iterator[tuple[str, list[str], list[str]]],
    failed: list[OSError],
    unlisted: dict[str, str] | None,
) -> Iterator[tuple[str, list[str], list[str]]]:
    """The walk's folders, each folder it failed to list given as one (no subfolders, itself
    its one file) once `unlisted` names why."""
    for step in itertools.chain(walk, [None]):
        while failed and unlisted is not None:
            exc = failed.pop(0)
            name = str(exc.filename or "a folder")
            unlisted[name] = exc.strerror or str(exc)
            parent, _, base = name.rpartition(os.sep)
            yield parent or ".", [], [base]
        if step is not None:
            yield step


def _unreadable(exc: OSError) -> None:
    """A folder the walk cannot list: an input error (exit 2), never a folder passed over."""
    from ..paths import NotRegular

    raise NotRegular(exc.filename or "a folder", exc.strerror or str(exc))


def extract_file(name: str, stream: BinaryIO, suffix: str = "") -> Extracted:
    """The references in one document read from `stream` (read as `refs` is iterated)."""
    result = Extracted(name)
    result.refs = _read(result, stream, suffix)
    return result


def _read(result: Extracted, stream: BinaryIO, suffix: str) -> Iterator[Ref]:
    """The references of one document. No reader stops a run: content one was not built for
    ends its document with an error that says so (exit 2), the references found before it
    listed, and the documents after it are read all the same."""
    try:
        yield from _read_as(result, stream, suffix)
    except (OSError, MemoryError):
        raise  # the machine's, not the document's: said as such by the caller
    except Exception as exc:
        result.error = (
            f"could not be read past a reference form it was not built for "
            f"({type(exc).__name__}: {str(exc)[:200]}); what came before is listed"
        )


def _read_as(result: Extracted, stream: BinaryIO, suffix: str) -> Iterator[Ref]:
    head = stream.read(65536)
    packaged = filetypes.packaged(head, suffix)
    if packaged:
        yield from _read_packaged(result, packaged, head + stream.read())
        return
    if mail.is_mail(head, suffix):
        yield from _read_mail(result, head, stream)
        return
    encoding, skip = filetypes.sniff(head)
    if encoding is None:
        result.skipped = True
        result.warnings.append(filetypes.skipped(head))
        return
    legacy = None if skip else filetypes.declared(head)  # `<meta charset="windows-1251">`
    _Replaced.count = 0
    blocks = _decoded_blocks(head[skip:], stream, encoding, legacy)
    kind = _kind(suffix)
    if kind == "text" and head[skip:].lstrip().startswith(b"window.YTD."):
        kind = "json"  # X's archive of an account: `window.YTD.tweets.part0 = [...]`
    first = next(blocks, "")
    blocks = itertools.chain([first], blocks)
    if kind == "text":
        kind = exports.table_kind(first) or kind  # a table saved as `.txt`
    if kind in ("text", "csv") and exports.id_list(first):  # a dataset: a post's id a line
        yield from unseen(_id_list(blocks, result.document), set())
    elif kind == "notebook":
        yield from _notebook(result, blocks)
    elif kind in ("json", "csv", "tsv"):
        yield from _cells(result, blocks, kind)
    elif is_feed(first):  # RSS, Atom: the posts are in the HTML its entries hold, escaped
        yield from scan_blocks(map(unescape_feed, blocks), result.document, is_html=True)
    else:
        yield from scan_blocks(blocks, result.document, is_html=True if kind == "html" else None)
    if _Replaced.count:
        result.warnings.append(f"{_Replaced.count} undecodable bytes replaced (read as {encoding})")


def _id_list(blocks: Iterable[str], name: str) -> Iterator[Ref]:
    """A dataset's ids, a post each; its other lines read as text."""
    for line, text, status_id in exports.id_lines(blocks):
        if status_id is not None:
            yield post_ref(status_id, None, name, line, 1)
        elif text.strip():
            yield from scan(text, name, line)


def _cells(result: Extracted, blocks: Iterator[str], kind: str) -> Iterator[Ref]:
    """A JSON, CSV or TSV document parsed whole (cells.py) up to WHOLE_LIMIT characters; past
    it (memory follows the size parsed, ten times over), JSON Lines line by line and anything
    else read as text."""
    taken, whole = _whole_text(blocks)
    if whole is not None:
        if kind != "json":
            delimiter = "\t" if kind == "tsv" else ","
            yield from read_table(whole, result.document, delimiter, result.warnings)
            return
        found = read_json(whole, result.document)
        yield from scan_blocks([whole], result.document, None) if found is None else found
        return
    rest = itertools.chain(taken, blocks)
    if kind == "json" and json_lines(taken[0]):
        yield from unseen(read_json_lines(rest, result.document, result.warnings), set())
        return
    array = read_json_array(rest, result.document) if kind == "json" else None
    if array is not None:
        yield from unseen(array, set())
        return
    rest = itertools.chain(taken, blocks)  # (not an array: nothing of it was taken)
    result.warnings.append(f"over {WHOLE_LIMIT >> 20} MiB: read as text, not as {kind.upper()}")
    yield from scan_blocks(rest, result.document, None)


def _notebook(result: Extracted, blocks: Iterator[str]) -> Iterator[Ref]:
    """A Jupyter notebook's cells, each post once (up to WHOLE_LIMIT; past it, or when it is no
    notebook, read as JSON is)."""
    taken, whole = _whole_text(blocks)
    found = notebook_refs(whole, result.document) if whole is not None else None
    if found is not None:
        yield from unseen(found, set())
        return
    yield from _cells(result, itertools.chain(taken, blocks), "json")


def _whole_text(blocks: Iterator[str]) -> tuple[list[str], str | None]:
    """The blocks taken, and the whole text when it is at most WHOLE_LIMIT characters (None
    past it: the blocks not taken are still in `blocks`)."""
    taken: list[str] = []
    size = 0
    for block in blocks:
        taken.append(block)
        size += len(block)
        if size > WHOLE_LIMIT:
            return taken, None
    return taken, "".join(taken)


def _read_mail(result: Extracted, head: bytes, stream: BinaryIO) -> Iterator[Ref]:
    """A message's or a mailbox's text parts, decoded (see mail.py); each post once."""
    seen: set[tuple[str, str]] = set()
    for message in mail.messages(head, stream):
        shown: set[tuple[str, str]] = set()  # (handle, day) of the posts a part names by id
        for text, is_html in mail.text_parts(message):
            for r in unseen(scan_blocks([text], result.document, is_html), seen):
                day = (
                    (r.handle.lower(), r.date)
                    if r.kind in AUTHORED and r.handle and r.date
                    else None
                )
                if day and r.status_id:
                    shown.add(day)
                elif day in shown:
                    continue  # the plain part's copy of a post its HTML part shows with its id
                yield r


def _read_packaged(result: Extracted, kind: str, data: bytes) -> Iterator[Ref]:
    """A PDF's pages, a Word or OpenDocument file's paragraphs, a Safari web archive's pages;
    one clear error when they cannot be read."""
    from . import opendoc, pdf, rtf, webarchive, word  # their libraries load only for such files

    try:
        if kind == "pdf":
            yield from pdf.pdf_refs(data, result.document, result.warnings)
        elif kind == "opendocument":
            yield from opendoc.odf_refs(data, result.document)
        elif kind == "rtf":
            yield from rtf.rtf_refs(data, result.document)
        elif kind == "webarchive":
            seen: set[tuple[str, str]] = set()
            for text, is_html in webarchive.pages(data):
                yield from unseen(scan_blocks([text], result.document, is_html), seen)
        else:
            yield from word.docx_refs(data, result.document)
    except (pdf.Unreadable, word.Unreadable, webarchive.Unreadable) as exc:
        name = KIND_NAMES.get(kind, "Word document")
        result.error, result.skipped = f"not a readable {name}: {exc}", True
    except ImportError as exc:
        result.warnings.append(f"{kind} files need {exc.name}, which is not installed: skipped")
        result.skipped = True


def _kind(suffix: str) -> str:
    suffix = suffix.lower()
    if suffix in (".csv", ".tsv", ".tab"):
        return "tsv" if suffix != ".csv" else "csv"
    if suffix in (".json", ".jsonl", ".ndjson", ".geojson", ".jsonld"):
        return "json"
    if suffix == ".ipynb":
        return "notebook"
    if suffix in HTML_SUFFIXES:
        return "html"
    return "text"


def _decoded_blocks(
    first: bytes, stream: BinaryIO, encoding: str, legacy: str | None = None
) -> Iterator[str]:
    """The text, a block at a time. A page that declares a `legacy` encoding is read in it,
    unless its first bytes past ASCII are UTF-8 (a template's stale declaration over a page
    written in UTF-8): up to those, both read the same."""
    chunk = first
    while legacy and chunk.isascii():
        if not chunk:
            return
        yield chunk.decode("ascii")
        chunk = stream.read(_blocks.BLOCK_CHARS)
    if legacy and not filetypes.utf8(chunk):
        encoding = legacy
    decoder = codecs.getincrementaldecoder(encoding)(errors="archiver-replace")
    while True:
        text = decoder.decode(chunk, final=not chunk)
        if text:
            yield text
        if not chunk:
            return
        chunk = stream.read(_blocks.BLOCK_CHARS)


def extract_paths(names: Iterable[str], stdin: BinaryIO | None = None) -> Iterator[Extracted]:
    """Each named file, each file in a named folder (recursively), or '-' (stdin), in order.
    A file is opened only when its `refs` are read; large files are read ahead by worker
    processes, one per core (see workers.py)."""
    from .workers import read_ahead

    unlisted: dict[str, str] = {}  # folders that could not be listed: each an error in its place

    def lazy(name: str, path: Path | None) -> Extracted:
        from ..paths import check_stdin

        if name in unlisted:
            return Extracted(name, error=unlisted[name], skipped=True)
        if path is None:
            check_stdin(stdin)  # /dev/zero as stdin: one line, never an endless read
        result = Extracted(name)
        result.refs = (
            _read(result, stdin or io.BytesIO(), "") if path is None else _open(result, path)
        )
        return result

    def made(name: str, finished: tuple) -> Extracted:
        refs, warnings, error, skipped = finished
        return Extracted(name, iter(refs), warnings, error, skipped)

    yield from read_ahead(iter_paths(names, unlisted), lazy, _whole, made)  # type: ignore[misc]


def _whole(name: str, path: Path) -> tuple[list[Ref], list[str], str | None, bool] | None:
    """A file read to its end (in a worker): its refs, warnings, error and whether skipped;
    None past MAX_AHEAD_REFS references (the caller streams it instead)."""
    from .workers import MAX_AHEAD_REFS

    result = Extracted(name)
    refs = list(itertools.islice(_open(result, path), MAX_AHEAD_REFS + 1))
    if len(refs) > MAX_AHEAD_REFS:
        return None
    return refs, result.warnings, result.error, result.skipped


def _open(result: Extracted, path: Path) -> Iterator[Ref]:
    from ..paths import NotRegular, open_regular

    owner = exports.archive_owner(path)  # X's archive: its own posts' handle is elsewhere
    try:
        with open_regular(path) as stream:  # a FIFO or a device is refused, never read
            for r in _read(result, stream, path.suffix):
                if owner and r.kind == "status_url" and r.handle is None and r.status_id:
                    r.handle, r.canonical_url = owner, canonical_status_url(r.status_id, owner)
                yield r
    except NotRegular as exc:  # missing, unreadable, a FIFO, a device, a loop of links
        result.error, result.skipped = exc.reason, True
    except OSError as exc:  # a read error
        result.error, result.skipped = exc.strerror or str(exc), True
