"""X API v2 tweet lookups (`/2/tweets/:id`, `/2/tweets?ids=`), as the Wayback Machine holds them
for most status URLs captured since December 2022: `data` (one post or a list), `includes`
(`users`, `media`, `tweets`, `polls`, `places`) and `errors`, which may sit beside good data.

Ids are strings, media keys join `attachments.media_keys` to `includes.media`, video variants
say `bit_rate`, and a long post's full text is `note_tweet.text` (an empty `note_tweet` is
common and means nothing). `includes.tweets` repeats the post itself; a repost's original may be
missing from it, and is then rebuilt from the "RT @user: …" text and the user it names.
"""

from __future__ import annotations

import html

from ..record import (
    RT_RE,
    MediaItem,
    PostRecord,
    expand_links,
    from_twitter_date,
    id_time,
    pick_counts,
)
from ..vocab import Outcome, PostState
from .base import Reading, dig, objects, poll_choices, state_from_text, text_or_none
from .v11 import best_mp4

PROBLEM_STATES = {
    "not-authorized-for-resource": PostState.PROTECTED,
    "resource-not-found": PostState.UNAVAILABLE,
}


def is_v2(data: dict) -> bool:
    """Whether a JSON object is a v2 lookup (v2 posts have `id`, never `id_str`)."""
    posts = data.get("data")
    first = posts[0] if isinstance(posts, list) and posts else posts
    if isinstance(first, dict):
        return "id" in first and "id_str" not in first
    errors = data.get("errors")
    return isinstance(errors, list) and any(
        isinstance(e, dict) and ("resource_id" in e or "value" in e) for e in errors
    )


def _by(items: object, key: str) -> dict[str, dict]:
    if not isinstance(items, list):
        return {}
    return {str(i[key]): i for i in items if isinstance(i, dict) and i.get(key) is not None}


