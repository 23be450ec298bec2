"""`archiver export`: citation bundles (BagIt), as a folder or a zip."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import render
from .app import command, open_archive, settings, verbosity


@command("export", "Write a citation bundle (BagIt folder or .zip) for posts or a document.")
def export_cmd(
    ctx: typer.Context,
    posts: Annotated[
        list[str] | None, typer.Argument(metavar="[POST]...", help="Status ids or URLs.")
    ] = None,
    output: Annotated[
        Path,
        typer.Option("-o", "--output", metavar="OUT", help="A new folder or a .zip file."),
    ] = ...,  # type: ignore[assignment]
    document: Annotated[
        str | None,
        typer.Option(
            "--document", metavar="PATH", help="Every post a document cites (its path or digest)."
        ),
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="Every archived post.")] = False,
    warc: Annotated[
        bool, typer.Option("--warc", help="Add a WARC of every exchange and each post's page.")
    ] = False,
    wacz: Annotated[
        bool, typer.Option("--wacz", help="Add a WACZ (the WARC, its index and pages).")
    ] = False,
) -> None:
    from ..errors import EXIT_PARTIAL
    from ..export import export

    archive = open_archive(ctx)
    with render.progress("export", verbosity(ctx)) as progress:
        written = export(
            archive,
            settings(ctx),
            output,
            posts or [],
            document,
            everything,
            warc,
            progress,
            wacz=wacz,
        )
    render.line(f"bundle written to {written.path}")
    if written.not_archived:  # the bundle is whole; the document's citations are not all in it
        render.error("archiver export: warning", f"{written.not_archived}: see data/report.json")
        raise typer.Exit(EXIT_PARTIAL)
