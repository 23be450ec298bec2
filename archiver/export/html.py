"""`index.html`: each post as a reader would recognise it, offline and self-contained.

Every piece of post text is escaped before anything else is done with it; links are made only
from what escaping left, and only for http(s). Control characters (NUL, C1, bidi embeddings,
overrides and isolates) are shown as visible marks, never written raw, so `‮gnp.exe` reads as
it is stored and not as `exe.png`. Names and handles are bidi-isolated (`<bdi>`), post text is
laid out by its own direction (`dir="auto"`). Dates are written in words, in UTC. A
Content-Security-Policy forbids loading anything from elsewhere, and there is no script.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from html import escape

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
STYLE = """
body{font:16px/1.45 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#111}
article{border:1px solid #ccd;border-radius:12px;padding:1rem 1.2rem;margin:1.2rem 0;
overflow-wrap:anywhere}
.who{font-weight:600}.handle,.meta,.digest{color:#556}
.digest{font:12px monospace;word-break:break-all}
.text{white-space:pre-wrap;margin:.6rem 0}
.media img,.media video{max-width:100%;border-radius:8px;margin:.3rem 0}
.state{display:inline-block;padding:0 .5rem;border-radius:6px;background:#e6f4ea}
.state.gone{background:#fde7e9}
.quoted{margin:.6rem 0 .6rem 1rem;font-size:.95em;border-left:4px solid #5b7db1;padding-left:.6rem}
.recovered{background:#fff1c2;border-radius:6px;padding:.3rem .6rem;margin:.5rem 0}
.ctl{font:11px monospace;border:1px solid #b00;color:#b00;border-radius:3px;padding:0 2px}
.cite dd{margin:0 0 .5rem 0}
.cite p,.cite pre{user-select:all;font-size:.9em;margin:.2rem 0;white-space:pre-wrap}
table{border-collapse:collapse;font-size:.9em}
td,th{border:1px solid #ccd;padding:.2rem .4rem;text-align:left}
del{background:#fde7e9}ins{background:#e6f4ea}
.avatar{width:40px;height:40px;border-radius:50%;vertical-align:middle;margin-right:.5rem}
"""


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
    """Escaped text with its http(s) URLs as links (the URL is escaped text already)."""
    escaped = escape(text, quote=True)
    linked = URL_RE.sub(
        lambda m: f'<a href="{m.group(0)}" rel="noreferrer">{m.group(0)}</a>', escaped
    )
    return CONTROL_RE.sub(_mark, linked)


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


def _meta(post: dict, c: Citable) -> str:
    state = str(post.get("state") or c.state or "unknown")
    gone = "" if state == "live" else " gone"
    when = posted(c)
    date = when_words(when)
    if when and not c.created_at:
        date += " (from the post's id)"
    checks = post.get("checks") or []
    checked = ""
    if checks:
        last = checks[-1]
        checked = f" · last checked {when_words(last.get('at'))} ({text_html(last.get('state'))})"
    badge = f'<span class="state{gone}">{text_html(state)}</span>'
    return f'<div class="meta">{date} · {badge}{checked}</div>'


def _media(post: dict, media_files: dict[str, str]) -> list[str]:
    parts = ['<div class="media">']
    for item in post.get("media") or []:
        file = media_files.get(item.get("digest") or "")
        if not file or item.get("kind") not in ("photo", "video", "gif"):
            continue
        if item.get("kind") == "photo":
            alt = attr(item.get("alt_text") or "photo of the post")
            parts.append(f'<img src="{attr(file)}" alt="{alt}">')
        else:
            parts.append(f'<video controls preload="metadata" src="{attr(file)}"></video>')
    parts.append("</div>")
    return parts


def post_html(
    post: dict,
    media_files: dict[str, str],
    quoted: dict | None,
    cites: Mapping[str, Citable] | None = None,
    nested: bool = False,
) -> str:
    """One post as an <article>: `post` is `views.post_view`; `cites` (status id → Citable)
    adds what the view does not hold (expanded links, recovered copies, archived copies).
    A quoted post (`nested`) is shown without its citations: it has its own article."""
    status_id = str(post["status_id"])
    c = (cites or {}).get(status_id) or Citable.from_view(post)
    avatar = next(
        (
            media_files.get(m.get("digest") or "")
            for m in post.get("media") or []
            if m.get("kind") == "avatar"
        ),
        None,
    )
    picture = f'<img class="avatar" src="{attr(avatar)}" alt="">' if avatar else ""
    lang = language(c.lang)
    lang_attr = f' lang="{attr(lang)}"' if lang else ""
    parts = [
        f'<article id="post-{attr(status_id)}">',
        f'<div>{picture}<bdi class="who">{text_html(c.author_name)}</bdi> '
        f'<bdi class="handle">@{text_html(c.handle or "?")}</bdi></div>',
        _meta(post, c),
        *[recovered_html(r) for r in c.recovered_from],
        f'<div class="text" dir="auto"{lang_attr}>{linkify(post_text(c))}</div>',
        *_media(post, media_files),
    ]
    if quoted:
        inner = post_html(quoted, media_files, None, cites, nested=True)
        parts.append(f'<div class="quoted">{inner}</div>')
    url = post_url(c)  # rebuilt from the id when the recorded handle is not a handle
    parts.append(f'<div class="meta"><a href="{url}" rel="noreferrer">{text_html(url)}</a></div>')
    parts.append(f'<div class="digest">record {text_html(c.record_digest or "none")}')
    if c.trusted_time:
        parts.append(f"<br>{text_html(clean(c.trusted_time))}")
    for item in post.get("media") or []:
        parts.append(f"<br>{text_html(item.get('kind'))} {text_html(item.get('digest') or 'none')}")
    parts += ["</div>", "" if nested else citations_html(c), "</article>"]
    return "\n".join(parts)


def report_html(rows: list[dict]) -> str:
    out = [
        "<h2>Citations in the document</h2><table>",
        "<tr><th>where</th><th>post</th><th>status</th><th>quoted text</th></tr>",
    ]
    for row in rows:
        out.append(
            f"<tr><td>{text_html(row['where'])}</td><td>{text_html(row.get('status_id'))}</td>"
            f"<td>{text_html(row['status'])}</td><td>{row.get('diff_html', '')}</td></tr>"
        )
    out.append("</table>")
    return "\n".join(out)


def page(title: str, posts: list[str], report: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f"<title>{attr(title)}</title><style>{STYLE}</style></head><body>\n"
        f'<h1 dir="auto">{text_html(title)}</h1>\n'
        "<p>Archived posts with the SHA-256 digests of what was captured. See README.txt to "
        "check this bundle.</p>\n" + report + "\n".join(posts) + "\n</body></html>\n"
    )
