"""The tweet object of API v1.1 and of the syndication payload (its descendant): as the embed
widget's answer gives it, as `statuses/show` gave it, and as the Wayback Machine archived the
streaming form before December 2022.

`read_tweet` gives the post's record and the records of the posts the object carries whole: the
quoted post (`quoted_tweet` / `quoted_status`), a repost's original (`retweeted_status`) and a
reply's parent (`parent`).

A publisher's or an advertiser's post often shows its photo or video in a "unified card" rather
than as media: the card's `unified_card` value is a JSON string whose `media_entities` (keyed by
id) have the shape of `mediaDetails` items; they are read as the post's media.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

from ..record import MediaItem, PostRecord, expand_links, from_twitter_date, pick_counts
from .base import dig, load_json, obj, objects, text_or_none

CARD_IMAGES = (
    "photo_image_full_size_original",
    "summary_photo_image_original",
    "thumbnail_image_original",
    "player_image_original",
    "photo_image_full_size_large",
    "summary_photo_image_large",
    "thumbnail_image_large",
)
TAG_RE = re.compile(r"<[^>]*>")
MAX_UNIFIED_CARD = 1024 * 1024  # a card's JSON is a few KiB


def best_mp4(variants: object, rate: str = "bitrate") -> dict | None:
    mp4 = [v for v in objects(variants) if v.get("content_type") == "video/mp4"]
    return max(mp4, key=lambda v: v.get(rate) if isinstance(v.get(rate), int) else -1, default=None)


def media_items(details: object) -> list[MediaItem]:
    """`mediaDetails` (syndication) or `extended_entities.media` (v1.1)."""
    items = []
    for item in objects(details):
        kind = {"animated_gif": "gif"}.get(str(item.get("type")), str(item.get("type") or "photo"))
        video = obj(item.get("video_info"))
        variants = objects(video.get("variants"))
        best = best_mp4(variants)
        url = (best or (variants[0] if variants else {})).get("url")
        items.append(
            MediaItem(
                kind=kind,
                url=url or item.get("media_url_https") or item.get("media_url") or "",
                width=dig(item, "original_info", "width"),  # type: ignore[arg-type]
                height=dig(item, "original_info", "height"),  # type: ignore[arg-type]
                duration_ms=video.get("duration_millis"),
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


class UnifiedCard(NamedTuple):
    media: list[dict]  # its media entities, in the v1.1 shape
    url: str | None = None  # where it leads: its first website destination
    title: str | None = None  # its details' title
    note: str | None = None  # why it could not be read


def unified_card(card: dict, values: dict[str, dict]) -> UnifiedCard:
    """A unified card's media entities, where it leads and its title; a note when the card
    cannot be read."""
    if card.get("name") != "unified_card":
        return UnifiedCard([])
    text = values.get("unified_card", {}).get("string_value")
    if not isinstance(text, str):
        return UnifiedCard(
            [], note="a unified card without its JSON: its media, if any, are not known"
        )
    if len(text) > MAX_UNIFIED_CARD:
        return UnifiedCard([], note=f"a unified card too large to read ({len(text):,} characters)")
    data, problem = load_json(text.encode("utf-8", "replace"))
    if problem:
        return UnifiedCard([], note=f"a unified card that cannot be read: {problem}")
    entities = dig(data, "media_entities")
    media = objects(list(entities.values()) if isinstance(entities, dict) else entities)
    urls = [dig(d, "data", "url_data", "url") for d in _named(dig(data, "destination_objects"))]
    titles = [
        dig(c, "data", "title", "content")
        for c in _named(dig(data, "component_objects"))
        if c.get("type") == "details"
    ]
    url = next(
        (u for u in urls if isinstance(u, str) and u.startswith(("https://", "http://"))), None
    )
    title = next((t for t in titles if isinstance(t, str) and t), None)
    return UnifiedCard(media, url, title)


def _named(value: object) -> list[dict]:
    """The objects of a unified card's table (keyed by name), in the card's order."""
    return objects(list(value.values())) if isinstance(value, dict) else []


def card_values(card: dict) -> dict[str, dict]:
    """A card's binding values by name: an object keyed by name (syndication) or a list of
    `{key, value}` (GraphQL)."""
    values = card.get("binding_values")
    if isinstance(values, list):
        return {v["key"]: obj(v.get("value")) for v in values if isinstance(v, dict) and "key" in v}
    return {k: obj(v) for k, v in obj(values).items()}


def poll(values: dict[str, dict]) -> dict[str, object]:
    """A poll card's choices and their counts (strings in the card), and when it ends."""
    choices = []
    for n in range(1, 5):
        label = values.get(f"choice{n}_label", {}).get("string_value")
        if not isinstance(label, str):
            continue
        count = values.get(f"choice{n}_count", {}).get("string_value")
        votes = int(count) if isinstance(count, str) and count.isdigit() else None
        choices.append({"label": label, "votes": votes})
    if not choices:
        return {}
    ends = values.get("end_datetime_utc", {}).get("string_value")
    final = values.get("counts_are_final", {}).get("boolean_value")
    return {"choices": choices, "ends_at": from_twitter_date(ends), "closed": final is True}


