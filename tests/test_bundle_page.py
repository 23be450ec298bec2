"""The bundle's index.html: hostile text shown and not obeyed, links expanded, dates in words, the
recovered copy named, each post's citations; rendered by headless Chromium for an Arabic post, a
deleted post recovered from the Wayback Machine, a quote and a video."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from test_export import CHROMIUM, Tags  # the same Chromium and tag parser

from archiver.export import citations, wikitext
from archiver.export.citable import Citable, Recovery
from archiver.export.html import linkify, page, post_html
from archiver.export.mediatypes import extension

DIGEST = "sha256:" + "cd" * 32
SNAPSHOT = (
    "https://web.archive.org/web/20241207100000/https://x.com/gone/status/1865020000000000000"
)
ARABIC = Citable(
    status_id="1865016574813491517",
    url="https://x.com/aljazeera/status/1865016574813491517",
    handle="aljazeera",
    author_name="الجزيرة",
    created_at=datetime(2024, 12, 6, 9, 32, tzinfo=UTC),
    text="عاجل: المعارضة السورية تعلن دخول مدينة حمص",
    media_kinds=[],
    record_digest=DIGEST,
    accessed=datetime(2024, 12, 7, 10, 0, tzinfo=UTC),
    state="live",
    lang="ar",
)
DELETED = replace(
    ARABIC,
    status_id="1865020000000000000",
    url="https://x.com/gone/status/1865020000000000000",
    handle="gone",
    author_name="Gone Account",
    created_at=datetime(2024, 12, 6, 15, 5, tzinfo=UTC),
    text="Read this before it goes https://t.co/abc123",
    text_expanded="Read this before it goes https://example.org/report",
    state="deleted",
    lang="en",
    archive_url=SNAPSHOT,
    archive_date=datetime(2024, 12, 7, 10, 0, tzinfo=UTC),
    recovered_from=[Recovery("wayback", datetime(2024, 12, 7, 10, 0, tzinfo=UTC), SNAPSHOT)],
    trusted_time="timestamped by Example TSA at 2024-12-08T08:00:05Z",
)


def view(c: Citable, media: list[dict] | None = None, quoted: str | None = None) -> dict:
    """The post as `views.post_view` gives it (what index.html is made from)."""
    return {
        "status_id": c.status_id,
        "url": c.url,
        "handle": c.handle,
        "author_name": c.author_name,
        "created_at": c.created_at.isoformat().replace("+00:00", "Z") if c.created_at else None,
        "text": c.text,
        "lang": c.lang,
        "state": c.state,
        "quoted_status_id": quoted,
        "record_digest": c.record_digest,
        "media": media or [],
        "checks": [{"at": "2024-12-08T08:00:00Z", "state": c.state, "source": "syndication"}],
    }


def write(folder: Path, *posts: tuple[Citable, dict, dict | None], files=None) -> Path:  # type: ignore[no-untyped-def]
    cites = {c.status_id: c for c, _, _ in posts}
    for _, _, q in posts:
        if q:
            cites.setdefault(str(q["status_id"]), Citable.from_view(q))
    cards = [post_html(v, files or {}, q, cites) for _, v, q in posts]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(page("Archived posts", cards), encoding="utf-8")
    return folder / "index.html"


def test_the_document_reports_word_diff_shows_control_characters_as_marks() -> None:
    """The report compares the document's quote with the archived text: what either holds is
    escaped, and a right-to-left override or a terminal escape is a visible mark, not obeyed."""
    from archiver.export.content import word_diff

    same, ops, html = word_diff("invoice \u202egnp.exe <b>", "invoice \x1b[31m")
    assert not same and ops == [["document", "\u202egnp.exe <b>"], ["archive", "\x1b[31m"]]
    assert not re.search(r"[\x00\x1b\u202a-\u202e\u2066-\u2069]", html) and "<b>" not in html
    assert 'title="control character U+202E">U+202E</span>gnp.exe &lt;b&gt;' in html


def test_hostile_text_is_shown_and_never_obeyed(tmp_path: Path) -> None:
    evil = replace(
        ARABIC,
        author_name="Mal\u202elory<i>",
        handle="x\u202e",
        text="invoice\u202egnp.exe\x00 <script>alert(1)</script> \x1b[31m",
    )
    html = write(tmp_path, (evil, view(evil), None)).read_text(encoding="utf-8")
    assert not re.search(r"[\x00\x1b\u202a-\u202e\u2066-\u2069]", html)
    assert 'invoice<span class="ctl" title="control character U+202E">U+202E</span>gnp.exe' in html
    assert "U+0000" in html and "U+001B" in html
    assert '<bdi class="who">Mal<span class="ctl"' in html and "lory&lt;i&gt;</bdi>" in html
    parser = Tags()
    parser.feed(html)
    assert [t for t, _ in parser.tags if t in ("script", "link", "iframe", "object")] == []
    assert ("div", {"class": "text", "dir": "auto", "lang": "ar"}) in parser.tags


def test_links_dates_recovered_copy_and_citations_are_on_the_page(tmp_path: Path) -> None:
    shown = view(DELETED)
    shown["record_source"] = "wayback"  # read from the snapshot; the live source said gone
    shown["record_at"] = "2024-12-08T07:59:30Z"  # when its record was kept
    html = write(tmp_path, (DELETED, shown, None)).read_text(encoding="utf-8")
    assert (
        ' · captured <time datetime="2024-12-08T07:59:30Z">8 December 2024, 07:59 UTC</time>'
        " from wayback"
    ) in html
    assert '<a href="https://example.org/report" rel="noreferrer">' in html and "t.co" not in html
    assert '<time datetime="2024-12-06T15:05:00Z">6 December 2024, 15:05 UTC</time>' in html
    assert (
        '<p class="recovered">Text recovered from the Wayback Machine snapshot of '
        '<time datetime="2024-12-07T10:00:00Z">7 December 2024, 10:00 UTC</time>: '
        f'<a href="{SNAPSHOT}" rel="noreferrer">'
    ) in html
    assert "timestamped by Example TSA at 2024-12-08T08:00:05Z" in html
    assert "last checked <time" in html
    text = re.sub(r"<[^>]+>", "", html)  # what a reader selects and copies
    for line in (citations.apa(DELETED), citations.mla(DELETED), citations.chicago(DELETED)):
        assert line.replace("&", "&amp;") in text
    assert wikitext.cite_tweet(DELETED).replace("&", "&amp;") in text
    assert "user-select:all" in html


def test_a_link_ends_where_its_sentence_does() -> None:
    """A URL in a sentence's brackets or before its full stop or a quote links the URL only."""
    assert linkify("(at https://liveuamap.com/app) and https://x.org/a_(b). Go") == (
        '(at <a href="https://liveuamap.com/app" rel="noreferrer">https://liveuamap.com/app</a>)'
        ' and <a href="https://x.org/a_(b)" rel="noreferrer">https://x.org/a_(b)</a>. Go'
    )
    assert linkify('=L("http://evil","x") https://e.org/?a=1&b=2, ok') == (
        '=L(&quot;<a href="http://evil" rel="noreferrer">http://evil</a>&quot;,&quot;x&quot;) '
        '<a href="https://e.org/?a=1&amp;b=2" rel="noreferrer">https://e.org/?a=1&amp;b=2</a>, ok'
    )


