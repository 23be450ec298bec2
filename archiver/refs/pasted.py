"""Posts copied as text from the page that showed them: X's page (its author's name, `@handle`
alone on a line, the text, then `3:58 PM · Dec 6, 2024`), Twitter's page of 2012-2019 (`Name
‏@handle`, `11:16 PM - 6 Nov 2012`), a newsletter's card of a post (`Name @handle`, `11:42 AM ∙
Oct 15, 2023`); with the lines of the page around the text left out and the mentions a browser
copies on lines of their own set back in it."""

from __future__ import annotations

import re

from .attributions import Attribution
from .cues import near
from .dates import FoundDate, find_date
from .urls import HANDLE

# A post copied from X's page: its author's name, `@handle` alone on a line, the text, then
# `3:58 PM · Dec 6, 2024` (perhaps `· 1.2M Views`). The `·` line is looked for first. As
# copied from Twitter's page of 2012-2019, `Name ‏@handle` on one line and `11:16 PM - 6 Nov
# 2012`; from a Substack post's card of a post, `Name @handle` and `11:42 AM ∙ Oct 15, 2023`.
PASTED_TIME_RE = re.compile(
    r"^[ \t]*(?P<clock>[^\n·∙]{0,12}\d{1,2}[:.]\d{2}[^\n·∙]{0,12}?)"
    r"(?:[ \t]*[·∙][ \t]*|[ \t]+-[ \t]+)(?P<date>[^\n·∙]{4,40}?)[ \t]*(?:[·∙][^\n]*)?$",
    re.MULTILINE,
)
OLD_TIME_CUE = re.compile(r" - (?<=\d - |[Mm] - |\. - )")  # `11:16 PM - `, `23:16 - `
HANDLE_LINE_RE = re.compile(
    rf"^[ \t]*(?:(?P<name>[^\n@,:;!?]{{1,50}}?)(?P<gap>[ \t\u200e\u200f]+))?@(?P<handle>{HANDLE})"
    r"[ \t]*$",
    re.MULTILINE,
)
PASTED_LINES = 24  # how many lines above its time a pasted post's `@handle` may stand
# X's page around a pasted post's text, a line each: `·` and `Follow` after the handle (or
# `·Follow`, as react-tweet's card draws them), `Replying to @…` above the text, `Translate
# post` or `Show more` below it.
REPLYING = r"(?:Replying to|En respuesta a|En réponse à|Antwort an|Em resposta a|In risposta a)"
PAGE_LINE_RE = re.compile(
    r"[ \t]*(?:·|(?:·[ \t]*)?"
    r"(?:Follow(?:ing)?|Subscribe|Seguir|Suivre|Folgen|Segui|Volgen|フォローする)"
    r"|Translate post|Show translation|Show more|Traducir post|Traduire le post|Post übersetzen"
    r"|Show (?:more )?replies|Show this thread"
    # `Replying to @a and @b`, or as a browser copies it, each handle on a line of its own
    rf"|{REPLYING}(?:[ \t]+@[^\n]*|[ \t]*+(?:\n[ \t]*+(?:@{HANDLE}|and|y|et|und|e|,|others"
    r"|\d+ others)[ \t]*+)+))"
    r"[ \t]*(?:\n|\Z)"
)
MENTION_LINE_RE = re.compile(rf"@{HANDLE}")
CONTINUES = (" ", "\t", ".", ",", ";", ":", "!", "?", ")", "'", "’")


def find_pasted(text: str) -> list[Attribution]:
    """Posts copied from X's page as text: name, `@handle`, the text, `time · date`; and the
    posts of a timeline or a thread below it (see _timeline)."""
    found = _page_posts(text)
    if "·" in text:
        taken = {a.handle_span for a in found}
        found += [a for a in _timeline(text, found) if a.handle_span not in taken]
    return found


def _page_posts(text: str) -> list[Attribution]:
    found, floor = [], 0  # a post's author is below the time of the post before it
    for m in _time_lines(text):
        when = find_date(m.group("date"), 0)
        if when is None or when.text != m.group("date").strip():
            continue
        top = m.start()
        for _ in range(PASTED_LINES):
            if top <= floor:
                break
            top = text.rfind("\n", 0, top - 1) + 1
        top, floor = max(top, floor), m.end()
        handles = [
            h
            for h in HANDLE_LINE_RE.finditer(text, top, m.start())
            if (not h["name"] or _name_and_handle(h, m)) and not _in_text(text, h)
        ]
        quote = QUOTE_LINE_RE.search(text, handles[0].end(), m.start()) if handles else None
        if quote is not None:  # a post that quotes another: the quoting post's handle is above
            found += _quoted_copy(text, handles, quote, when)
            handles = [h for h in handles if h.end() < quote.start()]
            body_end = quote.start()
        else:
            body_end = m.start()
        handle = handles[-1] if handles else None  # the nearest above the time
        if handle is None or not text[handle.end() + 1 : body_end].strip():
            continue
        name = handle["name"].strip() if handle["name"] else _line_above(text, handle.start())
        span = (handle.start("handle") - 1, handle.end("handle"))
        body, end = _page_lines(text, handle.end() + 1, body_end)
        found.append(
            Attribution(
                handle.group("handle"),
                name if 0 < len(name) <= 50 and "@" not in name else "",
                when.date,
                m.group(0).strip(),
                m.start(),
                m.end(),
                span,
                body,
                False,
                body_end=end,
            )
        )
    return found


