"""HTML as text, with a map back to the source so every reference keeps its line and column.

`TextView.build(src)` renders the text a reader sees (tags dropped, entities decoded, scripts,
styles and comments left out), keeping the source's own line breaks and adding one for each
block element. Each `<blockquote>` opens with a line holding only BLOCKQUOTE, so that an
embedded post's body is known to start there.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

BLOCKQUOTE = "\x1e"  # record separator: never in real text
BLOCK_TAGS = frozenset(
    """
    p div br li ul ol h1 h2 h3 h4 h5 h6 tr td th table section article header footer aside figure
    figcaption pre hr dd dt dl main nav address details summary
""".split()
)
# Tags (with comments, scripts, styles and templates) as `split` gives them: each starts with
# `<`, which the regex engine skips to, and the rest is group 1 (2 the script, style or template
# it opens, 3 a closing tag's slash, 4 a tag's name). A tag never closed runs to the end, as a
# browser reads it (and as a comment or script does): looking for its `>` from every `<` would
# take time growing with the square of the text. Entities are split out of the text between
# tokens after.
TOKEN_SPLIT_RE = re.compile(
    r"<(!--.*?(?:-->|\Z)|(script|style|template)\b[^>]*(?:>|\Z).*?(?:</\2\s*>|\Z)"
    r"|(/?)([A-Za-z][\w:-]*)[^>]*(?:>|\Z))",
    re.DOTALL | re.IGNORECASE,
)
ENTITY_SPLIT_RE = re.compile(r"(&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?)")
# What a tag shows in the view, by its slash and name: a line break for a block, a line with
# only BLOCKQUOTE where a blockquote opens; any other tag shows nothing.
SHOWN = {
    **{f"{slash}{tag}": "\n" for tag in BLOCK_TAGS for slash in ("", "/")},
    "blockquote": f"\n{BLOCKQUOTE}\n",
    "/blockquote": "\n",
}
BREAKING = BLOCK_TAGS | {"blockquote"}  # the tags that break a fragment's lines
SPACES_RE = re.compile(r"\s+")
BLANK_LINES_RE = re.compile(r"\n{3,}")
HTML_HINT_RE = re.compile(
    r"<(?:blockquote|p|div|a\s|br|span|html|body|article|section|li|table|h[1-6])\b", re.IGNORECASE
)


def looks_like_html(text: str) -> bool:
    # One character is found much faster than the search runs through a text without tags.
    return "<" in text and HTML_HINT_RE.search(text) is not None


@dataclass
class TextView:
    text: str
    # Per piece of the view, in order (a piece is a run of source text, a tag or an entity):
    # where it starts in the view and in the source, its length in the view, and whether it
    # maps one to one (text) or to its start (a tag or an entity). Empty pieces included.
    view_at: list[int] = field(default_factory=list)
    src_at: list[int] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    literal: list[bool] = field(default_factory=list)

    @classmethod
    def build(cls, src: str) -> TextView:
        if "<" not in src and "&" not in src:  # no tag, no entity: the text is its own view
            return cls(src, [0], [0], [len(src)], [True]) if src else cls(src)
        out = TOKEN_SPLIT_RE.split(src)
        texts, tokens = out[::5], out[1::5]  # the text between tokens, as it is, and each token
        shown = [
            SHOWN.get(slash + name.lower(), "") if name else ""
            for slash, name in zip(out[3::5], out[4::5], strict=True)
        ]
        pieces = [""] * (len(texts) + len(tokens))
        pieces[::2], pieces[1::2] = texts, shown
        src_sizes = [0] * len(pieces)
        src_sizes[::2], src_sizes[1::2] = map(len, texts), [len(t) + 1 for t in tokens]
        literal = [True, False] * len(tokens) + [True]
        if "&" in src:
            pieces, src_sizes, literal = _with_entities(texts, pieces, src_sizes, literal)
        sizes = list(map(len, pieces))
        view_at = list(accumulate(sizes, initial=0))
        src_at = list(accumulate(src_sizes, initial=0))
        return cls("".join(pieces), view_at, src_at, sizes, literal)

    def view_offset(self, offset: int) -> int:
        """The view offset of the source character at `offset` (a tag's or an entity's: where
        it stands in the view)."""
        if not self.text:
            return offset
        i = max(bisect_right(self.src_at, offset, 0, len(self.sizes)) - 1, 0)
        if self.literal[i]:
            return self.view_at[i] + min(offset - self.src_at[i], self.sizes[i])
        return self.view_at[i]

    def source_offset(self, offset: int) -> int:
        """The source offset of the view character at `offset`."""
        if not self.text:
            return offset
        # The last piece that starts at or before `offset` and is not empty.
        i = bisect_right(self.view_at, offset, 0, len(self.sizes)) - 1
        while i > 0 and not self.sizes[i]:
            i -= 1
        i = max(i, 0)
        if self.literal[i]:
            return self.src_at[i] + offset - self.view_at[i]
        return self.src_at[i]


def _with_entities(
    texts: list[str], pieces: list[str], sizes: list[int], literal: list[bool]
) -> tuple[list[str], list[int], list[bool]]:
    """The pieces (text i is piece 2i) with the entities in each text split out as pieces of
    their own, which show what they stand for."""
    new_pieces: list[str] = []
    new_sizes: list[int] = []
    new_literal: list[bool] = []
    done = 0
    for i, text in enumerate(texts):
        if "&" not in text:
            continue
        parts = ENTITY_SPLIT_RE.split(text)  # [text, entity, text, …]
        new_pieces += pieces[done : 2 * i]
        new_sizes += sizes[done : 2 * i]
        new_literal += literal[done : 2 * i]
        new_pieces += [_unescape(part) if j % 2 else part for j, part in enumerate(parts)]
        new_sizes += map(len, parts)
        new_literal += [True, False] * (len(parts) // 2) + [True]
        done = 2 * i + 1
    return (
        new_pieces + pieces[done:],
        new_sizes + sizes[done:],
        new_literal + literal[done:],
    )


CODE_RE = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|template)\b[^>]*(?:>|\Z).*?(?:</\1\s*>|\Z)",
    re.DOTALL | re.IGNORECASE,
)
COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


def _blank(m: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


def blank_code(src: str) -> str:
    """The source with comments, scripts and styles blanked (line breaks kept), for URL scans."""
    return CODE_RE.sub(_blank, src)


# A feed's HTML written escaped (Atom's `<content type="html">`, RSS's `<description>`): each
# escape of markup as the character it stands for, padded with spaces to the same length (on
# the side a tag allows them), so that offsets stay the source's
FEED_ESCAPES = {
    "&lt;": "   <",
    "&gt;": ">   ",
    "&quot;": '     "',
    "&#34;": '    "',
    "&#39;": "    '",
    "&apos;": "     '",
    "&amp;": "    &",
}
FEED_ESCAPE_RE = re.compile("|".join(FEED_ESCAPES))
FEED_RE = re.compile(r"<(?:rss|feed|rdf:RDF)\b")


def is_feed(head: str) -> bool:
    """Whether a document that starts with `head` is an RSS or Atom feed."""
    return FEED_RE.search(head, 0, 2048) is not None


def unescape_feed(text: str) -> str:
    """A feed's text with its escaped HTML made markup, the same length (see FEED_ESCAPES)."""
    return FEED_ESCAPE_RE.sub(lambda m: FEED_ESCAPES[m.group(0)], text) if "&" in text else text


