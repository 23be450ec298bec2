"""Rich Text Format (`.rtf`: what TextEdit saves by default, and what many court and office
systems export): its text as a word processor shows it, a paragraph (`\\par`) a line as for Word
(word.paragraph_refs). Characters come decoded (`\\'93` in the file's code page, `\\u8220?`
with its fallback dropped, `\\ldblquote`), tables' cells and footnotes as their text; what is
not shown (font and colour tables, styles, pictures, the document's metadata, `{\\*…}` groups)
is not read. A HYPERLINK field counts like its URL, as Word's does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from .ref import Ref
from .word import FIELD_LINK_RE, Paragraph, paragraph_refs

TOKEN_RE = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+",
    re.DOTALL,
)
SKIPPED = frozenset(
    b"""fonttbl colortbl stylesheet info pict listtable listoverridetable rsidtbl generator
    xmlnstbl themedata colorschememapping latentstyles datastore object objdata filetbl
    revtbl pgdsctbl expandedcolortbl""".split()
)
WORDS = {
    b"tab": "\t", b"line": "\n", b"emdash": "—", b"endash": "–", b"lquote": "‘", b"rquote": "’",
    b"ldblquote": "“", b"rdblquote": "”", b"bullet": "•", b"emspace": " ", b"enspace": " ",
}  # fmt: skip
SYMBOLS = {b"~": "\u00a0", b"-": "", b"_": "\u2011", b"\\": "\\", b"{": "{", b"}": "}"}
SURROGATE_RE = re.compile("[\ud800-\udfff]")
# What ends a paragraph (`\<line break>` too); a table's cell is one of its own, as in Word
ENDS = (b"par", b"sect", b"page", b"row", b"cell", b"nestcell")


@dataclass
class _Group:
    skip: bool = False
    uc: int = 1  # characters a `\u` is followed by for readers that cannot show it
    instruction: list[str] | None = None  # a field's instruction being read (its groups too)
    opened_field: bool = False  # the group whose end ends the instruction


@dataclass
class _State:
    codepage: str = "cp1252"
    text: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    done: list[Paragraph] = field(default_factory=list)
    fallback: int = 0  # characters still to drop after a `\u`


def is_rtf(head: bytes) -> bool:
    return head.lstrip()[:5] == b"{\\rtf"


def rtf_refs(data: bytes, document: str) -> Iterator[Ref]:
    """The references in the RTF document in `data`."""
    return paragraph_refs(_paragraphs(data), document)


def _paragraphs(data: bytes) -> Iterator[Paragraph]:
    state, groups = _State(), [_Group()]
    pending = bytearray()  # `\'hh` bytes, decoded together (a double-byte code page's pairs)
    fresh = False  # at a group's first token: a destination word there says what the group is
    for m in TOKEN_RE.finditer(data):
        word, number, hexa, symbol, brace, text = m.groups()
        group = groups[-1]
        if hexa is None and pending:
            _add(state, group, pending.decode(state.codepage, "replace"))
            pending.clear()
        if brace == b"{":
            groups.append(replace(group, opened_field=False))
            fresh = True
            continue
        if brace == b"}":
            ended = groups.pop() if len(groups) > 1 else group
            instruction = "".join(ended.instruction or ()) if ended.opened_field else ""
            if found := FIELD_LINK_RE.search(instruction):  # the field's address, read whole
                state.links.append((found.group(1), ""))
            fresh = False
            continue
        if fresh and (symbol == b"*" or word in SKIPPED):
            group.skip = True
        elif word == b"fldinst":
            group.skip, group.instruction, group.opened_field = True, [], True
        elif group.instruction is not None and text is not None:
            group.instruction.append(text.decode("latin-1"))
        elif group.skip:
            pass
        elif word is not None:
            _control(state, group, word, number)
        elif hexa is not None:
            if state.fallback:
                state.fallback -= 1
            else:
                pending.append(int(hexa, 16))
        elif symbol is not None:
            if symbol in (b"\n", b"\r"):  # `\` then a line break: a paragraph's end
                _end(state)
            else:
                _add(state, group, SYMBOLS.get(symbol, ""))
        elif text is not None:
            _add(state, group, text.decode(state.codepage, "replace"))
        fresh = False
        yield from state.done
        state.done.clear()
    _end(state, last=True)
    yield from state.done


def _control(state: _State, group: _Group, word: bytes, number: bytes | None) -> None:
    if word in ENDS:
        _end(state)
    elif word in WORDS:
        _add(state, group, WORDS[word])
    elif word == b"u" and number is not None:
        value = int(number) + (65536 if int(number) < 0 else 0)  # (signed 16 bits)
        _add(state, group, chr(value) if 0 <= value <= 0x10FFFF else "\ufffd")
        state.fallback = group.uc
    elif word == b"uc" and number is not None:
        group.uc = max(0, min(int(number), 8))
    elif word == b"ansicpg" and number is not None:
        state.codepage = f"cp{int(number)}" if _known(f"cp{int(number)}") else "cp1252"


def _add(state: _State, group: _Group, text: str) -> None:
    if state.fallback:  # the characters a `\u` stands in front of for older readers
        dropped = min(state.fallback, len(text))
        text, state.fallback = text[dropped:], state.fallback - dropped
    if text:
        state.text.append(text)


def _end(state: _State, last: bool = False) -> None:
    """A paragraph ends (every `\\par` is a line, empty ones too; the text's end only ends one
    that holds something)."""
    if not last or state.text or state.links:
        text = "".join(state.text)
        if SURROGATE_RE.search(text):  # `\\u-10179?\\u-8704?`: one character past U+FFFF
            text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        state.done.append((text, state.links))
    state.text, state.links = [], []


def _known(codepage: str) -> bool:
    import codecs

    try:
        codecs.lookup(codepage)
    except LookupError:
        return False
    return True
