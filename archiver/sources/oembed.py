"""publish.twitter.com/oembed: the embed code, read as a citing document would be."""

from __future__ import annotations

from ..fence import fence
from ..record import PostRecord
from ..refs import scan
from ..vocab import Outcome, PostState
from .base import Reading, Source, Target, load_object


class OEmbed(Source):
    name = "oembed"
    fence = fence("oembed", "publish.twitter.com publish.x.com")

    def url(self, target: Target) -> str:
        # The status URL is appended unencoded, as the embed widgets do.
        return (
            "https://publish.twitter.com/oembed?url=https://twitter.com/"
            f"{target.handle or 'i'}/status/{target.status_id}"
        )

    def parse(self, status: int, body: bytes, target: Target) -> Reading:
        if status in (403, 404, 410):
            state = PostState.PROTECTED if status == 403 else PostState.UNAVAILABLE
            return Reading(Outcome.GONE, state=state, reason=f"oembed: HTTP {status}")
        data, failed = load_object(self.name, body)
        if data is None:
            return failed  # type: ignore[return-value]
        embeds = [
            r
            for r in scan(str(data.get("html") or ""), "oembed", is_html=True)
            if r.kind == "attribution" and r.status_id == target.status_id
        ]
        if status != 200 or not embeds:
            return Reading(Outcome.ERROR, reason=f"oembed: HTTP {status}, no embed of this post")
        embed = embeds[0]
        author_url = str(data.get("author_url") or "")
        return Reading(
            Outcome.FOUND,
            record=PostRecord(
                status_id=target.status_id,
                source=self.name,
                handle=author_url.rstrip("/").rsplit("/", 1)[-1] or embed.handle,
                author_name=data.get("author_name") or embed.author_name,
                text=embed.text,
                text_expanded=embed.text,
            ),
        )
