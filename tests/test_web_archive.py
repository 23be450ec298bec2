"""The bundle's WARC and WACZ in the tools people replay them with: warcio checks the WARC,
py-wacz validates the WACZ, and pywb serves each post's page and its photo from them."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli
from replay import Reply
from warcio.archiveiterator import ArchiveIterator
from world import DARAA, HOMS, SHRINE

BIN = Path(sys.executable).parent
PAGE = "https://archiver.invalid/posts/"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, request):  # type: ignore[no-untyped-def]
    """The seed archived (with a repeated header on one answer), exported with --warc --wacz."""
    from replay import ReplayServer
    from world import build

    server = ReplayServer()
    build(server)
    photo = server.routes[("pbs.twimg.com", "/media/GeHoms1WgAAmap1")]
    server.add(
        "pbs.twimg.com",
        "/media/GeHoms1WgAAmap1",
        lambda h: (
            Reply(**{**photo(h).__dict__, "headers": {**photo(h).headers, "Set-Cookie": "a=1"}})
            if "name=orig" in h.path
            else photo(h)
        ),
    )
    work = tmp_path_factory.mktemp("web")
    home = work / "archive"
    seed = Path(__file__).resolve().parent.parent / "seeds"
    done = run_cli("--archive", str(home), "--connect-to", server.connect_to, "archive", str(seed))
    server.close()
    assert done.returncode == 0, done.stdout
    out = work / "bundle"
    result = run_cli(
        "--archive", str(home), "export", HOMS, DARAA, SHRINE, "--warc", "--wacz", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    return out


def records(path: Path) -> list:  # type: ignore[type-arg]
    with open(path, "rb") as handle:
        return [
            (
                r.rec_type,
                r.rec_headers.get_header("WARC-Target-URI"),
                r.http_headers,
                r.content_stream().read(),
            )
            for r in ArchiveIterator(handle)
        ]


def test_warc_has_every_exchange_as_request_and_response(bundle: Path) -> None:
    warc = bundle / "data" / "warc" / "bundle.warc.gz"
    check = subprocess.run(
        [str(BIN / "warcio"), "check", str(warc)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    found = records(warc)
    kinds = {(kind, (uri or "").split("?")[0]) for kind, uri, _, _ in found}
    photo = "https://pbs.twimg.com/media/GeHoms1WgAAmap1"
    video = "https://video.twimg.com/amplify_video/1865016500000000000/vid/avc1/1280x720/high.mp4"
    for uri in (
        photo,
        video,
        "https://cdn.syndication.twimg.com/tweet-result",
        "https://t.co/eXVL4tHqrq",
        "https://pbs.twimg.com/profile_images/3/c.jpg",
    ):
        assert ("request", uri) in kinds and ("response", uri) in kinds, uri
    (page,) = [r for r in found if r[0] == "resource" and r[1] == PAGE + HOMS]
    assert b"Homs control map" in page[3] and photo.encode() in page[3]
    (orig,) = [
        r for r in found if r[0] == "response" and r[1].startswith(photo) and "name=orig" in r[1]
    ]
    cookies = [v for k, v in orig[2].headers if k.lower() == "set-cookie"]
    assert cookies == ["a=1"] and orig[3][:2] == b"\xff\xd8"  # the JPEG, byte for byte


def test_wacz_validates_and_lists_each_post(bundle: Path) -> None:
    wacz = bundle / "data" / "bundle.wacz"
    valid = subprocess.run(
        [str(BIN / "wacz"), "validate", "-f", str(wacz)], capture_output=True, text=True
    )
    assert valid.returncode == 0, valid.stdout + valid.stderr
    with zipfile.ZipFile(wacz) as z:
        lines = z.read("pages/pages.jsonl").decode().splitlines()
        assert z.getinfo("archive/data.warc.gz").compress_type == zipfile.ZIP_STORED
        package = json.loads(z.read("datapackage.json"))
        index = z.read("indexes/index.cdxj").decode().splitlines()
    # every index line names the WARC inside the WACZ, so that a replay tool finds its records
    assert index and {json.loads(line.split(" ", 2)[2])["filename"] for line in index} == {
        "data.warc.gz"
    }
    assert json.loads(lines[0])["format"] == "json-pages-1.0"
    assert sorted(json.loads(line)["url"] for line in lines[1:]) == sorted(
        PAGE + i for i in (HOMS, DARAA, SHRINE, "1864990000000000000")
    )
    assert package["wacz_version"] == "1.1.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_pywb_replays_the_post_page_and_its_photo(bundle: Path, tmp_path: Path) -> None:
    env = {**os.environ}
    subprocess.run(
        [str(BIN / "wb-manager"), "init", "bundle"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env=env,
    )
    warc = tmp_path / "bundle.warc.gz"
    shutil.copy(bundle / "data" / "warc" / "bundle.warc.gz", warc)
    subprocess.run(
        [str(BIN / "wb-manager"), "add", "bundle", str(warc)],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env=env,
    )
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "wayback"), "--bind", "127.0.0.1", "-p", str(port)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}/bundle/2100id_/"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with urllib.request.urlopen(base + PAGE + HOMS, timeout=10) as answer:
            assert answer.status == 200 and b"Homs control map" in answer.read()
        photo = "https://pbs.twimg.com/media/GeHoms1WgAAmap1?format=jpg&name=orig"
        with urllib.request.urlopen(base + photo, timeout=10) as answer:
            assert answer.status == 200 and answer.read()[:2] == b"\xff\xd8"
    finally:
        server.terminate()
        server.wait(timeout=10)
