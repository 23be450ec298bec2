"""LaTeX and BibTeX text as the citation readers read it: the same length as the source, so that
every offset found in it is the source's."""

from __future__ import annotations

import re

from .ref import within

TEX_SUFFIXES = (".tex", ".ltx", ".bib", ".bbl")
# An entry's label (`\bibitem{key}`, `\bibitem[Obama 2020]{key}`) and the commands whose
# argument is the text itself (`\textit{title}`, `\url{…}`); one level, no nested braces.
MARKUP_RE = re.compile(
    r"\\bibitem(?:\[[^\]\n]{0,80}\])?\{[^{}\n]{0,80}\}"
    r"|\\(?:textit|textbf|textsl|textsc|texttt|textup|emph|url|mbox)\{(?P<arg>[^{}\n]{0,800})\}"
)


# A URL's argument (`\url{…%2F…}`, `\href`'s first), which TeX reads as it is: its `%` starts
# no comment
VERBATIM_ARG_RE = re.compile(r"\\(?:url|href)\{[^{}\n]*\}")


def blank_tex_comments(text: str) -> str:
    r"""TeX's text with its comments blanked (the same length): from a `%` to its line's end,
    what is not printed. A `%` after an odd run of backslashes is a percent sign (`\%`; `\\%`
    is a line break, then a comment)."""
    if "%" not in text:
        return text
    kept = [m.span() for m in VERBATIM_ARG_RE.finditer(text)] if "\\" in text else []
    out, pos, at = [], 0, text.find("%")
    while at >= 0:
        slashes = 0
        while at > slashes and text[at - slashes - 1] == "\\":
            slashes += 1
        if slashes % 2 or within(kept, at):
            at = text.find("%", at + 1)
            continue
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        out += [text[pos:at], " " * (end - at)]
        pos, at = end, text.find("%", end)
    return "".join([*out, text[pos:]])


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
