"""`archiver extract`: list the references documents cite."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import EXIT_USAGE
from ..refs import extract_paths
from .app import command, err, out


@command("extract", "List every post, short link, embed and account that documents cite.")
def extract_cmd(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (recursively) or - for stdin.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON array.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Print one JSON object per line.")] = False,
) -> None:
    table = Table("where", "kind", "post", "handle", "what", show_lines=False)
    failed, count = False, 0
    if as_json:
        sys.stdout.write("[")
    for doc in extract_paths(paths, stdin=sys.stdin.buffer):
        for ref in doc.refs:
            data = ref.to_dict()
            if as_json:
                sys.stdout.write(
                    ("\n" if count == 0 else ",\n") + json.dumps(data, ensure_ascii=False)
                )
            elif jsonl:
                sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            else:
                table.add_row(
                    f"{Path(ref.document).name}:{ref.line}:{ref.column}",
                    ref.kind,
                    ref.status_id or (f"in {ref.in_post}" if ref.in_post else ""),
                    ref.handle or "",
                    _summary(ref.text or ref.url or ref.match),
                )
            count += 1
        if doc.error:
            err.print(f"archiver extract: error: {doc.document}: {doc.error}", markup=False)
            failed = True
        for warning in doc.warnings:
            err.print(f"archiver extract: warning: {doc.document}: {warning}", markup=False)
    if as_json:
        sys.stdout.write("\n]\n")
    elif not jsonl:
        out.print(table)
        out.print(f"{count} references", markup=False)
    if failed:
        raise typer.Exit(EXIT_USAGE)


def _summary(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
