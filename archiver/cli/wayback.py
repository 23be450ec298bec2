"""`archiver wayback`: ask the Wayback Machine for a public copy of archived posts."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ..errors import EXIT_OK, EXIT_PARTIAL
from .app import command, emit_json, out, settings


@command("wayback", "Ask the Wayback Machine to keep a public copy of posts (Save Page Now).")
def wayback_cmd(
    ctx: typer.Context,
    posts: Annotated[list[str], typer.Argument(help="Status ids or URLs of archived posts.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    from .. import capture
    from ..archive import Archive

    done = capture.wayback(Archive.open(settings(ctx).home), settings(ctx), posts)
    if as_json:
        emit_json(done)
    else:
        table = Table("post", "outcome", "snapshot or reason")
        for row in done:
            table.add_row(
                str(row["status_id"]),
                str(row["outcome"]),
                str(row["snapshot_url"] or row["reason"] or ""),
            )
        out.print(table)
    raise typer.Exit(EXIT_OK if all(r["snapshot_url"] for r in done) else EXIT_PARTIAL)
