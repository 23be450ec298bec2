"""`archiver wayback`: ask the Wayback Machine for a public copy of archived posts."""

from __future__ import annotations

from typing import Annotated

import typer

from . import render
from .app import command, emit_json, open_archive, settings, verbosity


@command("wayback", "Ask the Wayback Machine to keep a public copy of posts (Save Page Now).")
def wayback_cmd(
    ctx: typer.Context,
    posts: Annotated[
        list[str], typer.Argument(metavar="POST...", help="Status ids or URLs of archived posts.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    from .. import capture
    from ..errors import EXIT_OK, EXIT_PARTIAL

    with render.progress("wayback", verbosity(ctx)) as progress:
        done = capture.wayback(open_archive(ctx), settings(ctx), posts, progress)
    if as_json:
        emit_json(done)
    else:
        rows = ([r["status_id"], r["outcome"], r["snapshot_url"] or r["reason"]] for r in done)
        render.show(render.table(("post", "outcome", "snapshot or reason"), rows))
    raise typer.Exit(EXIT_OK if all(r["snapshot_url"] for r in done) else EXIT_PARTIAL)
