"""Every source against real payload shapes: the shared corpus replayed on loopback (where it is
present) and the project's own fixtures; plus the syndication token."""

from __future__ import annotations

import asyncio
import html
import json
import re
from pathlib import Path

import pytest
from conftest import SHARED
from replay import FIXTURES, Reply, json_reply

from archiver.capture.resolve import resolve
from archiver.config import Settings, parse_connect_to
from archiver.net import Http
from archiver.sources import ALL, Target
from archiver.sources.syndication import token
from archiver.sources.wayback import captures, cdx_rows
from archiver.store import Store

CORPUS = SHARED / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not present at {CORPUS}")


def corpus(folder: str, pattern: str = "*.json") -> list[Path]:
    path = CORPUS / folder
    return (
        sorted(p for p in path.glob(pattern) if "response-meta" not in p.name)
        if path.is_dir()
        else []
    )


def fetch(server, tmp_path: Path, source: str, target: Target):  # type: ignore[no-untyped-def]
    async def run():  # type: ignore[no-untyped-def]
        settings = Settings(connect_to=parse_connect_to(server.connect_to), retries=0)
        async with Http(settings, Store(tmp_path / "a")) as http:
            return await ALL[source].ask(http, target)

    return asyncio.run(run())


@pytest.mark.parametrize(
    ("status_id", "expected"),
    [
        ("1691389765483200513", "43lnobuxzql"),
        ("1629262255744503809", "3y6h7x4gn61"),
        ("1703436713362870723", "44ni5iyte19"),
        ("2089067915303649684", "52bjdzta2"),
        ("2089029385621823840", "52avnnxltig"),
        ("20", "6dq1a2xwd93"),  # this and the next: computed with Node for this test
        ("774150065166229504", "1vk2b5bytp6"),
    ],
)
def test_syndication_token_matches_the_javascript_formula(status_id: str, expected: str) -> None:
    assert token(status_id) == expected


def _syndication_files() -> list[Path]:
    return corpus("syndication") + sorted(FIXTURES.glob("syndication-*.json"))


@pytest.mark.parametrize("path", _syndication_files(), ids=lambda p: p.name)
def test_syndication_payloads(replay, tmp_path: Path, path: Path) -> None:
    data = json.loads(path.read_bytes())
    tweet = data.get("data", data)
    status_id = tweet.get("id_str") or "1864994181010350326"
    replay.add("cdn.syndication.twimg.com", "/tweet-result", json_reply(path))
    reading = fetch(replay, tmp_path, "syndication", Target(status_id))
    assert f"token={token(status_id)}" in replay.log[0][1]
    if tweet.get("__typename") == "TweetTombstone":
        assert reading.outcome == "gone" and reading.state in ("deleted", "suspended")
        assert tweet["tombstone"]["text"]["text"] in reading.reason
        return
    record = reading.record
    assert reading.outcome == "found" and record.status_id == status_id
    assert record.handle == tweet["user"]["screen_name"]
    assert record.author_name == tweet["user"]["name"]
    assert record.text == html.unescape(tweet["text"])
    assert record.created_at[:19] == tweet["created_at"][:19]
    assert len(record.media) == len(tweet.get("mediaDetails") or [])
    assert record.quoted_status_id == (tweet.get("quoted_tweet") or {}).get("id_str")
    assert record.counts.get("likes") == tweet.get("favorite_count")
    for item, detail in zip(record.media, tweet.get("mediaDetails") or [], strict=True):
        variants = (detail.get("video_info") or {}).get("variants") or []
        mp4 = [v for v in variants if v.get("content_type") == "video/mp4"]
        if mp4:
            assert item.url == max(mp4, key=lambda v: v["bitrate"])["url"]
        else:
            assert item.url == detail["media_url_https"]


def test_syndication_empty_answer_and_404(replay, tmp_path: Path) -> None:
    replay.add("cdn.syndication.twimg.com", "*", json_reply({}))
    assert fetch(replay, tmp_path, "syndication", Target("20")).outcome == "not_found"
    replay.add("cdn.syndication.twimg.com", "*", Reply(404, b"", {}))
    assert fetch(replay, tmp_path, "syndication", Target("20")).outcome == "not_found"


