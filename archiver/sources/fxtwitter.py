"""api.fxtwitter.com: FxEmbed's status API (v2 path; v1 and v2 payload shapes are both read)."""

from __future__ import annotations

from ..fence import fence
from ..record import MediaItem, PostRecord, from_epoch, from_twitter_date, pick_counts
from ..vocab import Outcome
from .base import REFUSALS, Reading, Source, Target, load_object, refusal


def _media(media: dict) -> list[MediaItem]:
    items = []
    entries = media.get("all") or [*(media.get("photos") or []), *(media.get("videos") or [])]
    for item in entries:
        kind = {"photo": "photo", "gif": "gif"}.get(item.get("type", ""), "video")
        variants = [
            {"url": v.get("url"), "bitrate": v.get("bitrate"), "type": v.get("content_type")}
            for v in item.get("variants") or []
        ]
        items.append(
            MediaItem(
                kind=kind,
                url=item.get("url", ""),
                width=item.get("width"),
                height=item.get("height"),
                duration_ms=int(item["duration"] * 1000) if item.get("duration") else None,
                alt_text=item.get("altText") or item.get("alt_text"),
                variants=variants,
                poster=item.get("thumbnail_url"),
            )
        )
    return items


def record(status: dict, source: str = "fxtwitter") -> PostRecord:
    author = status.get("author") or {}
    raw = status.get("raw_text") or {}
    quote = status.get("quote") or {}
    note = status.get("community_note") or {}
    return PostRecord(
        status_id=str(status.get("id")),
        source=source,
        handle=author.get("screen_name"),
        author_name=author.get("name"),
        author_id=str(author["id"]) if author.get("id") else None,
        author_avatar=author.get("avatar_url"),
        created_at=from_epoch(status.get("created_timestamp"))
        or from_twitter_date(status.get("created_at")),
        text=raw.get("text") or status.get("text"),
        text_expanded=status.get("text"),
        lang=status.get("lang"),
        reply_to_status_id=status.get("replying_to_status"),
        quoted_status_id=str(quote["id"]) if quote.get("id") else None,
        counts=pick_counts(
            status,
            likes="likes",
            reposts="retweets",
            replies="replies",
            views="views",
            quotes="quotes",
        ),
        card_url=(status.get("card") or {}).get("url"),
        community_note=(note.get("text") if isinstance(note, dict) else None),
        media=_media(status.get("media") or {}),
    )


class FxTwitter(Source):
    name = "fxtwitter"
    fence = fence("fxtwitter", "api.fxtwitter.com")

    def url(self, target: Target) -> str:
        return f"https://api.fxtwitter.com/2/status/{target.status_id}"

    def parse(self, status: int, body: bytes, target: Target) -> Reading:
        data, failed = load_object(self.name, body)
        if data is None:
            return failed  # type: ignore[return-value]
        post = data.get("status") or data.get("tweet")
        if status == 200 and isinstance(post, dict) and post.get("id"):
            return Reading(Outcome.FOUND, record=record(post))
        message = " ".join(str(data.get(k)) for k in ("message", "reason") if data.get(k))
        message = message or f"HTTP {status}"
        return refusal(self.name, status if status in REFUSALS else data.get("code"), message)
