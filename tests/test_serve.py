"""`archiver serve`: a real server on a free loopback port, asked by a real HTTP client for every
route (filters, search in Arabic and Japanese, 404s, ranges of a video, hostile text), and the
token and warning when it listens elsewhere."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from test_browse import ARABIC, HOSTILE, JAPANESE, shared_archive
from test_export import Tags
from world import DARAA, HOMS, SHRINE

from archiver.archive import Archive
from archiver.browse import Filters, list_posts, reader
from archiver.serve import bind, make_app, server
from archiver.serve.guard import LOOPBACK_NAMES

POST_LINK_RE = re.compile(r'href="/post/(\d+)"')


class Recorder:
    """The paths the viewer was asked for, in order."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.paths: list[str] = []

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        if scope["type"] == "http":
            self.paths.append(scope["path"])
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def viewer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Recorder]]:
    """(origin, archive home, request recorder) of a viewer running in a thread."""
    home = shared_archive(tmp_path_factory)
    recorder = Recorder(make_app(Archive.open(home), None, list(LOOPBACK_NAMES)))
    sock = bind("127.0.0.1", 0)
    running = server(recorder)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not running.started:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", home, recorder
    running.should_exit = True
    thread.join(10)


@pytest.fixture
def client(viewer: tuple[str, Path, Recorder]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=viewer[0]) as c:
        yield c


def linked_posts(html: str) -> list[str]:
    return list(dict.fromkeys(POST_LINK_RE.findall(html)))


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ({}, {}),
        ({"q": "حمص"}, {"search": "حمص"}),
        ({"q": "地震"}, {"search": "地震"}),
        ({"q": "東京都 Tokyo"}, {"search": "東京都 Tokyo"}),
        ({"state": "gone"}, {"state": ["gone"]}),
        ({"handle": "@lummideast"}, {"handle": "@lummideast"}),
        (
            {"since": "2024-12-06", "until": "2024-12-06"},
            {"since": "2024-12-06", "until": "2024-12-06"},
        ),
        ({"document": "1", "sort": "handle"}, {"document": "1", "sort": "handle"}),
        ({"source": "wayback"}, {"source": "wayback"}),
        ({"has_media": "1", "reverse": "1"}, {"has_media": True, "reverse": True}),
        ({"failed": "1"}, {"failed": True}),
        ({"time": "captured", "since": "1d"}, {"time": "captured", "since": "1d"}),
    ],
)
def test_the_list_has_the_filters_of_archiver_list(
    client: httpx.Client, viewer: tuple, query: dict, filters: dict
) -> None:
    page = client.get("/", params=query)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    with reader(Archive.open(viewer[1])) as conn:
        expected = [r["status_id"] for r in list_posts(conn, Filters.parse(**filters))]
    assert linked_posts(page.text) == expected and expected
    assert f"{len(expected)} of {len(expected)} posts" in page.text


def test_searches_in_arabic_and_japanese_find_their_posts(client: httpx.Client) -> None:
    assert linked_posts(client.get("/?q=حمص").text) == [ARABIC]
    assert linked_posts(client.get("/?q=震度").text) == [JAPANESE]
    assert linked_posts(client.get("/?q=倒壊した建物").text) == [JAPANESE]  # alt text


def test_a_bad_filter_is_one_escaped_line_on_the_page(client: httpx.Client) -> None:
    page = client.get("/", params={"since": "<b>soon</b>"})
    assert page.status_code == 400
    assert "--since &#x27;&lt;b&gt;soon&lt;/b&gt;&#x27;: expected a date" in page.text
    quote = client.get("/", params={"q": '"'})
    assert quote.status_code == 400 and "no words to search for" in quote.text


