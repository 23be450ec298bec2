"""`archiver verify`: fixity of every byte in the archive, or of a bundle."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import EXIT_OK, EXIT_PROBLEM
from . import render
from .app import command, emit_json, open_archive, settings, verbosity


@command("verify", "Re-hash every blob and check every row's blob is there and whole.")
def verify_cmd(
    ctx: typer.Context,
    bundle: Annotated[
        Path | None,
        typer.Argument(
            metavar="[BUNDLE]", help="A bundle (folder or .zip) to check without the archive."
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", metavar="DURATION", help="Only blobs not verified for this long (30d, 12h)."
        ),
    ] = None,
    sample: Annotated[
        int | None,
        typer.Option("--sample", min=0, metavar="N", help="A random sample of N blobs."),
    ] = None,
    repair_from: Annotated[
        Path | None,
        typer.Option(
            "--repair",
            metavar="FROM",
            help="Restore missing or corrupt objects from this archive or bundle.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    from ..verify import check_bundle, parse_duration, verify

    window = parse_duration(since) if since else None
    with render.progress("verify", verbosity(ctx)) as progress:
        roots = settings(ctx).tsa_roots
        if bundle is not None:
            report = check_bundle(bundle, progress, roots)
        else:
            archive = open_archive(ctx)
            report = verify(
                archive, window, sample, repair_from, progress=progress, tsa_roots=roots
            )
    if as_json:
        emit_json(report.to_dict())
        raise typer.Exit(EXIT_OK if report.ok else EXIT_PROBLEM)
    if report.problems:
        rows = ((p.digest, p.problem, "; ".join(p.affects[:3])) for p in report.problems)
        render.show(render.table(("digest", "problem", "affects"), rows))
    for line in report.stamps:
        render.line(render.cell(line, 300))
    for repaired in report.repaired:
        render.line(f"repaired {repaired}")
    if verbosity(ctx):
        for warning in report.warnings:
            render.error("archiver verify: warning", warning)
    rate = report.bytes / report.seconds / 1e6 if report.seconds else 0
    noun = "post" if report.queued == 1 else "posts"
    queued = f", {report.queued:,} {noun} still queued" if report.queued else ""
    verdict = "ok" if report.ok else "PROBLEMS FOUND"
    if (
        report.unchecked
    ):  # said with the verdict, even with -q: the bag holds more than it vouches for
        shown = ", ".join(render.cell(name, 80) for name in report.unchecked[:5])
        more = f" and {len(report.unchecked) - 5:,} more" if len(report.unchecked) > 5 else ""
        verdict += f"; not checked, in no manifest: {shown}{more}"
    render.line(
        f"checked {report.checked:,} {report.unit}, {report.bytes:,} bytes in "
        f"{report.seconds:.2f} s ({rate:.0f} MB/s){queued}: {verdict}"
    )
    raise typer.Exit(EXIT_OK if report.ok else EXIT_PROBLEM)