def test_a_post_without_a_date_shows_the_one_its_id_carries(tmp_path: Path) -> None:
    undated = replace(ARABIC, status_id="1641086480675225601", created_at=None)
    html = write(tmp_path, (undated, view(undated), None)).read_text(encoding="utf-8")
    assert "29 March 2023, 14:34 UTC</time> (from the post's id)" in html


def test_a_quoted_post_in_the_bundle_too_gives_its_id_to_one_article(tmp_path: Path) -> None:
    """The quoted post is drawn inside the quote and as its own article: only its own article
    carries `id="post-…"` (ids are unique in HTML, and `#post-…` must land on the whole post)."""
    quoted = replace(ARABIC, status_id="1864990000000000000", url="https://x.com/a/status/1")
    quoting = replace(DELETED, state="live", recovered_from=[])
    html = write(
        tmp_path,
        (quoting, view(quoting, quoted=quoted.status_id), view(quoted)),
        (quoted, view(quoted), None),
    ).read_text(encoding="utf-8")
    parser = Tags()
    parser.feed(html)
    ids = [a["id"] for _, a in parser.tags if "id" in a]
    assert sorted(ids) == sorted({f"post-{quoting.status_id}", f"post-{quoted.status_id}"})
    assert html.count('class="quoted"') == 1