def test_the_post_page_is_the_bundle_s_article_with_its_history(
    client: httpx.Client, viewer: tuple, tmp_path: Path
) -> None:
    from conftest import run_cli

    page = client.get(f"/post/{HOMS}").text
    bundle = tmp_path / "bundle"
    assert run_cli("--archive", str(viewer[1]), "export", HOMS, "-o", str(bundle)).returncode == 0
    index = (bundle / "data" / "index.html").read_text()

    def article(html: str) -> str:  # the one design, whatever the files are called
        found = re.search(r"<article id=\"post-\d+\">.*?</article>", html, re.S)
        assert found
        return re.sub(r'src="[^"]*"', 'src=""', found.group(0))

    assert article(page) == article(index)
    view = httpx.get(f"{viewer[0]}/post/{HOMS}").text
    photo = re.search(r'<img src="/media/(sha256:[0-9a-f]{64})"', view)
    assert photo, "the post's photo is shown from the store"
    for needle in ("<h2>Captures</h2>", "syndication", "<h2>State</h2>", "Cite this post"):
        assert needle in view
    assert '<a href="/document/1"' in view  # the document that cites it
    raw = re.findall(r'<a href="/blob/(sha256:[0-9a-f]{64})" class="digest">', view)
    assert raw, "each capture's raw answer is downloadable"
    answer = client.get(f"/blob/{raw[0]}")
    assert (
        answer.status_code == 200
        and "sha256:" + hashlib.sha256(answer.content).hexdigest() == raw[0]
    )
    assert answer.headers["content-disposition"].startswith("attachment; filename=")
    assert answer.headers["content-security-policy"].startswith("sandbox")


def test_a_quote_is_drawn_inside_its_post(client: httpx.Client) -> None:
    page = client.get(f"/post/{DARAA}").text
    quoted = page.index('<div class="quoted">')
    assert page.index("https://x.com/someone/status/1864990000000000000") > quoted
    assert page[quoted:].startswith('<div class="quoted"><article>')  # one id per page: its own


def test_hostile_post_text_is_text(client: httpx.Client) -> None:
    page = client.get(f"/post/{HOSTILE}")
    parser = Tags()
    parser.feed(page.text)
    assert [t for t, _ in parser.tags if t in ("script", "iframe", "object", "embed")] == []
    assert all(not any(k.startswith("on") for k in attrs) for _, attrs in parser.tags)
    assert not any(t == "img" and attrs.get("src") == "x" for t, attrs in parser.tags)
    assert "&lt;script src=&quot;https://evil.example/x.js&quot;&gt;" in page.text
    assert '<span class="ctl" title="control character U+202E">U+202E</span>gnp.exe' in page.text
    assert "&lt;i&gt;Mallory&lt;/i&gt;" in page.text
    listed = client.get("/?handle=mallory").text
    assert "&lt;/div&gt;&lt;script" in listed and "<script" not in listed


def test_every_answer_has_the_strict_headers(client: httpx.Client) -> None:
    for path in ("/", f"/post/{HOMS}", "/documents", "/document/1", "/jobs", "/nowhere"):
        answer = client.get(path)
        csp = answer.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp, path
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert answer.headers["referrer-policy"] == "no-referrer", path
        assert "<script" not in answer.text and "http://" not in re.sub(
            r'href="https?://[^"]*"|>[^<]*<', "", answer.text
        ), path


def test_the_documents_the_document_and_the_queue(client: httpx.Client) -> None:
    docs = client.get("/documents").text
    assert "syria-offensive-2024-12-06.txt</a>" in docs and '<a href="/document/1">' in docs
    doc = client.get("/document/1").text
    marks = re.findall(
        r'<mark class="cite (\w+)" title="\w+"><a href="/post/(\d+)">([^<]*)</a>', doc
    )
    assert [(s, p) for s, p, _ in marks] == [
        ("archived", HOMS),
        ("archived", DARAA),
        ("archived", SHRINE),
    ]
    assert marks[0][2] == "— Liveuamap MiddleEast (@lummideast) December 6, 2024"
    assert '<span class="ln">4</span><mark class="cite archived"' in doc
    queue = client.get("/jobs").text
    assert HOSTILE in queue and "HTTP 404" in queue


