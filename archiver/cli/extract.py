"""`archiver extract`: list the references documents cite."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import EXIT_USAGE
from ..text import json_safe
from . import render
from .app import command, settings, verbosity


@command("extract", "List every post, short link, embed and account that documents cite.")
def extract_cmd(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH...", help="Files, folders (recursively) or - for stdin."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON array.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Print one JSON object per line.")] = False,
) -> None:
    from ..refs import extract_paths

    settings(ctx)  # a bad setting is an error here too (nitter_hosts shapes what is found)
    rows: list[tuple[str, ...]] = []
    failed, count = False, 0
    if as_json:
        render.write("[")
    for doc in extract_paths(paths, stdin=sys.stdin.buffer):
        for ref in doc.refs:
            data = ref.to_dict()
            if as_json:
                render.write(("\n" if count == 0 else ",\n") + _json(data))
            elif jsonl:
                render.write(_json(data) + "\n")
            else:
                rows.append(
                    (
                        f"{Path(ref.document).name}:{ref.line}:{ref.column}",
                        ref.kind,
                        ref.status_id or (f"in {ref.in_post}" if ref.in_post else ""),
                        ref.handle or "",
                        render.cell(ref.text or ref.url or ref.match, 70),
                    )
                )
            count += 1
        if doc.error:
            render.error(f"archiver extract: error: {doc.document}", doc.error)
            failed = True
        if verbosity(ctx):
            for warning in doc.warnings:
                render.error(f"archiver extract: warning: {doc.document}", warning)
    if as_json:
        render.write("\n]\n")
    elif not jsonl:
        render.show(render.table(("where", "kind", "post", "handle", "what"), rows))
        render.line(f"{count} references")
    if failed:
        raise typer.Exit(EXIT_USAGE)


def _json(data: object) -> str:
    return json_safe(json.dumps(data, ensure_ascii=False))
