"""`{{cite tweet}}` for Wikipedia editors, with the archived copy in `archive-url`.

Parameters as Wikipedia's Template:Cite tweet documents them: `user` (without the @), `number`,
`title` (the post's text), `author`, `date`, `access-date`, `language`, `archive-url` with
`archive-date`, and `url-status` (`dead` once the post is gone, so that the archived copy
leads). Dates are ISO 8601, which CS1 accepts.

Every value is text, never markup: `|` is `{{!}}`; braces, brackets, `<`, `>`, `&`, `~`
(signatures), runs of `'` (bold and italic) and `__` (magic words) become character references;
`://` is broken so that a link in the text is not made a link inside the title's own link; double
quotation marks become single, since the template puts the title in double quotes. Only named
parameters are written, so `=` in a value needs nothing.
"""

from __future__ import annotations

import re

from .citable import Citable, clean, handle, iso_date, posted, quoted_title, safe_url
from .csl import language

REFERENCES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "[": "&#91;",
    "]": "&#93;",
    "{": "&#123;",
    "}": "&#125;",
    "~": "&#126;",
    "|": "{{!}}",
}
MARKUP_RE = re.compile(r"[&<>\[\]{}~|]|'(?=')|(?<=')'|_(?=_)|:(?=//)|\b(?:ISBN|RFC|PMID)(?= )")
QUOTES = {'"': "'", "“": "‘", "”": "’"}


def escape(text: str | None) -> str:
    """One line of text that MediaWiki shows as it is, inside a template parameter."""
    text = "".join(QUOTES.get(ch, ch) for ch in clean(text))

    def one(m: re.Match[str]) -> str:
        s = m.group(0)
        if s in REFERENCES:
            return REFERENCES[s]
        if len(s) > 1:  # ISBN, RFC, PMID: magic links
            return s[:-1] + f"&#{ord(s[-1])};"
        return f"&#{ord(s)};"

    return MARKUP_RE.sub(one, text)


def url(value: str) -> str:
    """A URL (from `safe_url`) with nothing left that wikitext would read: `[`, `]`, `|`,
    `'` and `~` are percent-encoded, which names the same resource."""
    return "".join(f"%{ord(ch):02X}" if ch in "[]|'~" else ch for ch in value)


def cite_tweet(c: Citable) -> str:
    """`{{cite tweet |user=… |number=… |title=… …}}`, fields present only when known."""
    fields = [
        ("user", handle(c) or "i/web"),  # the template builds twitter.com/<user>/status/<number>
        ("number", c.status_id if c.status_id.isdigit() else escape(c.status_id)),
        ("title", escape(quoted_title(c))),
    ]
    if name := escape(c.author_name):
        fields.append(("author", name))
    if when := posted(c):
        fields.append(("date", iso_date(when)))
    if c.accessed:
        fields.append(("access-date", iso_date(c.accessed)))
    if lang := language(c.lang):
        fields.append(("language", lang))
    archived = safe_url(c.archive_url)
    if archived and c.archive_date:  # the template wants both or neither
        fields.append(("archive-url", url(archived)))
        fields.append(("archive-date", iso_date(c.archive_date)))
        fields.append(("url-status", "dead" if c.gone else "live"))
    return "{{cite tweet " + " ".join(f"|{name}={value}" for name, value in fields) + "}}"
