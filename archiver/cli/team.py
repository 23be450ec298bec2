"""`archiver work` and `archiver migrate`: a team archive's workers, and moving an embedded
archive into one."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import EXIT_OK, EXIT_PROBLEM
from . import render
from .app import command, emit_json, open_archive, settings, verbosity


@command(
    "work",
    "Run the queue's jobs as they come, until stopped (SIGTERM): a team archive's worker.",
)
def work_cmd(
    ctx: typer.Context,
    drain: Annotated[
        bool, typer.Option("--drain", help="Stop once no job is due or held by another worker.")
    ] = False,
    sources: Annotated[
        str | None,
        typer.Option("--sources", metavar="NAMES", help="Sources to ask, in order."),
    ] = None,
) -> None:
    from .. import capture
    from .archive import _options

    archive = open_archive(ctx)
    with render.progress("work", verbosity(ctx)) as progress:
        ran = capture.work(archive, settings(ctx), _options(sources, False, False), progress, drain)
    render.line(f"ran {ran:,} jobs")


@command("migrate", "Copy an embedded archive into a team archive (PostgreSQL + S3), verified.")
def migrate_cmd(
    ctx: typer.Context,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="URL",
            help="The team archive's database, postgresql://… (default: the database setting).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    from dataclasses import replace

    from ..migrate import migrate
    from ..team import Place

    given = settings(ctx)
    place = Place.of(replace(given, database=to or given.database))
    with render.progress("migrate", verbosity(ctx)) as progress:
        done = migrate(given.home, place, progress)
    if as_json:
        emit_json(done.to_dict())
    else:
        copied = sum(done.rows.values())
        render.line(
            f"sent {done.blobs_sent:,} blobs ({done.blobs_there:,} there already), "
            f"copied {copied:,} rows: {'verified' if done.ok else 'PROBLEMS FOUND'}"
        )
        for digest in done.missing:
            render.error("archiver migrate: missing", f"{digest}: not in {given.home}")
        for table in done.differs:
            render.error("archiver migrate: problem", f"table {table}: the copy's rows differ")
        for problem in done.report.problems if done.report else []:
            render.error("archiver migrate: problem", f"{problem.digest}: {problem.problem}")
    raise typer.Exit(EXIT_OK if done.ok else EXIT_PROBLEM)
