"""Every fault, per kind of request (the post's JSON, a t.co hop, a photo, a video): the run
reports the right outcome with a one-line reason and exit code 3, nothing it reports is false,
the archive verifies, and `retry` completes once the fault clears."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from conftest import run_cli, wait_with_peak
from replay import Reply
from world import DARAA, HOMS

LIMIT = 100_000  # bytes: the answer and media limits of these runs
ENV = {
    "ARCHIVER_RETRIES": "0",  # retries have their own tests (test_net.py)
    "ARCHIVER_BACKOFF": "0.01",
    "ARCHIVER_TIMEOUT": "0.3",
    "ARCHIVER_MAX_RESPONSE_BYTES": str(LIMIT),
    "ARCHIVER_MAX_MEDIA_BYTES": str(LIMIT),
}
PHOTO_PATH = "/media/GeHoms1WgAAmap1"
VIDEO_PATH = "/amplify_video/1865016500000000000/vid/avc1/1280x720/high.mp4"
# kind → (what the user archives, the route that fails, the outcome while it fails)
KINDS = {
    "post": (HOMS, ("cdn.syndication.twimg.com", "/tweet-result"), "failed"),
    "tco": ("https://t.co/eXVL4tHqrq", ("t.co", "/eXVL4tHqrq"), "failed"),
    "photo": (HOMS, ("pbs.twimg.com", PHOTO_PATH), "partial"),
    "video": (DARAA, ("video.twimg.com", VIDEO_PATH), "partial"),
}


# An MP4's first boxes: `ftyp`, then an `mdat` that declares 60,008 bytes of which 30,008 come
CUT_MP4 = (24).to_bytes(4, "big") + b"ftypmp42" + bytes(12)
CUT_MP4 += (60_008).to_bytes(4, "big") + b"mdat" + bytes(30_000)


def loop_to_itself(host: str, path: str) -> Reply:
    return Reply(301, b"", {"Location": f"https://{host}{path}"})


FAULTS = {
    "500": lambda host, path: Reply(500, b"oops", {"Content-Type": "text/plain"}),
    "503": lambda host, path: Reply(503, b"busy", {"Content-Type": "text/plain"}),
    "timeout": lambda host, path: Reply(delay=0.8),
    "reset": lambda host, path: Reply(fault="reset"),
    "truncated": lambda host, path: Reply(
        200, b"x" * 5000, {"Content-Type": "image/jpeg"}, fault="truncate"
    ),
    # a body that starts as the video it claims to be, then the connection closes early: only
    # its declared length tells it is not whole
    "cut short": lambda host, path: Reply(
        200,
        b"\x00\x00\x00\x18ftypmp42" + bytes(30_000),
        {"Content-Type": "video/mp4"},
        fault="truncate",
    ),
    # the same with no length declared (close-delimited) or sent as a part (206): only the
    # MP4's own boxes, which declare more bytes than came, or the status tell
    "unframed cut": lambda host, path: Reply(
        200, CUT_MP4, {"Content-Type": "video/mp4"}, fault="unframed"
    ),
    "206": lambda host, path: Reply(
        206, CUT_MP4, {"Content-Type": "video/mp4", "Content-Range": "bytes 0-30031/60040"}
    ),
    # encoded although identity was asked, in an encoding archiver does not read
    "br": lambda host, path: Reply(
        200, b"\x1b\x00\x00" + bytes(100), {"Content-Type": "video/mp4", "Content-Encoding": "br"}
    ),
    "oversized": lambda host, path: Reply(200, b"x" * (LIMIT * 2), {"Content-Type": "video/mp4"}),
    "redirect loop": loop_to_itself,
    # a hostile or broken server's `Location` that is no URL: the answer is kept, and said
    "bad location": lambda host, path: Reply(302, b"", {"Location": "http://[::1"}),
    # Every read brings a byte within the timeout: only the body's pace can tell (after 15 s
    # the server gives up, short of the length it declared).
    "drip": lambda host, path: Reply(200, b"x" * 5000, {"Content-Type": "video/mp4"}, fault="drip"),
    # The status line and headers a byte each 50 ms: every read within the timeout, the answer
    # never whole (cut off at twice the timeout)
    "drip headers": lambda host, path: Reply(
        200, b"x" * 100, {"Content-Type": "video/mp4", "Server": "tarpit"}, fault="drip headers"
    ),
}


def cli(home: Path, server, *args: str):  # type: ignore[no-untyped-def]
    return run_cli("--archive", str(home), "--connect-to", server.connect_to, *args, env=ENV)


def archive_under(home: Path, server, kind: str, fault: Reply):  # type: ignore[no-untyped-def]
    """Archive with the kind's route failing; clear the fault; return (run, entry)."""
    target, route, _ = KINDS[kind]
    healthy = server.routes[route]
    server.routes[route] = fault
    try:
        result = cli(home, server, "archive", target, "--sources", "syndication", "--json")
    finally:
        server.routes[route] = healthy
    (entry,) = json.loads(result.stdout)
    return result, entry


