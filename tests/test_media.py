"""Media preservation against the loopback replay server: the photo ladder, several photos, a
GIF, an HLS-only video through yt-dlp, broken images kept but marked, and `similar`."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli
from PIL import Image
from replay import ReplayServer, Reply, json_reply
from world import jpeg, query_id, redirect, tweet

FFMPEG = shutil.which("ffmpeg")
needs_ffmpeg = pytest.mark.skipif(
    not FFMPEG, reason="ffmpeg is not installed (.ci/run installs it)"
)
HLS_URL = "https://video.twimg.com/amplify_video/1/pl/list.m3u8?tag=16"
LADDER, MULTI, GIF, HLS, BROKEN, REPOST = (
    str(1865200000000000000 + i * 4_194_304) for i in range(6)
)


def png(width: int, height: int, mode: str = "RGB", noise: bool = False) -> bytes:
    out = io.BytesIO()
    image = Image.new(mode, (width, height))
    if noise:
        image = Image.frombytes("L", (width, height), os.urandom(width * height))
    image.save(out, "PNG")
    return out.getvalue()


def scene(width: int, height: int) -> bytes:
    """A smooth picture (gradients), like a photo: its look survives resizing."""
    radial = Image.radial_gradient("L").resize((width, height))
    linear = Image.linear_gradient("L").resize((width, height))
    out = io.BytesIO()
    Image.merge("RGB", [radial, linear, linear.rotate(180)]).save(out, "JPEG", quality=92)
    return out.getvalue()


def checkerboard(size: int) -> bytes:
    image = Image.new("RGB", (size, size), (240, 240, 240))
    for x in range(0, size, size // 4):
        for y in range(0, size, size // 4):
            if (x + y) // (size // 4) % 2:
                image.paste((20, 20, 20), (x, y, x + size // 4, y + size // 4))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def animated_gif() -> bytes:
    frames = [
        Image.new("RGB", (32, 32), color) for color in ((255, 0, 0), (0, 255, 0), (0, 0, 255))
    ]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def make_video(out: Path, *args: str, size: str = "160x120") -> None:
    """A real one-second video made by ffmpeg (`args` choose the container)."""
    subprocess.run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=duration=1:size={size}:rate=10",
            "-c:v",
            "libx264",
            "-g",
            "5",
            *args,
            str(out),
        ],
        check=True,
        timeout=120,
    )


def hls_stream(folder: Path) -> dict[str, bytes]:
    """A one-second stream cut into HLS segments."""
    make_video(folder / "list.m3u8", "-hls_time", "0.5", "-hls_list_size", "0", "-f", "hls")
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def photo(name: str) -> dict:
    return {"type": "photo", "media_url_https": f"https://pbs.twimg.com/media/{name}.jpg"}


@pytest.fixture(scope="module")
def archived(tmp_path_factory) -> tuple[Path, dict]:  # type: ignore[no-untyped-def]
    server = ReplayServer()
    work = tmp_path_factory.mktemp("media")
    hls = hls_stream(work) if FFMPEG else {}
    base = scene(640, 480)
    smaller = io.BytesIO()
    Image.open(io.BytesIO(base)).resize((400, 300)).save(smaller, "JPEG", quality=55)
    corrupt = bytearray(jpeg(300, 200))
    corrupt[20:400] = bytes(range(256)) + bytes(124)  # its tables and frame header are noise
    images = {
        "Ladder": (jpeg(800, 600), "image/jpeg", "4096x4096"),
        "Multi1": (base, "image/jpeg", "orig"),
        "Multi2": (checkerboard(200), "image/jpeg", "orig"),
        "Multi3": (png(120, 90), "image/png", "orig"),
        "Anim": (animated_gif(), "image/gif", "orig"),
        "Corrupt": (bytes(corrupt), "image/jpeg", "orig"),
        "Truncated": (png(300, 300, "L", noise=True)[:4000], "image/png", "orig"),
        "Bomb": (png(20000, 20000, "1"), "image/png", "orig"),
        "Mislabelled": (jpeg(100, 100), "image/png", "orig"),
        "Repost": (smaller.getvalue(), "image/jpeg", "orig"),
    }
    posts = {
        LADDER: tweet(LADDER, media=[photo("Ladder")]),
        MULTI: tweet(
            MULTI, media=[photo("Multi1"), photo("Multi2"), photo("Multi3"), photo("Anim")]
        ),
        GIF: tweet(
            GIF,
            media=[
                {
                    "type": "animated_gif",
                    "media_url_https": "https://pbs.twimg.com/tweet_video_thumb/G.jpg",
                    "video_info": {
                        "variants": [
                            {
                                "bitrate": 0,
                                "content_type": "video/mp4",
                                "url": "https://video.twimg.com/tweet_video/G.mp4",
                            }
                        ]
                    },
                }
            ],
        ),
        HLS: tweet(
            HLS,
            media=[
                {
                    "type": "video",
                    "media_url_https": "https://pbs.twimg.com/amplify_video_thumb/1/img/h.jpg",
                    "video_info": {
                        "duration_millis": 1000,
                        "variants": [
                            {
                                "content_type": "application/x-mpegURL",
                                "url": HLS_URL,
                            }
                        ],
                    },
                }
            ],
        ),
        BROKEN: tweet(
            BROKEN,
            media=[photo("Corrupt"), photo("Truncated"), photo("Bomb"), photo("Mislabelled")],
        ),
        REPOST: tweet(REPOST, media=[photo("Repost")]),
    }
    server.add(
        "cdn.syndication.twimg.com",
        "/tweet-result",
        lambda h: json_reply(posts.get(query_id(h), {})),
    )

    def pbs(handler) -> Reply:  # type: ignore[no-untyped-def]
        name = handler.path.split("/media/")[-1].split("?")[0]
        if name not in images:
            return Reply(404, b"", {})
        data, media_type, rendition = images[name]
        return (
            Reply(200, data, {"Content-Type": media_type})
            if f"name={rendition}" in handler.path
            else Reply(404, b"", {})
        )

    server.add("pbs.twimg.com", "*", pbs)
    server.add(
        "video.twimg.com",
        "/tweet_video/G.mp4",
        Reply(200, b"\x00\x00\x00\x18ftypmp42gif" + bytes(9), {"Content-Type": "video/mp4"}),
    )
    for name, data in hls.items():
        kind = "application/x-mpegURL" if name.endswith(".m3u8") else "video/mp2t"
        server.add(
            "video.twimg.com",
            f"/amplify_video/1/pl/{name}",
            Reply(200, data, {"Content-Type": kind}),
        )
    home = work / "archive"
    result = run_cli(
        "--archive", str(home), "--connect-to", server.connect_to, "archive", *posts, "--json"
    )
    server.close()
    views = {}
    for status_id in posts:
        shown = run_cli("--archive", str(home), "show", status_id, "--json")
        views[status_id] = json.loads(shown.stdout)
    return home, {
        "summary": json.loads(result.stdout),
        "views": views,
        "images": images,
        "hls": hls,
    }


def media(archived, status_id: str, kind: str | None = None) -> list[dict]:  # type: ignore[no-untyped-def]
    items = archived[1]["views"][status_id]["media"]
    return [m for m in items if m["kind"] != "avatar" and (kind is None or m["kind"] == kind)]


def test_photo_ladder_takes_the_best_size_offered(archived) -> None:  # type: ignore[no-untyped-def]
    (item,) = media(archived, LADDER)
    assert (item["rendition"], item["status"], item["width"], item["height"]) == (
        "4096x4096",
        "ok",
        800,
        600,
    )
    assert item["format"] == "JPEG" and item["mode"] == "RGB" and len(item["phash"]) == 16
    assert item["thumbnail_digest"] and item["thumbnail_digest"] != item["digest"]
    thumbnail = archived[0] / "objects" / "sha256" / item["thumbnail_digest"][7:9]
    assert Image.open(thumbnail / item["thumbnail_digest"][7:]).size == (400, 300)
    assert item["size"] == len(archived[1]["images"]["Ladder"][0])  # the bytes received


def test_several_photos_and_an_animated_gif_image(archived) -> None:  # type: ignore[no-untyped-def]
    items = media(archived, MULTI)
    assert [m["status"] for m in items] == ["ok"] * 4
    assert [m["format"] for m in items] == ["JPEG", "JPEG", "PNG", "GIF"]
    assert items[3]["frames"] == 3


def test_gif_post_keeps_its_mp4(archived) -> None:  # type: ignore[no-untyped-def]
    (item,) = media(archived, GIF)
    assert item["kind"] == "gif" and item["status"] == "ok" and item["digest"]


@needs_ffmpeg
def test_hls_only_video_goes_through_yt_dlp(archived) -> None:  # type: ignore[no-untyped-def]
    (item,) = media(archived, HLS)
    assert item["status"] == "ok", item["reason"]
    assert item["rendition"].startswith("yt-dlp") and "HLS" in item["rendition"]
    assert item["digest"] and item["format"] == "mp4"
    home = archived[0]
    blob = home / "objects" / "sha256" / item["digest"][7:9] / item["digest"][7:]
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(blob)],
        capture_output=True,
        text=True,
    )
    assert 0.8 <= float(probe.stdout) <= 1.3  # the whole one-second stream, playable
    assert not list((home / "tmp").iterdir())  # yt-dlp's working folder is gone


def test_broken_images_are_failed_captures_whose_bytes_are_kept(archived) -> None:  # type: ignore[no-untyped-def]
    corrupt, truncated, bomb, mislabelled = media(archived, BROKEN)
    assert all(
        m["status"] == "failed" and m["digest"] for m in (corrupt, truncated, bomb, mislabelled)
    )
    assert "does not decode" in corrupt["reason"]
    assert "does not decode" in truncated["reason"]
    assert "decompression bomb" in bomb["reason"]
    assert "orig: served as image/png but the bytes are JPEG" in mislabelled["reason"]
    assert "large: HTTP 404" in mislabelled["reason"]  # the other sizes were tried too
    summary = {e["status_id"]: e for e in archived[1]["summary"]}
    # The post's record is kept, but it is not whole: partial, saying which photos failed.
    assert summary[BROKEN]["outcome"] == "partial"
    assert all(f"photo {i}" in summary[BROKEN]["reason"] for i in (1, 2, 3, 4))


def test_similar_finds_the_same_picture_re_encoded(archived) -> None:  # type: ignore[no-untyped-def]
    home = archived[0]
    result = run_cli("--archive", str(home), "similar", MULTI, "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert [f["status_id"] for f in found] == [REPOST]
    assert found[0]["distance"] <= 6 and (found[0]["width"], found[0]["height"]) == (400, 300)
    unknown = run_cli("--archive", str(home), "similar", "sha256:" + "0" * 64)
    assert unknown.returncode == 2


@needs_ffmpeg
def test_follow_media_links_fetches_video_elsewhere_with_yt_dlp(tmp_path: Path) -> None:
    server = ReplayServer()
    status_id = "1865300000000000000"
    clip = tmp_path / "clip.mp4"
    make_video(clip, size="96x64")
    post = tweet(status_id, media=[])
    post["text"] = "Watch https://t.co/AbCdEfGhIj"
    post["entities"] = {
        "urls": [
            {
                "url": "https://t.co/AbCdEfGhIj",
                "expanded_url": "https://media.example.org/clips/clip.mp4",
            }
        ]
    }
    server.add("cdn.syndication.twimg.com", "/tweet-result", json_reply(post))
    server.add("pbs.twimg.com", "*", Reply(404, b"", {}))
    server.add(
        "media.example.org",
        "/clips/clip.mp4",
        Reply(200, clip.read_bytes(), {"Content-Type": "video/mp4"}),
    )
    home = tmp_path / "archive"
    plain = run_cli("--archive", str(home), "--connect-to", server.connect_to, "archive", status_id)
    assert plain.returncode == 0, plain.stderr
    assert not [h for h, _ in server.log if h == "media.example.org"]  # not without the flag
    result = run_cli(
        "--archive",
        str(home),
        "--connect-to",
        server.connect_to,
        "archive",
        status_id,
        "--recapture",
        "--follow-media-links",
    )
    server.close()
    assert result.returncode == 0, result.stderr
    view = json.loads(run_cli("--archive", str(home), "show", status_id, "--json").stdout)
    (linked,) = [m for m in view["media"] if m["kind"] == "linked"]
    assert linked["status"] == "ok", linked["reason"]
    assert linked["remote_url"] == "https://media.example.org/clips/clip.mp4"
    blob = home / "objects" / "sha256" / linked["digest"][7:9] / linked["digest"][7:]
    assert blob.read_bytes() == clip.read_bytes()


@pytest.mark.parametrize("how", ["a segment", "a redirect"])
def test_yt_dlp_reaches_nothing_off_the_media_hosts(tmp_path: Path, how: str) -> None:
    inside = ReplayServer()  # a service on this machine that no route names
    other = inside.server.server_address[1]
    playlist = (
        b"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n"
        b"#EXTINF:1.0,\nhttp://127.0.0.1:%d/secret/segment0.ts\n#EXT-X-ENDLIST\n" % other
    )
    inside.add("127.0.0.1", "*", Reply(200, playlist, {"Content-Type": "application/x-mpegURL"}))
    server = ReplayServer()
    status_id = "1865300000000000001"
    variant = {"content_type": "application/x-mpegURL", "url": HLS_URL}
    video = {"type": "video", "media_url_https": "https://pbs.twimg.com/t.jpg"}
    post = tweet(status_id, media=[{**video, "video_info": {"variants": [variant]}}])
    server.add("cdn.syndication.twimg.com", "/tweet-result", json_reply(post))
    if how == "a segment":
        server.add("video.twimg.com", "*", Reply(200, playlist, {"Content-Type": "audio/mpegurl"}))
    else:
        server.add("video.twimg.com", "*", redirect(f"http://127.0.0.1:{other}/secret/a.m3u8", 302))
    routes = [
        arg
        for host in ("cdn.syndication.twimg.com", "pbs.twimg.com", "video.twimg.com")
        for arg in ("--connect-to", f"{host}={server.origin}")
    ]
    home = tmp_path / "archive"
    result = run_cli("--archive", str(home), *routes, "archive", status_id, "--json")
    server.close()
    inside.close()
    assert inside.log == []  # not one request reached it
    assert result.returncode == 3, result.stderr
    reason = json.loads(result.stdout)[0]["reason"]
    assert f"refused: http://127.0.0.1:{other}/secret/" in reason
    assert "off the media hosts" in reason


def test_an_mp4_whose_boxes_declare_more_than_it_has_is_cut_short(tmp_path: Path) -> None:
    """A video's top-level boxes must add up to its size: one that ends inside a box (a body
    with no declared length that stopped early) is not whole; 64-bit and to-the-end sizes
    count, and a few stray bytes after the last box are let be."""
    from archiver.images import mp4_cut_short

    ftyp = (24).to_bytes(4, "big") + b"ftypisom" + bytes(12)
    whole = ftyp + (16).to_bytes(4, "big") + b"mdat" + bytes(8)
    wide = ftyp + (1).to_bytes(4, "big") + b"mdat" + (24).to_bytes(8, "big") + bytes(8)
    to_end = ftyp + bytes(4) + b"mdat" + bytes(100)
    for data in (whole, wide, to_end, whole + b"\n\x00"):
        assert mp4_cut_short(data, len(data)) is None
    cut = whole[:-3]
    assert mp4_cut_short(cut, len(cut)) == "cut short: its boxes declare 40 bytes, 37 received"
    on_disk = tmp_path / "v.mp4"
    on_disk.write_bytes(cut)
    assert mp4_cut_short(on_disk, len(cut)) == mp4_cut_short(cut, len(cut))
    bad = ftyp + (3).to_bytes(4, "big") + b"mdat" + bytes(8)
    assert "declares 3 bytes" in mp4_cut_short(bad, len(bad))
    small_wide = ftyp + (1).to_bytes(4, "big") + b"mdat" + (12).to_bytes(8, "big") + bytes(8)
    assert "declares 12 bytes" in mp4_cut_short(small_wide, len(small_wide))


def test_a_photo_kept_under_another_sources_url_is_no_longer_missing(
    tmp_path: Path, replay: ReplayServer
) -> None:
    """FxTwitter names the photo `….jpg?name=orig` and the CDN fails it; recaptured, syndication
    names it `….jpg` and it is kept. The failure at that position is gone: the post is
    captured (it stayed partial, exit 3, with a phantom failed photo in `show` and `list`)."""
    status_id = "1890000000000000077"
    fx = {
        "code": 200,
        "status": {
            "id": status_id,
            "text": "hello",
            "author": {"id": "1", "name": "A", "screen_name": "a"},
            "created_timestamp": 1733477555,
            "media": {
                "all": [{"type": "photo", "url": "https://pbs.twimg.com/media/QQ.jpg?name=orig"}]
            },
        },
    }
    down = Reply(503, b"", {"Content-Type": "text/plain"})
    replay.add("cdn.syndication.twimg.com", "/tweet-result", down)
    replay.add("api.fxtwitter.com", f"/2/status/{status_id}", json_reply(fx))
    replay.add("pbs.twimg.com", "*", down)
    base = ["--archive", str(tmp_path / "a"), "--connect-to", replay.connect_to]
    env = {"ARCHIVER_RETRIES": "0"}
    first = run_cli(*base, "archive", status_id, "--json", env=env)
    assert json.loads(first.stdout)[0]["outcome"] == "partial"

    answer = tweet(status_id, ["https://pbs.twimg.com/media/QQ.jpg"])
    replay.add("cdn.syndication.twimg.com", "/tweet-result", json_reply(answer))
    replay.add("pbs.twimg.com", "*", Reply(200, jpeg(), {"Content-Type": "image/jpeg"}))
    again = run_cli(*base, "archive", status_id, "--recapture", "--json", env=env)
    assert again.returncode == 0 and json.loads(again.stdout)[0]["outcome"] == "captured"
    shown = json.loads(run_cli(*base, "show", status_id, "--json").stdout)
    assert [(m["kind"], m["status"]) for m in shown["media"]] == [("photo", "ok")]


@needs_ffmpeg
def test_a_smaller_video_kept_is_recorded_at_its_own_size(tmp_path: Path) -> None:
    """The best variant fails (HTTP 500) and a smaller one is kept: its media row gives the
    file's own width and height (480x270, from its `tkhd`), not the 1280x720 the post
    declares for the original."""
    clip = tmp_path / "small.mp4"
    make_video(clip, size="480x270")
    status_id = str(1865200000000000000 + 40 * 4_194_304)
    base = "https://video.twimg.com/ext_tw_video/1/pu/vid/avc1"
    video = {
        "type": "video",
        "media_url_https": "https://pbs.twimg.com/ext_tw_video_thumb/1/pu/img/v.jpg",
        "original_info": {"width": 1280, "height": 720},
        "video_info": {
            "variants": [
                {"bitrate": 2176000, "content_type": "video/mp4", "url": f"{base}/1280x720/a.mp4"},
                {"bitrate": 256000, "content_type": "video/mp4", "url": f"{base}/480x270/b.mp4"},
            ]
        },
    }
    server = ReplayServer()
    server.add(
        "cdn.syndication.twimg.com", "/tweet-result", json_reply(tweet(status_id, media=[video]))
    )
    server.add("pbs.twimg.com", "*", Reply(200, jpeg(), {"Content-Type": "image/jpeg"}))
    server.add("video.twimg.com", "/ext_tw_video/1/pu/vid/avc1/1280x720/a.mp4", Reply(500, b"", {}))
    server.add(
        "video.twimg.com",
        "/ext_tw_video/1/pu/vid/avc1/480x270/b.mp4",
        Reply(200, clip.read_bytes(), {"Content-Type": "video/mp4"}),
    )
    home = tmp_path / "archive"
    try:
        done = run_cli(
            "--archive", str(home), "--connect-to", server.connect_to, "archive", status_id
        )
        assert done.returncode == 0, done.stderr
        shown = json.loads(run_cli("--archive", str(home), "show", status_id, "--json").stdout)
    finally:
        server.close()
    (item,) = [m for m in shown["media"] if m["kind"] == "video"]
    assert (item["status"], item["width"], item["height"]) == ("ok", 480, 270)
    assert item["rendition"] == "mp4 256000 bit/s"
