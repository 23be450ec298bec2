"""Hostile answers and hostile redirects: no shape of payload gets past a source's contract as
an exception, every answer received is kept as a capture, and no request leaves the services'
own hosts or reaches a private address."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import blob_bytes, run_cli, wait_with_peak
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from replay import ReplayServer, Reply
from world import SHRINE, tweet

from archiver.config import Settings, parse_connect_to
from archiver.fence import fence
from archiver.net import Http, Way
from archiver.sources import ALL, Target
from archiver.store import Store
from archiver.vocab import Outcome

STATUS_ID = "1865020000000000000"
JSON = {"Content-Type": "application/json"}
HOSTS = [
    "cdn.syndication.twimg.com",
    "api.fxtwitter.com",
    "api.vxtwitter.com",
    "publish.twitter.com",
    "web.archive.org",
]
KEYS = """__typename id_str id status tweet user mediaDetails data includes media author tweetID
html code message text full_text created_at quoted_tweet video_info variants tombstone url
retweeted_status screen_name name photos videos all raw_text qrt media_extended note_tweet
edit_history_tweet_ids attachments media_keys users tweets referenced_tweets reposted_by
""".split()
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.just(10**30)  # valid JSON, too large for the archive's integers
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["\ud800", "a\udfffb"])  # valid JSON escapes, half a surrogate pair
)
TREES = st.recursive(
    SCALARS | st.just(STATUS_ID) | st.just("Tweet") | st.just("TweetTombstone"),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=40,
)


def ask_all(server: ReplayServer, home: Path) -> list:  # type: ignore[type-arg]
    async def run() -> list:  # type: ignore[type-arg]
        config = Settings(connect_to=parse_connect_to(server.connect_to), retries=0)
        async with Http(config, Store(home)) as http:
            return [await s.ask(http, Target(STATUS_ID, "someone")) for s in ALL.values()]

    return asyncio.run(run())


def check(readings: list) -> None:  # type: ignore[type-arg]
    for reading in readings:
        assert reading.outcome in set(Outcome)
        assert reading.exchanges and all(e.blob is not None for e in reading.exchanges)
        if reading.record is not None:
            assert reading.record.status_id == STATUS_ID  # never another post's record


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tree=TREES, status=st.sampled_from([200, 200, 200, 401, 404]))
def test_any_json_tree_is_a_reading_never_an_exception(
    replay, tmp_path: Path, tree, status: int
) -> None:
    body = json.dumps(tree).encode()
    for host in HOSTS:
        replay.add(host, "*", Reply(status, body, {"Content-Type": "application/json"}))
    check(ask_all(replay, tmp_path / "a"))


def test_nesting_too_deep_and_bodies_that_are_not_text(replay, tmp_path: Path) -> None:
    for body in (
        b"[" * 100_000 + b"]" * 100_000,
        ('{"a":' * 20_000 + "1" + "}" * 20_000).encode(),
        bytes(range(256)) * 64,
        b"\xef\xbb\xbf<html><body>" + b"<div>" * 50_000,
    ):
        for host in HOSTS:
            replay.add(host, "*", Reply(200, body, {"Content-Type": "application/json"}))
        readings = ask_all(replay, tmp_path / "a")
        check(readings)
        assert {r.outcome for r in readings} <= {Outcome.ERROR, Outcome.NOT_FOUND}


def test_a_payload_of_surprising_shape_is_kept_and_the_next_source_asked(home: Path, world) -> None:
    server, _ = world
    server.add(
        "cdn.syndication.twimg.com",
        "/tweet-result",
        Reply(
            200,
            json.dumps(
                {
                    "__typename": "Tweet",
                    "id_str": [SHRINE],
                    "user": [],
                    "mediaDetails": [None, 5],
                    "created_at": {"x": 1},
                }
            ).encode(),
            {"Content-Type": "application/json"},
        ),
    )
    result = run_cli(
        "--archive", str(home), "--connect-to", server.connect_to, "archive", SHRINE, "--json"
    )
    assert json.loads(result.stdout)[0]["outcome"] == "captured", result.stdout
    post = json.loads(run_cli("--archive", str(home), "show", SHRINE, "--json").stdout)
    (first,) = [c for c in post["captures"] if c["source"] == "syndication"]
    assert first["outcome"] == "error" and "unexpected payload" in first["reason"]
    assert first["digest"]  # the answer is kept, byte for byte, as a capture
    assert post["handle"] == "clashreport"  # fxtwitter, asked next, gave the post
    assert run_cli("--archive", str(home), "verify").returncode == 0


def archive_one(home: Path, server: ReplayServer, payload: dict) -> tuple[int, dict, dict]:
    """Archive SHRINE with syndication answering `payload`: exit code, outcome, `show`."""
    body = json.dumps(payload).encode()  # ensure_ascii: a lone surrogate is written `\ud800`
    server.add("cdn.syndication.twimg.com", "/tweet-result", Reply(200, body, JSON))
    result = run_cli(
        "--archive", str(home), "--connect-to", server.connect_to, "archive", SHRINE, "--json"
    )
    assert run_cli("--archive", str(home), "verify").returncode == 0
    post = json.loads(run_cli("--archive", str(home), "show", SHRINE, "--json").stdout)
    return result.returncode, json.loads(result.stdout)[0], post


def test_half_a_surrogate_pair_is_shown_as_a_replacement_and_kept(home: Path, world) -> None:
    server, _ = world
    code, outcome, post = archive_one(home, server, tweet(SHRINE, text="shrine \ud83d now"))
    assert code == 0 and outcome["outcome"] == "captured", outcome
    assert post["text"] == "shrine \ufffd now"
    (first,) = [c for c in post["captures"] if c["source"] == "syndication"]
    assert first["outcome"] == "found" and first["digest"]  # the answer as received


def test_fields_the_archive_cannot_hold_are_a_surprise_and_the_next_source_is_asked(
    home: Path, world
) -> None:
    server, _ = world
    video = {
        "type": "video",
        "media_url_https": "https://pbs.twimg.com/media/v.jpg",
        "ext_alt_text": {"text": "an object, not text"},
        "video_info": {
            "duration_millis": 10**30,
            "variants": [{"url": "https://video.twimg.com/v.mp4", "bitrate": 10**30}],
        },
    }
    code, outcome, post = archive_one(home, server, tweet(SHRINE, media=[video]))
    assert code == 0 and outcome["outcome"] == "captured", outcome
    (first,) = [c for c in post["captures"] if c["source"] == "syndication"]
    assert first["outcome"] == "error" and "unexpected payload" in first["reason"]
    assert post["handle"] == "clashreport"  # fxtwitter, asked next, gave the post


def test_a_post_id_that_is_no_id_is_a_surprise_and_names_no_post(home: Path, world) -> None:
    """A quoted post's id that is a path (or digits of another script) names no post: no row,
    no job, no request is made of it, and `export --all` still writes the archive (it stopped
    at exit 2 on such a row)."""
    server, _ = world
    for n, quoted in enumerate(("../../../tmp/x", "\u00b2\u00b3")):
        where = home.with_name(f"archive{n}")
        payload = tweet(SHRINE, quoted_tweet={"id_str": quoted, "text": "q"})
        code, outcome, post = archive_one(where, server, payload)
        assert code == 0 and outcome["outcome"] == "captured", outcome
        (first,) = [c for c in post["captures"] if c["source"] == "syndication"]
        assert "quoted_status_id is not a post id" in first["reason"]
        assert post["quoted_status_id"] != quoted
        listed = run_cli("--archive", str(where), "list", "--json")
        assert [p["status_id"] for p in json.loads(listed.stdout)] == [SHRINE]
        bundle = run_cli("--archive", str(where), "export", "--all", "-o", f"{where}.zip")
        assert bundle.returncode == 0, bundle.stderr
    assert not [path for _, path in server.log if "tmp/x" in path or "%C2%B2" in path]


def test_an_answer_that_lists_hundreds_of_media_or_posts_is_bounded(home: Path, world) -> None:
    """A post holds four photos or a video: an answer listing 200 media items asks for the
    first eight (a note says so), not 800 requests; a chain of 900 quotes keeps 32 of them, not
    900 posts and jobs."""
    server, _ = world
    photos = [f"https://pbs.twimg.com/media/M{i}.jpg" for i in range(200)]
    before = len(server.hits("pbs.twimg.com"))
    code, outcome, post = archive_one(home, server, tweet(SHRINE, photos=photos))
    asked = {
        path.split("?")[0].removesuffix(".jpg") for path in server.hits("pbs.twimg.com")[before:]
    }
    assert len(post["media"]) == 8 and len(asked) <= 8, (len(post["media"]), asked)
    chain: dict = {}
    for i in range(900, 0, -1):
        chain = (
            tweet(str(1890000000000000100 + i), quoted_tweet=chain)
            if chain
            else tweet(str(1890000000000000100 + i))
        )
    where = home.with_name("chain")
    code, outcome, _ = archive_one(where, server, tweet(SHRINE, quoted_tweet=chain))
    listed = json.loads(run_cli("--archive", str(where), "list", "--json").stdout)
    assert code == 0 and len(listed) <= 33, len(listed)


def test_a_long_threads_page_keeps_the_posts_its_post_names_first() -> None:
    """An archived page of a post deep in a thread shows its 59 parents (oldest first) and the
    post it quotes: of the 32 other posts kept, the quoted post and the direct parent are
    among them, and a note says how many were left."""
    from archiver.sources.base import sound_copies
    from archiver.sources.statuspage import read_page

    own = "1000000000000000060"
    parents = "".join(
        f'<div class="tweet permalink-ancestor-tweet" data-tweet-id="{1000000000000000000 + i}" '
        f'data-screen-name="a" data-name="A"><p class="tweet-text">part {i}</p></div>'
        for i in range(1, 60)
    )
    page = (
        f'<html><head><link rel="canonical" href="https://twitter.com/a/status/{own}"></head>'
        f'<body>{parents}<div class="tweet permalink-tweet" data-tweet-id="{own}" '
        'data-screen-name="a" data-name="A" data-has-parent-tweet="true"><p class="tweet-text">'
        'part 60, quoting a post</p><div class="QuoteTweet-innerContainer" '
        'data-item-id="900000000000000000" data-screen-name="q"><div class="QuoteTweet-text">'
        "the quoted post</div></div></div></body></html>"
    )
    reading = read_page(page, own, "wayback")
    kept = [copy.status_id for copy in sound_copies(reading, own)]
    assert len(kept) == 32 and "900000000000000000" in kept and "1000000000000000059" in kept
    assert any("60 other posts" in note for note in reading.record.notes)


def test_media_of_a_kind_archiver_does_not_know_makes_the_capture_partial(
    home: Path, world
) -> None:
    server, _ = world
    strange = {"type": "hologram", "media_url_https": "https://pbs.twimg.com/media/h.jpg"}
    code, outcome, _ = archive_one(home, server, tweet(SHRINE, media=[strange]))
    assert code == 3 and outcome["outcome"] == "partial", outcome
    assert "does not know: 'hologram'" in outcome["reason"]


def test_redirects_off_the_service_are_refused_and_recorded(home: Path, world) -> None:
    server, _ = world
    inside = ReplayServer()  # something on this machine that must never be asked
    inside.add("127.0.0.1", "*", Reply(200, b"secret", {"Content-Type": "text/plain"}))
    port = inside.server.server_address[1]
    try:
        for target in (
            f"http://127.0.0.1:{port}/admin",
            "http://10.1.2.3/",
            "https://evil.example/x",
            "http://[::1]:9/",
            "file:///etc/passwd",
        ):
            server.add(
                "cdn.syndication.twimg.com", "/tweet-result", Reply(302, b"", {"Location": target})
            )
            result = run_cli(
                "--archive",
                str(home),
                "--connect-to",
                server.connect_to,
                "archive",
                SHRINE,
                "--sources",
                "syndication",
                "--json",
                "--recapture",
            )
            assert json.loads(result.stdout)[0]["outcome"] == "failed"
            post = json.loads(run_cli("--archive", str(home), "show", SHRINE, "--json").stdout)
            refused = [c for c in post["captures"] if c["outcome"] == "refused"]
            assert refused[-1]["url"] == target and refused[-1]["http_status"] is None
        assert inside.log == []
    finally:
        inside.close()


def test_media_only_from_the_media_hosts(home: Path, replay) -> None:
    post = tweet("1865300000000000000", ["https://evil.example/media/a.jpg"])
    replay.add(
        "cdn.syndication.twimg.com",
        "/tweet-result",
        Reply(200, json.dumps(post).encode(), {"Content-Type": "application/json"}),
    )
    replay.add("evil.example", "*", Reply(200, b"x", {"Content-Type": "image/jpeg"}))
    result = run_cli(
        "--archive",
        str(home),
        "--connect-to",
        replay.connect_to,
        "archive",
        "1865300000000000000",
        "--json",
    )
    (entry,) = json.loads(result.stdout)
    assert entry["outcome"] == "partial" and "off the media hosts" in entry["reason"]
    assert replay.hits("evil.example") == []


def test_an_unrouted_name_that_resolves_to_loopback_is_not_asked(tmp_path: Path) -> None:
    async def run() -> str | None:
        async with Http(Settings(), Store(tmp_path / "a")) as http:  # no --connect-to route
            return await http.refusal("http://localhost:9/x", fence("test", "localhost"))

    assert "non-public address" in (asyncio.run(run()) or "")


@pytest.mark.parametrize("way", list(Way), ids=lambda w: w.value)
def test_a_name_that_resolves_elsewhere_when_connected_is_refused_there(
    tmp_path: Path, way: Way
) -> None:
    """DNS rebinding: a name that resolved to a public address when checked and to this
    machine when connected. Each way of making a request (the client, a long body's thread, an
    image worker) checks the address it reached, before a byte is sent; a route of the user's
    own (--connect-to) still reaches loopback."""
    inside = ReplayServer()
    inside.add("localhost", "*", Reply(200, b"secret", {"Content-Type": "text/plain"}))
    port = inside.server.server_address[1]
    url = f"http://localhost:{port}/admin"

    async def run(settings: Settings) -> object:
        async with Http(settings, Store(tmp_path / "a")) as http:
            http.addresses["localhost"] = None  # what the check found: a public address
            return await http.get(url, fence("test", "localhost"), way=way)

    try:
        refused = asyncio.run(run(Settings(retries=0)))
        assert refused.refused and "non-public address (127.0.0.1)" in refused.error, refused
        assert inside.log == []
        routed = asyncio.run(run(Settings(connect_to=parse_connect_to(inside.connect_to))))
        assert routed.status == 200 and not routed.refused
        assert len(inside.log) == 1
    finally:
        inside.close()


def test_an_answer_of_millions_of_tiny_values_is_refused_with_memory_bounded(
    home: Path, world
) -> None:
    """Under the answer limit, 20 MiB of `{},` would parse into 7 million objects (over a
    gigabyte): the values are counted before parsing and such an answer is refused, kept."""
    server, _ = world
    body = b"[" + b"{}," * (7 * 1024 * 1024) + b"{}]"
    server.add("cdn.syndication.twimg.com", "/tweet-result", Reply(200, body, JSON))
    args = ["--archive", str(home), "--connect-to", server.connect_to, "archive", SHRINE]
    proc = subprocess.Popen(
        [sys.executable, "-m", "archiver", *args, "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    code, peak = wait_with_peak(proc)
    (entry,) = json.loads(proc.stdout.read())  # type: ignore[union-attr]
    assert code == 0 and entry["outcome"] == "captured", entry  # fxtwitter, asked next
    assert peak < 250, peak  # MiB: the body and its copies, never its parse
    post = json.loads(run_cli("--archive", str(home), "show", SHRINE, "--json").stdout)
    (first,) = [c for c in post["captures"] if c["source"] == "syndication"]
    assert first["outcome"] == "error" and "too many values" in first["reason"], first
    assert blob_bytes(home, first["digest"]) == body  # kept as received


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
        ("::7f00:1", False),  # IPv4-compatible 127.0.0.1
        ("::ffff:10.0.0.1", False),
        ("::1", False),
        ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8
        ("64:ff9b:1::7f00:1", False),  # RFC 8215's local-use NAT64 prefix
        ("2606:4700::1111", True),
        ("8.8.8.8", True),
    ],
)
def test_an_ipv6_address_that_stands_for_an_ipv4_one_is_judged_as_it(
    address: str, public: bool
) -> None:
    from archiver.fence import public_address

    assert public_address(address) is public
