"""Archived status pages of every era, read for one post:

- 2014–2020 desktop permalinks: the post is `.permalink-tweet[data-tweet-id]` (author id, handle
  and name as attributes, `data-time` on its timestamp, `p.tweet-text[lang]`, photos as
  `data-image-url`, the quoted post's block, the ancestors it replies to);
- 2012–2020 mobile pages (`div.tweet-text[data-id]`);
- 2008–2012 pages before those: the post is `#status_<id>.hentry.u-<handle>` (`span.entry-content`,
  the time as `data="{time:'…'}"`, the author in `.user-info`);
- 2019–2023 responsive pages, whose server wrote only meta tags (`<meta content=… property=…>`:
  attributes in either order);
- JavaScript shells (2023 on): no post in them, even when the title quotes one.

`og:description` wraps the text in one pair of curly quotes, which is all that is taken off:
a post that itself starts or ends with a quote mark keeps it.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

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
from .base import Reading
from .markup import attr, classes, parse_html, post_text, text_of

STATUS_URL_RE = re.compile(
    r"^https?://(?:mobile\.|www\.)?(?:twitter|x)\.com/(\w{1,15})/status/(\d+)"
)
# `Name on Twitter` (to 2023), `Name (@handle) on X` (x.com's pages), `Name (@handle) / X`
TITLE_SUFFIX_RE = re.compile(
    r"\s*(?:\(@\w{1,15}\)\s*)?(?: on (?:Twitter|X)|\s/\s(?:Twitter|X)|さんのツイート)$"
)
SHELL_WORDS = ("JavaScript is not available", "errorContainer")
CLASSIC_TIME_RE = re.compile(r"time:\s*'([^']+)'")  # data="{time:'Thu Oct 21 09:14:05 +0000 2010'}"
CLASSIC_USER_RE = re.compile(r"(?:^|\s)u-(\w{1,15})(?=\s|$)")  # class="hentry status u-jack"


def unquote(text: str) -> str:
    """og:description's text without the one pair of curly quotes the page put around it."""
    return text[1:-1] if len(text) >= 2 and text[0] == "“" and text[-1] == "”" else text


def metas(tree: LexborHTMLParser) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in tree.css("meta"):
        key = attr(node, "property") or attr(node, "name")
        value = node.attributes.get("content")
        if key and isinstance(value, str):
            found.setdefault(key.lower(), value)
    return found


def read_page(page: str, status_id: str, source: str, handle: str | None = None) -> Reading:
    """The post `status_id` as an archived page shows it; not_found for a page without it.
    `handle` is the one in the captured URL, for pages that do not name the author."""
    tree = parse_html(page)
    meta = metas(tree)
    canonical = attr(tree.css_first("link[rel=canonical]"), "href") or meta.get("og:url") or ""
    own = STATUS_URL_RE.match(canonical)
    quoted_id = f'"{status_id}"'  # a digit string: safe inside a selector
    permalink = tree.css_first(f".permalink-tweet[data-tweet-id={quoted_id}]")
    about = (own is not None and own[2] == status_id) or permalink is not None
    og_text = unquote(meta["og:description"]) if about and meta.get("og:description") else None
    node = permalink or tree.css_first(f".tweet[data-tweet-id={quoted_id}]")
    if node is not None:
        record, embedded = _permalink(tree, node, status_id, source)
        if og_text is not None:  # with the leading @mentions the markup shows apart
            record.text, record.text_expanded = og_text, expand_links(og_text, expansions(node))
    elif (mobile := tree.css_first(f".tweet-text[data-id={quoted_id}]")) is not None:
        record, embedded = _mobile(tree, mobile, status_id, source), []
    elif (classic := tree.css_first(f'[id="status_{status_id}"]')) is not None and (
        text := classic.css_first(".entry-content")
    ) is not None:
        record, embedded = _classic(tree, classic, text, status_id, source), []
    elif og_text is not None:
        record, embedded = _meta_only(status_id, og_text, source), []
    else:
        shell = any(word in page for word in SHELL_WORDS) or tree.css_first("#react-root")
        what = "a JavaScript shell without the post" if shell else "a page that shows no post"
        return Reading(Outcome.NOT_FOUND, reason=f"{source}: the snapshot is {what}")
    if not record.text:
        return Reading(Outcome.NOT_FOUND, reason=f"{source}: the snapshot shows no post text")
    record.handle = record.handle or (own[1] if own else handle)
    title = TITLE_SUFFIX_RE.sub("", meta.get("og:title") or "").strip()
    record.author_name = record.author_name or title or None
    return Reading(Outcome.FOUND, record=record, embedded=embedded)


def _person(node: LexborNode, status_id: str, source: str) -> PostRecord:
    """What a `div.tweet` says as attributes: who wrote it, and when."""
    stamp = attr(node.css_first("[data-time]"), "data-time")
    return PostRecord(
        status_id=status_id,
        source=source,
        handle=attr(node, "data-screen-name"),
        author_name=attr(node, "data-name"),
        author_id=attr(node, "data-user-id"),
        created_at=(from_epoch(int(stamp)) if stamp and stamp.isdigit() else None)
        or id_time(status_id),
    )


def expansions(node: LexborNode) -> list[dict[str, str]]:
    """Every t.co link in a post's markup and where it leads."""
    return [
        {"url": str(attr(a, "href")), "expanded_url": str(attr(a, "data-expanded-url"))}
        for a in node.css("a[data-expanded-url][href]")
    ]


def _text_into(record: PostRecord, paragraph: LexborNode | None) -> None:
    if paragraph is None:
        return
    text, links = post_text(paragraph)
    record.text, record.lang = text, attr(paragraph, "lang")
    record.text_expanded = expand_links(text, links)


