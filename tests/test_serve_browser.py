"""The viewer in headless Chromium: the list, a post and a document as a reader sees them, and
a hostile post whose text runs nothing and loads nothing."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from test_browse import HOSTILE
from test_bundle_page import FLAGS, count
from test_export import CHROMIUM, Tags
from test_serve import viewer  # noqa: F401  (the fixture: a viewer on a free loopback port)
from world import HOMS

pytestmark = pytest.mark.skipif(
    not CHROMIUM, reason="chromium is not installed (.ci/run installs it)"
)
GREEN, PINK = (0xE6, 0xF4, 0xEA), (0xFD, 0xE7, 0xE9)  # the live and gone badges
ARCHIVED = (0xC9, 0xEC, 0xD2)  # a citation whose post is archived


# Every name unresolvable, as in the bundle's tests, but the viewer's own address.
LOOPBACK_ONLY = [f for f in FLAGS if not f.startswith("--host-resolver-rules")] + [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
]


def chromium(url: str, profile: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [CHROMIUM, *LOOPBACK_ONLY, f"--user-data-dir={profile}", *args, url],
        capture_output=True,
        timeout=120,
    )


def shot(url: str, tmp_path: Path, name: str, size: str = "1200,1400") -> Image.Image:
    out = tmp_path / f"{name}.png"
    chromium(url, tmp_path / name, f"--screenshot={out}", f"--window-size={size}")
    return Image.open(out).convert("RGB")


def test_the_list_shows_each_post_with_its_state(viewer: tuple, tmp_path: Path) -> None:  # noqa: F811
    image = shot(f"{viewer[0]}/", tmp_path, "list")
    assert count(image, GREEN, 4) > 7 * 150  # seven live badges
    assert count(image, PINK, 4) > 150  # and the suspended one


def test_a_post_page_shows_the_photo_from_the_store(viewer: tuple, tmp_path: Path) -> None:  # noqa: F811
    origin, _, recorder = viewer
    before = len(recorder.paths)
    image = shot(f"{origin}/post/{HOMS}", tmp_path, "post")
    raw = image.tobytes()
    red = sum(
        1 for i in range(0, len(raw), 3) if raw[i] > 150 and raw[i + 1] < 80 and raw[i + 2] < 80
    )
    assert red > 10_000  # the post's photo (red with dark stripes)
    asked = recorder.paths[before:]
    assert f"/post/{HOMS}" in asked and "/static/style.css" in asked
    assert any(p.startswith("/media/sha256:") for p in asked)


def test_a_document_page_marks_its_citations(viewer: tuple, tmp_path: Path) -> None:  # noqa: F811
    image = shot(f"{viewer[0]}/document/1", tmp_path, "document")
    assert count(image, ARCHIVED, 4) > 3 * 1000  # three bylines marked archived, and the legend


def test_a_hostile_post_runs_nothing_and_loads_nothing(viewer: tuple, tmp_path: Path) -> None:  # noqa: F811
    origin, _, recorder = viewer
    before = len(recorder.paths)
    dumped = chromium(f"{origin}/post/{HOSTILE}", tmp_path / "dom", "--dump-dom").stdout.decode()
    title, dom = re.match(r"(?s).*?<title>(.*?)</title>(.*)", dumped).groups()  # type: ignore[union-attr]
    assert title.startswith("@mallory: &lt;/div&gt;&lt;script")  # text, escaped
    parser = Tags()
    parser.feed(dom)
    assert [t for t, _ in parser.tags if t in ("script", "iframe", "object", "embed")] == []
    assert all(not any(k.startswith("on") for k in attrs) for _, attrs in parser.tags)
    assert '"&gt;&lt;img src=x onerror=alert(2)&gt;' in dom  # the text, shown as text
    assert '&lt;/div&gt;&lt;script src="https://evil.example/x.js"&gt;' in dom
    asked = recorder.paths[before:]
    assert asked[0] == f"/post/{HOSTILE}"
    # the style sheets and the browser's own icon; nothing the post's text names (its
    # <img src=x> would ask for /post/x, its script for evil.example, which cannot resolve)
    assert set(asked[1:]) <= {"/static/style.css", "/static/viewer.css", "/favicon.ico"}, asked
