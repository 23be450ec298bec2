"""Find the references in one text (plain, Markdown or HTML) and merge them per post."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from datetime import date

from .attributions import Attribution, find_attributions
from .htmlview import TextView, blank_code, fragment_text, looks_like_html
from .merge import merge
from .ref import Lines, Ref
from .urls import (
    canonical_status_url,
    find_mentions,
    find_profiles,
    find_short_links,
    find_status_urls,
    snowflake_time,
    unescape_url,
)


def _iso(status_id: str) -> str | None:
    when = snowflake_time(status_id)
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z") if when else None


def scan(
    text: str, document: str = "-", first_line: int = 1, is_html: bool | None = None
) -> list[Ref]:
    """Every reference in `text`, one per post, link and account, in document order."""
    if is_html is None:
        is_html = looks_like_html(text)
    view = TextView.build(text) if is_html else None
    raw = blank_code(text) if is_html else text
    view_text = view.text if view else text
    to_src = view.source_offset if view else (lambda offset: offset)
    lines = Lines(text, first_line)

    def ref(kind: str, offset: int, match: str, **fields: object) -> Ref:
        line, column = lines.at(offset)
        return Ref(kind, document, line, column, match, offset=offset, **fields)  # type: ignore[arg-type]

    refs: list[Ref] = []
    # Each embed: its attribution, its ref, and its body's span in the source.
    embeds: list[tuple[Attribution, Ref, int, int]] = []
    for att in find_attributions(view_text):
        start, end = to_src(att.start), to_src(att.end - 1) + 1
        body_start, body_end = to_src(att.body_start), to_src(att.body_end)
        body = fragment_text(text[body_start:body_end]) if view and att.in_blockquote else att.text
        r = ref(
            "attribution",
            start,
            text[start:end],
            handle=att.handle,
            author_name=att.author_name,
            date=att.date.isoformat() if att.date else None,
            date_text=att.date_text,
            text=body,
            warnings=list(att.warnings),
        )
        embeds.append((att, r, body_start, end))
        refs.append(r)

    # Embeds come in document order and never overlap: find the one around an offset by bisection.
    body_starts = [body_start for _att, _r, body_start, _end in embeds]
    authors = [(to_src(a.handle_span[0]), to_src(a.handle_span[1] - 1) + 1) for a, *_ in embeds]

    def embed_at(offset: int) -> Ref | None:
        i = bisect_right(body_starts, offset) - 1
        return embeds[i][1] if i >= 0 and offset < embeds[i][3] else None

    def in_author(offset: int) -> bool:
        i = bisect_right(authors, (offset, offset)) - 1
        return i >= 0 and authors[i][0] <= offset < authors[i][1]

    for found in find_status_urls(raw):
        owner = embed_at(found.start)
        if owner is not None and owner.status_id is None and found.start > owner.offset:
            # The date link of an embed (`— Name (@h) <a href=…status/ID>Date</a>`).
            owner.status_id, owner.url = found.status_id, unescape_url(found.url)
            owner.canonical_url = canonical_status_url(found.status_id, owner.handle)
            continue
        refs.append(
            ref(
                "status_url",
                found.start,
                found.url,
                url=unescape_url(found.url),
                canonical_url=found.canonical_url,
                status_id=found.status_id,
                handle=found.handle,
                in_post=_owner_name(owner),
            )
        )

    for link in find_short_links(raw):
        owner = embed_at(link.start)
        refs.append(
            ref(
                "short_link",
                link.start,
                link.url,
                url=unescape_url(link.url),
                canonical_url=link.canonical_url,
                in_post=_owner_name(owner),
                warnings=[link.warning] if link.warning else [],
            )
        )
        if owner is not None and link.canonical_url not in owner.short_links:
            owner.short_links.append(link.canonical_url)

    mentions = [replace(a, start=to_src(a.start)) for a in find_mentions(view_text)]
    for account in find_profiles(raw) + mentions:
        if account.url is None and in_author(account.start):
            continue  # the author of an embed is not cited again as an account
        refs.append(
            ref(
                "account",
                account.start,
                account.match,
                handle=account.handle,
                url=unescape_url(account.url) if account.url else None,
                canonical_url=f"https://x.com/{account.handle}",
            )
        )

    for r in refs:
        if r.status_id:
            r.snowflake_time = _iso(r.status_id)
            _check_date(r)
    return merge(refs)


def _owner_name(owner: Ref | None) -> str | None:
    if owner is None:
        return None
    return owner.status_id or owner.handle


def _check_date(r: Ref) -> None:
    if r.kind != "attribution" or not r.date or not r.snowflake_time:
        return
    encoded = date.fromisoformat(r.snowflake_time[:10])
    shown = date.fromisoformat(r.date)
    if abs((shown - encoded).days) > 1:
        r.warnings.append(
            f"date {r.date_text!r} disagrees with the time its id encodes ({r.snowflake_time})"
        )
