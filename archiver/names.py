"""Posts named on the command line: a status id or a status URL in any of its forms
(`…/status/20/photo/1`, `mobile.`, `x.com`, `?s=20`…). One parser, used by every command that
takes a post (`show`, `export`, `recheck`, `similar`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .refs.ids import ascii_id, plausible_id
from .refs.urls import find_status_urls

if TYPE_CHECKING:
    from sqlmodel import Session

    from .models import Post

ID_RE = re.compile(r"\d{1,19}")


def status_id_of(name: str) -> str:
    """The status id `name` names; InputError when it names no post."""
    value = name.strip()
    if ID_RE.fullmatch(value):
        if not plausible_id(value):
            raise InputError(f"{value!r}: not a real post id")
        return ascii_id(value)
    found = find_status_urls(value)
    if len(found) == 1 and found[0].start == 0 and not value[found[0].end :].strip():
        return ascii_id(found[0].status_id)
    raise InputError(f"{value[:200]!r}: not a post id or a status URL")


def _missing(name: str) -> InputError:
    return InputError(f"{name}: no such post in the archive")


def post_id_of(conn: Any, name: str) -> int:
    """The row id of the archived post `name` names, read on a plain connection (`show`)."""
    row = conn.execute("SELECT id FROM post WHERE status_id = ?", (status_id_of(name),)).fetchone()
    if row is None:
        raise _missing(name)
    return row[0]


def find_posts(sess: Session, names: list[str]) -> list[Post]:
    """The archived posts `names` name, in order (every post with an id when none is named)."""
    from sqlmodel import col, select

    from .models import Post

    if not names:
        return list(
            sess.exec(select(Post).where(col(Post.status_id).is_not(None)).order_by(col(Post.id)))
        )
    posts = []
    for name in names:
        status_id = status_id_of(name)
        post = sess.exec(select(Post).where(Post.status_id == status_id)).first()
        if post is None:
            raise _missing(name)
        posts.append(post)
    return posts


def documents_named(documents: list[tuple[int, str, str]], name: str) -> list[int]:
    """The ids of the documents (id, path, digest) that `name` names: its id, path or digest,
    else the end of its path in whole names (`a.txt` names `docs/a.txt`, never `data.txt`).
    One rule for `export --document` and `list --document`."""
    exact = [i for i, path, digest in documents if name in (str(i), path, digest)]
    ends = ("/" + name, "\\" + name)
    return exact or [i for i, path, _ in documents if path.endswith(ends)]
