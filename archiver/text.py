"""Text from posts and documents made safe to show: on a terminal and in plain-text files.

Everything a post says is hostile. Written raw, an ESC starts a terminal escape sequence (clear
the screen, set the window title, forge a hyperlink), a carriage return overwrites what was
printed, a NUL or a lone surrogate breaks the output, and a bidi override reorders what follows.
`visible` shows each such character as a visible mark instead of passing it on: control
characters as their Unicode control pictures (ESC → ␛, NUL → ␀), C1 controls and line
separators as <U+009B>, bidi embeddings, overrides and isolates by name (⟨RLO⟩). Line breaks
and tabs stay. Markup (Rich's `[bold]`, HTML) is not this module's business: it is never
interpreted, because the CLI prints data with markup off and HTML escapes.

Callers: `for_terminal(s)` for anything printed, `for_plain_text(s)` for .txt/.bib citations.
"""

from __future__ import annotations

import re

BIDI = {
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
}
# C0 controls but tab and line feed, DEL, C1 controls, line and paragraph separators, bidi
# controls, lone surrogates.
UNSAFE_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
JSON_UNSAFE_RE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _mark(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the control pictures block: ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    if char in BIDI:
        return f"\u27e8{BIDI[char]}\u27e9"
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """`text` with every character that a terminal or a reader would not show as itself made
    visible (see the module's docstring); line breaks and tabs stay."""
    return UNSAFE_RE.sub(_mark, text)


for_terminal = visible
for_plain_text = visible


def one_line(text: str, width: int | None = None) -> str:
    """`text` made visible, its whitespace runs (line breaks too) one space, cut at `width`."""
    flat = " ".join(visible(text).split())
    if width is not None and len(flat) > width:
        return flat[: width - 1] + "…"
    return flat


def json_safe(text: str) -> str:
    """JSON text (from `json.dumps(ensure_ascii=False)`, which escapes C0 controls) with the
    characters it leaves raw that a terminal acts on (C1, separators, bidi, lone surrogates)
    escaped as \\uXXXX: the same JSON value, safe to print."""
    return JSON_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
