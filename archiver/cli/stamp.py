"""`archiver stamp`: have the TSAs of `tsa_urls` stamp runs that are not stamped yet."""

from __future__ import annotations

from typing import Annotated

import typer

from . import render
from .app import command, emit_json, open_archive, settings


@command("stamp", "Have time-stamping authorities (tsa_urls) stamp runs not stamped yet.")
def stamp_cmd(
    ctx: typer.Context,
    runs: Annotated[
        list[int] | None,
        typer.Argument(
            metavar="[RUN]...", min=1, help="Run numbers (default: every unstamped run)."
        ),
    ] = None,
    pending: Annotated[
        bool, typer.Option("--pending", help="Every run not stamped yet (the default).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    from ..errors import EXIT_OK, EXIT_PARTIAL
    from ..stamp.runs import stamp_pending

    if runs and pending:
        raise typer.BadParameter("name runs or give --pending, not both")
    done = stamp_pending(open_archive(ctx), settings(ctx), runs or None)
    rows = [
        {
            "run": d.run,
            "custody_digest": d.custody_digest,
            "stamps": [s.to_dict() for s in d.stamps],
            "failures": [str(f) for f in d.failures],
        }
        for d in done
    ]
    if as_json:
        emit_json(rows)
    else:
        lines = (
            (
                d.run,
                d.custody_digest,
                "; ".join([s.summary for s in d.stamps] + [str(f) for f in d.failures]),
            )
            for d in done
        )
        render.show(render.table(("run", "custody record", "stamps"), lines))
        render.line(f"{sum(1 for d in done if d.stamps)} of {len(done)} runs stamped")
    raise typer.Exit(EXIT_OK if all(d.stamps for d in done) else EXIT_PARTIAL)
