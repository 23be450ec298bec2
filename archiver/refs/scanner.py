"""Find the references in one text (plain, Markdown, wikitext or HTML) and merge them per post.

Embeds and citations come first: they own the links inside them (an embed's date link is its
status URL; a citation's URL is the post it cites) and their authors' handles are not accounts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from .accounts import (
    LINK_REACH,
    find_mentions,
    find_profiles,
    links_elsewhere,
    links_own_post,
    open_link,
    placeholder_mention,
)
from .attributions import find_attributions
from .cards import find_cards
from .citations import citation_ref, find_citations, is_placeholder
from .claims import find_claims
from .codewords import code_spans, code_word
from .entries import url_entry
from .htmlview import TextView, blank_code, blank_comments, fragment_text, looks_like_html
from .latex import blank_tex_comments, is_tex, tex_view
from .merge import merge
from .platforms import labelled_elsewhere, names_x_near, x_handle
from .ref import AUTHORED, Lines, Ref, shown_post, within
from .styles import Citation
from .times import finish, fits_id, placeholder_id
from .urls import (
    StatusURL,
    canonical_status_url,
    find_embed_ids,
    find_short_links,
    find_status_urls,
    unescape_url,
)

EMBED_REACH = 16384  # how far before its byline an embed's quote may open
EMBED_TAG_RE = re.compile(r"<blockquote\b[^>]*(?:twitter-tweet|data-tweet-?id)", re.IGNORECASE)
TAG_RE = re.compile(r"<[^<>]*>")
AVATAR_ALT = "avatar for "  # a newsletter's card of a post: `Twitter avatar for @h`, its author
# A citation's author in its short forms: `(@NASA 2024)`, `Belcourt (@nakinisowin), "Poetry…"`
CITED_AUTHOR_RE = re.compile(
    r"\(@\w{1,15}(?:,?[ \t\u00a0]+(?:1[89]|20)\d\d[a-z]?[),;]|\),[ \t\u00a0]*[\"“‘])"
)


@dataclass
class _Owner:
    """An embed or citation, with the span (in the source) whose links belong to it."""

    start: int
    end: int
    ref: Ref
    binds_from: int  # a status URL at or past this offset is the owner's own


class _Scan:
    def __init__(
        self, text: str, document: str, first_line: int, first_column: int, is_html: bool
    ) -> None:
        self.text, self.document = text, document
        self.view = TextView.build(text) if is_html else None
        # (Markdown's and wikitext's `<!-- … -->` hide what they hold, as HTML's do)
        self.raw = blank_code(text) if is_html else blank_comments(text) if "<!--" in text else text
        self.view_text = self.view.text if self.view else self.raw
        if not is_html and is_tex(document):
            self.raw = blank_tex_comments(self.raw)  # (`% TODO cite https://…`: not printed)
            self.view_text = tex_view(self.raw)  # as long as the source: its offsets are the same
        self.to_src: Callable[[int], int] = (
            self.view.source_offset if self.view else (lambda offset: offset)
        )
        self.lines = Lines(text, first_line, first_column)
        self.refs: list[Ref] = []
        self.owners: list[_Owner] = []
        self.authors: list[tuple[int, int]] = []  # source spans of embed and citation handles

    def keep(self, r: Ref) -> Ref:
        """Keep `r`, found at `r.offset`, with its line and column (made with 0, 0)."""
        r.line, r.column = self.lines.at(r.offset)
        self.refs.append(r)
        return r

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A view span as a source span."""
        return self.to_src(start), self.to_src(end - 1) + 1 if end > start else self.to_src(end)

    def attributions(self) -> None:
        for att in find_attributions(self.view_text):
            start, end = self.span(att.start, att.end)  # the body ends where the byline starts
            if att.date is None and not self.in_open_embed(start):
                continue  # an undated byline is an embed's only inside its still open quote
            body_start = self.to_src(att.body_start)
            in_html = self.view is not None and att.in_blockquote
            body = (
                fragment_text(self.text[body_start:start])
                if in_html
                else att.text_in(self.view_text)
            )
            r = self.keep(
                shown_post(
                    "attribution",
                    self.document,
                    self.text[start:end],
                    start,
                    att.date,
                    handle=att.handle,
                    author_name=att.author_name,
                    date_text=att.date_text or None,
                    text=body,
                    warnings=list(att.warnings),
                )
            )
            # A post copied from a page names its author before its text; in a page (a widget
            # saved with its article), the link its author's name or its time stands in is its
            owned = self.to_src(min(att.body_start, att.handle_span[0]))
            if att.handle_span[0] < att.start:  # a page's post: its element may name its id
                owned = self._tag_with_id(owned)
            self.owners.append(_Owner(self._link_at(owned), end, r, self._link_at(start)))
            self.authors.append(self.span(*att.handle_span))
            if att.start < att.handle_span[0]:  # the byline's name: `— Jukan @COMPUTEX (@jukan05)`
                self.authors.append(self.span(att.start, att.handle_span[0]))

    def _tag_with_id(self, at: int) -> int:
        """Where the element that names the post by its id (`<div class="tweet"
        data-tweet-id="…">`, Twitter's page of before) opens, when one is open at `at`; `at`
        otherwise."""
        if self.view is None:
            return at
        named = self.raw.rfind("data-tweet-id=", max(0, at - EMBED_REACH // 4), at)
        tag = self.raw.rfind("<", 0, named) if named >= 0 else -1
        return tag if tag >= 0 and self.raw.find(">", tag, at) > named else at

    def _link_at(self, at: int) -> int:
        """Where the link still open at source offset `at` starts (its `<a`), or `at`."""
        opened = open_link(self.raw, at) if self.view is not None else -1
        return opened if opened >= 0 else at

    def in_open_embed(self, at: int) -> bool:
        """Whether source offset `at` is inside an embed's `<blockquote class="twitter-tweet">`
        (or one with the post's id) that has not closed yet."""
        if self.view is None:
            return True  # Markdown's quote: its lines say where it ends
        tag = self.raw.rfind("<blockquote", max(0, at - EMBED_REACH), at)
        return (
            tag >= 0
            and EMBED_TAG_RE.match(self.raw, tag) is not None
            and "</blockquote" not in self.raw[tag:at].lower()
        )

    def cards(self) -> None:
        """Embeds whose post the markup holds as data (cards.py): their status URL is theirs.
        The card's text read as a post copied from a page (`Name @handle`, the text, its time)
        is the card's, which says more."""
        cards = find_cards(self.text)
        spans = sorted((card.start, card.end) for card in cards)
        if spans and self.refs:  # (every ref looked at once, whatever the number of cards)
            shown = {id(r) for r in self.refs if within(spans, r.offset)}
            self.refs = [r for r in self.refs if id(r) not in shown]
            self.owners = [o for o in self.owners if id(o.ref) not in shown]
        for card in cards:
            # its author in the avatar's alt text, and run into the text: `@DrJimFanToday a…`
            self.authors += [(at, at + 1) for at in card.authors]
            r = self.keep(
                shown_post(
                    "attribution",
                    self.document,
                    self.text[card.start : card.end][:200],
                    card.start,
                    card.when,
                    card.status_id,
                    handle=card.handle,
                    author_name=card.name,
                    date_text=card.date_text,
                    text=card.text,
                    url=card.url,
                )
            )
            self.owners.append(_Owner(card.start, card.end, r, card.start))

    def citations(self) -> None:
        elsewhere: list[tuple[int, int]] = []
        for cited in find_citations(self.view_text, elsewhere):
            start, end = self.span(cited.start, cited.end)
            r = self.keep(citation_ref(cited, self.document, self.text[start:end], start))
            self.owners.append(_Owner(start, end, r, start))
            if cited.handle_span:
                self.authors.append(self.span(*cited.handle_span))
        self.authors += [self.span(*handle) for handle in elsewhere]  # not X's accounts

    def owner_at(self, offset: int) -> _Owner | None:
        i = bisect_right(self.owner_starts, offset) - 1
        return self.owners[i] if i >= 0 and offset < self.owners[i].end else None

    def on_tag(self, owner: _Owner, found: StatusURL, by_id: set[int]) -> bool:
        """Whether `found` is an id (found at one of `by_id`) written in the opening tag the
        owner starts with."""
        return found.start in by_id and ">" not in self.raw[owner.start : found.start]

    def in_author(self, offset: int) -> bool:
        i = bisect_right(self.authors, (offset, len(self.text) + 1)) - 1
        return i >= 0 and self.authors[i][0] <= offset < self.authors[i][1]

    def own_author(self, offset: int, handle: str) -> bool:
        """Whether `handle`, linked at `offset`, is the author of the embed or citation there
        (a rendered citation links its author's profile: `[<a href="…/elonmusk">@elonmusk</a>]`),
        or of the one right after it, no text shown between (a widget's avatar)."""
        owner = self.owner_at(offset)
        quoted = offset > 0 and self.raw[offset - 1] in "\"'"  # (a tag's attribute)
        if owner is None and self.view is not None and quoted:
            owner = self._owner_after_link(offset)  # its avatar's link (a widget saved whole)
        return owner is not None and (owner.ref.handle or "").lower() == handle.lower()

    def _owner_after_link(self, offset: int) -> _Owner | None:
        """The embed a link (its URL at `offset`, in the tag's attribute) comes right before,
        nothing shown between them but markup."""
        i = bisect_right(self.owner_starts, offset)
        after = self.owners[i] if i < len(self.owners) else None
        if after is None or after.start - offset > LINK_REACH:
            return None
        tag_end = self.raw.find(">", offset, after.start)
        between = self.raw[tag_end + 1 : after.start] if tag_end >= 0 else "?"
        return after if not TAG_RE.sub("", between).strip() else None

    def links(self) -> None:
        self.owners.sort(key=lambda o: o.start)
        self.authors.sort()
        self.owner_starts = [o.start for o in self.owners]
        self.owner_reach = list(accumulate((o.end for o in self.owners), max))  # (running max)
        inside: list[tuple[Ref, _Owner]] = []  # named after their post once every link is read
        ids = find_embed_ids(self.raw)
        by_id = {found.start for found in ids}
        if self.view is not None:
            ids += find_claims(self.text)  # a fact-check's ClaimReview: in a script, not shown
        for found in find_status_urls(self.raw) + ids:
            if (found.handle and is_placeholder(found.handle)) or placeholder_id(found.status_id):
                continue  # `twitter.com/username/status/…`, `…/status/1234567890`: a model
            owner = self.owner_at(found.start)
            url = found.link or unescape_url(found.url)
            # An embed's date link, a citation's URL, the id on the embed's own tag
            # (`<blockquote … data-tweet-id="…">`): the post it shows.
            if (
                owner is not None
                and (found.start >= owner.binds_from or self.on_tag(owner, found, by_id))
                and _bind(owner.ref, found.status_id, found.handle, url)
            ):
                continue
            if owner is None and (cited := self._entry(found)) is not None:
                r = self.keep(citation_ref(cited, self.document, found.url, found.start))
                _bind(r, found.status_id, found.handle, url)
                continue
            kept = self.keep(
                Ref(
                    "status_url",
                    self.document,
                    0,
                    0,
                    found.url,
                    url=url,
                    canonical_url=found.canonical_url,
                    status_id=found.status_id,
                    handle=found.handle,
                    warnings=[found.warning] if found.warning else [],
                    offset=found.start,
                )
            )
            if owner is not None:
                inside.append((kept, owner))
        for link in find_short_links(self.raw):
            owner = self.owner_at(link.start)
            kept = self.keep(
                Ref(
                    "short_link",
                    self.document,
                    0,
                    0,
                    link.url,
                    url=unescape_url(link.url),
                    canonical_url=link.canonical_url,
                    warnings=[link.warning] if link.warning else [],
                    offset=link.start,
                )
            )
            if owner is not None:
                inside.append((kept, owner))
                if link.canonical_url not in owner.ref.short_links:
                    owner.ref.short_links.append(link.canonical_url)
        for r, owner in inside:
            r.in_post = _owner_name(owner)

    def _entry(self, found: StatusURL) -> Citation | None:
        """The reference-list entry around a post's URL that names no handle (entries.py);
        never one that holds an embed or a citation."""
        cited = url_entry(self.raw, self.view, self.view_text, found.start, found.end)
        if cited is None:
            return None
        if cited.date and cited.style != "apa" and not fits_id(found.status_id, cited.date):
            return None  # a date of something else: the post's id says when it was posted
        low, high = self.span(cited.start, cited.end)
        i = bisect_right(self.owner_starts, high)
        return None if i and self.owner_reach[i - 1] > low else cited

    def accounts(self) -> None:
        text = self.view_text
        spans = code_spans(text, self.document, (self.raw, self.view) if self.view else None)
        mentions, elsewhere = [], set()  # (handles the text says are another platform's)
        cited = {r.handle.lower() for r in self.refs if r.kind in AUTHORED and r.handle}
        for m in find_mentions(self.view_text):
            if m.handle.lower() in cited or CITED_AUTHOR_RE.match(text, m.start - 1):
                continue  # a cited post's author written again, not an account cited
            if (spans and within(spans, m.start)) or code_word(text, m.handle, m.start, m.end):
                continue  # `@media`, `@dataclass`, `@misc{`, `[@smith2019, p. 3]`: not accounts
            if labelled_elsewhere(text, m.start, m.end):
                if not names_x_near(text, m.start):  # (then the handle is that platform's)
                    elsewhere.add(m.handle.lower())
                continue  # `Instagram: @natgeo`: another platform's handle
            offset = self.to_src(m.start)
            link = open_link(self.raw, offset) if self.view is not None else -1
            if link >= 0 and links_elsewhere(self.raw, link, m.handle):
                continue  # Mastodon's, Bluesky's mention: `<a href="https://…/@h">@h</a>`
            shown = link >= 0 and links_own_post(self.raw, link, m.handle)
            if shown or self.in_author(offset) or text.endswith(AVATAR_ALT, 0, m.start):
                continue  # the author of an embed or a citation is not cited again as an account
            if not placeholder_mention(self.view_text, m.handle, m.end):
                mentions.append((m, offset))
        mentions = [(m, at) for m, at in mentions if x_handle(text, m, elsewhere)]
        profiles = [
            (p, p.start)
            for p in find_profiles(self.raw)
            if not is_placeholder(p.handle)
            and not self.own_author(p.start, p.handle)
            and p.handle.lower() not in cited  # (as a mention of a cited post's author is)
        ]
        # Each account once, where it first appears, as merge would fold them (a block of
        # `@ab @ab …` makes one ref, not a quarter of a million)
        first: dict[str, tuple] = {}
        for account, offset in profiles + mentions:
            key = account.handle.lower()
            if key not in first or offset < first[key][1]:
                first[key] = (account, offset)
        for account, offset in first.values():
            self.keep(
                Ref(
                    "account",
                    self.document,
                    0,
                    0,
                    account.match,
                    handle=account.handle,
                    url=unescape_url(account.url) if account.url else None,
                    canonical_url=f"https://x.com/{account.handle}",
                    offset=offset,
                )
            )


def _bind(r: Ref, status_id: str, handle: str | None, url: str) -> bool:
    """Name `r` (an embed or a citation) after the post `status_id` unless it names another."""
    if r.status_id is not None and r.status_id != status_id:
        return False
    r.status_id, r.url = status_id, r.url or url
    r.handle = r.handle or handle
    r.canonical_url = canonical_status_url(status_id, r.handle)
    return True


def scan(
    text: str,
    document: str = "-",
    first_line: int = 1,
    is_html: bool | None = None,
    first_column: int = 1,
) -> list[Ref]:
    """Every reference in `text`, one per post, link and account, in document order.
    `first_line` and `first_column` say where `text` starts in its document."""
    if is_html is None:
        is_html = looks_like_html(text)
    s = _Scan(text, document, first_line, first_column, is_html)
    s.attributions()
    s.cards()
    s.citations()
    s.links()
    s.accounts()
    for r in s.refs:
        finish(r)
    return merge(s.refs)


def _owner_name(owner: _Owner | None) -> str | None:
    if owner is None:
        return None
    return owner.ref.status_id or owner.ref.handle
