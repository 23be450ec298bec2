"""`index.html`: each post as a reader would recognise it, offline and self-contained.

Every piece of post text is escaped before anything else is done with it; links are made only
from what escaping left, and only for http(s). Control characters (NUL, C1, bidi embeddings,
overrides and isolates) are shown as visible marks, never written raw, so `‮gnp.exe` reads as
it is stored and not as `exe.png`. Names and handles are bidi-isolated (`<bdi>`), post text is
laid out by its own direction (`dir="auto"`). Dates are written in words, in UTC. A
Content-Security-Policy forbids loading anything from elsewhere, and there is no script.

The page is made of Jinja templates in `templates/` (autoescaped): `post.html` is one post,
shared by the bundle's `bundle.html` and the viewer's post page (`archiver serve`), so that
both stay one design. The filters here do what escaping alone cannot (control characters
shown, links made, dates in words, citations bidi-isolated) and return markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from html import escape
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader
from markupsafe import Markup

from ..record import gaps_of
from . import bibtex, citations, wikitext
from .citable import MONTHS, Citable, Recovery, clean, post_text, post_url, posted, utc
from .csl import language

CSP = (
    "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)
CONTROLS = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
CONTROL_RE = re.compile(f"[{CONTROLS}]")
URL_RE = re.compile(f"https?://[^\\s<>\"'{CONTROLS}]+")
QUOTED_RE = re.compile(r"“(.+?)”(?= X)")
APA_TITLE_RE = re.compile(r"(\((?:n\.d\.|\d{4}, \w+ \d+)\)\. )(.+?)(?= \[Post\]\. X\.)")
SOURCES = {
    "wayback": "the Wayback Machine snapshot",
    "witness": "the citing document's own copy",
    "oembed": "X's embed answer",
}
TEMPLATES = Path(__file__).parent / "templates"


def _mark(m: re.Match[str]) -> str:
    code = f"U+{ord(m.group(0)):04X}"
    return f'<span class="ctl" title="control character {code}">{code}</span>'


def text_html(text: str | None) -> str:
    """Escaped text with its control characters shown as visible marks."""
    return CONTROL_RE.sub(_mark, escape(text or "", quote=True))


def attr(text: str | None) -> str:
    """Text for an attribute value: escaped, control characters dropped."""
    return escape(CONTROL_RE.sub("", text or ""), quote=True)


def linkify(text: str) -> str:
    """Escaped text with its http(s) URLs as links. A URL is found in the text before it is
    escaped (a quote ends it), less the punctuation that ends its sentence: `(at
    https://x.org/app).` links https://x.org/app."""
    parts, at = [], 0
    for match in URL_RE.finditer(text):
        url = match.group(0)
        while url[-1] in ".,;:!?)" and not (url[-1] == ")" and url.count("(") >= url.count(")")):
            url = url[:-1]
        parts += [escape(text[at : match.start()]), f'<a href="{attr(url)}" rel="noreferrer">']
        parts += [escape(url), "</a>"]
        at = match.start() + len(url)
    return CONTROL_RE.sub(_mark, "".join([*parts, escape(text[at:])]))


def when_words(when: datetime | str | None) -> str:
    """`6 December 2024, 09:32 UTC`, in a <time> element that holds the exact instant."""
    if isinstance(when, str):
        try:
            when = datetime.fromisoformat(when.replace("Z", "+00:00"))
        except ValueError:
            return text_html(when)
    if when is None:
        return "date unknown"
    when = utc(when)
    exact = when.isoformat(timespec="seconds").replace("+00:00", "Z")
    words = f"{when.day} {MONTHS[when.month - 1]} {when.year}, {when:%H:%M} UTC"
    return f'<time datetime="{exact}">{words}</time>'


def recovered_html(item: Recovery) -> str:
    """One sentence: which fields came from which recovered copy, made when, seen where."""
    fields = " and ".join(clean(f) for f in item.fields) or "text"
    source = SOURCES.get(item.source, f"a copy from {clean(item.source)}")
    made = f" of {when_words(item.at)}" if item.at else ""
    link = ""
    if item.url and URL_RE.fullmatch(item.url):
        link = f': <a href="{attr(item.url)}" rel="noreferrer">{text_html(item.url)}</a>'
    return (
        f'<p class="recovered">{text_html(fields.capitalize())} recovered from '
        f"{text_html(source)}{made}{link}</p>"
    )


def _isolated(line: str, c: Citable) -> str:
    """A citation as HTML with the author's name and the post's words bidi-isolated, so that
    Arabic or Hebrew in them does not carry the citation's punctuation along."""
    out = text_html(line)
    name = text_html(clean(c.author_name))
    if name:
        out = out.replace(name, f"<bdi>{name}</bdi>", 1)
    quoted = QUOTED_RE.sub(r"“<bdi>\1</bdi>”", out, count=1)
    return quoted if quoted != out else APA_TITLE_RE.sub(r"\1<bdi>\2</bdi>", out, count=1)


