"""Embedded posts as text: a body, then `— Name (@handle) Date`.

Inside a `<blockquote>` the body starts with the quote; elsewhere bodies.py judges where.
The date after the byline is read by dates.py, in any language.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

from .bodies import MARKDOWN_QUOTE_RE, QUOTE_MARK_RE, Body, body_start, quoted_body
from .cues import near
from .dates import find_date
from .htmlview import BLOCKQUOTE, squeeze_blank_lines
from .urls import CASELESS_HANDLE, HANDLE, TAIL_RE, URL_HANDLE

INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff"  # marks with no width
NAME_CHAR = r"(?:[^\n()—–\s]|[ \t\u00a0](?!--))"  # `Mary - Team Lead`, not `said -- Name`
# Every form starts with a literal (`-(?<!\S-)` is a hyphen after a space, or first), so the
# regex engine skips ahead to the dashes. Pandoc writes an em dash as `---`, others as `--`.
ATTRIBUTION_RE = re.compile(
    # A line break may follow the dash or the name (hard-wrapped HTML: `</p>&mdash;\nName`).
    # (`â€”`: an em dash whose UTF-8 was read as Windows-1252, as database dumps keep it)
    r"(?P<dash>—|―|–|&mdash;|&#8212;|&#x2014;|â€[”“]|-(?<!\S-)-?-?)"
    r"[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?"
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
# A post's URL right after its byline's date, as plain text writes a link (`text (URL)`,
# `<URL>`, `[URL]`, on the next line, `Read more: URL`): the byline's own when its handle's
OWN_URL_AFTER_RE = re.compile(
    r"[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?(?:[\w ]{1,20}:[ \t\u00a0]*)?[(<\[]?"
    rf"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(?P<handle>{HANDLE})/status/[1-9]\d{{1,18}}"
    rf"(?!\d){TAIL_RE.pattern}[)>\]]?"
)


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
        own = OWN_URL_AFTER_RE.match(text, end) if when else None
        if own is not None and own["handle"].lower() == handle.lower():
            end = own.end()  # its post's URL written after it: `… 2023 <https://…>`
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
        from .pasted import find_pasted  # (it builds on Attribution: loaded when first met)

        found += [a for a in find_pasted(text) if a.handle_span not in taken]
        found.sort(key=lambda a: a.start)
    if " post by @" in text or " post 2 by @" in text:
        taken = sorted(a.end for a in found)
        found += [a for a in find_marked(text) if not _after_byline(taken, a.start)]
        found.sort(key=lambda a: a.start)
    if ") tweeted at " in text:
        found += find_shared(text)
        found.sort(key=lambda a: a.start)
    return found


# The BBC's pages mark each embedded post for screen readers: `Skip Twitter post by @h` before
# it, `End of Twitter post by @h` after (`… post 2 by …` for a second; `X post` since 2023).
# Its text scraped without the embed's byline (its link gone) keeps the body between them.
END_MARK_RE = re.compile(rf"End of (?:Twitter|X) post(?: \d{{1,3}})? by @(?P<handle>{HANDLE})\b")
SKIP_MARK = "Skip {} post{} by @{}"
MARK_REACH = 2000  # how far before its end mark a post's start mark may be
# What the page shows before a reader allows the embed: `Allow Twitter content? This article
# contains content provided by Twitter. … Accept and continue`, `The BBC is not responsible …`
CONSENT_RE = re.compile(
    r"Allow (?:Twitter|X) content\?.{0,800}?Accept and continue"
    r"(?:\s*The BBC is not responsible for the content of external sites\.)?",
    re.DOTALL,
)


def find_marked(text: str) -> list[Attribution]:
    """Posts the BBC's marks hold, with no byline: their author and text, no date."""
    found, floor = [], 0
    for m in END_MARK_RE.finditer(text):
        handle, label = m["handle"], m.group(0)[7:].split(" by @")[0]  # `Twitter post 2`
        platform, _, number = label.partition(" post")
        skip = SKIP_MARK.format(platform, number, handle)
        opened = text.rfind(skip, max(floor, m.start() - MARK_REACH), m.start())
        if opened >= 0:
            start = opened + len(skip)
        else:
            start = body_start(text, floor, m.start(), "", handle).start
        for consent in CONSENT_RE.finditer(text, start, m.start()):  # the page's, not the post's
            start = consent.end()
        floor, between = m.end(), text[start : m.start()]
        if not between.strip():
            continue  # the page's script never filled it: no text of the post
        span = (m.start("handle") - 1, m.end("handle"))
        body = start + len(between) - len(between.lstrip())
        found.append(Attribution(handle, "", None, "", m.start(), m.end(), span, body, False))
    return found