def edit_ids(tweet: dict) -> list[str]:
    """Every version's id, oldest first: the flat `edit_control` (syndication), the nested
    `initial_tweet_id` + `edit_control_initial` (GraphQL, v1.1) or `ext_edit_control`."""
    for control in (tweet.get("edit_control"), tweet.get("ext_edit_control")):
        control = obj(control)
        for ids in (
            control.get("edit_tweet_ids"),
            dig(control, "edit_control_initial", "edit_tweet_ids"),
            dig(control, "initial", "edit_tweet_ids"),
            dig(control, "edit", "edit_control_initial", "edit_tweet_ids"),
        ):
            if isinstance(ids, list) and ids:
                return [str(i) for i in ids]
    return []


def plain_source(value: object) -> str | None:
    """`<a href=…>Twitter for iPhone</a>` → `Twitter for iPhone`."""
    if not isinstance(value, str) or not value:
        return None
    return html.unescape(TAG_RE.sub("", value)).strip() or None


def place(value: object) -> dict[str, str]:
    data = obj(value)
    found = {
        "id": data.get("id"),
        "name": data.get("full_name") or data.get("name"),
        "country_code": data.get("country_code"),
    }
    return {k: v for k, v in found.items() if isinstance(v, str) and v}


def read_tweet(tweet: dict, source: str) -> tuple[PostRecord, list[PostRecord]]:
    """The post's record, and the records of the posts the object carries whole."""
    extended = obj(tweet.get("extended_tweet"))
    user = obj(tweet.get("user"))
    text = html.unescape(
        text_or_none(extended.get("full_text"))
        or text_or_none(tweet.get("full_text"))
        or text_or_none(tweet.get("text"))
        or ""
    )
    entities = obj(extended.get("entities") or tweet.get("entities"))
    card = obj(tweet.get("card"))
    values = card_values(card)
    card_image = next(
        (
            values[k]["image_value"]["url"]
            for k in CARD_IMAGES
            if dig(values, k, "image_value", "url")
        ),
        None,
    )
    reposted = obj(tweet.get("retweeted_status"))
    # A repost of a quote repeats the quoted post at the top: it belongs to the original.
    quoted = {} if reposted else obj(tweet.get("quoted_tweet") or tweet.get("quoted_status"))
    details = (
        tweet.get("mediaDetails")
        or dig(extended, "extended_entities", "media")
        or dig(tweet, "extended_entities", "media")
        or []
    )
    unified = unified_card(card, values)
    card_media, card_note = ([] if details else unified.media), unified.note
    withheld = tweet.get("withheld_in_countries")
    record = PostRecord(
        status_id=str(tweet.get("id_str")),
        source=source,
        handle=user.get("screen_name"),
        author_name=user.get("name"),
        author_id=user.get("id_str"),
        author_avatar=user.get("profile_image_url_https"),
        created_at=from_twitter_date(tweet.get("created_at")),
        text=text,
        text_expanded=expand_links(
            text, objects(entities.get("urls")) + objects(entities.get("media"))
        ),
        lang=tweet.get("lang"),
        reply_to_status_id=tweet.get("in_reply_to_status_id_str"),
        reply_to_handle=tweet.get("in_reply_to_screen_name"),
        quoted_status_id=quoted.get("id_str")
        or (None if reposted else tweet.get("quoted_status_id_str")),
        repost_of_status_id=reposted.get("id_str"),
        counts=pick_counts(
            tweet,
            likes="favorite_count",
            replies="conversation_count" if "conversation_count" in tweet else "reply_count",
            reposts="retweet_count",
            quotes="quote_count",
        ),
        # a unified card's `card_url` is a placeholder (`https://twitter.com`): where it leads
        # is its destination, else its own link
        card_url=unified.url
        or (None if card.get("name") == "unified_card" else dig(values, "card_url", "string_value"))
        or card.get("url"),  # type: ignore[arg-type]
        card_image=card_image,
        card_title=dig(values, "title", "string_value") or unified.title,  # type: ignore[arg-type]
        card_description=dig(values, "description", "string_value"),  # type: ignore[arg-type]
        poll=poll(values),
        community_note=dig(tweet, "birdwatch_pivot", "subtitle", "text"),  # type: ignore[arg-type]
        # an X Article: its text here is the link to it; another source gives the article's
        note_tweet=bool(tweet.get("note_tweet")) or _article(tweet) is not None,
        media=media_items(details or card_media),
        edit_ids=edit_ids(tweet),
        source_app=plain_source(tweet.get("source")),
        possibly_sensitive=tweet.get("possibly_sensitive"),
        withheld_in=[c for c in withheld if isinstance(c, str)]
        if isinstance(withheld, list)
        else [],
        place=place(tweet.get("place")),
    )
    if tweet.get("truncated") is True and not text_or_none(
        extended.get("full_text") or tweet.get("full_text")
    ):
        # v1.1 in its compatibility form: 140 characters, `…` and a link to the post itself
        record.note_gap(f"the whole text: {source}'s copy is cut short (`truncated`)")
    if card_note:
        record.notes.append(f"{source}: {card_note}")
    if (article := _article(tweet)) is not None:
        record.notes.append(f"{source}: {ARTICLE_NOTE}: {article}")
    tombstone = obj(tweet.get("quoted_tweet"))
    if tombstone.get("__typename") == "TweetTombstone":  # a quoted post it cannot show
        said = dig(tombstone, "tombstone", "text", "text")
        why = f": {said.strip()[:300]}" if isinstance(said, str) and said.strip() else ""
        record.notes.append(f"quotes a post {source} does not show{why}")
    if tweet.get("isStaleEdit") is True and record.edit_ids:
        record.notes.append(
            f"an older version of an edited post; the newest is {record.edit_ids[-1]}"
        )
    embedded = []
    for other in (quoted, reposted, obj(tweet.get("parent"))):
        if other.get("id_str"):
            copy, more = read_tweet(other, source)
            embedded += [copy, *more]
    return record, embedded


ARTICLE_NOTE = "an X Article, its text not given here"  # (its title and preview are)


def _article(tweet: dict) -> str | None:
    """An X Article's title and preview, as syndication gives them (`article: {rest_id, title,
    preview_text, cover_media}`), or None for a post that is no article."""
    article = obj(tweet.get("article"))
    if not article:
        return None
    said = [article.get("title"), article.get("preview_text")]
    return " — ".join(v.strip() for v in said if isinstance(v, str) and v.strip())[:600] or "?"
