"""Documents read as cells: a CSV or TSV table's cells and a JSON document's strings, each
scanned on its own (a cell is never glued to the next) and its references placed at the line
and column where the cell is written; and the posts an export holds as records (exports.py)."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterable, Iterator
from string import ascii_letters, digits

from . import exports
from .blocks import scan_blocks
from .citations import citation_ref
from .managers import csl_items, from_csl
from .merge import merge
from .ref import AUTHORED, Ref
from .scanner import scan
from .times import finish
from .urls import canonical_status_url

WHOLE_LIMIT = 8 * 1024 * 1024  # CSV and JSON are parsed whole up to this size (characters)


def _locate(
    lines: list[str], line_hint: int, match: str, cursors: dict[int, int]
) -> tuple[int, int] | None:
    """Line and column of `match` as written, searching from `line_hint` (1-based), on each
    line from where the last one found there was (refs come in order: a minified JSON's one
    line is read once); not where it is the start of a longer one (a profile's URL in its
    post's: `…/jack` in `…/jack/status`)."""
    for index in range(max(line_hint - 1, 0), min(len(lines), line_hint + 200)):
        line, start = lines[index], cursors.get(index, 0)
        column = line.find(match, start)
        while column >= 0 and line[column + len(match) : column + len(match) + 1] in LONGER:
            column = line.find(match, column + 1)
        if column >= 0:
            cursors[index] = column
            return index + 1, column + 1
    return None


LONGER = frozenset("/_" + ascii_letters + digits)  # what goes on a URL or handle


def _refs(
    cells: Iterable[tuple[str, int]], raw: str, name: str, posts: Iterable[Ref] = ()
) -> list[Ref]:
    lines = raw.split("\n")
    refs: list[Ref] = list(posts)
    cursors: dict[int, int] = {}
    for cell, line_hint in cells:
        if not _maybe_ref(cell):
            continue
        for r in scan(cell, name, line_hint):
            where = _locate(lines, line_hint, r.match.split("\n")[0], cursors)
            if where:
                r.line, r.column = where
            refs.append(r)
    return merge(refs)


# What a cell must hold to hold a reference at all (a profile picture's URL, a date or a count
# need no scan): a handle's sign, a short link, a status path, a name of the site or of an
# embed's markup, a template's braces. Most cells of an export hold none of these.
_HINT_RE = re.compile(
    r"[@＠{]|t\.co/|pic\.|status|twitter|x\.com|[<\[-]tweet|tweet-result|threadreader|nitter"
    r"|xcancel",
    re.IGNORECASE,
)


def _maybe_ref(cell: str) -> bool:
    return bool(_HINT_RE.search(cell))


def read_table(
    text: str, name: str, delimiter: str, warnings: list[str] | None = None
) -> list[Ref]:
    """The references in a CSV or TSV table's cells, each at its line and column; a table of
    posts (an id column and a text column) names each row's post (what it cannot read is said
    in `warnings`)."""
    import csv  # loaded for tables only

    csv.field_size_limit(WHOLE_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[list[str], int]] = []

    def cells() -> Iterator[tuple[str, int]]:
        start = 1
        try:
            for row in reader:
                rows.append((row, start))
                for cell in row:
                    yield cell, start
                start = reader.line_num + 1
        except csv.Error:
            yield text, 1  # not really a table: read it as text

    found = _refs(cells(), text, name)
    if len(rows) < 2:
        return found
    posts = exports.table_posts(rows[0][0], iter(rows[1:]), warnings)
    return merge(
        found + [post_ref(status_id, handle, name, line, 1) for (status_id, handle), line in posts]
    )


def read_json(text: str, name: str) -> list[Ref] | None:
    """The references in a JSON (or JSON Lines) document's strings, keys too, each at its line
    and column; None when it is not JSON, or nested past what the parser reads."""
    import json  # loaded for JSON only

    try:  # (ValueError: JSON's own, and a number past the digits Python converts)
        values = [json.loads(exports.unwrap(text))]
    except (ValueError, RecursionError):
        if "\n" in text.strip() and json_lines(text):  # JSON Lines: a line that is not JSON
            return list(read_json_lines([text], name, []))  # is read as text, the others as JSON
        return None

    def cells() -> Iterator[tuple[str, int]]:
        """Each string with its line: looked for from the last one found (strings come in the
        file's order), the lines counted as the cursor moves. A string written another way
        (`\\u0040`) is found nowhere: searches that find nothing are rationed (four times the
        text in all), so that the time stays linear."""
        cursor, line, budget = 0, 1, 4 * len(text)
        for string in _strings(values):
            candidate = _maybe_ref(string)
            # (a string that holds no reference is looked for as it is, for the lines only:
            # written with escapes, it is not found, and later ones count them)
            encoded = json.dumps(string, ensure_ascii=False)[1:-1] if candidate else string
            encoded = encoded[:200]
            if not encoded:
                continue
            found = text.find(encoded, cursor, cursor + JSON_GAP)
            if found < 0 and budget > 0:  # further on; a search that finds it moves the cursor
                found = text.find(encoded, cursor)
                budget -= len(text) - cursor if found < 0 else 0
            if found >= 0:
                line += text.count("\n", cursor, found)
                cursor = found
            if candidate:
                yield string, line

    cited = list(_cited(values, text, name))
    refs = _refs(cells(), text, name, [*_posts(exports.json_posts(values), text, name), *cited])
    known = exports.expanded_links(values)  # what the records expand is no link to resolve
    # A cited post's author (a citation's, an embed's: oEmbed's `author_url`) is no account
    authors = {(r.handle or "").lower() for r in [*cited, *refs] if r.kind in AUTHORED}
    return [
        r
        for r in refs
        if (r.kind != "short_link" or r.canonical_url not in known)
        and (r.kind != "account" or (r.handle or "").lower() not in authors)
    ]


def _cited(values: list[object], text: str, name: str) -> Iterator[Ref]:
    """The citations of posts a reference manager's CSL-JSON holds, each at its title."""
    import json

    cursor = _Cursor(text)
    for item in csl_items(values):
        cited = from_csl(item, text)
        if cited is None:
            continue
        r = citation_ref(cited, name, str(item["title"] or item["url"])[:200])
        finish(r)
        r.line, r.column = cursor.find(json.dumps(r.match[:60], ensure_ascii=False)[1:-1])
        yield r


class _Cursor:
    """Where strings are in a text, each looked for from where the last one was found (they
    come in the text's order), the lines counted as it moves; searches that find nothing are
    rationed (four times the text in all): linear time."""

    def __init__(self, text: str) -> None:
        self.text, self.at, self.line, self.line_start = text, 0, 1, 0
        self.budget = 4 * len(text)

    def find(self, written: str, keyed: tuple[str, ...] = ()) -> tuple[int, int]:
        """The line and column of `written` (the first of its next few places that follows one
        of `keyed`, when one does), or of the last string found when it is not there."""
        found = first = self.text.find(written, self.at) if written and self.budget > 0 else -1
        for _ in range(KEYED_TRIES if keyed and found >= 0 else 0):
            if self.text[max(0, found - 24) : found].rstrip(' "\t:').endswith(keyed):
                break
            found = self.text.find(written, found + 1, found + KEYED_REACH)
            if found < 0:
                break
        else:
            found = first if keyed else found  # none of its next few places keyed: the first
        found = first if found < 0 else found
        if found >= 0:
            breaks = self.text.count("\n", self.at, found)
            if breaks:
                self.line += breaks
                self.line_start = self.text.rfind("\n", self.at, found) + 1
            self.at = found
        else:
            self.budget -= len(self.text) - self.at
        return self.line, self.at - self.line_start + 1


# A record's own id, not the same id in a list before it (X's archive sets `edit_info` and
# its `editTweetIds` above `id_str`): looked for at the next few places, not far
ID_KEYS = ('"id_str', '"id', '"tweet_id', '"rest_id')
KEYED_TRIES, KEYED_REACH = 4, 16384


def _posts(posts: list[exports.Post], text: str, name: str) -> Iterator[Ref]:
    """A ref for each post a record holds, at its id in the text."""
    cursor = _Cursor(text)
    for status_id, handle in posts:
        yield post_ref(status_id, handle, name, *cursor.find(status_id, ID_KEYS))


def post_ref(status_id: str, handle: str | None, name: str, line: int, column: int) -> Ref:
    """The ref of a post a record or a list names by its id."""
    url = canonical_status_url(status_id, handle)
    return Ref(
        "status_url",
        name,
        line,
        column,
        status_id,
        url=url,
        canonical_url=url,
        status_id=status_id,
        handle=handle,
    )


JSON_GAP = 4096  # how far past the last string the next is looked for at first


def json_lines(text: str) -> bool:
    """Whether `text` starts as JSON Lines: its first line a whole JSON object or array, or an
    object longer than `text` holds (twarc writes an API page, a megabyte, a line)."""
    import json

    stripped = text.lstrip()
    end = stripped.find("\n")
    if end < 0:
        return stripped[:1] == "{"
    try:
        return isinstance(json.loads(stripped[:end]), (dict, list))
    except (ValueError, RecursionError):
        return False


def read_json_array(blocks: Iterable[str], name: str) -> Iterator[Ref] | None:
    """A JSON array (X's archive of an account: `window.YTD.tweets.part0 = [...]`) read an
    element at a time, each element's references at their line: memory follows the largest
    element (up to WHOLE_LIMIT). None when the text is no array. From an element that does not
    parse on, the rest is read as text."""
    import json

    source = iter(blocks)
    first = exports.unwrap(next(source, ""))
    if not first.lstrip().startswith("["):
        return None

    def elements() -> Iterator[Ref]:
        decoder = json.JSONDecoder()
        line = 1 + first.count("\n", 0, first.index("["))
        buffer, pos, ended = first, first.index("[") + 1, False
        while True:
            if not ended and len(buffer) - pos < WHOLE_LIMIT:  # the next element whole
                block = next(source, None)
                ended = block is None
                buffer, pos = buffer[pos:] + (block or ""), 0
                continue
            skip = pos
            while pos < len(buffer) and buffer[pos] in " \t\r\n,":
                pos += 1
            line += buffer.count("\n", skip, pos)
            if pos >= len(buffer) or buffer[pos] == "]":
                return
            try:
                _, end = decoder.raw_decode(buffer, pos)
            except (ValueError, RecursionError):
                yield from scan(buffer[pos:], name, line)
                for block in source:
                    yield from scan(block, name)
                return
            for r in read_json(buffer[pos:end], name) or []:
                r.line += line - 1
                yield r
            line += buffer.count("\n", pos, end)
            pos = end

    return elements()


def read_json_lines(blocks: Iterable[str], name: str, warnings: list[str]) -> Iterator[Ref]:
    """JSON Lines read a line at a time (memory follows the longest line), each line's
    references at their line; a line that is not JSON is read as text, and from a line past
    what is parsed whole on, the rest is (in blocks that overlap: nothing cut at their ends)."""
    pending, line = "", 1
    rest = itertools.chain(blocks, ["\n"])
    for block in rest:
        pending += block
        *complete, pending = pending.split("\n")
        for i, text in enumerate(complete):
            if len(text) > WHOLE_LIMIT:  # (this line and all after it are read as text)
                pending = "\n".join([*complete[i:], pending])
                break
            if text.strip():
                found = read_json(text, name)
                for r in scan(text, name) if found is None else found:
                    r.line += line - 1
                    yield r
            line += 1
        if len(pending) > WHOLE_LIMIT:
            warnings.append(f"line {line} over {WHOLE_LIMIT >> 20} MiB: read as text from there")
            for r in scan_blocks(itertools.chain([pending], rest), name, None):
                r.line += line - 1
                yield r
            return


def _strings(values: list[object]) -> Iterator[str]:
    """Every string of `values` (keys too, but JSON-LD's and Logstash's `@context`, `@type`,
    `@timestamp`, and Telegram's mention entities), in document order; iterative: any depth."""
    stack: list[Iterator[object]] = [iter(values)]
    while stack:
        value = next(stack[-1], _END)
        if value is _END:
            stack.pop()
        elif isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            if value.get("type") == "mention" and isinstance(value.get("text"), str):
                continue  # Telegram's export: a mention there is a Telegram username
            stack.append(
                iter(
                    [part for k, v in value.items() for part in ((v,) if k[:1] == "@" else (k, v))]
                )
            )
        elif isinstance(value, list):
            stack.append(iter(value))


_END = object()
