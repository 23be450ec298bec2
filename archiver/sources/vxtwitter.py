"""api.vxtwitter.com: BetterTwitFix's status API. A repost is answered as itself ("RT @…"), with
the reposted post nested whole under `retweet` (or only named by `retweetURL`, when it could
not fetch it); a quote carries the quoted post under `qrt` (a repost's `qrt` is its original's),
or names it by `qrtURL` alone when it could not fetch it.

A post it cannot fetch (deleted, private, suspended, or Twitter failing it) is answered with its
HTML message page, HTTP 200, "Failed to scan your link! …": it does not have the post."""

from __future__ import annotations

from ..fence import fence
from ..record import MediaItem, PostRecord, from_epoch, from_twitter_date, pick_counts
from ..vocab import Outcome, PostState
from .base import (
    Reading,
    Source,
    Target,
    dig,
    load_object,
    obj,
    objects,
    poll_choices,
    refusal,
    status_id_in,
)

FAILED_TO_SCAN = b"Failed to scan your link!"


def failure_page(body: bytes) -> bool:
    """vxTwitter's HTML page for a post it could not fetch (not any other HTML)."""
    head = body[: 64 * 1024]
    return head.lstrip()[:1] == b"<" and FAILED_TO_SCAN in head


def _poll(data: object) -> dict[str, object]:
    choices = poll_choices(dig(data, "options"), "name", "votes")
    return {"choices": choices} if choices else {}


def record(data: dict, source: str = "vxtwitter") -> tuple[PostRecord, list[PostRecord]]:
    """The post's record, and those of the quoted and the reposted post it carries."""
    media = []
    for item in objects(data.get("media_extended")):
        size = obj(item.get("size"))
        media.append(
            MediaItem(
                kind={"image": "photo"}.get(
                    str(item.get("type")), str(item.get("type") or "photo")
                ),
                url=item.get("url", ""),
                width=size.get("width"),
                height=size.get("height"),
                duration_ms=item.get("duration_millis") or None,
                alt_text=item.get("altText"),
                poster=item.get("thumbnail_url") if item.get("type") != "image" else None,
            )
        )
    quoted, reposted = obj(data.get("qrt")), obj(data.get("retweet"))
    # A repost: its original whole under `retweet`, or only named by `retweetURL` (when
    # BetterTwitFix could not fetch it). Its `qrt` is then what the original quotes.
    original = str(reposted.get("tweetID") or status_id_in(data.get("retweetURL")) or "") or None
    note = data.get("communityNote")
    post = PostRecord(
        status_id=str(data.get("tweetID")),
        source=source,
        handle=data.get("user_screen_name"),
        author_name=data.get("user_name"),
        author_avatar=data.get("user_profile_image_url"),
        created_at=from_epoch(data.get("date_epoch")) or from_twitter_date(data.get("date")),
        text=data.get("text"),
        text_expanded=data.get("text"),
        lang=data.get("lang"),
        reply_to_status_id=data.get("replyingToID"),
        reply_to_handle=data.get("replyingTo"),
        # `qrtURL` alone when BetterTwitFix could not fetch the quoted post (`qrt` null)
        quoted_status_id=None
        if original
        else str(quoted.get("tweetID") or status_id_in(data.get("qrtURL")) or "") or None,
        repost_of_status_id=original,
        counts=pick_counts(data, likes="likes", reposts="retweets", replies="replies"),
        community_note=note if isinstance(note, str) else None,
        media=media,
        possibly_sensitive=data.get("possibly_sensitive"),
        poll=_poll(data.get("pollData")),
    )
    embedded = []
    for other in (quoted, reposted):
        if other.get("tweetID"):
            copy, more = record(other, source)
            embedded += [copy, *more]
    return post, embedded


class VxTwitter(Source):
    name = "vxtwitter"
    fence = fence("vxtwitter", "api.vxtwitter.com")
    # BetterTwitFix expands only the links of a long post's first 280 characters, and keeps
    # only what comes before the first link left (stripEndTCO): its text may stop early
    cut_text = "a long post's text up to the first link it left unexpanded"

    def url(self, target: Target) -> str:
        return f"https://api.vxtwitter.com/{target.handle or 'i'}/status/{target.status_id}"

    def parse(self, status: int, body: bytes, target: Target) -> Reading:
        if failure_page(body):
            return Reading(
                Outcome.NOT_FOUND,
                state=PostState.UNAVAILABLE,
                reason=f"vxtwitter: {FAILED_TO_SCAN.decode()} (its HTML page, not the post)",
            )
        data, failed = load_object(self.name, body)
        if data is None:
            return failed  # type: ignore[return-value]
        if status == 200 and data.get("tweetID"):
            found, embedded = record(data)
            return Reading(Outcome.FOUND, record=found, embedded=embedded)
        message = str(data.get("error") or data.get("message") or f"HTTP {status}")
        return refusal(self.name, status, message)
