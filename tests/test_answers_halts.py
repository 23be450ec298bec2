"""What an answer already in hand becomes when the next one does not come, or comes worse: a
source that is rate limited or out of reach after another gave the post, an index answer cut
short, one index lookup of several refused, an answer about a newer post, and a recapture that
is given less than the archive keeps. Real shapes: the corpus answers (tests/fixtures/SOURCES.md)
and FxTwitter's 429 (`{"code": 429, "message": "rate limited"}` with `Retry-After`)."""

from __future__ import annotations

import json
from pathlib import Path

from replay import CDX_FIELDS, FIXTURES, Reply, json_reply
from test_answers_flow import answered_whole, media_hosts, nothing_known, run
from test_answers_shapes import CHAIN, OWN, OWN_ROW

from archiver.capture import Options, archive, read_inputs, retry
from archiver.config import Settings, parse_connect_to
from archiver.views import post_view

ANSWERS = FIXTURES / "answers"
LONG = "2089040211736981944"  # syndication gives its first 280 characters and four photos
RATE_LIMITED = Reply(429, b'{"code":429,"message":"rate limited"}', {"Retry-After": "600"})
JSON = {"Content-Type": "application/json"}
HTML = {"Content-Type": "text/html; charset=utf-8"}


def settings(replay) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(connect_to=parse_connect_to(replay.connect_to), retries=0, backoff=0.0)


def whole_long_post(replay) -> str:  # type: ignore[no-untyped-def]
    """FxTwitter answering the long post whole; its text."""
    cut = json.loads((ANSWERS / "syndication" / "long-post-cut.json").read_text())["text"]
    whole = cut + " And here is the rest of the post, which only a whole answer holds."
    answered_whole(replay, LONG, whole)
    return whole


LISTING = json.dumps([CDX_FIELDS, OWN_ROW]).encode()


def deleted_and_indexed(replay, index: Reply) -> None:  # type: ignore[no-untyped-def]
    """A deleted post, its index answering `index`; the capture it lists holds the post."""
    nothing_known(replay, json_reply(ANSWERS / "syndication" / "tombstone-deleted.json"))
    media_hosts(replay)
    replay.add("web.archive.org", "/cdx/search/cdx", index)
    replay.add(
        "web.archive.org",
        f"/web/20260213000000id_/{OWN}",
        Reply(200, (ANSWERS / "wayback" / "v2-single-video.json").read_bytes(), JSON),
    )


def test_a_source_rate_limited_after_another_gave_the_post_keeps_that_answer(
    home: Path,
    replay,  # type: ignore[no-untyped-def]
) -> None:
    """Syndication gives a long post cut short, FxTwitter (asked for the rest) is rate limited:
    the record syndication gave is kept with its photos, partial for its text; `retry` completes
    it once FxTwitter answers."""
    nothing_known(replay, json_reply(ANSWERS / "syndication" / "long-post-cut.json"))
    media_hosts(replay)
    replay.add("api.fxtwitter.com", "*", RATE_LIMITED)

    store, (entry,) = run(home, replay, LONG)

    assert entry["outcome"] == "partial" and "cut short" in entry["reason"]
    view = post_view(store, LONG)
    assert view["state"] == "live" and view["record_digest"] and view["text"]
    photos = [m for m in view["media"] if "/media/" in m["remote_url"]]  # (not the avatar)
    assert len(photos) == 4 and all(m["status"] == "ok" for m in photos)

    whole = whole_long_post(replay)
    (again,) = retry(store, settings(replay), Options())
    assert again.outcome == "captured"
    assert post_view(store, LONG)["text"].endswith(whole[-40:])


def test_a_recapture_given_less_keeps_the_whole_record(home: Path, replay) -> None:  # type: ignore[no-untyped-def]
    """A long post captured whole, recaptured while FxTwitter fails: syndication's cut text does
    not take the place of the whole one."""
    nothing_known(replay, json_reply(ANSWERS / "syndication" / "long-post-cut.json"))
    media_hosts(replay)
    whole = whole_long_post(replay)
    store, (entry,) = run(home, replay, LONG)
    assert entry["outcome"] == "captured"
    before = post_view(store, LONG)["record_digest"]

    replay.add(
        "api.fxtwitter.com", "*", json_reply(ANSWERS / "fxtwitter" / "api-fail-500.json", 500)
    )
    archive(store, settings(replay), read_inputs([LONG], None), Options(recapture=True))

    view = post_view(store, LONG)
    assert view["record_digest"] == before and view["text"].endswith(whole[-40:])