def assert_retry_completes(home: Path, server, status_id: str) -> None:
    verified = cli(home, server, "verify", "--json")
    assert verified.returncode == 0 and json.loads(verified.stdout)["ok"], verified.stdout
    # (the fault cleared: the retry is given a timeout a loaded machine's healthy answer meets;
    # the short one is for the faults)
    done = run_cli(
        "--archive", str(home), "--connect-to", server.connect_to,
        "retry", "--sources", "syndication", "--json", env={**ENV, "ARCHIVER_TIMEOUT": "10"},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert {e["outcome"] for e in json.loads(done.stdout)} == {"captured"}
    post = json.loads(cli(home, server, "show", status_id, "--json").stdout)
    assert post["state"] == "live" and post["record_digest"]
    kept = [m for m in post["media"] if m["kind"] in ("photo", "video")]
    assert kept and all(m["status"] == "ok" for m in kept)
    assert cli(home, server, "verify").returncode == 0


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("kind", KINDS)
def test_fault_gives_an_honest_outcome_and_retry_completes(
    home: Path, world, kind: str, fault: str
) -> None:
    server, _ = world
    target, (host, path), expected = KINDS[kind]
    result, entry = archive_under(home, server, kind, FAULTS[fault](host, path))
    assert entry["outcome"] == expected, entry
    assert result.returncode == 3
    assert entry["reason"] and "\n" not in entry["reason"] and "Traceback" not in result.stderr
    if fault == "drip":
        assert "too slow" in entry["reason"], entry["reason"]
    if fault == "drip headers":
        assert "no whole answer within 0.6 s" in entry["reason"], entry["reason"]
    if fault == "unframed cut" and kind == "video":
        assert "cut short: its boxes declare 60,032 bytes, 30,032 received" in entry["reason"]
    if fault == "br" and kind in ("photo", "video"):  # each rendition's own reason is said
        assert "served br-encoded although identity was asked" in entry["reason"]
    if fault == "206" and kind in ("photo", "video"):
        assert "HTTP 206, not the whole file" in entry["reason"], entry["reason"]
    if fault == "cut short" and kind == "video":
        assert "body cut short: 30,012 of the 60,024 bytes" in entry["reason"], entry["reason"]
    if fault == "bad location":
        assert "a redirect to a URL that does not parse" in entry["reason"], entry["reason"]
        if kind == "post":  # the answer, 302 and all, is a capture of the post
            shown = json.loads(cli(home, server, "show", HOMS, "--json").stdout)
            assert [c for c in shown["captures"] if c["http_status"] == 302], shown["captures"]
    status_id = entry["status_id"] or HOMS
    assert_retry_completes(home, server, status_id)


def test_one_source_failing_while_the_others_say_not_found_is_a_failure(home: Path, world) -> None:
    """ "Not found" from some sources while another erred decides nothing: no record was kept,
    so the reference failed (not partial), and retry asks again."""
    server, _ = world
    route = ("cdn.syndication.twimg.com", "/tweet-result")
    healthy = server.routes[route]
    server.routes[route] = FAULTS["500"](*route)
    try:
        result = cli(home, server, "archive", HOMS, "--json")
    finally:
        server.routes[route] = healthy
    (entry,) = json.loads(result.stdout)
    assert result.returncode == 3
    assert entry["outcome"] == "failed" and "server error 500" in entry["reason"], entry
    assert json.loads(cli(home, server, "show", HOMS, "--json").stdout)["state"] == "unknown"
    assert_retry_completes(home, server, HOMS)


def test_an_html_403_from_oembed_while_the_others_fail_is_no_protected_post(
    home: Path, world
) -> None:
    """The JSON sources down, and oEmbed answering 403 with an HTML page (a firewall's "Access
    denied", not oEmbed's answer): nothing says the post is protected. It was called gone,
    protected (exit 0, never asked again); it is a failure that retry finishes."""
    server, _ = world
    down = Reply(503, b"busy", {"Content-Type": "text/plain"})
    denied = Reply(403, b"<html><body>Access denied</body></html>", {"Content-Type": "text/html"})
    routes = dict(server.routes)
    server.add("cdn.syndication.twimg.com", "/tweet-result", down)
    for host in ("api.fxtwitter.com", "api.vxtwitter.com"):
        server.add(host, "*", down)
    server.add("publish.twitter.com", "*", denied)
    try:
        result = cli(home, server, "archive", HOMS, "--json")
    finally:
        server.routes = routes
    (entry,) = json.loads(result.stdout)
    assert result.returncode == 3 and entry["outcome"] == "failed", entry
    assert "oembed: HTTP 403, an HTML page" in entry["reason"]
    assert json.loads(cli(home, server, "show", HOMS, "--json").stdout)["state"] == "unknown"
    assert_retry_completes(home, server, HOMS)


def corrupt_jpeg() -> bytes:
    from world import jpeg

    data = bytearray(jpeg(300, 200))
    data[20:400] = bytes(range(256)) + bytes(124)
    return bytes(data)


@pytest.mark.parametrize(
    ("kind", "reply", "words"),
    [
        ("photo", Reply(200, corrupt_jpeg(), {"Content-Type": "image/jpeg"}), "does not decode"),
        (
            "photo",
            Reply(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, {"Content-Type": "image/png"}),
            "does not decode",
        ),
        (
            "video",
            Reply(200, b"<!doctype html><title>Log in</title>" * 20, {"Content-Type": "video/mp4"}),
            "not a video",
        ),
    ],
)
def test_bodies_that_are_not_what_they_claim(
    home: Path, world, kind: str, reply: Reply, words: str
) -> None:
    server, _ = world
    _, entry = archive_under(home, server, kind, reply)
    assert entry["outcome"] == "partial" and words in entry["reason"]
    assert_retry_completes(home, server, entry["status_id"])


@pytest.mark.parametrize(
    "served_as", ["application/octet-stream", "binary/octet-stream", "image/pjpeg", "IMAGE/JPEG"]
)
def test_a_whole_photo_served_under_a_generic_or_older_type_is_kept(
    home: Path, world, served_as: str
) -> None:
    """A type that claims nothing of the bytes (`application/octet-stream`, as buckets serve
    files) or an older name of JPEG is no false claim: the photo, which decodes, is kept."""
    server, media = world
    _, entry = archive_under(
        home, server, "photo", Reply(200, media["photo"], {"Content-Type": served_as})
    )
    assert entry["outcome"] == "captured", entry


@pytest.mark.parametrize("kind", ["post", "photo", "video"])
def test_an_answer_after_early_hints_is_read(home: Path, world, kind: str) -> None:
    """A `103 Early Hints` before the answer (as CDNs send) is informational: the answer that
    follows it is the one read, on both request paths."""
    from replay import FIXTURES

    server, media = world
    answer = {
        "post": ((FIXTURES / f"syndication-{HOMS}.json").read_bytes(), "application/json"),
        "photo": (media["photo"], "image/jpeg"),
        "video": (media["video"], "video/mp4"),
    }[kind]
    hinted = Reply(200, answer[0], {"Content-Type": answer[1]}, fault="early hints")
    _, entry = archive_under(home, server, kind, hinted)
    assert entry["outcome"] == "captured", entry


def test_an_answer_that_lists_no_media_its_text_shows_is_not_whole(home: Path, world) -> None:
    """Syndication's answer with `mediaDetails: null` while the post's text shows its photo:
    the record lacks the photo (partial, exit 3, the gap said), and retry asks again."""
    from replay import FIXTURES, json_reply

    server, _ = world
    answer = json.loads((FIXTURES / f"syndication-{HOMS}.json").read_text())
    answer["mediaDetails"] = answer["photos"] = None
    result, entry = archive_under(home, server, "post", json_reply(answer))
    assert result.returncode == 3 and entry["outcome"] == "partial"
    assert entry["reason"].startswith("media not listed: the text shows"), entry["reason"]
    assert_retry_completes(home, server, HOMS)


def bomb(inflated: int) -> bytes:
    """A gzip body of zeros that inflates to `inflated` bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    return b"".join(packer.compress(block) for _ in range(inflated // len(block))) + packer.flush()


GZIP_RUN = """
import sys
from archiver.cli import app
sys.argv = ["archiver", *sys.argv[1:]]
app()
"""


def test_gzip_bomb_on_a_media_url_stores_no_inflated_bytes(home: Path, world) -> None:
    server, _ = world
    body = bomb(512 * 1024 * 1024)
    assert len(body) < 1_000_000
    server.routes[("pbs.twimg.com", PHOTO_PATH)] = Reply(
        200, body, {"Content-Type": "image/jpeg", "Content-Encoding": "gzip"}
    )
    env = {**os.environ, **ENV, "ARCHIVER_MAX_MEDIA_BYTES": str(8 * 1024**3)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            GZIP_RUN,
            "--archive",
            str(home),
            "--connect-to",
            server.connect_to,
            "archive",
            HOMS,
            "--sources",
            "syndication",
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    _, peak = wait_with_peak(proc)
    out = proc.stdout.read()  # type: ignore[union-attr]
    (entry,) = json.loads(out)
    assert entry["outcome"] == "partial" and "gzip-encoded" in entry["reason"]
    assert peak < 200  # MiB: memory stays bounded (nothing inflated)
    biggest = max(p.stat().st_size for p in (home / "objects").rglob("*") if p.is_file())
    assert biggest < 1_000_000  # the body is kept as it came, never inflated
    kept = [
        p for p in (home / "objects").rglob("*") if p.is_file() and p.stat().st_size == len(body)
    ]
    assert kept and kept[0].read_bytes() == body  # the bytes as sent, with their headers


def not_http(handler) -> Reply:  # type: ignore[no-untyped-def]
    """An answer that is no HTTP at all: a status line of binary bytes, lines and controls."""
    handler.wfile.write(b"\x89PNG\r\n\x1a\n\x00\x1b[2J garbage\r\n\r\n")
    handler.wfile.flush()
    handler.close_connection = True
    return Reply(fault="reset")


@pytest.mark.parametrize("kind", KINDS)
def test_an_answer_that_is_no_http_gives_a_one_line_reason(home: Path, world, kind: str) -> None:
    server, _ = world
    result, entry = archive_under(home, server, kind, not_http)  # type: ignore[arg-type]
    assert result.returncode == 3 and entry["outcome"] == KINDS[kind][2], entry
    assert entry["reason"] and "\n" not in entry["reason"] and "\r" not in entry["reason"]
    assert_retry_completes(home, server, entry["status_id"] or HOMS)


def test_a_photo_host_that_hangs_is_not_asked_at_every_size(home: Path, world) -> None:
    """A media host that stops answering (each try a whole timeout) is asked once more, not
    at each of a photo's sizes nor at every retry: the photo fails with why, at once, and
    `retry` fetches it later."""
    server, _ = world
    _, (host, path), _ = KINDS["photo"]
    env = {**ENV, "ARCHIVER_RETRIES": "3"}
    healthy = server.routes[(host, path)]
    server.routes[(host, path)] = FAULTS["timeout"](host, path)
    try:
        result = run_cli(
            "--archive", str(home), "--connect-to", server.connect_to,
            "archive", HOMS, "--sources", "syndication", "--json", env=env,
        )  # fmt: skip
    finally:
        server.routes[(host, path)] = healthy
    (entry,) = json.loads(result.stdout)
    assert entry["outcome"] == "partial" and "timed out" in entry["reason"], entry
    asked = [p for p in server.hits(host) if p.startswith(path)]
    assert asked == [f"{path}?format=jpg&name=orig"] * 2, asked
    assert_retry_completes(home, server, HOMS)