@pytest.mark.parametrize(
    "path", corpus("vxtwitter") + sorted(FIXTURES.glob("vxtwitter-*.json")), ids=lambda p: p.name
)
def test_vxtwitter_payloads(replay, tmp_path: Path, path: Path) -> None:
    data = json.loads(path.read_bytes())
    replay.add(
        "api.vxtwitter.com",
        f"/{data['user_screen_name']}/status/{data['tweetID']}",
        json_reply(path),
    )
    reading = fetch(
        replay, tmp_path, "vxtwitter", Target(data["tweetID"], data["user_screen_name"])
    )
    record = reading.record
    assert reading.outcome == "found" and record.status_id == data["tweetID"]
    assert (record.handle, record.author_name, record.text) == (
        data["user_screen_name"],
        data["user_name"],
        data["text"],
    )
    assert [m.url for m in record.media] == [m["url"] for m in data["media_extended"]]
    assert record.quoted_status_id == (data.get("qrt") or {}).get("tweetID")


@pytest.mark.parametrize(
    "path", corpus("fxtwitter") + sorted(FIXTURES.glob("fxtwitter-1*.json")), ids=lambda p: p.name
)
def test_fxtwitter_payloads(replay, tmp_path: Path, path: Path) -> None:
    data = json.loads(path.read_bytes())
    post = data.get("status") or data["tweet"]
    replay.add("api.fxtwitter.com", f"/2/status/{post['id']}", json_reply(path))
    reading = fetch(replay, tmp_path, "fxtwitter", Target(post["id"]))
    record = reading.record
    assert reading.outcome == "found" and record.status_id == post["id"]
    assert record.handle == post["author"]["screen_name"]
    assert record.text == (post.get("raw_text") or {}).get("text", post["text"])
    media = post["media"].get("all") or post["media"].get("photos")
    assert [m.url for m in record.media] == [m["url"] for m in media]


def test_fxtwitter_tombstone(replay, tmp_path: Path) -> None:
    replay.add("api.fxtwitter.com", "*", json_reply({"code": 401, "message": "PRIVATE_TWEET"}, 401))
    reading = fetch(replay, tmp_path, "fxtwitter", Target("20"))
    assert (reading.outcome, reading.state) == ("gone", "protected")


@pytest.mark.parametrize(
    "path", corpus("oembed") + [FIXTURES / "oembed-20.json"], ids=lambda p: p.name
)
def test_oembed_payloads(replay, tmp_path: Path, path: Path) -> None:
    data = json.loads(path.read_bytes())
    status_id = re.search(r"status/(\d+)", data["url"]).group(1)
    replay.add("publish.twitter.com", "/oembed", json_reply(path))
    reading = fetch(replay, tmp_path, "oembed", Target(status_id))
    record = reading.record
    assert reading.outcome == "found" and record.author_name == data["author_name"]
    assert record.handle == data["author_url"].rsplit("/", 1)[-1]
    first_words = html.unescape(re.sub("<[^>]+>", "", data["html"].split("</p>")[0]))[:30]
    assert record.text.startswith(first_words.strip()[:30])


@needs_corpus
def test_tco_meta_refresh_answer_is_followed(replay, tmp_path: Path) -> None:
    body = (CORPUS / "tco" / "4DK3Jc2BTt.body.html").read_bytes()
    replay.add(
        "t.co", "/4DK3Jc2BTt", Reply(200, body, {"Content-Type": "text/html; charset=utf-8"})
    )
    replay.add("buff.ly", "/2uSOHDs", Reply(301, b"", {"Location": "https://example.org/story"}))

    async def run():  # type: ignore[no-untyped-def]
        settings = Settings(connect_to=parse_connect_to(replay.connect_to))
        async with Http(settings, Store(tmp_path / "a")) as http:
            return await resolve(http, 1, "https://t.co/4DK3Jc2BTt")

    result = asyncio.run(run())
    assert result.status_id is None and result.end.result == "https://example.org/story"
    assert [h for h, _ in replay.log] == ["t.co", "buff.ly"]


@needs_corpus
def test_wayback_cdx_rows() -> None:
    body = (
        CORPUS / "wayback" / "cdx-text-prefix-twitter.com_SputnikNewsUS-status-lines.txt"
    ).read_bytes()
    rows = cdx_rows(body)
    assert len(rows) == 10
    best = captures(rows, "1007884228946776064")[0]
    assert (best["timestamp"], best["statuscode"]) == ("20180616071945", "200")  # not the 301
    json_capture = captures(rows, "1014056148289241088")[0]
    assert json_capture["mimetype"] == "application/json"