def test_a_photo_that_could_not_be_kept_is_said_on_the_page(tmp_path: Path) -> None:
    """A partial post: the photo it has on X is missing from the bundle, and the page says so
    with the reason, rather than showing a post that seems to have had no photo."""
    partial = replace(ARABIC, media_kinds=["photo"])
    failed = {"kind": "photo", "digest": None, "status": "failed", "reason": "HTTP 500 <x>"}
    avatar = {"kind": "avatar", "digest": None, "status": "failed", "reason": "HTTP 404"}
    html = write(tmp_path, (partial, view(partial, [failed, avatar]), None)).read_text("utf-8")
    assert "photo missing (could not be kept: HTTP 500 &lt;x&gt;)" in html
    assert "avatar missing" not in html  # the post's own media only


def test_media_file_extensions_come_from_the_recorded_type() -> None:
    png = io.BytesIO()
    Image.new("RGB", (2, 2)).save(png, "PNG")
    found = Image.open(io.BytesIO(png.getvalue())).format
    assert extension("image/jpeg", found) == "png"  # the bytes say PNG, whatever the URL said
    assert extension("image/png") == "png" and extension("IMAGE/JPEG; q=1") == "jpg"
    assert extension("video/mp4") == "mp4" and extension("image/webp") == "webp"
    assert extension(None) == "bin" and extension("application/x-unknown") == "bin"


# --- headless Chromium: what a reader sees -------------------------------------------------

BLUE = (0x5B, 0x7D, 0xB1)  # .quoted's border
needs_chromium = pytest.mark.skipif(
    not CHROMIUM, reason="chromium is not installed (.ci/run installs it)"
)


# As in test_export, less --virtual-time-budget: virtual time runs ahead of the media pipeline,
# and a shot taken at its end misses the video's first frame about one time in four.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--hide-scrollbars",
]


def screenshot(html: Path, profile: Path, size: str = "900,900") -> Image.Image:
    """The page as headless Chromium draws it, with no network and a fresh profile."""
    shot = profile.with_suffix(".png")
    args = [f"--user-data-dir={profile}", f"--screenshot={shot}", f"--window-size={size}"]
    subprocess.run([CHROMIUM, *FLAGS, *args, html.as_uri()], capture_output=True, timeout=120)
    return Image.open(shot).convert("RGB")


def count(image: Image.Image, rgb: tuple[int, int, int], tolerance: int = 12) -> int:
    """How many pixels are within `tolerance` of a colour, in each channel."""
    masks = [
        band.point(lambda v, c=c: 255 if abs(v - c) <= tolerance else 0)
        for band, c in zip(image.split(), rgb, strict=True)
    ]
    both = ImageChops.multiply(ImageChops.multiply(masks[0], masks[1]), masks[2])
    return both.histogram()[255]


def ink(image: Image.Image, top: int, bottom: int) -> tuple[int, int]:
    """Leftmost and rightmost dark pixel between two rows."""
    band = image.convert("L").crop((0, top, image.width, bottom))
    box = band.point(lambda v: 255 if v < 100 else 0).getbbox()
    assert box, "no text in the band"
    return box[0], box[2]


