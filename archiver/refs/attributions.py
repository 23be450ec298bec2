"""Embedded posts as text: a body, then `— Name (@handle) Date`.

Inside a `<blockquote>` the body starts with the quote; elsewhere bodies.py judges where.
The date after the byline is read by dates.py, in any language.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date

from .bodies import MARKDOWN_QUOTE_RE, QUOTE_MARK_RE, Body, body_start, quoted_body
from .cues import near
from .dates import FoundDate, find_date
from .htmlview import BLOCKQUOTE, squeeze_blank_lines
from .urls import CASELESS_HANDLE, HANDLE, URL_HANDLE

INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff"  # marks with no width
NAME_CHAR = r"(?:[^\n()—–\s]|[ \t\u00a0](?!--))"  # `Mary - Team Lead`, not `said -- Name`
# Every form starts with a literal (`-(?<!\S-)` is a hyphen after a space, or first), so the
# regex engine skips ahead to the dashes. Pandoc writes an em dash as `---`, others as `--`.
ATTRIBUTION_RE = re.compile(
    # A line break may follow the dash or the name (hard-wrapped HTML: `</p>&mdash;\nName`).
    r"(?P<dash>—|―|–|&mdash;|&#8212;|&#x2014;|-(?<!\S-)-?-?)[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?"
    # A name may hold a bracketed part of its own ("Rob (he/him)"), never the "(@handle)", nor
    # a dash after a space (`… said -- Name (@h)`: that dash starts the byline).
    rf"(?P<name>{NAME_CHAR}{{0,80}}?(?:\([^\n()@]{{0,40}}\){NAME_CHAR}{{0,40}}?)?)"
    r"[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?"
    rf"\(@(?P<handle>{URL_HANDLE})\)"  # `\_` in it: Markdown's escape
    r"(?:\{[ \t]*(?:' '|\" \")[ \t]*\})?"  # JSX's space as Prettier writes it: `{' '}`
    # the date may wrap, onto a line a Markdown quote goes on (`> 2019](…)`); a right-to-left
    # page may set a direction mark or a zero-width space before it
    rf"[ \t\u00a0{INVISIBLE}]*(?:\n[ \t\u00a0]*(?:>[ \t\u00a0]*)*)?",
    re.IGNORECASE,
)
BYLINE_AHEAD = 40  # past `(@`: the handle, `)` and the spaces after it, plus cues.MARGIN
AUTHOR_CUE = re.compile(rf"\(@(?=(?:{CASELESS_HANDLE}|\\_){{1,15}}\))")  # `\_`: Markdown's
SPACES_RE = re.compile(r"[ \t\u00a0]+")
QUOTE_END_RE = re.compile(rf"[ \t\u00a0\r]*(?:\n[ \t\u00a0\r]*)?(?:\n|\Z|{BLOCKQUOTE})")
# Markdown: a link's target, `(url)`, `(<url>)` or `(url "title")`; a link `[text](…)` (an
# image `![alt](…)`, shown as its alt text) or an autolink `<https://…>`; and the rest of a link
# whose text is an embed's date, `](…)`.
MARKDOWN_TARGET = r"\((?:<[^<>\n]*>|[^()\s]*)(?:[ \t]+\"[^\"\n]*\")?\)"
MARKDOWN_LINK_RE = re.compile(rf"!?\[([^\[\]\n]*)\]{MARKDOWN_TARGET}|<(https?://[^<>\s]+)>")
MARKDOWN_LINK_TAIL_RE = re.compile(rf"[ \t]*\](?:{MARKDOWN_TARGET})?")


@dataclass(slots=True)
class Attribution:
    handle: str
    author_name: str
    date: date | None
    date_text: str
    start: int  # the dash, where the body ends
    end: int  # end of the date
    handle_span: tuple[int, int]
    body_start: int
    in_blockquote: bool
    warnings: list[str] = field(default_factory=list)
    body_end: int | None = None  # where the body ends, when not where the byline starts

    def text_in(self, text: str) -> str:
        """The body as plain text (quote marks and runs of spaces dropped); `text` is the text
        the attribution was found in."""
        return _clean(text[self.body_start : self.body_end or self.start])


def find_attributions(text: str) -> list[Attribution]:
    """Every attribution in `text` (plain text or a TextView's text), with where its body
    starts."""
    found: list[Attribution] = []
    floor = 0  # the body of an embed never reaches back past the previous attribution
    for m in near(ATTRIBUTION_RE, AUTHOR_CUE, text, 100, BYLINE_AHEAD):
        linked = text.startswith("[", m.end())  # Markdown: `[June 29, 2019](…/status/…)`
        line = max(text.rfind("\n", floor, m.start()) + 1, floor)
        on_quoted_line = MARKDOWN_QUOTE_RE.match(text, line, m.start()) is not None
        quote = text.rfind(BLOCKQUOTE, floor, m.start())
        # A quote's date may wrap: Markdown's onto its next `>` line, HTML's where its source
        # was hard-wrapped (`July 7,\n2016`)
        when = find_date(text, m.end() + linked, wrap=on_quoted_line or quote >= 0)
        if when is None and not (quote >= 0 and _ends_quote(text, m.end())):
            continue  # undated: an embed's only where its byline ends an HTML quote
        # (walked only for a byline with a date: `floor` then moves on, so each line once)
        quoted = quoted_body(text, floor, m.start()) if on_quoted_line else None
        end = when.end if when else m.end("handle") + 1
        if linked:
            tail = MARKDOWN_LINK_TAIL_RE.match(text, when.end)
            end = tail.end() if tail else end
        start, handle = m.start(), m.group("handle").replace("\\", "")
        name = html.unescape(m.group("name")).strip()
        # In a blockquote (HTML's, or Markdown's `>` lines) the body is the quote's; elsewhere
        # bodies.py judges where it starts.
        if quote >= 0:
            body = Body(quote + 1)
        elif quoted is not None:
            body = Body(quoted)
        else:
            body = body_start(text, floor, start, name, handle)
        span = (m.start("handle") - 2, m.end("handle") + 1)
        found.append(
            Attribution(
                handle,
                name,
                when.date if when else None,
                when.text if when else "",
                start,
                end,
                span,
                body.start,
                quote >= 0,
                body.warnings,
            )
        )
        floor = end
    if "·" in text or "∙" in text or " - " in text:
        taken = {a.handle_span for a in found}
        found += [a for a in find_pasted(text) if a.handle_span not in taken]
        found.sort(key=lambda a: a.start)
    if ") tweeted at " in text:
        found += find_shared(text)
        found.sort(key=lambda a: a.start)
    return found


# What Twitter's apps wrote when a post was shared by e-mail or message (2012-2019): `Name
# (@handle) tweeted at 9:46 AM on Fri, Jan 08, 2021:`, the text, perhaps the post's URL in
# brackets, then `Get the official Twitter app at …`
SHARED_RE = re.compile(
    rf"^(?P<name>[^\n()]{{1,60}}?)[ \t]*\(@(?P<handle>{HANDLE})\) tweeted at "
    r"(?P<clock>\d{1,2}:\d{2}[ \t]*[AaPp][Mm]) on (?:[A-Z][a-z]{2},[ \t]*)?"
    r"(?P<date>[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2},[ \t]*\d{4}):[ \t]*$",
    re.MULTILINE,
)
SHARED_END_RE = re.compile(r"\n[ \t]*(?:\n|\(?https?://|Get the official Twitter app)")


def find_shared(text: str) -> list[Attribution]:
    """Posts shared from Twitter's apps as text: the byline first, then the post's text, to a
    blank line, its URL or the app's line (with none of them, its first line: text without
    blank lines, a PDF's, goes on with the page's); the URL after it is the post's when it is
    its author's."""
    found = []
    bylines = list(SHARED_RE.finditer(text))
    for m, after in zip(bylines, [*bylines[1:], None], strict=True):
        when = find_date(m["date"], 0)
        if when is None:
            continue
        limit = min(after.start() if after else len(text), m.end() + MAX_SHARED_CHARS)
        ended = SHARED_END_RE.search(text, m.end() + 1, limit)
        first_line = text.find("\n", m.end() + 1, limit)
        body_end = ended.start() if ended else first_line if first_line >= 0 else limit
        url = URL_LINE_RE.match(text, body_end, limit)
        own = url is not None and url["handle"].lower() == m["handle"].lower()
        found.append(
            Attribution(
                m["handle"],
                m["name"].strip(),
                when.date,
                m["date"],
                m.start(),
                url.end() if own else body_end,  # type: ignore[union-attr]
                (m.start("handle") - 1, m.end("handle")),
                m.end() + 1,
                False,
                body_end=body_end,
            )
        )
    return found


