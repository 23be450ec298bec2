"""`archiver show` and `similar`: one post with its captures, media, checks and digests; the
archived images that look like a post's. Everything a post says is shown, never obeyed."""

from __future__ import annotations

from typing import Annotated

import typer

from ..text import for_terminal
from . import render
from .app import command, emit_json, open_archive

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
TABLES = (
    ("media", ("kind", "rendition", "width", "height", "status", "digest")),
    ("captures", ("source", "http_status", "outcome", "fetched_at", "digest")),
    ("checks", ("at", "state", "source")),
)


@command("show", "Print one archived post with its captures, media, checks and digests.")
def show_cmd(
    ctx: typer.Context,
    post: Annotated[str, typer.Argument(metavar="POST", help="A status id or URL.")],
    as_json: JsonOpt = False,
) -> None:
    from rich.text import Text

    from ..views import post_view

    view = post_view(open_archive(ctx), post)
    if as_json:
        emit_json(view)
        return
    header = Text.assemble(
        (render.cell(view["author_name"], 200), "bold"),
        f" @{render.cell(view['handle'] or '?', 100)} · "
        f"{render.cell(view['created_at'] or 'date unknown')} · {render.cell(view['state'])}",
    )
    render.show(header)
    render.line(str(view["url"]))
    render.line(for_terminal(str(view["text"] or "")))
    render.line(f"record {view['record_digest']}")
    if view["trusted_time"]:
        render.line(render.cell(view["trusted_time"], 200))
    for note in view.get("notes") or []:  # what the record lacks, times that disagree
        render.line(f"note: {render.cell(note, 300)}")
    for title, keys in TABLES:
        rows = view[title]
        render.show(render.table(keys, ([row.get(k) for k in keys] for row in rows), title))  # type: ignore[attr-defined]


@command("similar", "List archived images that look like a post's (re-posts, crops, re-encodings).")
def similar_cmd(
    ctx: typer.Context,
    post: Annotated[
        str, typer.Argument(metavar="POST|DIGEST", help="A status id, URL or image digest.")
    ],
    distance: Annotated[
        int,
        typer.Option(
            "--distance", min=0, max=64, metavar="BITS", help="Most differing bits of 64."
        ),
    ] = 10,
    as_json: JsonOpt = False,
) -> None:
    from ..views import similar_images

    found = similar_images(open_archive(ctx), post, distance)
    if as_json:
        emit_json(found)
        return
    rows = (
        (
            f["distance"],
            f["status_id"],
            f["handle"],
            f["kind"],
            f"{f['width']}x{f['height']}",
            f["digest"],
        )
        for f in found
    )
    render.show(render.table(("distance", "post", "handle", "kind", "size", "digest"), rows))
