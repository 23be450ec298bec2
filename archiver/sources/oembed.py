"""publish.twitter.com/oembed: the embed code, read as a citing document would be."""

from __future__ import annotations

from ..record import PostRecord
from ..refs import scan
from .base import Reading, Source, Target, load_json


class OEmbed(Source):
    name = "oembed"

    def url(self, target: Target) -> str:
        # The status URL is appended unencoded, as the embed widgets do.
        return (
            "https://publish.twitter.com/oembed?url=https://twitter.com/"
            f"{target.handle or 'i'}/status/{target.status_id}"
        )

    def parse(self, status: int, body: bytes, target: Target) -> Reading:
        if status in (403, 404, 410):
            state = "protected" if status == 403 else "unavailable"
            return Reading("gone", state=state, reason=f"oembed: HTTP {status}")
        data, problem = load_json(body)
        if problem or not isinstance(data, dict):
            return Reading("error", reason=f"oembed: {problem or 'not a JSON object'}")
        embeds = [
            r
            for r in scan(str(data.get("html") or ""), "oembed", is_html=True)
            if r.kind == "attribution" and r.status_id == target.status_id
        ]
        if status != 200 or not embeds:
            return Reading("error", reason=f"oembed: HTTP {status}, no embed of this post")
        embed = embeds[0]
        author_url = str(data.get("author_url") or "")
        return Reading(
            "found",
            record=PostRecord(
                status_id=target.status_id,
                source=self.name,
                handle=author_url.rstrip("/").rsplit("/", 1)[-1] or embed.handle,
                author_name=data.get("author_name") or embed.author_name,
                text=embed.text,
                text_expanded=embed.text,
            ),
        )