MAX_SHARED_CHARS = 2000  # a shared post's text and its URL, links written out in full
URL_LINE_RE = re.compile(
    rf"\n[ \t]*\(?https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(?P<handle>{HANDLE})/status/\d+\S*"
)


def _ends_quote(text: str, at: int) -> bool:
    """Whether the byline ending at `at` ends its block: a blank line, the next quote or the
    text's end follows (`— Name (@h)</blockquote>`: an embed whose date link is gone)."""
    return QUOTE_END_RE.match(text, at) is not None


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
# X's page around a pasted post's text, a line each: `·` and `Follow` after the handle,
# `Replying to @…` above the text, `Translate post` or `Show more` below it.
REPLYING = r"(?:Replying to|En respuesta a|En réponse à|Antwort an|Em resposta a|In risposta a)"
PAGE_LINE_RE = re.compile(
    r"[ \t]*(?:·|Follow(?:ing)?|Subscribe|Seguir|Suivre|Folgen|Segui|Volgen|フォローする"
    r"|Translate post|Show translation|Show more|Traducir post|Traduire le post|Post übersetzen"
    # `Replying to @a and @b`, or as a browser copies it, each handle on a line of its own
    rf"|{REPLYING}(?:[ \t]+@[^\n]*|[ \t]*+(?:\n[ \t]*+(?:@{HANDLE}|and|y|et|und|e|,|others"
    r"|\d+ others)[ \t]*+)+))"
    r"[ \t]*(?:\n|\Z)"
)
MENTION_LINE_RE = re.compile(rf"@{HANDLE}")
CONTINUES = (" ", "\t", ".", ",", ";", ":", "!", "?", ")", "'", "’")


