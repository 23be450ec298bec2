"""The viewer's pages: the list of posts (the filters of `archiver list`), a post, the documents,
a document's text with its citations, and the queue. Every page is a template in the bundle's
layout; everything from the archive reaches it through autoescaping or the filters of
`export.html`."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..browse import Filters, count_posts, document_page, documents, jobs, list_posts
from ..browse.filters import GONE, SORTS, known_sources
from ..errors import InputError
from ..export.citable import Citable
from ..export.html import post_html
from ..views import post_view
from ..vocab import MediaStatus, Outcome, PostState, Step
from .guard import CSP

PAGE = 50
FORM = ("q", "state", "handle", "since", "until", "time", "document", "source", "sort")
CHECKS = ("has_media", "failed", "reverse")


def render(request: Request, name: str, status: int = 200, **context: object) -> Response:
    env = request.app.state.templates
    q = context.pop("q", request.query_params.get("q", ""))
    html = env.get_template(name).render(csp=CSP, q=q, **context)
    return HTMLResponse(html, status_code=status)


def missing(request: Request, message: str) -> Response:
    return render(request, "error.html", 404, title="Not in this archive", message=message)


LAST_PAGE = 10**12  # pages of PAGE posts: more than any archive holds, an offset SQLite reads


def list_page(request: Request) -> Response:
    """The posts that the query's filters select, a page at a time, newest first."""
    query = request.query_params
    form = {k: query.get(k) or None for k in FORM} | {k: bool(query.get(k)) for k in CHECKS}
    try:  # (a page past any archive's is the last page's neighbour: empty, never an overflow)
        number = min(max(int(query.get("page") or 0), 0), LAST_PAGE)
    except ValueError:
        number = 0
    context: dict[str, object] = {"rows": [], "total": 0, "shown": 0, "error": None}
    with request.app.state.reader() as conn:
        docs = conn.execute("SELECT id, path FROM document ORDER BY id").fetchall()
        try:
            f = Filters.parse(
                state=[form["state"]] if form["state"] else [],
                since=form["since"],
                until=form["until"],
                search=form["q"],
                limit=PAGE,
                offset=number * PAGE,
                **{k: form[k] for k in ("handle", "document", "source", *CHECKS)},
                **{k: form[k] for k in ("time", "sort") if form[k]},
            )
            rows = list_posts(conn, f)
            total = count_posts(conn, f)
            context.update(rows=rows, total=total, shown=len(rows))
        except InputError as exc:
            context["error"] = str(exc)
    kept = [(k, v) for k, v in query.multi_items() if k != "page" and v]
    pages = {
        "newer": f"/?{urlencode([*kept, ('page', number - 1)])}" if number else None,
        "older": f"/?{urlencode([*kept, ('page', number + 1)])}"
        if (number + 1) * PAGE < int(context["total"])  # type: ignore[call-overload]
        else None,
    }
    title = f"Posts with “{form['q']}”" if form["q"] else "Archived posts"
    return render(
        request,
        "list.html",
        400 if context["error"] else 200,
        title=title,
        form=form,
        states=[(s, s) for s in (*PostState, GONE)],
        documents=[(d["id"], d["path"]) for d in docs],
        sources=[(s, s) for s in known_sources()],
        sorts=[(s, s) for s in SORTS],
        **pages,
        **context,
    )


def _citable(view: dict) -> Citable:
    """As the bundle makes it: accessed when a source first gave the post."""
    found = [
        c["fetched_at"]
        for c in view["captures"]
        if c["outcome"] == Outcome.FOUND and c["source"] not in (Step.WITNESS, Step.MEDIA)
    ]
    accessed = datetime.fromisoformat(found[0].replace("Z", "+00:00")) if found else None
    return Citable.from_view(view, accessed)


def post_page(request: Request) -> Response:
    """One post as in the bundle, with its states, captures, media, digests and documents."""
    archive = request.app.state.readonly
    name = request.path_params["status_id"]
    try:
        view = post_view(archive, name)
    except InputError as exc:
        return missing(request, str(exc))
    quoted = None
    if view["quoted_status_id"]:
        try:
            quoted = post_view(archive, str(view["quoted_status_id"]))
        except InputError:
            quoted = None  # not archived: the post links it
    shown = [v for v in (view, quoted) if v]
    files = {
        m["digest"]: f"/media/{m['digest']}"
        for v in shown
        for m in v["media"]  # type: ignore[attr-defined]
        if m["digest"] and m["status"] == MediaStatus.OK
    }
    cites = {str(v["status_id"]): _citable(v) for v in shown}
    with request.app.state.reader() as conn:
        citing = conn.execute(
            "SELECT DISTINCT d.id, d.path FROM reference r JOIN document d ON d.id = r.document_id"
            " JOIN post p ON p.id = r.post_id WHERE p.status_id = ? ORDER BY d.id",
            (view["status_id"],),
        ).fetchall()
    article = post_html(view, files, quoted, cites)
    return render(
        request,
        "post_page.html",
        title=f"@{view['handle'] or '?'}: {str(view['text'] or '')[:80]}",
        view=view,
        article=Markup(article),
        documents=[dict(d) for d in citing],
    )


def documents_page(request: Request) -> Response:
    with request.app.state.reader() as conn:
        found = documents(conn)
    return render(request, "documents.html", title="Documents", documents=found)


def document_view(request: Request) -> Response:
    """A document's text with each citation marked by what became of the post."""
    if not 0 < request.path_params["id"] < 2**63:  # no row id SQLite can hold
        return missing(request, f"no document {request.path_params['id']} in this archive")
    with request.app.state.reader() as conn:
        row = conn.execute(
            "SELECT blob_digest FROM document WHERE id = ?", (request.path_params["id"],)
        ).fetchone()
        if row is None:
            return missing(request, f"no document {request.path_params['id']} in this archive")
        page = document_page(conn, request.app.state.archive.store, request.path_params["id"])
    return render(request, "document.html", title=str(page.document["path"]), page=page)  # type: ignore[union-attr]


def jobs_page(request: Request) -> Response:
    with request.app.state.reader() as conn:
        waiting = jobs(conn)
    return render(request, "jobs.html", title="Queue", jobs=waiting)


def not_found_page(request: Request, _exc: Exception) -> Response:
    return missing(request, f"{request.url.path}: no such page")