def citations_html(c: Citable) -> str:
    """Each citation of the post, selectable with one click (no script)."""
    lines = [
        ("APA 7", citations.apa(c)),
        ("MLA 9", citations.mla(c)),
        ("Chicago 17, note", citations.chicago(c)),
        ("Chicago 17, bibliography", citations.chicago_bibliography(c)),
    ]
    blocks = [("BibTeX", bibtex.misc(c)), ("Wikipedia {{cite tweet}}", wikitext.cite_tweet(c))]
    parts = ['<details class="cite" open><summary>Cite this post</summary><dl>']
    parts += [f'<dt>{n}</dt><dd><p dir="ltr">{_isolated(s, c)}</p></dd>' for n, s in lines]
    parts += [
        f'<dt>{escape(n)}</dt><dd><pre dir="ltr">{text_html(s)}</pre></dd>' for n, s in blocks
    ]
    parts.append("</dl></details>")
    return "".join(parts)


def _media(post: dict, media_files: dict[str, str]) -> list[dict[str, str]]:
    """The photos, videos and GIFs that have a file: kind, src and alt text."""
    shown = []
    for item in post.get("media") or []:
        src = media_files.get(item.get("digest") or "")
        if src and item.get("kind") in ("photo", "video", "gif"):
            alt = item.get("alt_text") or "photo of the post"
            shown.append({"kind": item["kind"], "src": src, "alt": alt})
    return shown


def _missing(post: dict) -> list[dict[str, str]]:
    """The photos, videos and GIFs of the post that were not kept (a partial capture): kind,
    and why, so that the page never passes for a post without them."""
    return [
        {"kind": item["kind"], "reason": item.get("reason") or ""}
        for item in post.get("media") or []
        if not item.get("digest") and item.get("kind") in ("photo", "video", "gif")
    ]


def captured(post: dict) -> dict[str, str] | None:
    """When, and from which source, the record shown was captured (when its blob was kept: a
    later answer that found the post again, as `recheck` asks, does not replace it)."""
    source, at = post.get("record_source"), post.get("record_at")
    return {"at": str(at), "source": str(source)} if source and at else None


def post_html(
    post: dict,
    media_files: dict[str, str],
    quoted: dict | None,
    cites: Mapping[str, Citable] | None = None,
    nested: bool = False,
) -> str:
    """One post as an <article>: `post` is `views.post_view`; `cites` (status id → Citable)
    adds what the view does not hold (expanded links, recovered copies, archived copies);
    `media_files` maps a digest to where its file is. A quoted post (`nested`) is shown
    without its citations: it has its own article."""
    c = (cites or {}).get(str(post["status_id"])) or Citable.from_view(post)
    avatar = next(
        (
            media_files.get(m.get("digest") or "")
            for m in post.get("media") or []
            if m.get("kind") == "avatar"
        ),
        None,
    )
    checks = post.get("checks") or []
    return ENV.get_template("post.html").render(
        c=c,
        avatar=avatar,
        posted=posted(c),
        from_id=bool(posted(c) and not c.created_at),
        state=str(post.get("state") or c.state or "unknown"),
        last_check=checks[-1] if checks else None,
        captured=captured(post),
        lang=language(c.lang),
        text=post_text(c),
        media=_media(post, media_files),
        missing=_missing(post),
        quoted=Markup(post_html(quoted, media_files, None, cites, nested=True)) if quoted else "",
        url=post_url(c),  # rebuilt from the id when the recorded handle is not a handle
        digests=post.get("media") or [],
        nested=nested,
        gaps=gaps_of(post.get("notes") or []),  # what the record lacks: a partial capture
    )


def report_html(rows: list[dict]) -> str:
    """A document's citations as a table (the rows of `content.document_report`)."""
    return ENV.get_template("report.html").render(rows=rows)


def page(title: str, posts: list[str], report: str = "") -> str:
    """The bundle's index.html: a title, a document's citations, and the posts' articles."""
    return ENV.get_template("bundle.html").render(
        csp=Markup(CSP), title=title, report=Markup(report), posts=[Markup(p) for p in posts]
    )


def _text(value: object) -> str | None:
    """A template value as text: numbers and the like by their `str`."""
    return value if value is None or isinstance(value, str) else str(value)


def environment(*loaders: BaseLoader) -> Environment:
    """Templates from `loaders` first, then these; with the filters post.html uses."""
    env = Environment(
        loader=ChoiceLoader([*loaders, FileSystemLoader(TEMPLATES)]),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        text=lambda value: Markup(text_html(_text(value))),
        attr=lambda value: Markup(attr(_text(value))),
        linkify=lambda value: Markup(linkify(_text(value) or "")),
        when=lambda value: Markup(when_words(value)),
        recovered=lambda item: Markup(recovered_html(item)),
        citations=lambda c: Markup(citations_html(c)),
        clean=clean,
    )
    return env


ENV = environment()