def _photos(nodes: list[LexborNode]) -> list[MediaItem]:
    return [MediaItem("photo", url) for n in nodes if (url := attr(n, "data-image-url"))]


def _permalink(
    tree: LexborHTMLParser, node: LexborNode, status_id: str, source: str
) -> tuple[PostRecord, list[PostRecord]]:
    record = _person(node, status_id, source)
    record.author_avatar = attr(node.css_first("img.avatar"), "src")
    _text_into(record, node.css_first("p.tweet-text"))
    record.media = _photos(node.css(".AdaptiveMedia-photoContainer"))
    if node.css_first(".AdaptiveMedia-videoContainer, .PlayableMedia"):
        record.notes.append(f"{source}: the page shows a video but not where it is")
    record.counts = pick_counts(
        {
            name: int(value)
            for name, css in (("reposts", ".js-stat-retweets"), ("likes", ".js-stat-favorites"))
            if (
                value := attr(
                    tree.css_first(f"{css} [data-tweet-stat-count]"), "data-tweet-stat-count"
                )
            )
            and value.isdigit()
        },
        reposts="reposts",
        likes="likes",
    )
    embedded = [
        _ancestor(a, source)
        for a in tree.css(".permalink-ancestor-tweet[data-tweet-id]")
        if attr(a, "data-tweet-id")
    ]
    if attr(node, "data-has-parent-tweet") == "true":
        replied = attr(tree.css_first("[data-replied-tweet-id]"), "data-replied-tweet-id")
        record.reply_to_status_id = replied or (embedded[-1].status_id if embedded else None)
        replying = text_of(node.css_first(".ReplyingToContextBelowAuthor .username b"))
        parent = next((e for e in embedded if e.status_id == record.reply_to_status_id), None)
        record.reply_to_handle = replying or (parent.handle if parent else None)
    quote = node.css_first(".QuoteTweet-innerContainer[data-item-id]")
    if quote is not None:
        copy = _quoted(quote, source, status_id)
        record.quoted_status_id = copy.status_id
        embedded.append(copy)
    return record, embedded


def _ancestor(node: LexborNode, source: str) -> PostRecord:
    copy = _person(node, str(attr(node, "data-tweet-id")), source)
    _text_into(copy, node.css_first("p.tweet-text, p.js-tweet-text"))  # (2013's: js- alone)
    copy.media = _photos(node.css(".AdaptiveMedia-photoContainer"))
    return copy


def _quoted(node: LexborNode, source: str, by: str) -> PostRecord:
    copy = PostRecord(
        status_id=str(attr(node, "data-item-id")),
        source=source,
        handle=attr(node, "data-screen-name"),
        author_id=attr(node, "data-user-id"),
        author_name=text_of(node.css_first(".QuoteTweet-fullname")),
    )
    copy.created_at = id_time(copy.status_id)
    _text_into(copy, node.css_first(".QuoteTweet-text"))
    copy.media = _photos(node.css(".QuoteMedia-photoContainer"))
    copy.notes.append(f"{source}: as quoted inside post {by}; its text may be cut short")
    return copy


def _mobile(tree: LexborHTMLParser, node: LexborNode, status_id: str, source: str) -> PostRecord:
    # The author is the main tweet's: a reply's page shows the posts it answers above it, each
    # with its own author.
    main = tree.css_first("table.main-tweet") or tree
    handle = text_of(main.css_first(".user-info .username")) or ""
    record = PostRecord(
        status_id=status_id,
        source=source,
        handle=handle.replace(" ", "").lstrip("@") or None,
        author_name=text_of(main.css_first(".user-info .fullname strong")),
        author_avatar=attr(main.css_first("td.avatar img"), "src"),
        created_at=id_time(status_id),
    )
    # the text's own block, left to right or (Arabic, Persian, Hebrew) right to left; never
    # its first mention, hashtag or link, which are `a.dir-ltr` inside either
    _text_into(record, node.css_first("div.dir-ltr, div.dir-rtl") or node)
    return record


def _classic(
    tree: LexborHTMLParser, node: LexborNode, text: LexborNode, status_id: str, source: str
) -> PostRecord:
    # The author's block is inside the post's on a status page; a timeline item names its
    # author only in its class and its screen-name link.
    scope = (
        node
        if node.css_first(".user-info") is not None or tree.css_first("body#show") is None
        else tree
    )
    user = CLASSIC_USER_RE.search(attr(node, "class") or "")
    when = CLASSIC_TIME_RE.search(attr(node.css_first(".published.timestamp"), "data") or "")
    # (2007–2009 pages: `<abbr class="published" title="2009-10-12T19:44:16+00:00">`)
    stamped = from_twitter_date(attr(node.css_first("abbr.published"), "title"))
    record = PostRecord(
        status_id=status_id,
        source=source,
        handle=user[1] if user else text_of(scope.css_first("a.screen-name")),
        author_name=text_of(scope.css_first(".full-name"))
        or attr(scope.css_first("img.fn"), "alt"),
        author_avatar=attr(scope.css_first("img.photo"), "src"),
        created_at=(from_twitter_date(when[1]) if when else stamped) or id_time(status_id),
    )
    _text_into(record, text)
    for link in node.css(".entry-meta a[href]"):  # "in reply to …"
        replied = STATUS_URL_RE.match(attr(link, "href") or "")
        if replied and "entry-date" not in classes(link) and replied[2] != status_id:
            record.reply_to_handle, record.reply_to_status_id = replied[1], replied[2]
    return record


def _meta_only(status_id: str, text: str, source: str) -> PostRecord:
    record = PostRecord(
        status_id=status_id,
        source=source,
        created_at=id_time(status_id),
        text=text,
        text_expanded=text,
    )
    record.notes.append(f"{source}: from the page's meta tags only (no media, no reply context)")
    return record
