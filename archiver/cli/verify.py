"""`archiver verify`: fixity of every byte in the archive, or of a bundle."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn
from rich.table import Table

from ..archive import Archive
from ..errors import EXIT_OK, EXIT_PROBLEM
from ..export.check import check_bundle
from ..verify import parse_duration, verify
from .app import command, emit_json, err, out, settings


@command("verify", "Re-hash every blob and check every row's blob is there and whole.")
def verify_cmd(
    ctx: typer.Context,
    bundle: Annotated[
        Path | None, typer.Argument(help="A bundle (folder or .zip) to check without the archive.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only blobs not verified for this long (e.g. 30d, 12h)."),
    ] = None,
    sample: Annotated[
        int | None, typer.Option("--sample", help="A random sample of N blobs.")
    ] = None,
    repair_from: Annotated[
        Path | None,
        typer.Option(
            "--repair", help="Restore missing or corrupt objects from this archive or bundle."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    window = parse_duration(since) if since else None
    if bundle is not None:
        report = check_bundle(bundle)
    elif err.is_terminal and not as_json:
        archive = Archive.open(settings(ctx).home)
        with Progress(
            BarColumn(), DownloadColumn(), TransferSpeedColumn(), console=err, transient=True
        ) as bar:
            task = bar.add_task("verify", total=None)
            report = verify(
                archive, window, sample, repair_from, progress=lambda n: bar.advance(task, n)
            )
    else:
        report = verify(Archive.open(settings(ctx).home), window, sample, repair_from)
    if as_json:
        emit_json(report.to_dict())
    else:
        if report.problems:
            table = Table("digest", "problem", "affects")
            for p in report.problems:
                table.add_row(p.digest or "", p.problem, "; ".join(p.affects[:3]))
            out.print(table)
        for line in report.repaired:
            out.print(f"repaired {line}", markup=False)
        rate = report.bytes / report.seconds / 1e6 if report.seconds else 0
        verdict = "ok" if report.ok else "PROBLEMS FOUND"
        out.print(
            f"checked {report.checked:,} blobs, {report.bytes:,} bytes in "
            f"{report.seconds:.2f} s ({rate:.0f} MB/s): {verdict}",
            markup=False,
        )
    raise typer.Exit(EXIT_OK if report.ok else EXIT_PROBLEM)
