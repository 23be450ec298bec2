"""Posts that data exports hold as records rather than cite by URL: X's own archive of an
account (`tweets.js`: `window.YTD.tweets.part0 = [...]`), collectors' JSON (v1.1 tweet objects
as twarc and snscrape keep them; API v2 `data` with its `includes.users`) and tables with a
post's id in a column (twarc-csv, twint, TAGS). A record is a post when it holds an id, a text
and a key only X's posts have; its handle is its user's.

The t.co links such a record expands itself (`{"url": "https://t.co/…", "expanded_url": …}`)
are known already: they are not short links left to resolve.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .ids import plausible_id
from .urls import find_short_links

YTD_RE = re.compile(r"\s*window\.YTD\.[\w.]+\s*=\s*")  # X's archive: JavaScript around JSON
TEXT_KEYS = ("full_text", "text", "rawContent", "content")
# Keys only X's post objects have (v1.1, v2, X's archive, snscrape): a Telegram or Discord
# message with an id and a text is not a post.
POST_KEYS = frozenset(
    "id_str entities author_id retweet_count favorite_count public_metrics conversation_id "
    "in_reply_to_status_id_str edit_history_tweet_ids conversationId".split()
)
# A record of X's archive's `tweet-headers.js`: a post's id, its author's, its time (no text)
HEADER_KEYS = frozenset(("tweet_id", "user_id", "created_at"))
EXPANDED_KEYS = ("expanded_url", "expandedUrl", "unwound_url", "expanded")
SNOWFLAKE_DIGITS = 15  # a post's id since November 2010; a table's shorter ids are not trusted
ID_COLUMNS = ("id_str", "tweet_id", "tweetid", "status_id", "tweet id", "id")
HANDLE_COLUMNS = (
    "screen_name user_screen_name from_user username author.username user.screen_name "
    "user_username author_username user.username".split()
)
# Beside a generic `id`, a column only X's tables have (a Mastodon or Threads export has `id`,
# `username` and a text too)
X_COLUMNS = frozenset(
    "screen_name user_screen_name from_user author.username user.screen_name tweet "
    "conversation_id retweet_count favorite_count in_reply_to_status_id_str".split()
)
TEXT_COLUMNS = ("text", "full_text", "tweet", "content", "rawcontent")

Post = tuple[str, str | None]  # (status id, handle)


def unwrap(text: str) -> str:
    """The JSON of X's archive files (`window.YTD.tweets.part0 = [...]`), or `text` itself."""
    m = YTD_RE.match(text)
    return text[m.end() :] if m else text


def objects_in(values: list[object]) -> Iterator[dict]:
    """Every object of `values`, in document order; iterative: any depth."""
    stack: list[object] = list(reversed(values))
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            yield value
            stack.extend(reversed(list(value.values())))
        elif isinstance(value, list):
            stack.extend(reversed(value))


def json_posts(values: list[object]) -> list[Post]:
    """The posts a JSON document holds as records, in document order."""
    users = {
        str(d["id"]): d["username"]
        for d in objects_in(values)
        if isinstance(d.get("username"), str) and "id" in d and not _text(d)
    }
    posts = []
    for d in objects_in(values):
        header = _id(d, "tweet_id") if d.keys() >= HEADER_KEYS else None
        status_id = header or _id(d)
        if status_id is None or (header is None and not (_text(d) and POST_KEYS.intersection(d))):
            continue
        user = d.get("user") if isinstance(d.get("user"), dict) else {}
        handle = (
            user.get("screen_name") or user.get("username") or users.get(str(d.get("author_id")))
        )
        posts.append((status_id, handle if isinstance(handle, str) else None))
    return posts