def find_pasted(text: str) -> list[Attribution]:
    """Posts copied from X's page as text: name, `@handle`, the text, `time · date`."""
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


def _line_above(text: str, at: int) -> str:
    """The text of the line above the one starting at `at`, past a blank one or two (a page's
    blocks, read as lines: its author's name, then its `@handle`)."""
    for _ in range(3):
        if at <= 0:
            return ""
        above = text.rfind("\n", 0, at - 1) + 1
        line = text[above : at - 1].strip()
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


def _page_lines(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of a pasted post's text between `start` and `end`, without the lines of X's
    page above and below it (PAGE_LINE_RE)."""
    while start < end and (line := PAGE_LINE_RE.match(text, start, end)) and line.end() > start:
        start = line.end()
    while end > start:
        above = text.rfind("\n", start, end - 1) + 1
        if PAGE_LINE_RE.fullmatch(text, above, end) is None:
            break
        end = above
    return start, end


def _clean(body: str) -> str:
    lines = _mentions_rejoined(body.split("\n")) if "\n@" in body or body[:1] == "@" else None
    lines = lines or body.split("\n")
    # Each step only where it can change something: most bodies have no quote marks, no runs
    # of spaces and no entities.
    if ">" in body:
        lines = [QUOTE_MARK_RE.sub("", line) for line in lines]
    if "  " in body or "\t" in body or "\u00a0" in body:
        lines = [SPACES_RE.sub(" ", line) for line in lines]
    if "&" in body:
        lines = [html.unescape(line) for line in lines]
    if "](" in body or "<http" in body:  # Markdown: a link shows its text, an autolink its URL
        lines = [MARKDOWN_LINK_RE.sub(_link_shown, line) for line in lines]
    return squeeze_blank_lines("\n".join([line.strip() for line in lines])).strip()


def _mentions_rejoined(lines: list[str]) -> list[str]:
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


def _link_shown(m: re.Match[str]) -> str:
    return m.group(1) if m.group(1) is not None else m.group(2)
