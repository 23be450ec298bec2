"""Where an embedded post's body starts in scraped text.

A body is what sits between the previous block boundary and the byline (`— Name (@handle)
Date`). Scrapers write blocks either on lines of their own or glued together
(`…the retreat.As the zoo wrote:Owl bet…`), so the boundary is looked for in both forms,
walking back from the byline line by line, and stops:

- at the previous byline, or at a blank line once some body is taken;
- at a sentence that introduces the post (`The zoo wrote on Twitter:`, `The minister said:`: it
  ends with a colon and names the author, the handle, a post word or a word of saying), which
  is never part of it, and at a news site's frame (`Skip twitter post by Name`);
- where the script changes (an English paragraph above a Japanese post);
- when the byline shares its line with the body (`…pic.twitter.com/x— Name`: the scraper
  wrote the embed's code, `</p>&mdash;`, with no break for its blocks), at a line above that
  ends its sentence: that one is the article's;
- after a line that ends with a media link (`pic.twitter.com/…` ends a post: another one);
- at a paragraph of the article: a full line longer than any line of a post usually is and
  ending its sentence, or when the body would outgrow the 280 weighted characters of a post.

Then, in the first line kept, a glue point (a sentence's end run into the next block's first
letter, or an introducing colon) moves the start past the text before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

MAX_WEIGHT = 280
TRUSTED_SCRIPT = 20  # letters a body needs before its script is held against a line above
PARAGRAPH_WEIGHT = 180  # a line this heavy that ends its sentence is the article's
MAX_BODY_CHARS = 1200  # no post's text runs longer than this, links written out in full
FIRST_SLASH = 15  # a link's first slash is at most this far into it (`pic.twitter.com/`)
URL_RE = re.compile(r"(?:https?://|\bpic\.(?:twitter|x)\.com/|\bt\.co/)\S+", re.IGNORECASE)
# twitter-text v3: Latin, common punctuation and the like weigh 1, everything else (CJK…) 2.
HEAVY_RE = re.compile("[^\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")
MEDIA_LINK_END_RE = re.compile(r"pic\.(?:twitter|x)\.com/\w+\W{0,2}$", re.IGNORECASE)
SENTENCE_ENDS = ".!?。！？…"
CLOSERS = "\"'”’»)"  # what may follow a sentence's end
# A sentence's end run into a capital, or into a script without capitals: two blocks a scraper
# wrote without a break between them (`…retreat.Owl bet`, `…retreat.ورقتنا`).
# The punctuation comes first (the lookbehind checks the letter before it): the regex engine
# skips ahead to it.
GLUE_RE = re.compile(
    r"[.!?:](?<=[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff][.!?:])[\"'”’»)]*"
    r"(?=[\"'“‘«(「]?(?:[A-ZÀ-ÖØ-ÞА-ЯЁΑ-Ω]|[\u0590-\u06ff\u0900-\u097f\u0e00-\u0e7f"
    r"\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]))"
)
COLON_RE = re.compile(r"[:：](?!//)")
BOUNDARY_RE = re.compile(r"[.!?][\"'”’»)]*\s+|[。！？]|[:：](?!//)")
# A sentence's end and the space after it; what follows the last one is the last sentence.
# (The punctuation first: the regex engine skips ahead to it.)
SENTENCE_END_RE = re.compile(r"[.!?。]\s+")
# a list item's label: a few words, no sentence's end in them (`- A witness:`, `2. The mayor:`)
# (not a post's own opening: `- BREAKING:`, `1. Thread:`, `JUST IN:`)
LIST_LABEL_RE = re.compile(
    r"[ \t]*(?:[-*•–]|\d{1,3}[.)])[ \t]+(?![A-Z\d ]+:|(?i:thread|update|watch)\b)"
    r"[^\n:.!?\"“”()]{1,60}:[ \t]*$"
)
COLON_END_RE = re.compile(r"[:：][\"'”’»)]*\s*$")
POST_WORDS = re.compile(
    r"tweet|twitter|\bx\b|\bpost|wrote|writes|shared|publish|tuit|escribi|public[óo]|écrit|publié"
    r"|schrieb|schreibt|twittert|postet|scriss|scritto|escreveu|publicou|написал|пишет"
    r"|опубликова|твит|كتب|غرد|تغريد|نوشت|توییت|έγραψε|twiittas|kirjoitti|लिखा|ट्वीट"
    r"|ツイート|投稿|写道|发推|트윗|게시",
    re.IGNORECASE,
)
# Words that introduce what someone said, as news copy sets them on a line of its own above an
# embed (`The minister said:`); not a post's own line in the first person (`My doctor said:`)
SAID_WORDS = re.compile(
    r"\b(?:said|says|responded|replied|added|stated|announced|commented|reacted|declared"
    r"|noted|warned|told|answered|dijo|respondió|añadió|afirmó|declaró|a (?:dit|déclaré"
    r"|répondu|ajouté|réagi)|sagte|erklärte|antwortete|reagierte|reactie|disse|respondeu"
    r"|afirmou|ha (?:detto|risposto|aggiunto))\b|заявил|сказал|ответил|добавил|отреагировал",
    re.IGNORECASE,
)
REPORTING_WORDS = 6  # a sentence of the article's before its word of saying, at least
REPORTED_QUOTE_RE = re.compile(r"[:：][ \t\u00a0]*[“\"«„][^“”\"«»„\n]{1,400}[”\"»“][ \t\u00a0]*$")
LEADING_MENTIONS_RE = re.compile(r"^(?:@\w{1,15}[ \t]+)+")  # a reply's, before its text
FIRST_PERSON = re.compile(r"\b(?:I|me|my|we|us|our)\b|\bI'", re.IGNORECASE)
# The frame a news site sets around an embed, on lines of their own when scraped: BBC's
# `Skip twitter post by Name` above it, `End of twitter post by Name` below it; and a block that
# opens a quote on a line of its own (Org-mode's `#+BEGIN_QUOTE`)
FRAME_RE = re.compile(r"(?:Skip|End of) (?:twitter|X) post\b|#\+BEGIN_QUOTE\b", re.IGNORECASE)
SKIP_RE = re.compile(r"Skip (?:twitter|X) post by[ \t\u00a0]+", re.IGNORECASE)  # (glued to it)
SCRIPTS = [  # compiled when first needed: only text outside ASCII asks for them
    ("latin", r"[A-Za-z\u00c0-\u024f]"),
    ("cyrillic", r"[\u0400-\u04ff]"),
    ("greek", r"[\u0370-\u03ff]"),
    ("arabic", r"[\u0600-\u06ff\u0750-\u077f]"),
    ("hebrew", r"[\u0590-\u05ff]"),
    ("devanagari", r"[\u0900-\u097f]"),
    ("cjk", r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]"),
    ("hangul", r"[\uac00-\ud7af\u1100-\u11ff]"),
    ("thai", r"[\u0e00-\u0e7f]"),
]
NOT_ASCII_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())
QUOTE_MARK_RE = re.compile(r"^\s*(?:>\s?)+")  # Markdown and e-mail quoting
MARKDOWN_QUOTE_RE = re.compile(r"[ \t]{0,3}>")  # a line of a Markdown quote
CALLOUT_RE = re.compile(r"[ \t]{0,3}>[ \t]*\[![\w-]{1,20}\][+-]?[^\n]*\n")
# Links, hashtags and handles; each form starts with a literal, which the regex engine skips to.
NOT_WORDS_RE = re.compile(r"https?://\S+|pic\.\S+|t\.co/\S+|#\w+|@\w+")


@lru_cache(maxsize=64)  # a body is weighed line by line, then whole: often the same text
def weight(text: str) -> int:
    """How much of a post's 280 `text` would use: links count 23, media links 0."""
    first = text.find("/")
    if first < 0:  # every link holds one
        return _plain_weight(text)
    total, pos = 0, 0
    for m in URL_RE.finditer(text, max(first - FIRST_SLASH, 0)):
        total += _plain_weight(text[pos : m.start()])
        total += 0 if m.group(0).lower().startswith(("pic.", "http://pic.", "https://pic.")) else 23
        pos = m.end()
    return total + _plain_weight(text[pos:])


