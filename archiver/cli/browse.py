"""`archiver list`, `archiver search` and `archiver serve`: see what is archived."""

from __future__ import annotations

import csv
import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from ..text import for_terminal, json_safe
from ..text import one_line as clean
from . import render
from .app import command, emit_json, open_archive

if TYPE_CHECKING:  # the library is loaded when a command runs, not at start-up
    from ..archive import Archive
    from ..browse import Filters

States = Annotated[
    list[str] | None,
    typer.Option(
        "--state",
        help="Only posts in this state (live, deleted, suspended…; gone = any not seen now); "
        "with --jobs, jobs in this state. Repeatable, or comma-separated.",
    ),
]
Handle = Annotated[str | None, typer.Option("--handle", help="Only posts by this account.")]
Limit = Annotated[
    int | None, typer.Option("--limit", min=0, max=2**63 - 1, help="At most this many rows.")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print a JSON list.")]
AsJsonl = Annotated[bool, typer.Option("--jsonl", help="Print one JSON object a line.")]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
AsCsv = Annotated[bool, typer.Option("--csv", help="Print CSV with a header row.")]


def _emit(rows: list[dict[str, object]], as_json: bool, as_jsonl: bool, as_csv: bool) -> bool:
    """Print rows in the machine-readable form asked for; False when none was."""
    if as_json:
        emit_json(rows)
    elif as_jsonl:
        for row in rows:
            sys.stdout.write(json_safe(json.dumps(row, ensure_ascii=False)) + "\n")
    elif as_csv:  # a cell's text as printed everywhere: a control character is a visible mark
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["status_id"])
        writer.writeheader()
        writer.writerows(
            {k: _cell(for_terminal(v)) if isinstance(v, str) else v for k, v in row.items()}
            for row in rows
        )
    return as_json or as_jsonl or as_csv


def _cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (a post's text may begin `=`, `+`,
    `-`, `@`, a tab or a carriage return): such a cell starts with `'`, as OWASP advises."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _posts(archive: Archive, f: Filters, as_json: bool, as_jsonl: bool, as_csv: bool) -> None:
    from ..browse import count_posts, list_posts, reader

    with reader(archive) as conn:
        rows = list_posts(conn, f)
        total = count_posts(conn, f) if f.limit else len(rows)
    if _emit(rows, as_json, as_jsonl, as_csv):
        return
    for r in rows:
        date = str(r["created_at"] or "")[:16].replace("T", " ") or "date unknown"
        words = clean(str(r["text"] or ""))
        line = (
            f"{r['status_id'] or '(no id)':<19}  @{clean(str(r['handle'] or '?')):<15}  "
            f"{date:<16}  {r['state']:<9}  {r['media']}  {words[:70]}"
            f"{'…' if len(words) > 70 else ''}"
        )
        if r["problem"]:
            line += f"  [{clean(str(r['problem']))[:120]}]"
        sys.stdout.write(line + "\n")  # plain lines: a hundred thousand of them print at once
    render.line(f"{len(rows)} of {total} posts")


@command("list", "List archived posts, one a line, filtered; or the documents, or the queue.")
def list_cmd(
    ctx: typer.Context,
    state: States = None,
    handle: Handle = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From this date or time ago (2024-12-06, 30d).")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="Up to this date.")] = None,
    time: Annotated[
        str, typer.Option("--time", help="What --since/--until bound: posted or captured.")
    ] = "posted",
    document: Annotated[
        str | None, typer.Option("--document", help="Only posts a document cites (path, id).")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Only posts a source gave (fxtwitter…).")
    ] = None,
    has_media: Annotated[bool, typer.Option("--has-media", help="Only posts with media.")] = False,
    failed: Annotated[
        bool, typer.Option("--failed", help="Only posts whose capture or media failed.")
    ] = False,
    search: Annotated[
        str | None, typer.Option("--search", help="Only posts with these words (full text).")
    ] = None,
    sort: Annotated[
        str, typer.Option("--sort", help="posted (newest first), archived or handle.")
    ] = "posted",
    reverse: Annotated[bool, typer.Option("--reverse", help="The other way round.")] = False,
    limit: Limit = None,
    list_documents: Annotated[
        bool, typer.Option("--documents", help="List the cited documents with their counts.")
    ] = False,
    list_jobs: Annotated[
        bool, typer.Option("--jobs", help="List the queue: what is waiting, and why.")
    ] = False,
    as_json: AsJson = False,
    as_jsonl: AsJsonl = False,
    as_csv: AsCsv = False,
) -> None:
    from ..browse import Filters, documents, jobs, reader

    archive = open_archive(ctx)
    if list_documents or list_jobs:
        with reader(archive) as conn:
            rows = documents(conn) if list_documents else jobs(conn, state)
        rows = rows[:limit] if limit else rows
        if not _emit(rows, as_json, as_jsonl, as_csv):
            _table(rows, list_documents)
        return
    f = Filters.parse(
        state=state,
        since=since,
        until=until,
        handle=handle,
        time=time,
        document=document,
        source=source,
        has_media=has_media,
        failed=failed,
        search=search,
        sort=sort,
        reverse=reverse,
        limit=limit,
    )
    _posts(archive, f, as_json, as_jsonl, as_csv)


def _table(rows: list[dict[str, object]], docs: bool) -> None:
    keys = (
        ("id", "citations", "archived", "gone", "pending", "unresolved", "path")
        if docs
        else ("kind", "state", "attempts", "next_try_at", "target", "last_error")
    )
    for r in rows:
        if r.get("run_gone"):  # (a job's; its run was killed: `retry` takes it)
            r = {**r, "state": f"{r['state']} (its run is gone: retry takes it)"}
        render.line("  ".join(clean(str(r[k] if r[k] is not None else "-")) for k in keys))
    render.line(f"{len(rows)} {'documents' if docs else 'jobs'}")


@command("search", "Find archived posts by their words, in any language (list --search).")
def search_cmd(
    ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(help='Words; "a phrase"; a prefix*.')],
    state: States = None,
    handle: Handle = None,
    limit: Limit = None,
    as_json: AsJson = False,
    as_jsonl: AsJsonl = False,
    as_csv: AsCsv = False,
) -> None:
    from ..browse import Filters

    archive = open_archive(ctx)
    f = Filters.parse(state=state, handle=handle, search=" ".join(words), limit=limit)
    _posts(archive, f, as_json, as_jsonl, as_csv)


@command("serve", "Browse the archive in a web browser: a local, read-only viewer.")
def serve_cmd(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (others than loopback get a token).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port (0: any free one).")
    ] = 8000,
) -> None:
    from ..serve import serve

    archive = open_archive(ctx)
    serve(
        archive,
        host,
        port,
        say=render.line,
        warn=lambda line: render.error("archiver serve: warning", line),
    )
