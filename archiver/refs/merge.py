"""One reference per post, short link and account in a document."""

from __future__ import annotations

from operator import attrgetter

from .ref import Ref


def merge_key(r: Ref) -> tuple[str, str] | None:
    if r.status_id:
        return "post", r.status_id
    if r.kind == "short_link":
        return "short", r.canonical_url or r.match
    if r.kind == "account":
        return "account", (r.handle or "").lower()
    return None  # an embed with no id yet: each is its own post


# What a document shows of a post outranks a bare link to it: its embed, then its citation.
RANK = {"attribution": 2, "citation": 1}


_position = attrgetter("line", "column")


def merge(refs: list[Ref]) -> list[Ref]:
    """Fold repeats into the first occurrence; an embed or a citation outranks a bare link."""
    kept: dict[tuple[str, str], Ref] = {}
    out: list[Ref] = []
    for r in sorted(refs, key=_position):
        key = merge_key(r)
        if key is None:
            out.append(r)
            continue
        first = kept.get(key)
        if first is None:
            kept[key] = r
            out.append(r)
        elif RANK.get(r.kind, 0) > RANK.get(first.kind, 0):
            r.url = r.url or first.url
            out[out.index(first)] = kept[key] = r
        else:
            first.handle = first.handle or r.handle
            first.in_post = first.in_post or r.in_post
            first.warnings += [w for w in r.warnings if w not in first.warnings]
    return sorted(out, key=_position)
