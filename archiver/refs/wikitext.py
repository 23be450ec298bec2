"""Wikipedia's `{{cite tweet}}` template (and `{{cite web}}` of a post's URL) and wiki farms'
own post templates, read from wikitext.

`{{Cite tweet |user=… |number=… |title=… |date=…}}` in any spacing, over several lines, with
parameters in any order, `&nbsp;` and other entities, comments, nested templates
(`|ref={{harvid|Porck|2017}}`) and links (`[[Elon Musk|Musk]]`) in values. The reader counts
`{{ }}` and `[[ ]]` to split the parameters at the top level only; it never raises and gives up
on a template that does not close within MAX_TEMPLATE characters.
"""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from .htmlview import COMMENT_RE

# `{{cite tweet}}` (and its other name, `{{cite X}}`); `{{cite web}}`, `{{cite news}}`,
# `{{cite magazine}}` and CS2's `{{Citation}}`, which cite a post when their `url` is one; and
# wiki farms' own: Minecraft Wiki's `{{Tweet|jeb|<id>}}`, WiKirby's
# `{{twitterlink|HAL_Laboratory|<id>}}` (the account, then the id, unnamed), Oddworld Library's
# `{{ref:Twitter |username=… |messageID=…}}`.
CUE_RE = re.compile(
    r"\{\{\s*(?:[Cc]ite[ _]+(?P<kind>[Tt]weet|[Tt]witter|[Xx]|[Ww]eb|[Nn]ews|[Mm]agazine)"
    r"|[Tt]weet|[Tt]witter[ _]?link|[Rr]ef:[Tt]witter|[Cc]hú[ _]thích[ _]tweet"  # (viwiki's)
    # other Wikipedias' {{cite web}}: de, fr, pl (and its {{Cytuj}} for any source), es and pt,
    # it, tr, vi, ar, fa, ko
    r"|(?P<web>[Cc]itation|[Ii]nternetquelle|[Ll]ien[ _]web|[Cc]ytuj(?:[ _]stronę)?|[Cc]itar[ _]web"
    r"|[Cc]ita[ _]web|[Ww]eb[ _]kaynağı|[Cc]hú[ _]thích[ _]web|استشهاد[ _]ويب|یادکرد[ _]وب"
    r"|웹[ _]인용))\s*(?=[|}])"
)
# Their parameters' names, as {{cite web}}'s
WEB_PARAMS = {  # (ruwiki and ukwiki write {{cite web}}'s own with theirs: `заглавие`, `ссылка`)
    **dict.fromkeys(
        "titel titre tytuł título titulo titolo başlık заглавие название назва عنوان 제목".split(),
        "title",
    ),
    **dict.fromkeys("autor auteur autore yazar автор مؤلف نویسنده 저자".split(), "author"),
    "tiêu đề": "title",  # (viwiki's names of two words)
    "tựa đề": "title",
    "tác giả": "author",
    **dict.fromkeys("datum data fecha tarih дата تاريخ تاریخ 날짜 ngày".split(), "date"),
    **dict.fromkeys("ссылка посилання مسار نشانی".split(), "url"),
    **dict.fromkeys(
        "nom nachname nazwisko apellido apellidos último cognome soyadı".split(), "last"
    ),
    **dict.fromkeys("prénom vorname imię nombre primeiro nome ad".split(), "first"),
}
LINK_RE = re.compile(r"\[\[(?:[^\[\]|]*\|)?([^\[\]]*)\]\]")
EXTERNAL_RE = re.compile(r"\[(?:https?:)?//\S+\s+([^\]]*)\]")
QUOTES_RE = re.compile(r"'{2,5}")
TAG_RE = re.compile(r"</?(?:nowiki|small|span|br|sup|sub|code)\b[^>]*>", re.IGNORECASE)
MAX_TEMPLATE = 8192
# Templates a cite tweet's title or date is written with, and the part of them shown.
LANG_TEMPLATE_RE = re.compile(r"\{\{\s*lang\s*\|[^|{}]*\|([^|{}]*)(?:\|[^{}]*)?\}\}", re.IGNORECASE)
PLAIN_TEMPLATE_RE = re.compile(
    r"\{\{\s*(?:date|nowrap|nobr)\s*\|([^|{}]*)(?:\|[^{}]*)?\}\}",
    re.IGNORECASE,
)
SCRIPT_PREFIX_RE = re.compile(r"^\s*[a-z]{2,3}(?:-[A-Za-z]{2,8})?:")  # script-title=ja:…


@dataclass
class Template:
    """One citation template: its span in the text and its named parameters as plain text."""

    start: int
    end: int
    params: dict[str, str] = field(default_factory=dict)
    web: bool = False  # `{{cite web}}` or `{{cite news}}`: a post only by its `url`

    def get(self, *names: str) -> str | None:
        for name in names:
            value = self.params.get(name)
            if value:
                return value
        return None


