"""The `archiver` app, its global options and the commands every archive has: init, stats."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from .. import __version__
from ..archive import Archive
from ..config import Settings, parse_connect_to
from ..errors import ArchiverError

EXAMPLES = {
    "init": "archiver --archive ./archive init",
    "stats": "archiver stats --json",
    "extract": "archiver extract seeds/ --jsonl",
    "archive": "archiver archive seeds/ https://x.com/jack/status/20",
    "retry": "archiver retry",
    "recheck": "archiver recheck 20",
    "show": "archiver show 20 --json",
    "verify": "archiver verify --since 30d",
    "export": "archiver export 20 -o bundle.zip",
    "similar": "archiver similar 20 --distance 8",
    "wayback": "archiver wayback 20",
    "list": "archiver list --state gone --document seeds/report.txt",
    "search": "archiver search 'حمص' --json",
    "serve": "archiver serve --port 8000",
}

app = typer.Typer(
    name="archiver",
    help="Preserve cited X/Twitter posts in a content-addressed archive with SHA-256 fixity.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


def command(name: str, summary: str) -> Callable[[F], F]:
    """Register a command whose ArchiverErrors become one line on stderr and their exit code."""

    def register(func: F) -> F:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except ArchiverError as exc:
                err.print(f"archiver {name}: error: {exc}", markup=False)
                raise typer.Exit(exc.exit_code) from None

        help_text = f"{summary}\n\nExample: {EXAMPLES[name]}"
        app.command(name, help=help_text, short_help=f"{summary}  e.g. {EXAMPLES[name]}")(run)
        return func

    return register


def settings(ctx: typer.Context) -> Settings:
    return ctx.obj


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _version(value: bool) -> None:
    if value:
        out.print(f"archiver {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    archive: Annotated[
        Path | None,
        typer.Option("--archive", help="Archive home (env ARCHIVER_HOME; default ./archive)."),
    ] = None,
    connect_to: Annotated[
        list[str] | None,
        typer.Option(
            "--connect-to",
            help="Send HOST's requests to an origin instead, e.g. '*=http://127.0.0.1:8901' "
            "(repeatable; env ARCHIVER_CONNECT_TO).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    try:
        ctx.obj = Settings.from_env()
        if connect_to:
            ctx.obj.connect_to.update(parse_connect_to(connect_to))
    except ArchiverError as exc:
        err.print(f"archiver: error: {exc}", markup=False)
        raise typer.Exit(exc.exit_code) from None
    if archive is not None:
        ctx.obj.home = archive


@command("init", "Create an empty archive (objects/, tmp/, archive.db).")
def init_cmd(ctx: typer.Context) -> None:
    home = settings(ctx).home
    Archive.open(home, create=True)
    out.print(f"archive ready at {home}", markup=False)


@command("stats", "Count posts, captures, blobs and bytes in the archive.")
def stats_cmd(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    counts = Archive.open(settings(ctx).home).stats()
    if as_json:
        emit_json(counts)
        return
    table = Table("what", "count", title=str(settings(ctx).home))
    for key, value in counts.items():
        table.add_row(key, f"{value:,}")
    out.print(table)
