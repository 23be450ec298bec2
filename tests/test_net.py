"""HTTP faults, against the loopback replay server: retries, 429, timeouts, resets, cut bodies,
oversized answers, redirect loops, and the connect-to routing itself."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from replay import Reply, json_reply

from archiver.capture.resolve import resolve
from archiver.config import Settings, parse_connect_to
from archiver.fence import fence
from archiver.net import Http, recording
from archiver.sources import ALL, Target
from archiver.store import Store

ANY_SERVICE = fence("test", "cdn.syndication.twimg.com api.fxtwitter.com t.co publish.twitter.com")


def settings(server, **overrides) -> Settings:  # type: ignore[no-untyped-def]
    base = Settings(
        connect_to=parse_connect_to(server.connect_to),
        timeout=1.0,
        backoff=0.01,
        retries=2,
        retry_after_cap=2.0,
    )
    for key, value in overrides.items():
        setattr(base, key, value)
    return base


def get(server, url: str, tmp_path: Path, **overrides):  # type: ignore[no-untyped-def]
    """The last exchange of GET `url`, with every earlier try and hop as `.earlier`."""

    async def run():  # type: ignore[no-untyped-def]
        async with Http(settings(server, **overrides), Store(tmp_path / "a")) as http:
            with recording() as log:
                last = await http.get(url, ANY_SERVICE)
            last.earlier = log[:-1]
            return last

    return asyncio.run(run())


class Flaky:
    """Fails `times` times with `fault`, then answers."""

    def __init__(self, times: int, fault: Reply) -> None:
        self.left, self.fault = times, fault

    def __call__(self, _handler) -> Reply:  # type: ignore[no-untyped-def]
        if self.left:
            self.left -= 1
            return self.fault
        return json_reply({"ok": True})


def test_requests_keep_the_production_host(replay, tmp_path: Path) -> None:
    replay.add("cdn.syndication.twimg.com", "/tweet-result", json_reply({"ok": 1}))
    exchange = get(replay, "https://cdn.syndication.twimg.com/tweet-result?id=20", tmp_path)
    assert exchange.ok and exchange.body == b'{"ok": 1}'
    assert replay.log == [("cdn.syndication.twimg.com", "/tweet-result?id=20")]
    assert exchange.url == "https://cdn.syndication.twimg.com/tweet-result?id=20"
    assert exchange.blob.data == b'{"ok": 1}'  # small: in memory until it is settled


@pytest.mark.parametrize(
    "fault",
    [
        Reply(500, b"oops"),
        Reply(503, b"busy"),
        Reply(fault="reset"),
        Reply(200, b'{"cut": "short"}', fault="truncate"),
    ],
)
def test_transient_faults_are_retried(replay, tmp_path: Path, fault: Reply) -> None:
    replay.add("api.fxtwitter.com", "*", Flaky(2, fault))
    exchange = get(replay, "https://api.fxtwitter.com/2/status/20", tmp_path)
    assert exchange.ok and exchange.body == b'{"ok": true}'
    assert len(exchange.earlier) == 2  # every try is kept for the record
    assert all(not e.ok for e in exchange.earlier)


def test_a_host_that_stops_answering_is_asked_once_more_at_most(replay, tmp_path: Path) -> None:
    """No answer within the timeout (a host that hangs, or drips and stalls): asked once more,
    not at every retry a reset would get (each costs a whole timeout); the next run's `retry`
    asks again."""
    replay.add("api.fxtwitter.com", "*", Flaky(1, Reply(delay=1.5)))
    exchange = get(replay, "https://api.fxtwitter.com/2/status/20", tmp_path)
    assert exchange.ok and len(exchange.earlier) == 1
    replay.add("api.fxtwitter.com", "*", Flaky(3, Reply(delay=1.5)))
    hung = get(replay, "https://api.fxtwitter.com/2/status/20", tmp_path)
    assert hung.stalled and hung.error == "timed out after 1 s" and len(hung.earlier) == 1


def test_faults_that_persist_end_with_a_reason(replay, tmp_path: Path) -> None:
    replay.add("api.fxtwitter.com", "*", Reply(fault="reset"))
    exchange = get(replay, "https://api.fxtwitter.com/2/status/20", tmp_path)
    assert not exchange.ok and exchange.error and len(exchange.earlier) == 2
    replay.add("api.fxtwitter.com", "*", Reply(delay=1.5))
    slow = get(replay, "https://api.fxtwitter.com/2/status/20", tmp_path, retries=0)
    assert slow.error == "timed out after 1 s"


def test_429_honours_retry_after_up_to_the_cap(replay, tmp_path: Path) -> None:
    replay.add("t.co", "*", Flaky(1, Reply(429, b"", {"Retry-After": "1"})))
    started = time.monotonic()
    exchange = get(replay, "https://t.co/abc", tmp_path)
    assert exchange.ok and time.monotonic() - started >= 1.0
    replay.add("t.co", "*", Reply(429, b"", {"Retry-After": "3600"}))
    started = time.monotonic()
    limited = get(replay, "https://t.co/abc", tmp_path)
    assert limited.status == 429 and limited.retry_after == 3600
    assert time.monotonic() - started < 1.0  # the wait goes back to the queue


def test_oversized_answers_are_refused(replay, tmp_path: Path) -> None:
    replay.add("publish.twitter.com", "*", Reply(200, b"x" * 5000, {"Content-Type": "text/html"}))
    exchange = get(replay, "https://publish.twitter.com/oembed", tmp_path, max_response_bytes=1000)
    assert exchange.error == "response larger than 1,000 bytes: not kept"
    tmp = tmp_path / "a" / "tmp"
    assert exchange.digest is None and (not tmp.exists() or list(tmp.iterdir()) == [])
    # The limit counts the bytes on the wire, whatever the declared length says.
    replay.add(
        "publish.twitter.com",
        "*",
        Reply(200, b"x" * 5000, {"Content-Type": "text/html"}, chunked=True),
    )
    undeclared = get(
        replay, "https://publish.twitter.com/oembed", tmp_path, max_response_bytes=1000
    )
    assert undeclared.error == "response larger than 1,000 bytes: not kept"


def test_redirect_loops_and_non_http_redirects_are_refused(replay, tmp_path: Path) -> None:
    replay.add("t.co", "/a", Reply(301, b"", {"Location": "https://t.co/b"}))
    replay.add("t.co", "/b", Reply(301, b"", {"Location": "https://t.co/a"}))
    assert "redirect loop" in get(replay, "https://t.co/a", tmp_path).error
    replay.add("t.co", "/c", Reply(301, b"", {"Location": "ftp://example.org/x"}))
    assert "not an http(s) URL" in get(replay, "https://t.co/c", tmp_path).error

    async def run():  # type: ignore[no-untyped-def]
        async with Http(settings(replay), Store(tmp_path / "a")) as http:
            return await resolve(http, 1, "https://t.co/a")

    result = asyncio.run(run())
    assert result.status_id is None and "redirect loop" in result.end.error
    assert [e.status for e, _ in result.hops] == [301, 301]


def test_wrong_content_type_is_a_failed_capture_with_a_reason(replay, tmp_path: Path) -> None:
    replay.add(
        "cdn.syndication.twimg.com",
        "*",
        Reply(200, b"<html><body>Rate limit exceeded</body></html>", {"Content-Type": "text/html"}),
    )

    async def run():  # type: ignore[no-untyped-def]
        async with Http(settings(replay), Store(tmp_path / "a")) as http:
            return await ALL["syndication"].ask(http, Target("20"))

    reading = asyncio.run(run())
    assert reading.outcome == "error" and "not JSON" in reading.reason
    assert reading.exchanges[-1].digest  # the bytes received are kept all the same


def test_a_429s_wait_is_read_within_a_second_and_a_week() -> None:
    """`Retry-After` as a hostile or broken server writes it: the run waits at least a second
    (so the job stays pending, never failed) and at most a week (never an overflow)."""
    from archiver.net import _retry_after

    week = 7 * 86400.0
    assert [_retry_after(v) for v in ("120", "0", "-5", "1e400", "9" * 400, "nan", "junk")] == [
        120.0,
        1.0,
        1.0,
        week,
        week,
        week,
        None,
    ]
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 1.0  # a date gone by
