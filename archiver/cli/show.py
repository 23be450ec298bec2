"""`archiver show`: one post with its captures, media, checks and digests."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ..archive import Archive
from ..views import post_view, similar_images
from .app import command, emit_json, out, settings


@command("show", "Print one archived post with its captures, media, checks and digests.")
def show_cmd(
    ctx: typer.Context,
    post: Annotated[str, typer.Argument(help="A status id or URL.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    view = post_view(Archive.open(settings(ctx).home), post)
    if as_json:
        emit_json(view)
        return
    out.print(
        f"[bold]{view['author_name'] or ''}[/] @{view['handle'] or '?'} · "
        f"{view['created_at'] or 'date unknown'} · {view['state']}"
    )
    out.print(view["url"], markup=False)
    out.print(view["text"] or "", markup=False)
    out.print(f"record {view['record_digest']}", markup=False)
    for title, rows, keys in (
        ("media", view["media"], ("kind", "rendition", "width", "height", "status", "digest")),
        (
            "captures",
            view["captures"],
            ("source", "http_status", "outcome", "fetched_at", "digest"),
        ),
        ("checks", view["checks"], ("at", "state", "source")),
    ):
        table = Table(*keys, title=title)
        for row in rows:  # type: ignore[attr-defined]
            table.add_row(*(str(row.get(k) if row.get(k) is not None else "") for k in keys))
        out.print(table)


@command("similar", "List archived images that look like a post's (re-posts, crops, re-encodings).")
def similar_cmd(
    ctx: typer.Context,
    post: Annotated[str, typer.Argument(help="A status id, URL or image digest.")],
    distance: Annotated[int, typer.Option("--distance", help="Most differing bits of 64.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    found = similar_images(Archive.open(settings(ctx).home), post, distance)
    if as_json:
        emit_json(found)
        return
    table = Table("distance", "post", "handle", "kind", "size", "digest")
    for f in found:
        table.add_row(
            str(f["distance"]),
            str(f["status_id"]),
            str(f["handle"] or ""),
            str(f["kind"]),
            f"{f['width']}x{f['height']}",
            str(f["digest"]),
        )
    out.print(table)
