"""Fact-checks' structured data: the ClaimReview a fact-check page embeds (schema.org's, as
search engines' fact-check tools read it) names where the claim it reviews appeared:
`itemReviewed`'s `appearance` and `firstAppearance`, each a CreativeWork (or a list of them)
with its `url`. A post named there is the post the page is about, often linked nowhere else in
it (fact-checkers link an archived copy, so as not to spread the claim). Other structured data
(an article's publisher and its profiles) names no post it cites and is not read."""

from __future__ import annotations

import json
import re

from .urls import StatusURL, find_status_urls

LD_TAG_RE = re.compile(r"<script\b[^>]*application/ld\+json[^>]*>", re.IGNORECASE)
MAX_LD = 1024 * 1024  # one script's JSON: more is no fact-check's
MAX_NODES = 10_000  # nodes walked in one script
APPEARANCE_KEYS = ("appearance", "firstAppearance")


def find_claims(src: str) -> list[StatusURL]:
    """The posts the ClaimReviews of an HTML page (`src`) say their claims appeared in, each at
    the place its id is written in the page's source; never raises."""
    if "ClaimReview" not in src:
        return []
    found, pos = [], 0
    while (tag := LD_TAG_RE.search(src, pos)) is not None:
        start = tag.end()
        end = src.find("</script", start)  # (each script's end looked for once: linear)
        if end < 0:
            break  # never closed: nothing after it is a script's end
        pos = end
        if end - start > MAX_LD or "ClaimReview" not in src[start:end]:
            continue
        try:
            data = json.loads(src[start:end])
        except (ValueError, RecursionError):
            continue
        for url in _appearances(data):
            for post in find_status_urls(url):
                at = src.find(post.status_id, start, end)
                at = at if at >= 0 else start
                link = post.link or post.url
                found.append(StatusURL(url, post.status_id, post.handle, at, at, link))
    return found


def _appearances(data: object) -> list[str]:
    """The URLs of the appearances of every ClaimReview's reviewed item in `data`, walked
    without recursion, at most MAX_NODES nodes."""
    urls, todo, walked = [], [data], 0
    while todo and walked < MAX_NODES:
        node = todo.pop()
        walked += 1
        if isinstance(node, list):
            todo.extend(reversed(node))
        elif isinstance(node, dict):
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if "ClaimReview" in kinds:
                urls += _urls_of(node.get("itemReviewed"))
            todo.extend(v for v in node.values() if isinstance(v, (dict, list)))
    return urls


def _urls_of(item: object) -> list[str]:
    urls = []
    for claim in item if isinstance(item, list) else [item]:
        if not isinstance(claim, dict):
            continue
        for key in APPEARANCE_KEYS:
            seen = claim.get(key)
            for work in seen if isinstance(seen, list) else [seen]:
                if isinstance(work, str):
                    urls.append(work)
                elif isinstance(work, dict):
                    urls += [v for k in ("url", "@id") if isinstance(v := work.get(k), str)]
    return urls
