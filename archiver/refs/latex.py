"""LaTeX and BibTeX text as the citation readers read it: the same length as the source, so that
every offset found in it is the source's."""

from __future__ import annotations

import re

TEX_SUFFIXES = (".tex", ".ltx", ".bib", ".bbl")
# An entry's label (`\bibitem{key}`, `\bibitem[Obama 2020]{key}`) and the commands whose
# argument is the text itself (`\textit{title}`, `\url{…}`); one level, no nested braces.
MARKUP_RE = re.compile(
    r"\\bibitem(?:\[[^\]\n]{0,80}\])?\{[^{}\n]{0,80}\}"
    r"|\\(?:textit|textbf|textsl|textsc|texttt|textup|emph|url|mbox)\{(?P<arg>[^{}\n]{0,800})\}"
)


COMMENT_RE = re.compile(r"(?<!\\)%[^\n]*")  # `% a note`, to the line's end; `\%` is a percent sign


def blank_tex_comments(text: str) -> str:
    """TeX's text with its comments blanked (the same length): what they hold is not printed."""
    return COMMENT_RE.sub(lambda m: " " * len(m.group(0)), text) if "%" in text else text


def is_tex(document: str) -> bool:
    return document.lower().endswith(TEX_SUFFIXES)


def tex_view(text: str) -> str:
    """`text` with TeX's quotes as curly ones (``` ``…'' ``` as `“…”`, a space beside each),
    `~` as a no-break space, entry labels blanked and formatting commands as their argument."""
    if "\\" in text:
        text = MARKUP_RE.sub(_blank, text)
    return text.replace("``", " “").replace("''", "” ").replace("~", "\u00a0")


def _blank(m: re.Match[str]) -> str:
    arg = m.group("arg")
    if arg is None:
        return " " * len(m.group(0))
    head = m.start("arg") - m.start()
    return " " * head + arg + " "
