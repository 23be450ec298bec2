"""The replayed world the capture tests run against: t.co, the post sources and the media CDNs,
answering on loopback with the project's fixtures (written in the corpus's real shapes)."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

from PIL import Image
from replay import FIXTURES, Handler, ReplayServer, Reply, json_reply

HOMS = "1864994181010350326"
DARAA = "1865016574813491517"
QUOTED = "1864990000000000000"
SHRINE = "1865020000000000000"
SPUTNIK = "1020522510494789632"
FAKE_MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4096  # an MP4 box header and padding


def jpeg(width: int = 800, height: int = 600, color: tuple[int, int, int] = (180, 40, 40)) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), color)
    for x in range(0, width, 40):  # some structure, so that re-encodings differ
        image.paste((20, 20, 20), (x, 0, x + 8, height))
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def tweet(status_id: str, photos: list[str] = (), media: list[dict] = (), **extra: object) -> dict:
    """A syndication payload for a live post, with photos (by URL) or media details."""
    details = [{"type": "photo", "media_url_https": url} for url in photos] + list(media)
    return {
        "__typename": "Tweet",
        "id_str": status_id,
        "text": f"post {status_id}",
        "created_at": "2024-12-06T09:32:35.000Z",
        "lang": "en",
        "user": {"id_str": "1", "name": "Many", "screen_name": "many"},
        "mediaDetails": details,
        **extra,
    }


def redirect(location: str, status: int = 301) -> Reply:
    return Reply(status, b"", {"Location": location, "Content-Type": "text/html"})


def query_id(handler: Handler) -> str:
    return parse_qs(urlsplit(handler.path).query).get("id", [""])[0]


def build(server: ReplayServer) -> dict[str, bytes]:
    """Register the standard routes; return the media bytes served, by name."""
    photo = jpeg()
    media = {"photo": photo, "video": FAKE_MP4}
    syndication = {
        HOMS: json_reply(FIXTURES / f"syndication-{HOMS}.json"),
        DARAA: json_reply(FIXTURES / f"syndication-{DARAA}.json"),
        QUOTED: json_reply(FIXTURES / f"syndication-{QUOTED}.json"),
        SPUTNIK: json_reply(FIXTURES / "syndication-tombstone-suspended.json"),
    }
    server.add(
        "cdn.syndication.twimg.com",
        "/tweet-result",
        lambda h: syndication.get(query_id(h), json_reply({})),
    )
    server.add(
        "api.fxtwitter.com",
        f"/2/status/{SHRINE}",
        json_reply(FIXTURES / f"fxtwitter-{SHRINE}.json"),
    )
    server.add("api.fxtwitter.com", "*", json_reply(FIXTURES / "fxtwitter-notfound.json", 404))
    server.add("api.vxtwitter.com", "*", json_reply({"error": "Tweet not found"}, 404))
    server.add("publish.twitter.com", "*", Reply(404, b"", {"Content-Type": "text/html"}))
    server.add(
        "web.archive.org",
        "/cdx/search/cdx",
        lambda h: Reply(
            200,
            (FIXTURES / f"wayback-cdx-{SPUTNIK}.txt").read_bytes()
            if SPUTNIK in h.path and "twitter.com" in h.path
            else b"",
            {"Content-Type": "text/plain"},
        ),
    )
    server.add(
        "web.archive.org",
        f"/web/20180721151149id_/https://twitter.com/SputnikNewsUS/status/{SPUTNIK}",
        Reply(
            200,
            (FIXTURES / f"wayback-snapshot-{SPUTNIK}.html").read_bytes(),
            {"Content-Type": "text/html; charset=utf-8"},
        ),
    )
    server.add(
        "t.co", "/eXVL4tHqrq", redirect(f"https://twitter.com/lummideast/status/{HOMS}/photo/1")
    )
    server.add("t.co", "/fLTXycbUfF", redirect("https://liveuamap.com/app"))
    server.add(
        "t.co",
        "/sNmBN4ugDI",
        Reply(
            200,
            (FIXTURES / "tco-meta-refresh.html").read_bytes(),
            {"Content-Type": "text/html; charset=utf-8"},
        ),
    )
    server.add(
        "t.co", "/RwHMFZUGfl", redirect(f"https://x.com/clashreport/status/{SHRINE}/video/1")
    )
    server.add(
        "pbs.twimg.com",
        "/media/GeHoms1WgAAmap1",
        lambda h: (
            Reply(200, photo, {"Content-Type": "image/jpeg"})
            if "name=orig" in h.path
            else Reply(404, b"", {})
        ),
    )
    for path in (
        "/amplify_video/1865016500000000000/vid/avc1/1280x720/high.mp4",
        "/ext_tw_video/1865019900000000000/pu/vid/avc1/720x1280/best.mp4",
    ):
        server.add("video.twimg.com", path, Reply(200, FAKE_MP4, {"Content-Type": "video/mp4"}))
    return media
