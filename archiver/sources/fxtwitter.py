"""api.fxtwitter.com: FxEmbed's status API (v2 path; v1 and v2 payload shapes are both read).

Asked for a repost, FxTwitter answers with the reposted post (its id, author and time) and, in
its current code, nothing about the reposter. The answer is read as what it is: the reposted
post, embedded, and a record of the repost that names it (the reposter's name only when the
answer gives it as `reposted_by`), so that a fuller source is asked on.

A post FxTwitter cannot show is a tombstone (`{type: "tombstone", reason, message}`): in place of
the asked post (HTTP 404), or of the post a quote quotes. A tombstone is never a post record.
"""

from __future__ import annotations

import html

from ..fence import fence
from ..record import (
    MediaItem,
    PostRecord,
    expand_links,
    from_epoch,
    from_twitter_date,
    id_time,
    pick_counts,
)
from ..vocab import Outcome
from .base import (
    REFUSALS,
    Reading,
    Source,
    Target,
    dig,
    later,
    load_object,
    obj,
    objects,
    only_newer,
    poll_choices,
    refusal,
    state_from_text,
    text_or_none,
)

# FxEmbed answers 401 with no words (`{code: 401, status: null}`) for a protected post.
PROTECTED_401 = "HTTP 401, FxTwitter's answer for a protected post"


def tombstone(value: object) -> str | None:
    """The words of a tombstone ("This post is deleted (deleted)"), or None for anything else."""
    data = obj(value)
    if data.get("type") != "tombstone":
        return None
    message, reason = text_or_none(data.get("message")), text_or_none(data.get("reason"))
    words = " ".join(w for w in (message, f"({reason})" if reason else None) if w)
    return words or "a tombstone that gives no reason"


CONTAINERS = {"mp4": "video/mp4", "webm": "video/webm", "m3u8": "application/x-mpegURL"}


def _variants(item: dict) -> list[dict[str, object]]:
    """A video's renditions: Twitter's `variants` as FxTwitter passes them on, else its own
    `formats` (`{url, bitrate, container}`), which today's answers may give alone."""
    variants = [
        {"url": v.get("url"), "bitrate": v.get("bitrate"), "type": v.get("content_type")}
        for v in objects(item.get("variants"))
    ]
    return variants or [
        {
            "url": f.get("url"),
            "bitrate": f.get("bitrate"),
            "type": CONTAINERS.get(str(f.get("container"))),
        }
        for f in objects(item.get("formats"))
    ]


def _media(media: dict) -> list[MediaItem]:
    items = []
    entries = objects(media.get("all")) or objects(media.get("photos")) + objects(
        media.get("videos")
    )
    for item in entries:
        kind = {"photo": "photo", "gif": "gif"}.get(str(item.get("type")), "video")
        variants = _variants(item)
        duration = item.get("duration")
        items.append(
            MediaItem(
                kind=kind,
                url=item.get("url", ""),
                width=item.get("width"),
                height=item.get("height"),
                duration_ms=round(duration * 1000)
                if isinstance(duration, int | float) and 0 < duration < 1e9
                else None,
                alt_text=item.get("altText") or item.get("alt_text"),
                variants=variants,
                poster=item.get("thumbnail_url"),
            )
        )
    return items


def _poll(poll: object) -> dict[str, object]:
    choices = poll_choices(dig(poll, "choices"), "label", "count")
    if not choices:
        return {}
    return {
        "choices": choices,
        "ends_at": from_twitter_date(dig(poll, "ends_at")),  # type: ignore[arg-type]
        "closed": dig(poll, "time_left_en") == "Final results",
    }


def raw_text(raw: dict) -> str | None:
    """`raw_text.text`: X's own text, HTML-escaped as X gives it (`&amp;`, `&lt;`, `&gt;`;
    FxTwitter unescapes only `text`), read as written."""
    text = text_or_none(raw.get("text"))
    return html.unescape(text) if text else None


def _expanded(raw: dict) -> str | None:
    """The raw text with each t.co link replaced by where it leads (the facets say)."""
    text = raw_text(raw)
    if not text:
        return None
    facets = objects(raw.get("facets"))
    links = [{"url": f.get("original"), "expanded_url": f.get("replacement")} for f in facets]
    tco = ("https://t.co/", "http://t.co/")  # (posts of before 2014 kept http)
    return expand_links(text, [x for x in links if str(x["url"]).startswith(tco)])


