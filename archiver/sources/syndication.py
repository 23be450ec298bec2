"""cdn.syndication.twimg.com/tweet-result: the payload behind embedded posts."""

from __future__ import annotations

import html
import math

from ..fence import fence
from ..record import MediaItem, PostRecord, expand_links, from_twitter_date, pick_counts
from ..vocab import Outcome, PostState
from .base import Reading, Source, Target, load_object, state_from_text

FEATURES = (
    (
        "tfw_timeline_list:;tfw_follower_count_sunset:true;tfw_tweet_edit_backend:on;"
        "tfw_refsrc_session:on;tfw_fosnr_soft_interventions_enabled:on;"
        "tfw_show_birdwatch_pivots_enabled:on;tfw_show_business_verified_badge:on;"
        "tfw_duplicate_scribes_to_settings:on;tfw_use_profile_image_shape_enabled:on;"
        "tfw_show_blue_verified_badge:on;tfw_legacy_timeline_sunset:true;"
        "tfw_show_gov_verified_badge:on;tfw_show_business_affiliate_badge:on;"
        "tfw_tweet_edit_frontend:on"
    )
    .replace(":", "%3A")
    .replace(";", "%3B")
)
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
CARD_IMAGES = (
    "photo_image_full_size_original",
    "summary_photo_image_original",
    "thumbnail_image_original",
    "player_image_original",
    "photo_image_full_size_large",
    "summary_photo_image_large",
    "thumbnail_image_large",
)


def js_radix(value: float, radix: int = 36) -> str:
    """JavaScript's `Number.prototype.toString(radix)` for a positive double (V8's algorithm:
    fraction digits until the value is told apart from its neighbours)."""
    integer = math.floor(value)
    fraction = value - integer
    delta = max(0.5 * (math.nextafter(value, math.inf) - value), math.nextafter(0.0, 1.0))
    digits: list[int] = []
    if fraction >= delta:
        while True:
            fraction *= radix
            delta *= radix
            digit = int(fraction)
            digits.append(digit)
            fraction -= digit
            if (fraction > 0.5 or (fraction == 0.5 and digit & 1)) and fraction + delta > 1:
                while digits and digits[-1] + 1 >= radix:  # carry back through the digits
                    digits.pop()
                if digits:
                    digits[-1] += 1
                else:
                    integer += 1
                break
            if fraction < delta:
                break
    head = ""
    while True:
        integer, remainder = divmod(integer, radix)
        head = DIGITS[int(remainder)] + head
        if integer == 0:
            break
    return head + ("." + "".join(DIGITS[d] for d in digits) if digits else "")


def token(status_id: str) -> str:
    """The token the embed widget sends: `((id / 1e15) * π).toString(36)` without 0s and '.'."""
    text = js_radix((float(status_id) / 1e15) * math.pi)
    return text.replace("0", "").replace(".", "")


def _media(details: list[dict]) -> list[MediaItem]:
    items = []
    for item in details:
        kind = {"animated_gif": "gif"}.get(item.get("type", ""), item.get("type", "photo"))
        info = item.get("original_info") or {}
        variants = (item.get("video_info") or {}).get("variants") or []
        mp4 = [v for v in variants if v.get("content_type") == "video/mp4"]
        best = max(mp4, key=lambda v: v.get("bitrate") or 0) if mp4 else None
        items.append(
            MediaItem(
                kind=kind,
                url=best["url"]
                if best
                else (variants[0]["url"] if variants else item.get("media_url_https", "")),
                width=info.get("width"),
                height=info.get("height"),
                duration_ms=(item.get("video_info") or {}).get("duration_millis"),
                alt_text=item.get("ext_alt_text"),
                variants=[
                    {
                        "url": v.get("url"),
                        "bitrate": v.get("bitrate"),
                        "type": v.get("content_type"),
                    }
                    for v in variants
                ],
                poster=item.get("media_url_https") if kind != "photo" else None,
            )
        )
    return items


def record(tweet: dict, source: str = "syndication") -> PostRecord:
    user = tweet.get("user") or {}
    text = html.unescape(tweet.get("text") or "")
    entities = tweet.get("entities") or {}
    urls = entities.get("urls") if isinstance(entities.get("urls"), list) else []
    card = tweet.get("card") or {}
    values = card.get("binding_values") or {}
    card_url = (values.get("card_url") or {}).get("string_value") or card.get("url")
    card_image = next(
        (
            values[k]["image_value"]["url"]
            for k in CARD_IMAGES
            if (values.get(k) or {}).get("image_value", {}).get("url")
        ),
        None,
    )
    quoted = tweet.get("quoted_tweet") or {}
    return PostRecord(
        status_id=str(tweet.get("id_str")),
        source=source,
        handle=user.get("screen_name"),
        author_name=user.get("name"),
        author_id=user.get("id_str"),
        author_avatar=user.get("profile_image_url_https"),
        created_at=from_twitter_date(tweet.get("created_at")),
        text=text,
        text_expanded=expand_links(text, urls),
        lang=tweet.get("lang"),
        reply_to_status_id=tweet.get("in_reply_to_status_id_str"),
        quoted_status_id=quoted.get("id_str"),
        counts=pick_counts(
            tweet,
            likes="favorite_count",
            replies="conversation_count",
            reposts="retweet_count",
            quotes="quote_count",
        ),
        card_url=card_url,
        card_image=card_image,
        community_note=((tweet.get("birdwatch_pivot") or {}).get("subtitle") or {}).get("text"),
        note_tweet=bool(tweet.get("note_tweet")),
        media=_media(tweet.get("mediaDetails") or []),
    )


class Syndication(Source):
    name = "syndication"
    fence = fence("syndication", "cdn.syndication.twimg.com")

    def url(self, target: Target) -> str:
        return (
            "https://cdn.syndication.twimg.com/tweet-result?id="
            f"{target.status_id}&lang=en&features={FEATURES}&token={token(target.status_id)}"
        )

    def parse(self, status: int, body: bytes, target: Target) -> Reading:
        if status == 404:
            return Reading(
                Outcome.NOT_FOUND, state=PostState.UNAVAILABLE, reason="syndication: 404 not found"
            )
        data, failed = load_object(self.name, body)
        if data is None:
            return failed  # type: ignore[return-value]
        if status != 200:
            return Reading(
                Outcome.ERROR, reason=f"syndication: HTTP {status} {data.get('error', '')}".strip()
            )
        if "data" in data and isinstance(data["data"], dict) and "__typename" not in data:
            data = data["data"]  # the {"data": tweet} wrapper some proxies add
        kind = data.get("__typename")
        if kind == "TweetTombstone":
            text = ((data.get("tombstone") or {}).get("text") or {}).get("text") or "tombstone"
            return Reading(Outcome.GONE, state=state_from_text(text), reason=f"syndication: {text}")
        if not data:
            return Reading(
                Outcome.NOT_FOUND,
                state=PostState.UNAVAILABLE,
                reason="syndication: empty answer ({})",
            )
        if kind not in (None, "Tweet") or not data.get("id_str"):
            return Reading(Outcome.ERROR, reason=f"syndication: unexpected payload ({kind})")
        return Reading(Outcome.FOUND, record=record(data))