class Lookup:
    """One v2 answer, indexed for reading any post it holds."""

    def __init__(self, data: dict, source: str) -> None:
        includes = data.get("includes") if isinstance(data.get("includes"), dict) else {}
        posts = data.get("data")
        posts = posts if isinstance(posts, list) else [posts]
        self.source = source
        self.users = _by(includes.get("users"), "id")
        self.media = _by(includes.get("media"), "media_key")
        self.polls = _by(includes.get("polls"), "id")
        self.places = _by(includes.get("places"), "id")
        self.tweets = {**_by(includes.get("tweets"), "id"), **_by(posts, "id")}
        self.errors = objects(data.get("errors"))

    def read(self, status_id: str) -> Reading:
        """The reading for `status_id`: the post and the posts it refers to, or the error the
        answer gives about it."""
        tweet = self.tweets.get(status_id)
        if tweet is None:
            return self._problem(status_id)
        record = self.record(tweet)
        embedded = []
        for ref in objects(tweet.get("referenced_tweets")):
            other = str(dig(ref, "id") or "")
            if other in self.tweets and other != status_id:
                embedded.append(self.record(self.tweets[other]))
            elif dig(ref, "type") == "retweeted" and other:
                embedded += self._original_from_rt(record, other)
        return Reading(Outcome.FOUND, record=record, embedded=embedded)

    def _problem(self, status_id: str) -> Reading:
        for error in self.errors:
            if str(error.get("resource_id") or error.get("value")) != status_id:
                continue  # a place or a quoted post that could not be expanded
            detail = str(error.get("detail") or error.get("title") or "an error")
            kind = str(error.get("type") or "").rsplit("/", 1)[-1]
            state = PROBLEM_STATES.get(kind) or state_from_text(detail)
            return Reading(Outcome.GONE, state=state, reason=f"{self.source}: {detail}")
        return Reading(Outcome.ERROR, reason=f"{self.source}: the archived answer is not this post")

    def record(self, tweet: dict) -> PostRecord:
        status_id = str(tweet.get("id"))
        user = self.users.get(str(tweet.get("author_id")), {})
        note = tweet.get("note_tweet") if isinstance(tweet.get("note_tweet"), dict) else {}
        long_text = note.get("text") if isinstance(note.get("text"), str) else None
        # HTML-escaped, as v1.1 gave it (`&amp;`, `&lt;`, `&gt;`)
        text = html.unescape(long_text or text_or_none(tweet.get("text")) or "")
        entities = note.get("entities") if long_text else tweet.get("entities")
        refs = {
            str(r.get("type")): str(r.get("id")) for r in objects(tweet.get("referenced_tweets"))
        }
        metrics = (
            tweet.get("public_metrics") if isinstance(tweet.get("public_metrics"), dict) else {}
        )
        withheld = dig(tweet, "withheld", "country_codes")
        record = PostRecord(
            status_id=status_id,
            source=self.source,
            handle=user.get("username"),
            author_name=user.get("name"),
            author_id=tweet.get("author_id"),
            author_avatar=user.get("profile_image_url"),
            created_at=from_twitter_date(tweet.get("created_at")),
            text=text,
            text_expanded=expand_links(text, dig(entities, "urls") or []),  # type: ignore[arg-type]
            lang=tweet.get("lang"),
            reply_to_status_id=refs.get("replied_to"),
            reply_to_handle=self.users.get(str(tweet.get("in_reply_to_user_id")), {}).get(
                "username"
            ),
            quoted_status_id=refs.get("quoted"),
            repost_of_status_id=refs.get("retweeted"),
            counts=pick_counts(
                metrics,
                likes="like_count",
                reposts="retweet_count",
                replies="reply_count",
                quotes="quote_count",
                bookmarks="bookmark_count",
                views="impression_count",
            ),
            note_tweet=long_text is not None,
            media=self._media(tweet),
            edit_ids=[str(i) for i in edits]
            if isinstance(edits := tweet.get("edit_history_tweet_ids"), list)
            else [],
            source_app=tweet.get("source"),
            possibly_sensitive=tweet.get("possibly_sensitive"),
            withheld_in=[c for c in withheld if isinstance(c, str)]
            if isinstance(withheld, list)
            else [],
            place=self._place(tweet),
            poll=self._poll(tweet),
        )
        if long_text:
            record.notes.append(f"{self.source}: the full text of a long post (note_tweet)")
        return record

    def _media(self, tweet: dict) -> list[MediaItem]:
        items = []
        keys = dig(tweet, "attachments", "media_keys")
        for key in keys if isinstance(keys, list) else []:
            media = self.media.get(str(key))
            if media is None:
                continue
            kind = {"animated_gif": "gif"}.get(
                str(media.get("type")), str(media.get("type") or "photo")
            )
            variants = [
                {"url": v.get("url"), "bitrate": v.get("bit_rate"), "type": v.get("content_type")}
                for v in objects(media.get("variants"))
            ]
            best = best_mp4(media.get("variants"), "bit_rate")
            items.append(
                MediaItem(
                    kind=kind,
                    url=(best or {}).get("url") or media.get("url") or "",
                    width=media.get("width"),
                    height=media.get("height"),
                    duration_ms=media.get("duration_ms"),
                    alt_text=media.get("alt_text"),
                    variants=variants,
                    poster=media.get("preview_image_url"),
                )
            )
        return items

    def _place(self, tweet: dict) -> dict[str, str]:
        place_id = dig(tweet, "geo", "place_id")
        if not isinstance(place_id, str):
            return {}
        place = self.places.get(place_id, {})
        found = {
            "id": place_id,
            "name": place.get("full_name"),
            "country_code": place.get("country_code"),
        }
        return {k: v for k, v in found.items() if isinstance(v, str) and v}

    def _poll(self, tweet: dict) -> dict[str, object]:
        ids = dig(tweet, "attachments", "poll_ids")
        for poll_id in ids if isinstance(ids, list) else []:
            poll = self.polls.get(str(poll_id))
            if poll is None:
                continue
            options = sorted(
                objects(poll.get("options")),
                key=lambda o: o.get("position") if isinstance(o.get("position"), int) else 0,
            )
            return {
                "choices": poll_choices(options, "label", "votes"),
                "ends_at": from_twitter_date(poll.get("end_datetime")),
                "closed": poll.get("voting_status") == "closed",
            }
        return {}

    def _original_from_rt(self, repost: PostRecord, original_id: str) -> list[PostRecord]:
        """A repost whose original the answer does not include: what the "RT @user: …" text and
        the named user say of it."""
        match = RT_RE.match(repost.text or "")
        if not match:
            return []
        expanded = RT_RE.match(repost.text_expanded or "")
        user = next(
            (u for u in self.users.values() if str(u.get("username")).lower() == match[1].lower()),
            {},
        )
        copy = PostRecord(
            status_id=original_id,
            source=self.source,
            handle=user.get("username") or match[1],
            author_name=user.get("name"),
            author_id=user.get("id"),
            author_avatar=user.get("profile_image_url"),
            created_at=id_time(original_id),
            text=match[2],
            text_expanded=expanded[2] if expanded else match[2],
            media=list(repost.media),
        )
        copy.notes.append(
            f"{self.source}: rebuilt from the repost {repost.status_id}; its text may be cut short"
        )
        withheld = dig(user, "withheld", "country_codes")
        if isinstance(withheld, list):
            copy.notes.append("the author is withheld in " + ", ".join(map(str, withheld)))
        return [copy]