def blank_comments(src: str) -> str:
    """Markdown's or wikitext's text with its `<!-- … -->` comments blanked (line breaks kept):
    what they hold is not shown."""
    return COMMENT_RE.sub(_blank, src)


@lru_cache(maxsize=4096)
def _unescape(entity: str) -> str:
    return html.unescape(entity)


def fragment_text(fragment: str) -> str:
    """Text of an HTML fragment as a browser shows it: whitespace collapsed, `<br>` and blocks
    as line breaks, entities decoded; JSX's spaces (`{" "}`, as Prettier writes them in embed
    code pasted into a component) as spaces."""
    if "{" in fragment:
        fragment = JSX_SPACE_RE.sub(" ", fragment)
    out = TOKEN_SPLIT_RE.split(fragment)
    texts, names = out[::5], out[4::5]
    pieces = [""] * (len(texts) + len(names))
    pieces[::2] = [_collapse(text) for text in texts]
    pieces[1::2] = ["\n" if name and name.lower() in BREAKING else "" for name in names]
    lines = [html.unescape(line).strip() for line in "".join(pieces).split("\n")]
    return squeeze_blank_lines("\n".join(lines)).strip()


JSX_SPACE_RE = re.compile(r"""\{[ \t]*(?:' '|" ")[ \t]*\}""")


def _collapse(text: str) -> str:
    """Runs of whitespace as one space. Every whitespace character but the space is
    unprintable: printable text with no double space is already collapsed."""
    return text if text.isprintable() and "  " not in text else SPACES_RE.sub(" ", text)


def squeeze_blank_lines(text: str) -> str:
    """Three or more line breaks in a row as two."""
    return BLANK_LINES_RE.sub("\n\n", text) if "\n\n\n" in text else text