def _plain_weight(text: str) -> int:
    return len(text) if text.isascii() else len(text) + len(HEAVY_RE.findall(text))


def script(text: str, least: int = 3) -> str | None:
    """The script most of a text's letters are written in (links, tags and handles aside),
    when it has at least `least` of them."""
    words = NOT_WORDS_RE.sub(" ", text) if _has_links_or_tags(text) else text
    if words.isascii():
        letters = len(words.encode("ascii").translate(None, NOT_ASCII_LETTERS))
        return "latin" if letters >= least else None
    counts = [(len(pattern.findall(words)), name) for name, pattern in _script_patterns()]
    best = max(counts)
    return best[1] if best[0] >= least else None


@cache
def _script_patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [(name, re.compile(pattern)) for name, pattern in SCRIPTS]


def _has_links_or_tags(text: str) -> bool:
    return "/" in text or "@" in text or "#" in text or "pic." in text


def _ends_sentence(line: str) -> bool:
    """True when `line` (with no line break at its end) ends a sentence: `… retreat.` `…?”`"""
    bare = line.rstrip(CLOSERS)
    return bool(bare) and bare[-1] in SENTENCE_ENDS


def _reports_a_quote(line: str) -> bool:
    """A line of the article that reports what someone said, quoted whole after a word of
    saying and a colon: `In a statement, the Room declared: “Our destination is Damascus.”`"""
    quoted = REPORTED_QUOTE_RE.search(line)
    return (
        quoted is not None
        and len(line[: quoted.start()].split()) >= REPORTING_WORDS  # (not `Erdogan says:`)
        and SAID_WORDS.search(line, 0, quoted.start()) is not None
        and FIRST_PERSON.search(line, 0, quoted.start()) is None
    )