def test_a_deleted_posts_recapture_keeps_the_live_record_over_an_archives_copy(
    home: Path,
    replay,  # type: ignore[no-untyped-def]
) -> None:
    """Captured live, then deleted: the recapture records the deletion, and the record taken
    from the post itself stays its record, not a Wayback capture's copy of it."""
    nothing_known(replay, json_reply(ANSWERS / "syndication" / "media-only-sensitive.json"))
    media_hosts(replay)
    store, _ = run(home, replay, CHAIN)
    live = post_view(store, CHAIN)
    assert live["state"] == "live"

    deleted_and_indexed(replay, Reply(200, LISTING, JSON))
    archive(store, settings(replay), read_inputs([OWN], None), Options(recapture=True))

    view = post_view(store, CHAIN)
    assert view["state"] == "deleted"
    assert (view["record_digest"], view["text"]) == (live["record_digest"], live["text"])


def test_an_index_answer_cut_short_fails_and_retry_reads_the_capture(
    home: Path,
    replay,  # type: ignore[no-untyped-def]
) -> None:
    """A 200 whose JSON stops mid-row is no index that lists nothing: the post is not called
    gone with no copy; `retry` asks the index again and reads the capture it lists."""
    deleted_and_indexed(replay, Reply(200, LISTING[:-40], JSON))
    store, (entry,) = run(home, replay, OWN)
    assert entry["outcome"] == "failed" and "index did not answer" in entry["reason"]
    assert post_view(store, CHAIN)["record_digest"] is None

    replay.add("web.archive.org", "/cdx/search/cdx", Reply(200, LISTING, JSON))
    (again,) = retry(store, settings(replay), Options())
    assert again.outcome == "gone" and post_view(store, CHAIN)["record_digest"] is not None


def test_one_index_lookup_rate_limited_leaves_the_others_captures_read(
    home: Path,
    replay,  # type: ignore[no-untyped-def]
) -> None:
    """The index is asked under each of the post's URLs; one refused (429) does not throw away
    the capture another lists."""

    def index(handler) -> Reply:  # type: ignore[no-untyped-def]
        if "harbornotes" in handler.path:
            return Reply(200, LISTING, JSON)
        return RATE_LIMITED if "/i/status/" in handler.path else json_reply([CDX_FIELDS])

    deleted_and_indexed(replay, index)
    store, (entry,) = run(home, replay, OWN)
    assert entry["outcome"] == "gone" and post_view(store, CHAIN)["record_digest"] is not None


def test_a_refused_lookup_keeps_the_post_waiting_though_another_listed_only_a_shell(
    home: Path,
    replay,  # type: ignore[no-untyped-def]
) -> None:
    """The lookup under the author's URL refused (429), another listing only a page that holds
    nothing (X's JavaScript shell): the post is not closed as gone with no copy; it waits, and
    `retry` reads the copy once the index answers."""
    shell = ["com,x)/i/status/" + CHAIN, "20250101000000", f"https://x.com/i/status/{CHAIN}"]
    listed = json.dumps([CDX_FIELDS, [*shell, "text/html", "200", "S1", "10"]]).encode()

    def index(handler) -> Reply:  # type: ignore[no-untyped-def]
        if "harbornotes" in handler.path:
            return RATE_LIMITED
        return Reply(200, listed, JSON) if "x.com/i/status/" in handler.path else json_reply([])

    deleted_and_indexed(replay, index)
    replay.add(
        "web.archive.org",
        f"/web/20250101000000id_/https://x.com/i/status/{CHAIN}",
        Reply(200, b"<html><body>JavaScript is not available.</body></html>", HTML),
    )
    store, (entry,) = run(home, replay, OWN)
    assert entry["outcome"] == "pending" and "did not answer" in entry["reason"]

    replay.add("web.archive.org", "/cdx/search/cdx", Reply(200, LISTING, JSON))
    (again,) = retry(store, settings(replay), Options())
    assert again.outcome == "gone" and post_view(store, CHAIN)["record_digest"] is not None


def test_an_answer_about_a_newer_post_is_no_repost(home: Path, replay) -> None:  # type: ignore[no-untyped-def]
    """FxTwitter answering with a later post (an edited post's newest version): never read as
    the post this one reposts (a repost is always newer than what it reposts)."""
    nothing_known(replay, Reply(503, b"", {}))
    media_hosts(replay)
    fx = json.loads((ANSWERS / "fxtwitter" / "v2-poll.json").read_text())
    newer = str(int(LONG) + 1)
    fx["status"]["id"] = newer
    replay.add("api.fxtwitter.com", "*", json_reply(json.dumps(fx).encode()))

    store, (entry,) = run(home, replay, LONG)

    assert entry["outcome"] != "captured", entry
    assert "newest version" in entry["reason"]
    view = post_view(store, LONG)
    assert view["record_digest"] is None or not view.get("repost_of_status_id")