@pytest.mark.parametrize(
    "path",
    [
        "/post/1865299999999999999",  # a real id, not archived
        "/post/123",  # not a post id
        "/post/%3Cscript%3E",
        "/document/99",
        "/document/x",
        "/media/sha256:" + "0" * 64,
        "/media/not-a-digest",
        "/blob/sha256:" + "0" * 64,
        "/static/../../archive.db",
        "/static/evil.css",
        "/nowhere",
    ],
)
def test_what_is_not_there_is_404(client: httpx.Client, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 404, path
    assert "<script" not in answer.text


def test_the_viewer_is_read_only_and_answers_its_own_name_only(
    client: httpx.Client, viewer: tuple
) -> None:
    assert client.post("/", data={"q": "x"}).status_code == 405
    assert client.delete(f"/post/{HOMS}").status_code == 405
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/", headers={"Host": "localhost:1"}).status_code == 200
    before = (viewer[1] / "archive.db").stat().st_mtime_ns
    for path in ("/", f"/post/{HOMS}", "/document/1", "/jobs", "/documents"):
        client.get(path)
    assert (viewer[1] / "archive.db").stat().st_mtime_ns == before


def _video(home: Path) -> tuple[str, bytes]:
    with reader(Archive.open(home)) as conn:
        (digest,) = conn.execute(
            "SELECT blob_digest FROM media WHERE kind = 'video' AND status = 'ok' LIMIT 1"
        ).fetchone()
    return digest, Archive.open(home).store.read_bytes(digest)


def test_a_video_is_served_by_ranges(client: httpx.Client, viewer: tuple) -> None:
    digest, body = _video(viewer[1])
    whole = client.get(f"/media/{digest}")
    assert whole.status_code == 200 and whole.content == body
    assert whole.headers["content-type"] == "video/mp4"
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["x-content-type-options"] == "nosniff"
    part = client.get(f"/media/{digest}", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == body[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(body)}"
    tail = client.get(f"/media/{digest}", headers={"Range": "bytes=-16"})
    assert tail.status_code == 206 and tail.content == body[-16:]
    rest = client.get(f"/media/{digest}", headers={"Range": f"bytes={len(body) - 5}-"})
    assert rest.content == body[-5:]
    beyond = client.get(f"/media/{digest}", headers={"Range": f"bytes={len(body) + 10}-"})
    assert beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{len(body)}"
    two = client.get(f"/media/{digest}", headers={"Range": "bytes=0-9,20-29"})
    assert two.status_code == 206
    assert two.headers["content-type"].startswith("multipart/byteranges; boundary=")
    assert body[:10] in two.content and body[20:30] in two.content
    for hostile in ("bytes=x-y", "bytes=5-4", "pages=1-2"):
        refused = client.get(f"/media/{digest}", headers={"Range": hostile})
        assert refused.status_code in (400, 416), hostile
    many = client.get(f"/media/{digest}", headers={"Range": "bytes=" + ",".join(["0-1"] * 500)})
    assert many.status_code == 200 and many.content == body  # too many ranges: the Range is ignored
    head = client.head(f"/media/{digest}")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(body))


def test_a_photo_is_served_with_its_type(client: httpx.Client, viewer: tuple) -> None:
    with reader(Archive.open(viewer[1])) as conn:
        (digest,) = conn.execute(
            "SELECT blob_digest FROM media WHERE kind = 'photo' AND status = 'ok' LIMIT 1"
        ).fetchone()
    photo = client.get(f"/media/{digest}")
    assert photo.headers["content-type"] == "image/jpeg"
    assert "sha256:" + hashlib.sha256(photo.content).hexdigest() == digest
    assert "immutable" in photo.headers["cache-control"]


def test_serve_elsewhere_warns_and_asks_for_a_token(home: Path) -> None:
    Archive.open(home, create=True).engine.dispose()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archiver",
            "--archive",
            str(home),
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        url = re.search(r"http://0\.0\.0\.0:(\d+)/\?token=([\w-]+)", line)
        assert url, line + proc.stderr.read()  # type: ignore[union-attr]
        port, token = url.groups()
        origin = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{origin}/").status_code == 403
        assert httpx.get(f"{origin}/?token=wrong").status_code == 403
        first = httpx.get(f"{origin}/jobs?token={token}")
        assert first.status_code == 303 and first.headers["location"] == "/jobs"
        assert "HttpOnly" in first.headers["set-cookie"]
        with httpx.Client(base_url=origin, cookies=first.cookies) as c:
            assert c.get("/jobs").status_code == 200 and c.get("/").status_code == 200
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=20)
    assert "warning: listening on 0.0.0.0, not loopback" in stderr


def test_numbers_past_what_sqlite_holds_are_an_empty_page_or_not_found(
    client: httpx.Client,
) -> None:
    """`?page=` or a document id past 2^63 (a probe, a typo): an empty page or a 404, never a
    500 from an overflow."""
    listed = client.get("/?page=99999999999999999999")
    assert listed.status_code == 200 and "Traceback" not in listed.text
    assert client.get("/document/99999999999999999999999").status_code == 404
    assert client.get("/?until=9999-12-31").status_code == 200  # the end of the last day
