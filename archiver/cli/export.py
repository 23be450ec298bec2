"""`archiver export`: citation bundles (BagIt), as a folder or a zip."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..archive import Archive
from ..export import export
from .app import command, out, settings


@command("export", "Write a citation bundle (BagIt folder or .zip) for posts or a document.")
def export_cmd(
    ctx: typer.Context,
    posts: Annotated[list[str] | None, typer.Argument(help="Status ids or URLs.")] = None,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="A new folder or a .zip file.")
    ] = ...,  # type: ignore[assignment]
    document: Annotated[
        str | None,
        typer.Option("--document", help="Every post a document cites (its path or digest)."),
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="Every archived post.")] = False,
    warc: Annotated[bool, typer.Option("--warc", help="Add a WARC of the raw exchanges.")] = False,
    wacz: Annotated[
        bool, typer.Option("--wacz", help="Add a WACZ (the WARC, its index and pages).")
    ] = False,
) -> None:
    archive = Archive.open(settings(ctx).home)
    written = export(archive, settings(ctx), output, posts or [], document, everything, warc, wacz)
    out.print(f"bundle written to {written}", markup=False)
