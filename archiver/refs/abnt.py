"""ABNT NBR 6023, as Brazilian works cite a post: `SOBRENOME, Nome. Texto. Local, 20 mar. 2020.
Twitter: @handle. Disponível em: URL. Acesso em: …` — the author and the text first, the
handle last, after the place and the day (an institution as author: `UNIVERSIDADE FEDERAL DE
ALAGOAS. Texto. Maceió, 19 ago. 2011. Twitter: @biblioufal.`)."""

from __future__ import annotations

import re

from .dates import find_date
from .styles import Citation

# What comes before the cue `Twitter: @h` (an entry may follow another on its line): the author
# in capitals after a line's start, a list mark or the end of an entry, its text (never holding
# another entry's parts), the place, the day
ENTRY_PARTS = r"Twitter: @|X: @|Dispon[ií]vel em|Acesso em"
# (A PDF's text wraps an entry anywhere: a line break counts as a space, a blank line ends it.)
S = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
BEFORE_RE = re.compile(
    rf"(?:^|(?<=\n)|(?<=[.\]\)] ))(?:\[?\d{{1,4}}[.)\]]?[ \t]+)?"
    rf"(?P<author>[A-ZÀ-Ý][A-ZÀ-Ý'’ -]{{1,60}}(?:,{S}[^\n.]{{1,60}})?)\.{S}"
    rf"(?P<title>(?:(?!{ENTRY_PARTS}|\n[ \t]*\n)[\s\S]){{1,400}}?)\.{S}(?:[^\n,.]{{1,60}},{S})?"
    rf"(?P<date>\d{{1,2}}{S}[^\W\d]{{3,5}}\.?{S}\d{{4}})\.{S}\Z"
)
# An online document's entry goes on with where it is and when it was read (NBR 6023 asks both)
AFTER_RE = re.compile(r"\.[ \t]+(?:Dispon[ií]vel em|Acesso em):")


def abnt(text: str, cue: re.Match[str]) -> Citation | None:
    """The ABNT entry whose `Twitter: @h` is `cue`, or None when its line is no such entry."""
    if AFTER_RE.match(text, cue.end()) is None:
        return None  # `UPDATE. … London, 20 March 2020. Twitter: @bbc.`: prose, not an entry
    blank = max(text.rfind("\n\n", 0, cue.start()), text.rfind("\n \n", 0, cue.start()))
    window = max(blank + 1, cue.start() - 600)
    m = BEFORE_RE.search(text[window : cue.start()])
    written = " ".join(m["date"].split()) if m else ""  # (a line break in it: a space)
    when = find_date(written, 0) if m else None
    if m is None or when is None:
        return None
    start = window + m.start("author")
    author = " ".join(m["author"].split())
    cited = Citation("abnt", start, cue.end() + 1, None, None, author, when.date)
    cited.date_text, cited.title = written, " ".join(m["title"].split())
    return cited