BADGE = "Verified account"  # the hidden label of a badge, read with the name on Twitter's page
MARKS = " \t\u200e\u200f"  # direction marks the page sets around the name


def _line_above(text: str, at: int) -> str:
    """The text of the line above the one starting at `at`, past a blank one or two (a page's
    blocks, read as lines: its author's name, then its `@handle`), without a badge's label."""
    for _ in range(3):
        if at <= 0:
            return ""
        above = text.rfind("\n", 0, at - 1) + 1
        line = text[above : at - 1].strip(MARKS).removesuffix(BADGE).strip(MARKS)
        if line:
            return line
        at = above
    return ""


def _in_text(text: str, line: re.Match[str]) -> bool:
    """Whether an `@handle` line is a mention in a pasted post's text, not its author's line
    under its name: a browser copies each mention on a line of its own, the text around it on
    the lines before and after it (`made with `, `@MIT`, `.`); first in the text, it follows
    the author's `@handle` (`@NASA`, `@NASAPersevere`, ` is safely…`)."""
    above_start = text.rfind("\n", 0, max(line.start() - 1, 0)) + 1
    above = text[above_start : max(line.start() - 1, above_start)]
    if above.endswith((" ", "\t")) and not above.endswith(("  ", "\t\t", " \t", "\t ")):
        higher = text[text.rfind("\n", 0, max(above_start - 1, 0)) + 1 : max(above_start - 1, 0)]
        return bool(higher.strip())  # (under a blank line, a name's trailing space)
    indent = len(line.group(0)) - len(line.group(0).lstrip(" \t"))
    below = text[line.end() + 1 + indent : line.end() + 2 + indent]
    return MENTION_LINE_RE.fullmatch(above.strip()) is not None and below.startswith(CONTINUES)


def _name_and_handle(line: re.Match[str], time: re.Match[str]) -> bool:
    """Whether a line `Name @handle` is a pasted post's author: as Twitter's page of 2012-2019
    wrote it (a direction mark before the `@`) or a newsletter's card (its time `∙`), never
    `Replying to @…` (a line of X's page) nor a chat's `see you @jack`."""
    marked = "\u200f" in line["gap"] or "∙" in time.group(0)
    return marked and PAGE_LINE_RE.match(line.group(0)) is None


def _time_lines(text: str) -> list[re.Match[str]]:
    """The lines that read as a pasted post's time, in order."""
    if "·" in text or "∙" in text:
        return list(PASTED_TIME_RE.finditer(text))
    return list(near(PASTED_TIME_RE, OLD_TIME_CUE, text, 40, 60)) if " - " in text else []


# The line X's page sets above a quoted post, in its languages
QUOTE_LINE_RE = re.compile(
    r"^[ \t]*(?:Quote|Cita|Citer|Zitat|Citazione|Citação|引用|Цитата)[ \t]*$", re.M
)
# The quoted post's date as its card shows it: `Mar 4` (this year), `Mar 4, 2023`, after `·`
CARD_DATE_RE = re.compile(r"^[ \t]*(?:·[ \t]*\n[ \t]*)?(?P<date>[^\n·]{3,20}?)[ \t]*\n", re.M)


def _quoted_copy(
    text: str, handles: list[re.Match[str]], quote: re.Match[str], quoting: FoundDate
) -> list[Attribution]:
    """The post a pasted post quotes: its name and `@handle` below the `Quote` line, then `·`
    and its date (the year the quoting post's when not written), then its text."""
    handle = next((h for h in handles if h.start() > quote.end()), None)
    card = CARD_DATE_RE.match(text, handle.end() + 1) if handle else None
    if handle is None or card is None:
        return []
    when = find_date(card["date"], 0)
    if when is None or when.text != card["date"].strip():
        year = quoting.date.year
        when = find_date(f"{card['date']} {year}", 0)
        if when is not None and when.date > quoting.date:  # `Dec 30` quoted on Jan 2
            when = find_date(f"{card['date']} {year - 1}", 0)
    if when is None:
        return []
    above = text.rfind("\n", 0, max(handle.start() - 1, 0)) + 1
    name = text[above : handle.start()].strip()
    end = text.find("\n", card.end())
    end = len(text) if end < 0 else end
    span = (handle.start("handle") - 1, handle.end("handle"))
    start, body_end = _page_lines(text, card.end(), text.rfind("\n", card.end(), end) + 1 or end)
    return [
        Attribution(
            handle.group("handle"),
            name if 0 < len(name) <= 50 and "@" not in name else "",
            when.date,
            card["date"].strip(),
            above,
            card.end(),
            span,
            start,
            False,
            body_end=body_end,
        )
    ]