def find_templates(text: str) -> Iterator[Template]:
    """Every cite-tweet template in `text`, in order (the scanner gives the text with its
    comments blanked: `<!-- <ref>{{cite tweet…}}</ref> -->` is an editor's dead or doubtful
    source, which the article does not cite)."""
    if "{" not in text:  # one character is found much faster than the search runs
        return
    pos, pairs = 0, None
    while (m := CUE_RE.search(text, pos)) is not None:
        pairs = _pairs(text) if pairs is None else pairs  # the text's braces, matched once
        end = pairs.get(m.start(), -1) if m.start() in pairs else _closing(text, m.start())
        if end is not None and (end < 0 or end - m.start() > MAX_TEMPLATE):
            end = None  # never closed, or too long to be a citation
        if end is None:
            pos = m.end()
            continue
        kind = (m.group("kind") or "").lower()
        web = kind in ("web", "news", "magazine") or m.group("web") is not None
        params = _params(text[m.end() : end - 2])
        if web:
            named: dict[str, str] = {}
            for name, value in params.items():  # an empty one never hides a filled one
                key = WEB_PARAMS.get(name.rstrip("1"), name)
                named[key] = value or named.get(key, "")
            params = named
        yield Template(m.start(), end, params, web)
        pos = end


BRACES_RE = re.compile(r"\{\{|\}\}")


def _pairs(text: str) -> dict[int, int]:
    """Where each template cue's `{{` starts → just past its `}}` (-1: it never closes), from
    one pass over the text's braces: looking for each template's end on its own took time
    growing with their number times MAX_TEMPLATE when they do not close. The braces still open
    are kept to the last MAX_TEMPLATE / 2: one below them cannot close within MAX_TEMPLATE
    characters, so memory stays small whatever the text holds."""
    cues = {m.start() for m in CUE_RE.finditer(text)}
    pairs: dict[int, int] = {}
    opened: deque[int] = deque(maxlen=MAX_TEMPLATE // 2)
    for m in BRACES_RE.finditer(text):
        if m.group() == "{{":
            opened.append(m.start())
            if m.start() in cues:
                pairs[m.start()] = -1
        elif opened and (start := opened.pop()) in cues:
            pairs[start] = m.end()
    return pairs


def _closing(text: str, start: int) -> int | None:
    """The end of the template opened at `start` (just past its `}}`), or None: for a start
    that the text's run of braces tokenizes otherwise (`{{{cite`)."""
    depth, i, limit = 0, start, min(len(text), start + MAX_TEMPLATE)
    while i < limit - 1:
        pair = text[i : i + 2]
        if pair == "{{":
            depth += 1
            i += 2
        elif pair == "}}":
            depth -= 1
            i += 2
            if depth == 0:
                return i
        else:
            i += 1
    return None


def _params(body: str) -> dict[str, str]:
    """Named parameters split at top-level pipes; names lower-cased, values as plain text."""
    body = COMMENT_RE.sub("", body)
    parts, depth_t, depth_l, current = [], 0, 0, []
    i = 0
    while i < len(body):
        pair = body[i : i + 2]
        if pair in ("{{", "}}", "[[", "]]"):
            step = 1 if pair in ("{{", "[[") else -1
            if pair[0] in "{}":
                depth_t = max(0, depth_t + step)
            else:
                depth_l = max(0, depth_l + step)
            current.append(pair)
            i += 2
            continue
        if body[i] == "|" and not depth_t and not depth_l:
            parts.append("".join(current))
            current = []
        else:
            current.append(body[i])
        i += 1
    parts.append("".join(current))
    params: dict[str, str] = {}
    for number, part in enumerate(parts[1:], 1):  # (the first: what precedes the first bar)
        name, eq, value = part.partition("=")
        if eq and name.strip():
            params[name.strip().lower().replace("_", "-")] = plain(value)
        elif part.strip():
            params[str(number)] = plain(part)  # an unnamed parameter, by its place
    return params


def plain(value: str) -> str:
    """A parameter's value as a reader sees it: links as their text, no bold or italics,
    entities decoded (`&nbsp;` as a space), whitespace collapsed."""
    value = LINK_RE.sub(lambda m: m.group(1), value)
    value = EXTERNAL_RE.sub(lambda m: m.group(1), value)
    value = TAG_RE.sub("", QUOTES_RE.sub("", value))
    value = html.unescape(value).replace("\u00a0", " ")
    return " ".join(value.split())


def shown(value: str) -> str:
    """A template parameter as the page shows it: `{{lang|fa|…}}` and `{{date|…}}` as their
    text, `{{!}}` as a bar."""
    if "{{" not in value:
        return value.strip()
    value = value.replace("{{!}}", "\x00")  # a bar inside {{lang|…}} is the text's own
    value = LANG_TEMPLATE_RE.sub(lambda m: m.group(1), value)
    value = PLAIN_TEMPLATE_RE.sub(lambda m: m.group(1), value)
    return value.replace("\x00", "|").strip()
