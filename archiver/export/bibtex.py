"""BibTeX (`@misc`) and biblatex (`@online`) entries that BibTeX, biber, pybtex and bibtexparser
read back as written.

- The author is one name in double braces, `{{Tom and Jerry, Inc. [@tj]}}`, so that no reader
  splits it at "and" or a comma or reorders it as "Last, First".
- The title is double-braced too: the post's capitals (`m5`, `@nasa`, `iPhone`) are kept.
- Every text field escapes LaTeX's special characters once; braces that pair up are written
  `\\{ \\}`, a lone one `{\\textbraceleft}` so that the field's braces still balance (BibTeX counts
  `\\{` as a brace). Ligatures that would change the text (`--`, ``` `` ```, `?``) are broken.
- `url` is verbatim in biblatex and `\\url` in BibTeX: it is written as is, and only ever holds
  a URL that `citable.safe_url` or `citable.post_url` made (no braces, spaces or backslashes).
- BibTeX has `year` and `month` (a macro); biblatex has `date`. There is no `day`.
"""

from __future__ import annotations

import re

from .citable import (
    Citable,
    archive_note,
    attached,
    author,
    cited_url,
    first_words,
    handle,
    iso_date,
    posted,
    shown_text,
)

MONTH_MACROS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    '"': '{"}',  # babel makes " active in some languages
}
LIGATURES = ("--", "``", "''", "?`", "!`")  # TeX would print –, “, ”, ¿, ¡


def _paired(text: str) -> set[int]:
    """Positions of the braces in `text` that pair up with one another."""
    stack: list[int] = []
    pairs: set[int] = set()
    for i, ch in enumerate(text):
        if ch == "{":
            stack.append(i)
        elif ch == "}" and stack:
            pairs.update((stack.pop(), i))
    return pairs


def latex(text: str) -> str:
    """Plain text as LaTeX text: every special character escaped exactly once."""
    paired = _paired(text)
    out, before = [], ""
    for i, ch in enumerate(text):
        if before + ch in LIGATURES:
            out.append("{}")
        if ch in "{}":
            lone = "{\\textbraceleft}" if ch == "{" else "{\\textbraceright}"
            out.append("\\" + ch if i in paired else lone)
        else:
            out.append(SPECIAL.get(ch, ch))
        before = ch
    return "".join(out)


def key(c: Citable) -> str:
    """`handle_statusid`: ASCII letters, digits and one underscore."""
    status = re.sub(r"[^0-9]", "", c.status_id) or "0"
    return f"{handle(c) or 'x'}_{status}".replace("__", "_")


def _entry(kind: str, c: Citable, fields: list[tuple[str, str]]) -> str:
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{kind}{{{key(c)},\n{body}\n}}"


def title(c: Citable) -> str:
    """The first 20 words (as APA quotes a post), or what is attached when there is no text."""
    return first_words(shown_text(c), 20) or " ".join(f"[{k}]" for k in attached(c)) or "[Post]"


def _common(c: Citable) -> list[tuple[str, str]]:
    return [
        ("author", "{{" + latex(author(c)) + "}}"),
        ("title", "{{" + latex(title(c)) + "}}"),
    ]


def misc(c: Citable) -> str:
    """A BibTeX `@misc` entry (natbib, plain BibTeX styles)."""
    fields = [*_common(c), ("howpublished", "{Post on X}")]
    when = posted(c)
    if when:
        fields += [("year", str(when.year)), ("month", MONTH_MACROS[when.month - 1])]
    fields.append(("url", "{" + cited_url(c) + "}"))
    if c.accessed:
        fields.append(("urldate", "{" + iso_date(c.accessed) + "}"))
    if note := archive_note(c).removesuffix("."):  # the style ends the note itself
        fields.append(("note", "{" + latex(note) + "}"))
    return _entry("misc", c, fields)


def online(c: Citable) -> str:
    """A biblatex `@online` entry (biber)."""
    fields = [*_common(c), ("organization", "{X}")]
    when = posted(c)
    if when:
        fields.append(("date", "{" + iso_date(when) + "}"))
    fields.append(("url", "{" + cited_url(c) + "}"))
    if c.accessed:
        fields.append(("urldate", "{" + iso_date(c.accessed) + "}"))
    if note := archive_note(c).removesuffix("."):
        fields.append(("addendum", "{" + latex(note) + "}"))
    return _entry("online", c, fields)
