"""`index.html`: each post as a reader would recognise it, offline and self-contained.

Every piece of post text is escaped before anything else is done with it; links are made only
from what escaping left, and only for http(s). A Content-Security-Policy forbids loading
anything from elsewhere.
"""

from __future__ import annotations

import re
from html import escape

CSP = (
    "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)
URL_RE = re.compile(r"https?://[^\s<>\"']+")
STYLE = """
body{font:16px/1.45 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#111}
article{border:1px solid #ccd;border-radius:12px;padding:1rem 1.2rem;margin:1.2rem 0}
.who{font-weight:600}.handle,.meta,.digest{color:#556}
.digest{font:12px monospace;word-break:break-all}
.text{white-space:pre-wrap;margin:.6rem 0}
.media img,.media video{max-width:100%;border-radius:8px;margin:.3rem 0}
.state{display:inline-block;padding:0 .5rem;border-radius:6px;background:#e6f4ea}
.state.gone{background:#fde7e9}.quoted{margin:.6rem 0 .6rem 1rem;font-size:.95em}
table{border-collapse:collapse;font-size:.9em}
td,th{border:1px solid #ccd;padding:.2rem .4rem;text-align:left}
del{background:#fde7e9}ins{background:#e6f4ea}
.avatar{width:40px;height:40px;border-radius:50%;vertical-align:middle;margin-right:.5rem}
"""


def linkify(text: str) -> str:
    """Escaped text with its http(s) URLs as links (the URL is escaped text already)."""
    escaped = escape(text, quote=True)
    return URL_RE.sub(
        lambda m: f'<a href="{m.group(0)}" rel="noreferrer">{m.group(0)}</a>', escaped
    )


def post_html(post: dict, media_files: dict[str, str], quoted: dict | None) -> str:
    state = str(post.get("state") or "unknown")
    gone = "" if state == "live" else " gone"
    checks = post.get("checks") or []
    last_check = checks[-1] if checks else None
    avatar = next(
        (
            media_files.get(m.get("digest") or "")
            for m in post.get("media") or []
            if m.get("kind") == "avatar"
        ),
        None,
    )
    picture = f'<img class="avatar" src="{escape(avatar, quote=True)}" alt="">' if avatar else ""
    parts = [
        f'<article id="post-{escape(str(post["status_id"]))}">',
        f'<div>{picture}<span class="who">{escape(post.get("author_name") or "")}</span> '
        f'<span class="handle">@{escape(post.get("handle") or "?")}</span></div>',
        f'<div class="meta">{escape(post.get("created_at") or "date unknown")} · '
        f'<span class="state{gone}">{escape(state)}</span>'
        + (
            f" · last checked {escape(last_check['at'] or '')} ({escape(last_check['state'])})"
            if last_check
            else ""
        )
        + "</div>",
        f'<div class="text">{linkify(post.get("text") or "")}</div>',
        '<div class="media">',
    ]
    for item in post.get("media") or []:
        file = media_files.get(item.get("digest") or "")
        if not file or item.get("kind") not in ("photo", "video", "gif"):
            continue
        alt = escape(item.get("alt_text") or f"{item.get('kind')} of the post", quote=True)
        if item.get("kind") == "photo":
            parts.append(f'<img src="{escape(file, quote=True)}" alt="{alt}">')
        else:
            parts.append(
                f'<video controls preload="metadata" src="{escape(file, quote=True)}"></video>'
            )
    parts.append("</div>")
    if quoted:
        parts.append(f'<div class="quoted">{post_html(quoted, media_files, None)}</div>')
    parts.append(
        f'<div class="meta"><a href="{escape(post["url"], quote=True)}" '
        f'rel="noreferrer">{escape(post["url"])}</a></div>'
    )
    parts.append(f'<div class="digest">record {escape(post.get("record_digest") or "none")}')
    for item in post.get("media") or []:
        parts.append(f"<br>{escape(item.get('kind') or '')} {escape(item.get('digest') or 'none')}")
    parts.append("</div></article>")
    return "\n".join(parts)


def report_html(rows: list[dict]) -> str:
    out = [
        "<h2>Citations in the document</h2><table>",
        "<tr><th>where</th><th>post</th><th>status</th><th>quoted text</th></tr>",
    ]
    for row in rows:
        out.append(
            f"<tr><td>{escape(row['where'])}</td><td>{escape(row.get('status_id') or '')}</td>"
            f"<td>{escape(row['status'])}</td><td>{row.get('diff_html', '')}</td></tr>"
        )
    out.append("</table>")
    return "\n".join(out)


def page(title: str, posts: list[str], report: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>\n"
        f"<h1>{escape(title)}</h1>\n"
        "<p>Archived posts with the SHA-256 digests of what was captured. See README.txt to "
        "check this bundle.</p>\n" + report + "\n".join(posts) + "\n</body></html>\n"
    )
