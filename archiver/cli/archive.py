"""`archiver archive`, `retry`, `recheck`: capture posts and observe them again."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import summary_exit
from . import render
from .app import command, emit_json, open_archive, settings, verbosity

if TYPE_CHECKING:
    from ..capture import Cited, Options

SourcesOpt = Annotated[
    str | None,
    typer.Option(
        "--sources",
        metavar="NAMES",
        help="Sources to ask, in order (comma-separated; default: all, in the usual order).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")]


def _options(
    sources: str | None,
    all_sources: bool,
    recapture: bool,
    follow: bool = False,
    wayback: bool = False,
) -> Options:
    from ..capture import Options

    options = Options(
        all_sources=all_sources, recapture=recapture, follow_media_links=follow, wayback=wayback
    )
    if sources is not None:
        from ..errors import InputError
        from ..sources import ALL

        names = [s.strip() for s in sources.split(",") if s.strip()]
        unknown = [n for n in names if n not in ALL]
        if unknown or not names:
            what = f"unknown source {unknown[0][:50]!r}" if unknown else "no source named"
            raise InputError(f"--sources: {what} (known: {', '.join(ALL)})")
        options.order = names
    return options


def _report(cited: list[Cited], as_json: bool, loud: bool) -> None:
    from ..vocab import Verdict

    if as_json:
        emit_json([c.to_dict() for c in cited])
    else:
        rows = [
            (render.cell(c.label, 80), c.status_id, c.outcome, render.cell(c.reason, 120))
            for c in cited
        ]
        render.show(render.table(("reference", "post", "outcome", "reason"), rows))
        counts: dict[str, int] = {}
        for c in cited:
            counts[c.outcome] = counts.get(c.outcome, 0) + 1
        render.line(", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing cited")
    if loud and any(c.outcome == Verdict.PENDING for c in cited):
        render.error(
            "archiver",
            "some references are still pending (offline, rate limited, or held by another "
            "live run: each says which); run `archiver retry` to finish them",
        )
    raise typer.Exit(summary_exit(c.outcome for c in cited))


@command("archive", "Capture posts (URLs, ids, short links, or every post documents cite).")
def archive_cmd(
    ctx: typer.Context,
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[URL|ID|PATH|-]...",
            help="Status URLs, ids, short links, files, folders, or - for stdin.",
        ),
    ] = None,
    list_file: Annotated[
        str | None, typer.Option("--list", metavar="FILE", help="A file of references, one a line.")
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
        typer.Option("--wayback", help="Ask the Wayback Machine for a public copy of each post."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    from .. import capture

    options = _options(sources, all_sources, recapture, follow, wayback)
    items = capture.read_inputs(inputs or [], list_file)
    archive = open_archive(ctx, create=True)
    with render.progress("archive", verbosity(ctx)) as progress:
        cited, warnings = capture.archive(
            archive, settings(ctx), items, options, sys.stdin.buffer, progress
        )
    if verbosity(ctx):
        for warning in warnings:
            render.error("archiver archive: warning", warning)
    _report(cited, as_json, verbosity(ctx) > 0)


@command("retry", "Finish pending and failed jobs (after a killed run, offline, or a 429).")
def retry_cmd(ctx: typer.Context, sources: SourcesOpt = None, as_json: JsonOpt = False) -> None:
    from .. import capture

    options = _options(sources, False, False)
    archive = open_archive(ctx)
    with render.progress("retry", verbosity(ctx)) as progress:
        cited = capture.retry(archive, settings(ctx), options, progress)
    _report(cited, as_json, verbosity(ctx) > 0)


@command("recheck", "Observe again whether archived posts are still live (adds a check each).")
def recheck_cmd(
    ctx: typer.Context,
    posts: Annotated[
        list[str] | None,
        typer.Argument(metavar="[POST]...", help="Status ids or URLs (default: all)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    from .. import capture

    archive = open_archive(ctx)
    with render.progress("recheck", verbosity(ctx)) as progress:
        rows = capture.recheck(archive, settings(ctx), posts or [], progress=progress)
    if as_json:
        emit_json(rows)
        return
    keys = ("status_id", "state", "source", "at")
    render.show(
        render.table(("post", "state", "source", "at"), ([r[k] for k in keys] for r in rows))
    )