def _after_byline(ends: list[int], at: int) -> bool:
    """Whether an end mark at `at` follows a byline already read (`— Name (@h) Date Report`);
    `ends`, the bylines' ends, sorted."""
    i = bisect_right(ends, at) - 1
    return i >= 0 and at - ends[i] <= 40


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
    for m, after in zip(bylines, [*bylines[1:], None][: len(bylines)], strict=True):
        when = find_date(m["date"], 0)
        if when is None:
            continue
        limit = min(after.start() if after else len(text), m.end() + MAX_SHARED_CHARS)
        ended = SHARED_END_RE.search(text, m.end() + 1, limit)
        first_line = text.find("\n", m.end() + 1, limit)
        body_end = ended.start() if ended else first_line if first_line >= 0 else limit
        url = OWN_URL_AFTER_RE.match(text, body_end, limit)
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


def _ends_quote(text: str, at: int) -> bool:
    """Whether the byline ending at `at` ends its block: a blank line, the next quote or the
    text's end follows (`— Name (@h)</blockquote>`: an embed whose date link is gone)."""
    return QUOTE_END_RE.match(text, at) is not None


# Markdown's escapes a converter writes in a post's text (`\#Syria`, `Miss\_Snuffy`, `\[`): not
# a shrug's `¯\_(ツ)_/¯`, as written in plain text; in a Markdown quote, Pandoc's too (`\$3`,
# `\*Not\*`, and a backslash ending a line, its hard line break), never a plain post's `:\`
BODY_ESCAPE_RE = re.compile(r"\\(#(?=\w)|(?<=\w)_(?=\w)|[\[\]])")
QUOTED_ESCAPE_RE = re.compile(r"\\(#(?=\w)|(?<=\w)_(?=\w)|[\[\]$*])|\\$")


def _clean(body: str) -> str:
    lines = body.split("\n")
    if "\n@" in body or body[:1] == "@":  # a mention a browser copied on a line of its own
        from .pasted import mentions_rejoined

        lines = mentions_rejoined(lines)
    # Each step only where it can change something: most bodies have no quote marks, no runs
    # of spaces and no entities.
    quoted = ">" in body and all(QUOTE_MARK_RE.match(line) for line in lines if line.strip())
    if ">" in body:
        lines = [QUOTE_MARK_RE.sub("", line) for line in lines]
    if "  " in body or "\t" in body or "\u00a0" in body:
        lines = [SPACES_RE.sub(" ", line) for line in lines]
    if "&" in body:
        lines = [html.unescape(line) for line in lines]
    if "](" in body or "<http" in body:  # Markdown: a link shows its text, an autolink its URL
        lines = [MARKDOWN_LINK_RE.sub(_link_shown, line) for line in lines]
    if "\\" in body:  # Markdown's escapes, as converters write them: `\#Syria`, `\_`
        escapes = QUOTED_ESCAPE_RE if quoted else BODY_ESCAPE_RE
        lines = [escapes.sub(_unescaped, line) for line in lines]
    return squeeze_blank_lines("\n".join([line.strip() for line in lines])).strip()


def _unescaped(m: re.Match[str]) -> str:
    return m.group(1) or ""


def _link_shown(m: re.Match[str]) -> str:
    return m.group(1) if m.group(1) is not None else m.group(2)
