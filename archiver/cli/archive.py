"""`archiver archive`, `retry`, `recheck`: capture posts and observe them again."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from .. import capture
from ..archive import Archive
from ..capture import Cited, Options, read_inputs
from ..errors import EXIT_OK, EXIT_PARTIAL, InputError
from ..sources import ALL
from ..vocab import DONE_VERDICTS, Verdict
from .app import command, emit_json, err, out, settings

SourcesOpt = Annotated[
    str | None,
    typer.Option(
        "--sources", help=f"Sources to ask, in order (comma-separated; default: {','.join(ALL)})."
    ),
]


def _options(
    sources: str | None,
    all_sources: bool,
    recapture: bool,
    follow: bool = False,
    wayback: bool = False,
) -> Options:
    options = Options(
        all_sources=all_sources, recapture=recapture, follow_media_links=follow, wayback=wayback
    )
    if sources:
        names = [s.strip() for s in sources.split(",") if s.strip()]
        unknown = [n for n in names if n not in ALL]
        if unknown:
            raise InputError(f"--sources: unknown source {unknown[0]!r} (known: {', '.join(ALL)})")
        options.order = names
    return options


@contextmanager
def _progress():  # type: ignore[no-untyped-def]
    """A spinner with the latest line on a terminal; plain lines on stderr otherwise."""
    if not err.is_terminal:
        yield lambda line: err.print(line, markup=False, highlight=False)
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("capturing…")
        yield lambda line: bar.update(task, description=line[:100])


def _report(cited: list[Cited], as_json: bool) -> None:
    if as_json:
        emit_json([c.to_dict() for c in cited])
    else:
        table = Table("reference", "post", "outcome", "reason")
        for c in cited:
            table.add_row(c.label[:80], c.status_id or "", c.outcome, (c.reason or "")[:120])
        out.print(table)
        counts: dict[str, int] = {}
        for c in cited:
            counts[c.outcome] = counts.get(c.outcome, 0) + 1
        out.print(", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing cited")
    if any(c.outcome == Verdict.PENDING for c in cited):
        err.print(
            "archiver: some references are still pending (network unreachable or rate "
            "limited); run `archiver retry` to finish them",
            markup=False,
        )
    raise typer.Exit(EXIT_OK if all(c.outcome in DONE_VERDICTS for c in cited) else EXIT_PARTIAL)


@command("archive", "Capture posts (URLs, ids, short links, or every post documents cite).")
def archive_cmd(
    ctx: typer.Context,
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Status URLs, ids, short links, files, folders, or - for stdin."),
    ] = None,
    list_file: Annotated[
        str | None, typer.Option("--list", help="A file of references, one a line.")
    ] = None,
    sources: SourcesOpt = None,
    all_sources: Annotated[bool, typer.Option("--all-sources", help="Ask every source.")] = False,
    recapture: Annotated[
        bool, typer.Option("--recapture", help="Capture again posts already archived.")
    ] = False,
    follow: Annotated[
        bool,
        typer.Option(
            "--follow-media-links", help="Fetch video a post links to elsewhere, with yt-dlp."
        ),
    ] = False,
    wayback: Annotated[
        bool,
        typer.Option(
            "--wayback", help="Ask the Wayback Machine for a public copy of each post too."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    options = _options(sources, all_sources, recapture, follow, wayback)
    items = read_inputs(inputs or [], list_file)
    archive = Archive.open(settings(ctx).home, create=True)
    with _progress() as progress:
        cited, warnings = capture.archive(
            archive, settings(ctx), items, options, sys.stdin.buffer, progress
        )
    for warning in warnings:
        err.print(f"archiver archive: warning: {warning}", markup=False)
    _report(cited, as_json)


@command("retry", "Finish pending and failed jobs (after a killed run, offline, or a 429).")
def retry_cmd(
    ctx: typer.Context,
    sources: SourcesOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    archive = Archive.open(settings(ctx).home)
    with _progress() as progress:
        cited = capture.retry(archive, settings(ctx), _options(sources, False, False), progress)
    _report(cited, as_json)


@command("recheck", "Observe again whether archived posts are still live (adds a check each).")
def recheck_cmd(
    ctx: typer.Context,
    posts: Annotated[
        list[str] | None, typer.Argument(help="Status ids or URLs (default: all).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    archive = Archive.open(settings(ctx).home)
    rows = capture.recheck(archive, settings(ctx), posts or [])
    if as_json:
        emit_json(rows)
        return
    table = Table("post", "state", "source", "at")
    for row in rows:
        table.add_row(str(row["status_id"]), str(row["state"]), str(row["source"]), str(row["at"]))
    out.print(table)