def introduces(line: str, author: str, handle: str, whole_line: bool = False) -> bool:
    """True for a sentence that announces the post: it ends with a colon and names the author,
    the handle or a post word ("The zoo wrote on Twitter:", "As @nhk_news put it:"); on a line
    of its own (`whole_line`), a word of saying too ("The minister said:")."""
    if not COLON_END_RE.search(line):
        return False
    if LIST_LABEL_RE.match(line):
        return True  # a list item's label: `- A witness:`, `2. The mayor:`
    sentence = SENTENCE_END_RE.split(line.strip())[-1]
    if any(_names(sentence, name) for name in (author, handle) if name):
        return True
    if POST_WORDS.search(sentence) is not None:
        return True
    return (
        whole_line
        and SAID_WORDS.search(sentence) is not None
        and FIRST_PERSON.search(sentence) is None
    )


def _names_handle(line: str, handle: str) -> bool:
    """A line above a post that names its author's account (`… from Patrick De Haan
    (@GasBuddyGuy), this is…`): the article's, introducing it; a post names its own only as
    a reply's opening mentions do (`@jack 2/ …`, a thread's next post before 2017)."""
    if not handle or "@" not in line:
        return False
    return _names(LEADING_MENTIONS_RE.sub("", line), "@" + handle)


def _names(sentence: str, name: str) -> bool:
    """True when `name` is a whole word (or words) of `sentence`, in any case."""
    lowered, name = sentence.lower(), name.lower()
    at = lowered.find(name)
    while at >= 0:
        end = at + len(name)
        if (at == 0 or not lowered[at - 1].isalnum()) and (
            end == len(lowered) or not lowered[end].isalnum()
        ):
            return True
        at = lowered.find(name, at + 1)
    return False


@dataclass
class Body:
    start: int
    warnings: list[str] = field(default_factory=list)


