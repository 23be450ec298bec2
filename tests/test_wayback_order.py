"""Which of a deleted post's Wayback captures are read, and in what order: the index's real
shapes (a `warc/revisit` row with the digest of the capture it revisits, as the CDX server lists
them; the JavaScript shells of X's later years, each its own digest) must never hide the one
capture that holds the post behind the fetch limit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from replay import CDX_FIELDS, FIXTURES, Reply, json_reply
from test_answers_flow import media_hosts, nothing_known, run

from archiver.sources.wayback import MAX_FETCHES
from archiver.views import post_view

ANSWERS = FIXTURES / "answers" / "wayback"

HTML = {"Content-Type": "text/html; charset=utf-8"}


def listed(replay, url: str, rows: list[list[str]], pages: dict[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    """The index answering `rows` (timestamp, type, status, digest, length) for `url`, and each
    capture's page; after them, more
    JavaScript shells than the fetch limit, each newer than every row given."""
    key = "com,twitter)" + url.split("twitter.com", 1)[1].lower()
    shell = (ANSWERS / "x-js-shell-2025.html").read_bytes()
    for i in range(MAX_FETCHES + 2):
        stamp = f"{2023 + i // 6}{i % 6 + 7:02d}0{i % 9 + 1}120000"
        rows.append([stamp, "text/html", "200", f"SHELL{i:02d}" + "A" * 26, "4000"])
        pages[stamp] = shell
    listing = [CDX_FIELDS, *([key, row[0], url, *row[1:]] for row in rows)]
    replay.add("web.archive.org", "/cdx/search/cdx", json_reply(json.dumps(listing).encode()))
    for stamp, body in pages.items():
        replay.add("web.archive.org", f"/web/{stamp}id_/{url}", Reply(200, body, HTML))


def deleted_and_listed(home: Path, replay, url: str, rows: list, pages: dict) -> str | None:  # type: ignore[no-untyped-def]
    """The text archiver keeps of the post at `url`, deleted (syndication's tombstone; no
    other source has it) and listed in the index as `listed` sets it up."""
    nothing_known(
        replay, json_reply(FIXTURES / "answers" / "syndication" / "tombstone-deleted.json")
    )
    media_hosts(replay)
    listed(replay, url, rows, pages)
    sid = url.rsplit("/", 1)[1]
    store, _ = run(home, replay, sid)
    return post_view(store, sid)["text"]


@pytest.mark.parametrize("revisited", [False, True], ids=["page", "page-and-its-revisit"])
def test_a_revisit_row_stands_for_the_page_it_revisits(
    home: Path,
    replay,  # type: ignore[no-untyped-def]
    revisited: bool,
) -> None:
    """A revisit keeps the digest of the capture it revisits: kept in its place (the newest of
    the digest), it was ranked with the shells, and the 2019 page that holds the post was cut
    off behind them: the post gone with no text."""
    sid = "1129729391719354514"
    page = (ANSWERS / "permalink-2019-reply-quote.html").read_bytes()
    digest = "ZHYT52YPEOCHJD5FZINSDYXGQZI22WJ4"
    rows = [["20190518120000", "text/html", "200", digest, "9000"]]
    if revisited:  # the crawler came back a week later to the same bytes
        rows.append(["20190525120000", "warc/revisit", "-", digest, "560"])
    pages = {"20190518120000": page, "20190525120000": page}
    text = deleted_and_listed(
        home, replay, f"https://twitter.com/mira_kestrel/status/{sid}", rows, pages
    )
    assert (text or "").startswith("@tidewatch_ops Same pattern")


def test_a_page_of_the_years_its_head_held_the_post_is_read_before_later_shells(
    home: Path,
    replay,  # type: ignore[no-untyped-def]
) -> None:
    """From 2020-06 to 2023-07 a status page's head held the post (og:description, its
    title): such a capture is read before the shells of the years since, however many."""
    url = "https://twitter.com/tidewatch_ops/status/1554860932985786514"
    page = (ANSWERS / "responsive-2022-meta.html").read_bytes()
    rows = [["20220803120000", "text/html", "200", "PAGE2022" + "A" * 24, "9000"]]
    assert deleted_and_listed(home, replay, url, rows, {"20220803120000": page})
    assert [p for p in replay.hits("web.archive.org") if "/web/2" in p][0].startswith("/web/2022")


def test_captures_stay_newest_first_when_a_revisit_gives_way_to_what_it_revisits() -> None:
    """The capture a revisit stands for takes the revisit's place in the index's dict, not its
    time: within a kind, captures are still read newest first."""
    from archiver.sources.wayback import captures

    url = "https://twitter.com/a/status/1554860932985786514"
    rows = [
        dict(zip(CDX_FIELDS, ["k", stamp, url, kind, code, digest, "1"], strict=True))
        for stamp, kind, code, digest in (
            ("20220101000000", "warc/revisit", "-", "D2"),
            ("20210101000000", "text/html", "200", "D1"),
            ("20200801000000", "text/html", "200", "D2"),
        )
    ]
    order = [(r["timestamp"], r["digest"]) for r in captures(rows, "1554860932985786514")]
    assert order == [("20210101000000", "D1"), ("20200801000000", "D2")]
