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
BEFORE_RE = re.compile(
    r"(?:^|(?<=\n)|(?<=[.\]\)] ))(?:\[?\d{1,4}[.)\]]?[ \t]+)?"
    r"(?P<author>[A-ZÀ-Ý][A-ZÀ-Ý'’ -]{1,60}(?:,[ \t]+[^\n.]{1,60})?)\.[ \t]+"
    rf"(?P<title>(?:(?!{ENTRY_PARTS})[^\n]){{1,800}}?)\.[ \t]+(?:[^\n,.]{{1,60}},[ \t]+)?"
    r"(?P<date>\d{1,2}[ \t]+[^\W\d]{3,5}\.?[ \t]+\d{4})\.[ \t]+\Z"
)
# An online document's entry goes on with where it is and when it was read (NBR 6023 asks both)
AFTER_RE = re.compile(r"\.[ \t]+(?:Dispon[ií]vel em|Acesso em):")


def abnt(text: str, cue: re.Match[str]) -> Citation | None:
    """The ABNT entry whose `Twitter: @h` is `cue`, or None when its line is no such entry."""
    if AFTER_RE.match(text, cue.end()) is None:
        return None  # `UPDATE. … London, 20 March 2020. Twitter: @bbc.`: prose, not an entry
    line = text.rfind("\n", 0, cue.start()) + 1
    window = max(line, cue.start() - 1200)
    m = BEFORE_RE.search(text[window : cue.start()])
    when = find_date(m["date"], 0) if m else None
    if m is None or when is None:
        return None
    start = window + m.start("author")
    cited = Citation("abnt", start, cue.end() + 1, None, None, m["author"].strip(), when.date)
    cited.date_text, cited.title = m["date"], m["title"].strip()
    return cited