# A post of a timeline (or of a thread under its first) copied from X's page: its author's name,
# `@handle`, `·` and its date (`Dec 6, 2023`; `Dec 6` this year), each on a line, then its text
# down to the next post's name.
TIMELINE_RE = re.compile(
    rf"^[ \t]*@(?P<handle>{HANDLE})[ \t]*\n[ \t]*·[ \t]*\n[ \t]*(?P<date>[^\n·@]{{3,20}}?)[ \t]*$",
    re.MULTILINE,
)


def _timeline(text: str, page: list[Attribution]) -> list[Attribution]:
    """The posts of a timeline copied as text (TIMELINE_RE), each dated in full or, its year
    left out, in the year it was copied in, as X writes it: after every year a post of the copy
    is dated with in full (those are past years), and that of the thread's first post above it
    (whose time X gives in full), or the next when that would put the reply first."""
    cards = list(TIMELINE_RE.finditer(text))
    full = [when for c in cards if (when := find_date(c["date"], 0)) and _whole(when, c)]
    since = max((when.date.year + 1 for when in full), default=None)  # (this year's are later)
    anchors = sorted((a.end, a.date) for a in page if a.date)
    anchor, next_anchor = None, 0  # the first post's date above, and the next one's place
    found: list[Attribution] = []
    for i, card in enumerate(cards):
        while next_anchor < len(anchors) and anchors[next_anchor][0] < card.start():
            anchor, next_anchor = anchors[next_anchor][1], next_anchor + 1
        when = find_date(card["date"], 0)
        if when is None or not _whole(when, card):
            year = anchor.year if anchor else since
            when = find_date(f"{card['date']} {year}", 0) if year else None
            if when is not None and anchor is not None and when.date < anchor:
                when = find_date(f"{card['date']} {anchor.year + 1}", 0)  # `Jan 3` after Dec
            if when is not None and since is not None and when.date.year < since:
                when = find_date(f"{card['date']} {since}", 0)
            if when is None:
                continue
        above = text.rfind("\n", 0, max(card.start() - 1, 0)) + 1
        name = text[above : card.start()].strip()
        end = len(text)
        if i + 1 < len(cards):  # the next post's name line ends this one's text
            end = text.rfind("\n", 0, max(cards[i + 1].start() - 1, 0)) + 1
        blank = text.find("\n\n", card.end(), end)
        start, body_end = _page_lines(text, card.end() + 1, blank if blank >= 0 else end)
        if body_end <= start:
            continue
        span = (card.start("handle") - 1, card.end("handle"))
        found.append(
            Attribution(
                card["handle"],
                name if 0 < len(name) <= 50 and "@" not in name else "",
                when.date,
                card["date"].strip(),
                card.start("date"),
                card.end(),
                span,
                start,
                False,
                body_end=body_end,
            )
        )
    return found


def _whole(when: FoundDate, card: re.Match[str]) -> bool:
    return when.text == card["date"].strip()  # (its year written: not only its month and day)


def _page_lines(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of a pasted post's text between `start` and `end`, without the lines of X's
    page above and below it (PAGE_LINE_RE), and the counts X shows under it."""
    while start < end and (line := PAGE_LINE_RE.match(text, start, end)) and line.end() > start:
        start = line.end()
    while end > start:
        above = text.rfind("\n", start, end - 1) + 1
        if PAGE_LINE_RE.fullmatch(text, above, end) is None:
            break
        end = above
    counts = COUNTS_RE.search(text, start, end)
    return start, counts.start() if counts else end


# The counts under a post (replies, reposts, likes, views), each on its line, at its text's end:
# two or more (`1.2K`, `3,412`, `40K`), or one X's way (`1.2K`, `412.5K Views`). A post's own
# last line may be a number (`Days left:` / `30`): alone and plain, it is the post's.
COUNT = r"\n[ \t]*\d[\d,.]*[KMB]?(?:[ \t]+(?:Views|Likes|Reposts|Replies|Quotes|Bookmarks))?[ \t]*"
COUNTS_RE = re.compile(
    rf"(?:(?:{COUNT}){{2,}}|\n[ \t]*\d[\d,.]*(?:[KMB]|[ \t]+(?:Views|Likes|Reposts))[ \t]*)\s*\Z"
)


def mentions_rejoined(lines: list[str]) -> list[str]:
    """A pasted post's lines with each mention a browser copied on a line of its own set back
    in its sentence (`made with `, `@MIT`, ` from` → `made with @MIT from`)."""
    out: list[str] = []
    joined = False  # the last line was joined to the one before: the next one may be too
    for line in lines:
        if joined and line.startswith(CONTINUES):
            out[-1] += line
            joined = False
        elif MENTION_LINE_RE.fullmatch(line) and (not out or out[-1].endswith((" ", "\t"))):
            out[-1:] = [(out[-1] if out else "") + line]
            joined = True
        else:
            out.append(line)
            joined = False
    return out