def body_start(text: str, floor: int, byline: int, author: str, handle: str) -> Body:
    """Where the body of the post whose byline starts at `byline` begins (never before
    `floor`, the end of the previous byline)."""
    start = max(text.rfind("\n", floor, byline) + 1, floor, byline - MAX_BODY_CHARS)
    taken, body_script, glued = 0, None, False  # the byline's own line, before it
    if start < byline:
        cut = _past_glue(text, start, byline, author, handle)
        if cut > start:  # a block boundary on the byline's own line: the body starts there
            return _body(text, cut, byline, False)
        if text[start:byline].strip(" \t\u00a0>"):
            # The byline on the body's line (`…pic.twitter.com/x— Name`): an embed's code
            # (`</p>&mdash;`) read with no break for its blocks, nor for its line breaks. A
            # line above that ends its sentence is then the article's; one that does not is
            # the post's, its sentence going on below (a break kept, as `<br>` may be).
            glued = True
        taken = weight(QUOTE_MARK_RE.sub("", text[start:byline]).strip())
        body_script = script(text[start:byline], TRUSTED_SCRIPT)
    too_long = False
    while start > floor:
        prev = max(text.rfind("\n", floor, start - 1) + 1, floor)
        stripped = QUOTE_MARK_RE.sub("", text[prev : start - 1]).strip()
        if not stripped:
            if taken:
                break
            start = prev
            continue
        if (
            introduces(stripped, author, handle, whole_line=True)
            or (taken and "/" in stripped and MEDIA_LINK_END_RE.search(stripped))
            or FRAME_RE.match(stripped)
            or (taken and _reports_a_quote(stripped))
            or _names_handle(stripped, handle)
        ):
            break
        if glued and _ends_sentence(stripped):
            break
        heavy = weight(stripped)
        line_script = script(stripped, TRUSTED_SCRIPT)
        if taken and body_script and line_script and line_script != body_script:
            break
        if heavy >= PARAGRAPH_WEIGHT and _ends_sentence(stripped) and (taken or heavy > MAX_WEIGHT):
            break  # (the block right above the byline, if a post's size, is the post's)
        if taken and taken + 1 + heavy > MAX_WEIGHT:
            break
        taken += heavy + (1 if taken else 0)
        if body_script is None:
            # The text taken so far; with nothing after the line (the byline starts its own
            # line), its script is the line's, found above.
            body_script = (
                line_script if start == byline else script(text[prev:byline], TRUSTED_SCRIPT)
            )
        start = prev
        if taken > MAX_WEIGHT:
            too_long = True
            break
    return _body(text, _past_glue(text, start, byline, author, handle), byline, too_long)


def quoted_body(text: str, floor: int, byline: int) -> int | None:
    """Where a Markdown quote's body starts, when the byline stands on a quoted line (`> —
    Name (@h) …`): the first of the quoted lines right above it, empty ones (`>`) included;
    None when the byline's line is not quoted or no quoted line is above it."""
    line = max(text.rfind("\n", floor, byline) + 1, floor)
    if not MARKDOWN_QUOTE_RE.match(text, line, byline):
        return None
    top = line
    while top > floor:
        above = max(text.rfind("\n", floor, top - 1) + 1, floor)
        if not MARKDOWN_QUOTE_RE.match(text, above, top):
            break
        top = above
    if CALLOUT_RE.match(text, top, line):  # Obsidian's `> [!quote] Name`: the callout's title
        top = text.find("\n", top, line) + 1
    return top if top < line else None


def _body(text: str, start: int, byline: int, too_long: bool) -> Body:
    lead = text[start:byline]
    body = Body(start + len(lead) - len(lead.lstrip()))
    if too_long or weight(text[body.start : byline].strip()) > MAX_WEIGHT:
        body.warnings.append(
            "body longer than one post's 280 characters: it may hold text of the citing document"
        )
    return body


def _past_glue(text: str, start: int, byline: int, author: str, handle: str) -> int:
    """Past the last block boundary glued into the first line kept (`…retreat.Owl bet…`) and
    past a sentence that introduces the post on that line."""
    end = text.find("\n", start, byline)
    end = byline if end < 0 else end
    line = text[start:end]
    cut = 0
    for m in GLUE_RE.finditer(line):
        if not _inside_link(line, m.start()):
            cut = m.end()
    for m in COLON_RE.finditer(line, cut):
        # The sentence the colon ends: from the last sentence end or colon before it.
        ends = [b.end() for b in BOUNDARY_RE.finditer(line, cut, m.start())]
        sentence = line[max(ends, default=cut) : m.end()]
        label = line[m.end() : m.end() + 1] in ("", " ", "\t") and LIST_LABEL_RE.match(
            line, cut, m.end()
        )
        if introduces(sentence, author, handle) or label:
            cut = m.end()
    for m in SKIP_RE.finditer(line, cut):  # BBC's frame glued to the post: past its name too
        cut = m.end()
        for name in (author, f"@{handle}"):
            if name and line[cut : cut + len(name)].lower() == name.lower():
                cut += len(name)
                cut += len(line[cut:]) - len(line[cut:].lstrip())
                break
    return start + cut


def _inside_link(line: str, pos: int) -> bool:
    token_start = max(line.rfind(" ", 0, pos), line.rfind("\t", 0, pos)) + 1
    return "/" in line[token_start:pos]