def first_changed_band(a: Image.Image, b: Image.Image) -> tuple[int, int]:
    """The first run of rows in which two screenshots differ (top, bottom)."""
    changed = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 40 else 0)
    rows = [
        y for y in range(changed.height) if changed.crop((0, y, changed.width, y + 1)).getbbox()
    ]
    assert rows, "dir=auto changed nothing on the page"
    bottom = rows[0]
    while bottom + 1 in rows or bottom + 2 in rows or bottom + 3 in rows:
        bottom += 1
    return rows[0], bottom + 1


@needs_chromium
def test_arabic_text_is_laid_out_right_to_left(tmp_path: Path) -> None:
    html = write(tmp_path / "auto", (ARABIC, view(ARABIC), None))
    plain = tmp_path / "plain" / "index.html"  # the same page without dir="auto"
    plain.parent.mkdir()
    plain.write_text(html.read_text().replace('class="text" dir="auto"', 'class="text"'))
    auto_shot = screenshot(html, tmp_path / "p1")
    plain_shot = screenshot(plain, tmp_path / "p2")
    top, bottom = first_changed_band(auto_shot, plain_shot)
    assert bottom - top < 40  # the post's one line of text moved
    auto_left, auto_right = ink(auto_shot, top, bottom)
    plain_left, plain_right = ink(plain_shot, top, bottom)
    assert auto_right - plain_right > 200 and auto_left - plain_left > 200
    # the right edge of the text is at the article's padding, like the left edge without dir
    border = [x for x in range(auto_shot.width) if auto_shot.getpixel((x, top + 5)) < (215,) * 3]
    assert border and border[-1] - auto_right < 30 and plain_left - border[0] < 30


@needs_chromium
def test_a_deleted_post_says_where_its_text_was_recovered_from(tmp_path: Path) -> None:
    html = write(tmp_path, (DELETED, view(DELETED), None))
    shot = screenshot(html, tmp_path / "p")
    assert count(shot, (0xFF, 0xF1, 0xC2), 4) > 3_000  # the recovered-copy notice
    assert count(shot, (0xFD, 0xE7, 0xE9), 4) > 300  # the "deleted" badge


@needs_chromium
def test_a_quote_is_drawn_inside_the_quoting_post(tmp_path: Path) -> None:
    quoted = replace(ARABIC, status_id="1864990000000000000", url="https://x.com/a/status/1")
    quoting = replace(DELETED, state="live", recovered_from=[])
    html = write(tmp_path, (quoting, view(quoting, quoted=quoted.status_id), view(quoted)))
    shot = screenshot(html, tmp_path / "p", "900,1400")
    columns = [  # the quote's blue bar: columns of it at least 60 pixels tall
        x for x in range(shot.width) if count(shot.crop((x, 0, x + 1, shot.height)), BLUE, 10) > 60
    ]
    assert 3 <= len(columns) <= 5, columns  # 4 CSS pixels wide


@needs_chromium
@pytest.mark.skipif(not shutil.which("ffmpeg"), reason="ffmpeg is not installed")
def test_a_video_shows_its_first_frame(tmp_path: Path) -> None:
    media = tmp_path / "media"
    media.mkdir()
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=0x00C000:s=320x180:d=1",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", str(media / "v.mp4"),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    video = replace(DELETED, state="live", recovered_from=[], media_kinds=["video"])
    item = {"kind": "video", "digest": "sha256:" + "ef" * 32}
    html = write(
        tmp_path, (video, view(video, [item]), None), files={item["digest"]: "media/v.mp4"}
    )
    shot = screenshot(html, tmp_path / "p", "900,1200")
    assert count(shot, (0x00, 0xC0, 0x00), 30) > 20_000  # the green frame, not a blank box
