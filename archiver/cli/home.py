"""`archiver init`, `stats` and `config`: the archive itself and the settings in force."""

from __future__ import annotations

from typing import Annotated

import typer

from . import render
from .app import command, emit_json, open_archive, settings

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@command("init", "Create an empty archive (objects/, tmp/, archive.db).")
def init_cmd(ctx: typer.Context) -> None:
    home = settings(ctx).home
    open_archive(ctx, create=True)
    render.line(f"archive ready at {home}")


@command("stats", "Count posts, captures, blobs and bytes in the archive.")
def stats_cmd(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    home = settings(ctx).home
    counts = open_archive(ctx).stats()
    if as_json:
        emit_json(counts)
        return
    render.show(
        render.table(("what", "count"), ((k, f"{v:,}") for k, v in counts.items()), str(home))
    )


@command("config", "Show the settings in force and where each came from.")
def config_cmd(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    rows = settings(ctx).describe()
    if as_json:
        emit_json({row["name"]: {"value": row["value"], "from": row["from"]} for row in rows})
        return
    render.show(
        render.table(
            ("setting", "value", "from"), ((r["name"], r["shown"], r["from"]) for r in rows)
        )
    )
