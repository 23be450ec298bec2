"""Two columns of text side by side on each line, as `pdftotext -layout` gives a two-column page
(a reference list, most often): a run of spaces between the columns' words on lines in a row. An
entry of the right column starts after the gap; a text read over such lines holds the other
column's words too."""

from __future__ import annotations

import re

COLUMN_GAP_RE = re.compile(r"(?<=\S) {5,}(?=\S)")
COLUMN_SLACK = 4  # how far apart the gaps' ends on two lines of one page's columns may be
LINE_REACH = 400  # a page's line is shorter: no longer one is read whole for each entry
LEFT_COLUMN = 12  # the least a left column's line holds before its gap (a list's mark is not it)
LIST_MARK_RE = re.compile(r"^(?:\[\d{1,4}\]|\d{1,4}[.)]?|[-*•])")


def in_columns(text: str, start: int, end: int) -> bool:
    """Whether the lines of `text[start:end]` (and one line each side) are two columns side by
    side: two lines in a row with a gap (COLUMN_GAP_RE) ending at about the same place."""
    floor, ceiling = max(0, start - LINE_REACH), min(len(text), end + LINE_REACH)
    above = text.rfind("\n", floor, start)
    low = text.rfind("\n", floor, above) + 1 if above > floor else floor
    below = text.find("\n", end, ceiling)
    high = text.find("\n", below + 1, ceiling) if below >= 0 else -1
    previous: set[int] = set()
    for line in text[low : ceiling if high < 0 else high].split("\n"):
        gaps = {gap.end() for gap in COLUMN_GAP_RE.finditer(line) if _mid_line(line, gap.start())}
        if any(abs(a - b) <= COLUMN_SLACK for a in gaps for b in previous):
            return True
        previous = gaps
    return False


def past_left_column(text: str, start: int, end: int) -> int:
    """`start`, or past the last column gap before `end` when the lines are two columns."""
    if COLUMN_GAP_RE.search(text, start, end) and in_columns(text, start, end):
        line = text.rfind("\n", 0, start) + 1
        for gap in COLUMN_GAP_RE.finditer(text, start, end):
            if _mid_line(text[line : gap.start()], gap.start() - line):
                start = gap.end()
    return start


def _mid_line(line: str, at: int) -> bool:
    """Whether a gap at `at` of `line` stands between two columns: a left column's words before
    it, not only a list's mark (`[1]      Name`, `12.     Name`: a list aligned with spaces)."""
    return len(LIST_MARK_RE.sub("", line[:at].strip(), count=1)) >= LEFT_COLUMN