def article_text(article: object) -> str | None:
    """An X Article's title and blocks as plain text, a blank line between them. Its post's own
    text is empty: the article is the post (`article: {title, content: {blocks: [{text, type,
    data}]}}`, Draft.js blocks; an `atomic` block, an embed, shows only its URL)."""
    blocks = objects(dig(article, "content", "blocks"))
    parts = [dig(article, "title")]
    for block in blocks:
        if block.get("type") == "atomic":
            parts += [u.get("text") for u in objects(dig(block, "data", "urls"))][:1]
        else:
            parts.append(block.get("text"))
    kept = [part.strip() for part in parts if isinstance(part, str) and part.strip()]
    return "\n\n".join(kept) if len(kept) > 1 or blocks else None


def record(status: dict, source: str = "fxtwitter") -> tuple[PostRecord, list[PostRecord]]:
    """The post's record, and the quoted post's (the answer carries it whole)."""
    author, raw, quote = (
        obj(status.get("author")),
        obj(status.get("raw_text")),
        obj(status.get("quote")),
    )
    note = obj(status.get("community_note"))
    replying = status.get("replying_to")
    post = PostRecord(
        status_id=str(status.get("id")),
        source=source,
        handle=author.get("screen_name"),
        author_name=author.get("name"),
        author_id=str(author["id"]) if author.get("id") else None,
        author_avatar=author.get("avatar_url"),
        created_at=from_epoch(status.get("created_timestamp"))
        or from_twitter_date(status.get("created_at")),
        text=raw_text(raw) or text_or_none(status.get("text")),
        text_expanded=_expanded(raw) or status.get("text") or None,
        lang=status.get("lang"),
        # `status` in today's API; `post` in the older v2 answers.
        reply_to_status_id=dig(replying, "status")
        or dig(replying, "post")
        or status.get("replying_to_status"),  # type: ignore[arg-type]
        reply_to_handle=dig(replying, "screen_name") if isinstance(replying, dict) else replying,  # type: ignore[arg-type]
        quoted_status_id=str(quote["id"]) if quote.get("id") else None,
        counts=pick_counts(
            status,
            likes="likes",
            reposts="reposts" if "reposts" in status else "retweets",
            replies="replies",
            views="views",
            quotes="quotes",
            bookmarks="bookmarks",
        ),
        card_url=dig(status, "card", "url") or dig(status, "media", "external", "url"),  # type: ignore[arg-type]
        community_note=text_or_none(note.get("text")),
        note_tweet=status.get("is_note_tweet") is True,
        media=_media(obj(status.get("media"))),
        source_app=status.get("source"),
        possibly_sensitive=status.get("possibly_sensitive"),
        poll=_poll(status.get("poll")),
    )
    article = article_text(status.get("article"))
    if article and not post.text:
        post.text = post.text_expanded = article
        post.notes.append(f"{source}: an X Article: its text is the article's title and blocks")
    embedded = []
    gone = tombstone(quote)
    if gone is not None:
        named = f" {post.quoted_status_id}" if post.quoted_status_id else ""
        post.notes.append(f"{source}: the quoted post{named} is gone: {gone}")
    elif quote.get("id"):
        copy, more = record(quote, source)
        embedded += [copy, *more]
    return post, embedded


def repost(original: PostRecord, status: dict, target: Target, source: str) -> PostRecord:
    """The record of the repost `target` asked for, from an answer about its original."""
    by = obj(status.get("reposted_by"))
    post = PostRecord(
        status_id=target.status_id,
        source=source,
        handle=by.get("screen_name") or target.handle,
        author_name=by.get("name"),
        author_id=str(by["id"]) if by.get("id") else None,
        author_avatar=by.get("avatar_url"),
        created_at=id_time(target.status_id),
        repost_of_status_id=original.status_id,
    )
    post.notes.append(
        f"{source} answered with post {original.status_id} by @{original.handle}: the post this "
        "one reposts" + ("" if by else "; it does not name the reposter")
    )
    return post


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
        gone = tombstone(post)
        if gone is not None:
            return Reading(Outcome.GONE, state=state_from_text(gone), reason=f"{self.name}: {gone}")
        if status == 200 and isinstance(post, dict) and post.get("id"):
            found, embedded = record(post)
            if found.status_id != target.status_id:
                if later(found.status_id, target.status_id):  # (a repost is newer than its post)
                    return only_newer(self.name, Reading(Outcome.FOUND, found, embedded=embedded))
                embedded = [found, *embedded]
                found = repost(found, post, target, self.name)
            return Reading(Outcome.FOUND, record=found, embedded=embedded)
        message = " ".join(str(data.get(k)) for k in ("message", "reason") if data.get(k))
        code = status if status in REFUSALS else data.get("code")
        message = message or (PROTECTED_401 if code == 401 else f"HTTP {status}")
        return refusal(self.name, code, message)