def _id(d: dict, key: str = "id_str") -> str | None:
    value = d.get(key, d.get("id"))
    value = str(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    return value if value.isdigit() and plausible_id(value) else None


def _text(d: dict) -> bool:
    return any(isinstance(d.get(key), str) for key in TEXT_KEYS)


ARCHIVE_USER_RE = re.compile(r'"username"\s*:\s*"([A-Za-z0-9_]{1,15})"')


def archive_owner(path: Path) -> str | None:
    """The handle of the account whose X archive holds `path` (its `tweets.js`, `tweets-part1.js`):
    the records of its own posts name no user, `data/account.js` beside them does."""
    if not (path.name.startswith("tweet") and path.suffix == ".js"):
        return None
    try:
        with open(path.parent / "account.js", "rb") as account:
            head = account.read(65536).decode("utf-8", "replace")
    except OSError:
        return None
    found = ARCHIVE_USER_RE.search(head) if "window.YTD.account" in head else None
    return found[1] if found else None


def expanded_links(values: list[object]) -> set[str]:
    """Canonical URLs of the t.co (and pic.twitter.com) links records expand themselves."""
    known = set()
    for d in objects_in(values):
        if any(isinstance(d.get(key), str) for key in EXPANDED_KEYS):
            for key in ("url", "display_url"):
                if isinstance(d.get(key), str):
                    known.update(link.canonical_url for link in find_short_links(d[key]))
        if isinstance(d.get("tcourl"), str) and isinstance(d.get("url"), str):
            # snscrape's: `{"url": <the link>, "tcourl": "https://t.co/…"}`
            known.update(link.canonical_url for link in find_short_links(d["tcourl"]))
    return known


def table_kind(head: str) -> str | None:
    """'tsv' or 'csv' for a text whose first line is the header of a table of posts (an id
    column and a text column), as Excel saves one as "Text (Tab delimited)" or "Unicode Text"
    under a `.txt` name; None otherwise."""
    first = head.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else "," if "," in first else None
    if delimiter is None:
        return None
    names = {name.strip().strip('"').lower() for name in first.split(delimiter)}
    if names.intersection(ID_COLUMNS) and names.intersection(TEXT_COLUMNS):
        return "tsv" if delimiter == "\t" else "csv"
    return None


def table_posts(
    header: list[str], rows: Iterator[tuple[list[str], int]], warnings: list[str] | None = None
) -> Iterator[tuple[Post, int]]:
    """The posts a table lists one a row (an id column, a text column), with each row's line;
    ids a spreadsheet rounded (`1.76E+18`) cannot be read, and `warnings` says how many."""
    names = [name.strip().lower() for name in header]
    id_at = next((names.index(c) for c in ID_COLUMNS if c in names), None)
    if id_at is None or not any(c in names for c in TEXT_COLUMNS):
        return
    handle_at = next((names.index(c) for c in HANDLE_COLUMNS if c in names), None)
    if names[id_at] == "id" and not X_COLUMNS.intersection(names):
        return  # `id,username,text`: a Mastodon, Threads or Discord export's, no post of X
    rounded, found = 0, []
    for row, line in rows:
        status_id = row[id_at].strip() if id_at < len(row) else ""
        if len(status_id) < SNOWFLAKE_DIGITS or not status_id.isdigit():
            rounded += ROUNDED_RE.fullmatch(status_id) is not None
            continue
        if not plausible_id(status_id):
            continue
        handle = (
            row[handle_at].strip().lstrip("@")
            if handle_at is not None and handle_at < len(row)
            else None
        )
        found.append(((status_id, handle or None), line))
    # Written out after the rounding, an id keeps 15 digits and ends in zeros: one such id
    # may be a post's own (one in ten thousand ends so), most of a column's are not
    zeros = [f for f in found if _rounded_whole(f[0][0])]
    if len(zeros) > 1 and 2 * len(zeros) > len(found):
        rounded += len(zeros)
        found = [f for f in found if not _rounded_whole(f[0][0])]
    yield from found
    if rounded and warnings is not None:
        warnings.append(
            f"post ids a spreadsheet rounded ({ROUNDED_EXAMPLE}), not readable: {rounded:,}; "
            "export the table again with the id column as text"
        )


ROUNDED_RE = re.compile(r"\d(?:[.,]\d+)?[Ee]\+1[5-8]")  # `1.76E+18`: 17 to 19 digits, rounded
ROUNDED_EXAMPLE = "1.76E+18, or 1760000000000000000 written out"
EXACT_DIGITS = 15  # what a spreadsheet keeps of a number


def _rounded_whole(status_id: str) -> bool:
    """Whether an id reads as one a spreadsheet rounded and wrote out whole: zeros past its
    fifteenth digit."""
    return len(status_id) > EXACT_DIGITS and not status_id[EXACT_DIGITS:].strip("0")


ID_LINE_RE = re.compile(r"[ \t]*(\d{15,19})[ \t]*\r?$")  # a dataset's line: one post's id
ID_LIST_HEAD = 3  # lines that must all be ids for a file to be read as a list of them


def id_list(head: str) -> bool:
    """Whether a text starts as a dataset of post ids, one a line (as DocNow's catalog and
    hydrators keep them), perhaps under a header (`id`, `tweet_id`)."""
    lines = [line for line in head.split("\n")[: ID_LIST_HEAD + 2] if line.strip()]
    if lines and lines[0].strip().strip('"').lower() in ID_COLUMNS:
        lines = lines[1:]
    lines = lines[:ID_LIST_HEAD]
    return len(lines) == ID_LIST_HEAD and all(ID_LINE_RE.fullmatch(line) for line in lines)


def id_lines(blocks: Iterable[str]) -> Iterator[tuple[int, str, str | None]]:
    """Each line of a list of post ids, with its number and its id (None for a line that holds
    no plausible one: read as text); memory: one block."""
    pending, line = "", 1
    for block in itertools.chain(blocks, ["\n"]):
        pending += block
        *complete, pending = pending.split("\n")
        for text in complete:
            m = ID_LINE_RE.fullmatch(text)
            yield line, text, m[1] if m and plausible_id(m[1]) else None
            line += 1
