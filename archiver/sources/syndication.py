"""cdn.syndication.twimg.com/tweet-result: the payload behind embedded posts."""

from __future__ import annotations

import math

from ..fence import fence
from ..vocab import Outcome, PostState
from .base import Reading, Source, Target, dig, load_object, state_from_text
from .v11 import read_tweet

EMPTY_TOMBSTONE = (
    "syndication: an empty tombstone (the post exists but is hidden from signed-out viewers: "
    "age-restricted or sensitive)"
)

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


class Syndication(Source):
    name = "syndication"
    cut_text = "a long post's first 280 characters"
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
        if data.get("__typename") == "TweetWithVisibilityResults" and isinstance(
            data.get("tweet"), dict
        ):
            data = {"__typename": "Tweet", **data["tweet"]}  # the GraphQL wrapper
        kind = data.get("__typename")
        if kind == "TweetTombstone":
            text = dig(data, "tombstone", "text", "text")
            if not isinstance(text, str) or not text.strip():
                return Reading(Outcome.GONE, state=PostState.AGE_RESTRICTED, reason=EMPTY_TOMBSTONE)
            return Reading(Outcome.GONE, state=state_from_text(text), reason=f"syndication: {text}")
        if not data:
            return Reading(
                Outcome.NOT_FOUND,
                state=PostState.UNAVAILABLE,
                reason="syndication: empty answer ({})",
            )
        if kind not in (None, "Tweet") or not data.get("id_str"):
            return Reading(Outcome.ERROR, reason=f"syndication: unexpected payload ({kind})")
        record, embedded = read_tweet(data, self.name)
        return Reading(Outcome.FOUND, record=record, embedded=embedded)
