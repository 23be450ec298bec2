"""publish.twitter.com/oembed: the embed code. Its blockquote holds the post's text (in a
`<p lang>` since 2015: the post's language; the blockquote's own `lang` is the widget's), the
author and a byline date in the widget's language. The byline is never needed: the 2012 code
gives `data-datetime`, and a post's id tells its time otherwise."""

from __future__ import annotations

from ..fence import fence
from ..record import PostRecord, from_twitter_date, id_time
from ..refs.htmlview import fragment_text
from ..vocab import Outcome, PostState
from .base import Reading, Source, Target, load_object
from .markup import STATUS_LINK_RE, attr, parse_html


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
        if status == 403 and body.lstrip()[:1] == b"<":  # a page from what stands in front
            # (a firewall's "Access denied"), not oEmbed's refusal of a protected post
            return Reading(Outcome.ERROR, reason="oembed: HTTP 403, an HTML page, not an answer")
        if status in (403, 404, 410):
            state = PostState.PROTECTED if status == 403 else PostState.UNAVAILABLE
            return Reading(Outcome.GONE, state=state, reason=f"oembed: HTTP {status}")
        data, failed = load_object(self.name, body)
        if data is None:
            return failed  # type: ignore[return-value]
        quote = parse_html(str(data.get("html") or "")).css_first("blockquote")
        byline = next(
            (
                a
                for a in (quote.css("a[href]") if quote else [])
                if (m := STATUS_LINK_RE.search(a.attributes.get("href") or ""))
                and m.group(1) == target.status_id
            ),
            None,
        )
        paragraph = quote.css_first("p") if quote else None
        if status != 200 or byline is None or paragraph is None:
            return Reading(Outcome.ERROR, reason=f"oembed: HTTP {status}, no embed of this post")
        author_url = str(data.get("author_url") or "")
        text = fragment_text(paragraph.html or "")
        return Reading(
            Outcome.FOUND,
            record=PostRecord(
                status_id=target.status_id,
                source=self.name,
                handle=author_url.rstrip("/").rsplit("/", 1)[-1] or target.handle,
                author_name=str(data.get("author_name") or "") or None,
                created_at=from_twitter_date(attr(byline, "data-datetime"))
                or id_time(target.status_id),
                text=text,
                text_expanded=text,
                lang=attr(paragraph, "lang"),
            ),
        )
