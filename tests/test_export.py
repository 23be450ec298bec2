"""`archiver export`: the bag validates with the Library of Congress `bagit` package and with
`archiver verify PATH`; damage fails both; zips are byte-identical; citations have their
formats; hostile text stays text; nothing is written outside OUT; the page renders offline."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import bagit
import pytest
from conftest import ROOT, run_cli
from replay import json_reply
from world import DARAA, HOMS, SHRINE

from archiver.errors import InputError

SEED = ROOT / "seeds" / "syria-offensive-2024-12-06.txt"
HOSTILE = "1865100000000000001"


@pytest.fixture
def archived(tmp_path: Path, world, request) -> Path:  # type: ignore[no-untyped-def]
    """The seed and a hostile post, archived (on the test's backend, if it names one)."""
    if "backend" in request.fixturenames:
        request.getfixturevalue("backend")
    server, _ = world
    server.add("cdn.syndication.twimg.com", f"/tweet-result?id={HOSTILE}", json_reply({}))
    hostile = {
        "__typename": "Tweet",
        "id_str": HOSTILE,
        "created_at": "2024-12-06T16:07:00.000Z",
        "text": '<script>alert(1)</script> "><img src=x onerror=alert(2)> &lt;b&gt;',
        "user": {"id_str": "9", "name": "<i>Mallory</i>", "screen_name": "mallory"},
    }
    routes = server.routes[("cdn.syndication.twimg.com", "/tweet-result")]
    server.add(
        "cdn.syndication.twimg.com",
        "/tweet-result",
        lambda h: json_reply(hostile) if HOSTILE in h.path else routes(h),
    )
    home = tmp_path / "archive"
    for what in (str(SEED), HOSTILE):
        result = run_cli("--archive", str(home), "--connect-to", server.connect_to, "archive", what)
        assert result.returncode == 0, result.stderr
    return home


def export(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("--archive", str(home), "export", *args)


def test_bag_validates_with_bagit_and_archiver(
    backend: str, archived: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bundle"
    result = export(archived, "--document", SEED.name, "-o", str(out), "--warc")
    assert result.returncode == 0, result.stderr
    bag = bagit.Bag(str(out))
    bag.validate()  # raises on any problem
    assert bag.info["External-Identifier"][0] == f"x:status:{HOMS}"
    assert bag.info["Bag-Software-Agent"].startswith("archiver ")
    assert bag.info["Bagging-Date"] == "2026-11-24" or len(bag.info["Bagging-Date"]) == 10
    assert run_cli("verify", str(out)).returncode == 0
    data = out / "data"
    for name in (
        "index.html",
        "README.txt",
        "report.json",
        "citations/apa.txt",
        "citations/citations.bib",
        "citations/citations.csl.json",
        "warc/bundle.warc.gz",
    ):
        assert (data / name).is_file(), name
    post = json.loads((data / "posts" / HOMS / "post.json").read_text())
    record = (data / "posts" / HOMS / "record.json").read_bytes()
    assert "sha256:" + hashlib.sha256(record).hexdigest() == post["record_digest"]
    (photo,) = [m for m in post["media"] if m["kind"] == "photo"]
    media_file = data / "posts" / HOMS / "media" / f"{photo['digest'][7:]}.jpg"
    assert "sha256:" + hashlib.sha256(media_file.read_bytes()).hexdigest() == photo["digest"]
    assert list((data / "documents").iterdir())[0].read_bytes() == SEED.read_bytes()


def test_one_changed_byte_fails_both_checks(archived: Path, tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    assert export(archived, HOMS, "-o", str(out)).returncode == 0
    target = out / "data" / "posts" / HOMS / "record.json"
    data = bytearray(target.read_bytes())
    data[10] ^= 0x20
    target.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(out)).validate()
    result = run_cli("verify", str(out), "--json")
    assert result.returncode == 1
    problems = [p["problem"] for p in json.loads(result.stdout)["problems"]]
    assert any("record.json: sha256 does not match" in p for p in problems)
    assert any("does not hash to the digest" in p for p in problems)


def test_zip_is_byte_identical_and_checkable(backend: str, archived: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "Homs map.zip", tmp_path / "b" / "Homs map.zip"
    assert export(archived, "--all", "-o", str(first), "--warc", "--wacz").returncode == 0
    assert export(archived, "--all", "-o", str(second), "--warc", "--wacz").returncode == 0
    assert first.read_bytes() == second.read_bytes()
    assert run_cli("verify", str(first)).returncode == 0
    other = tmp_path / "other.ZIP"
    assert export(archived, "--all", "-o", str(other)).returncode == 0
    for path in (first, other):
        with zipfile.ZipFile(path) as bundle:
            bundle.extractall(tmp_path / "unzipped")  # one folder each, named after its zip
    assert sorted(p.name for p in (tmp_path / "unzipped").iterdir()) == ["Homs_map", "other"]
    bagit.Bag(str(tmp_path / "unzipped" / "Homs_map")).validate()


def test_a_zip_with_a_climbing_path_is_refused(tmp_path: Path) -> None:
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as bundle:
        bundle.writestr("bag/bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        bundle.writestr("bag/../../x", "escape")
    result = run_cli("verify", str(evil), "--json")
    assert result.returncode == 1
    assert any("unsafe path" in p["problem"] for p in json.loads(result.stdout)["problems"])
    assert not (tmp_path.parent / "x").exists()


def test_nothing_is_written_outside_out(archived: Path, tmp_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(archived / "archive.db") as conn:
        conn.execute("UPDATE document SET path = '../../../etc/evil'")
    out = tmp_path / "sub" / "bundle"
    out.parent.mkdir()
    before = set(tmp_path.rglob("*"))
    assert export(archived, "--all", "-o", str(out)).returncode == 0
    after = set(tmp_path.rglob("*")) - before
    assert all(p == out or out in p.parents for p in after)
    assert (out / "data" / "documents" / "0001-evil").is_file()


def test_existing_output_and_unknown_posts_are_usage_errors(archived: Path, tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    result = export(archived, HOMS, "-o", str(tmp_path / "full"))
    assert result.returncode == 2 and "exists" in result.stderr
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine"
    assert export(archived, "999999999999999999", "-o", str(tmp_path / "x")).returncode == 2


def test_an_export_never_writes_over_a_bundle_another_export_wrote_meanwhile(
    archived: Path, tmp_path: Path
) -> None:
    """Two exports to one new path: the one that finishes second says it could not write the
    bundle (exit 2) and leaves the first's in place, byte for byte."""
    from archiver.export.bagit import Entry, write_bag

    out = tmp_path / "same.zip"
    first = export(archived, HOMS, "-o", str(out))
    assert first.returncode == 0, first.stderr
    kept = out.read_bytes()
    # the second, past its check of the path while the first wrote, writes its bag now
    with pytest.raises(InputError, match="could not write the bundle .*meanwhile"):
        write_bag([Entry("data/a.txt", b"other")], out)
    assert out.read_bytes() == kept and sorted(p.name for p in tmp_path.iterdir()) == [
        "archive",
        "same.zip",
    ]


def test_a_raw_page_answer_is_kept_as_text_never_run_when_opened(
    archived: Path, tmp_path: Path
) -> None:
    """t.co answers with a page that redirects by script: in a bundle it is `…-resolve.html.txt`
    (its bytes as they came), which a browser shows and never runs."""
    out = tmp_path / "doc"
    assert export(archived, "--document", str(SEED), "-o", str(out)).returncode in (0, 3)
    raws = [p.name for p in out.glob("data/posts/*/raw/*")]
    assert raws and not [n for n in raws if n.endswith((".html", ".js", ".svg", ".xml"))]
    assert [n for n in raws if n.endswith(".html.txt")]


def test_citation_formats(archived: Path, tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    assert export(archived, HOMS, "-o", str(out)).returncode == 0
    folder = out / "data" / "citations"
    digest = json.loads((out / "data" / "posts" / HOMS / "post.json").read_text())["record_digest"]
    url = f"https://x.com/lummideast/status/{HOMS}"
    apa = (folder / "apa.txt").read_text().strip()
    assert apa.startswith(
        "Liveuamap MiddleEast [@lummideast]. (2024, December 6). Homs control "
        "map as of today. Rebels are at the gates of Homs city."
    )
    assert apa.endswith(f"[Image attached] [Post]. X. {url} Archived copy: {digest}.")
    mla = (folder / "mla.txt").read_text().strip()
    assert mla.startswith("Liveuamap MiddleEast [@lummideast]. “Homs control map")
    assert f"X, 6 Dec. 2024, 9:32 a.m. UTC, {url}." in mla
    chicago = (folder / "chicago.txt").read_text().strip()
    assert chicago.startswith("Liveuamap MiddleEast (@lummideast), “Homs control map")
    assert f"X, December 6, 2024, 9:32 a.m. UTC, {url}." in chicago
    bib = (folder / "citations.bib").read_text()
    assert bib.startswith(f"@misc{{lummideast_{HOMS},") and "year = 2024" in bib
    assert f"note = {{Archived copy: {digest}}}" in bib
    (item,) = json.loads((folder / "citations.csl.json").read_text())
    assert (item["type"], item["container-title"], item["URL"]) == ("post", "X", url)
    assert item["issued"] == {"date-parts": [[2024, 12, 6]]} and item["accessed"]["date-parts"]
    assert digest in item["note"]  # the archived copy, where no style prints it mid-entry


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))


def test_hostile_post_text_stays_text_and_nothing_loads_from_outside(
    archived: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bundle"
    assert export(archived, "--all", "-o", str(out)).returncode == 0
    page = (out / "data" / "index.html").read_text()
    parser = Tags()
    parser.feed(page)
    assert [t for t, _ in parser.tags if t == "script"] == []
    assert all("onerror" not in attrs for _, attrs in parser.tags)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;i&gt;Mallory&lt;/i&gt;" in page
    assert re.search(r" · captured <time datetime=\"[0-9T:-]+Z\">[^<]+</time> from \w+", page)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    for tag, attrs in parser.tags:  # every resource the page loads is a file of the bundle
        for name in ("src", "poster", "data"):
            if name in attrs:
                assert not attrs[name].startswith(("http:", "https:", "//")), (tag, attrs)
                assert (out / "data" / attrs[name]).is_file()
        if tag == "link":
            pytest.fail(f"the page links a resource: {attrs}")


def test_document_report_compares_the_quoted_text(archived: Path, tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    assert export(archived, "--document", str(SEED), "-o", str(out)).returncode == 0
    rows = json.loads((out / "data" / "report.json").read_text())
    by_post = {r["status_id"]: r for r in rows}
    assert by_post[HOMS]["status"] == "archived" and by_post[HOMS]["quote_matches"] is True
    # the document is named by its file in the bundle, never by where it was read on this disk
    assert {r["where"].rsplit(":", 1)[0] for r in rows} == {f"documents/0001-{SEED.name}"}
    assert (out / "data" / "documents" / f"0001-{SEED.name}").is_file()
    for made in (out / "data").rglob("*"):
        assert not made.is_file() or str(SEED.parent).encode() not in made.read_bytes(), made
    shrine = by_post[SHRINE]  # the fixture's text is shorter than what the seed quotes
    assert shrine["quote_matches"] is False
    assert ["archive", "Syria.”"] in shrine["differences"]
    assert "<del>" in (out / "data" / "index.html").read_text()


def test_the_report_says_gone_for_a_gone_post_and_compares_no_witness(
    tmp_path: Path, world
) -> None:
    """A post every live source says it does not have (and no copy anywhere) is reported as
    what it is, not pending; an embed no post was found for compares its quote with nothing."""
    server, _ = world
    home, article = tmp_path / "archive", tmp_path / "article.txt"
    gone = "1865200000000000009"
    article.write_text(
        f"See https://x.com/someone/status/{gone}\n\n"
        "Nothing links this one\n— Nobody Known (@nobody_known) March 3, 2023\n"
    )
    run_cli("--archive", str(home), "--connect-to", server.connect_to, "archive", str(article))
    out = tmp_path / "bundle"
    made = export(home, "--document", str(article), "-o", str(out))
    assert made.returncode == 3  # the bundle is whole, the document's citations are not all in
    assert made.stderr.splitlines()[-1] == (
        "archiver export: warning: 2 of 2 citations not archived (1 unavailable, 1 unresolved):"
        " see data/report.json"
    )
    rows = {r["kind"]: r for r in json.loads((out / "data" / "report.json").read_text())}
    assert rows["status_url"]["status"].startswith("unavailable (last seen live: never")
    assert rows["attribution"]["status"].startswith("unresolved")
    assert "quote_matches" not in rows["attribution"]


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(*args: str) -> subprocess.CompletedProcess[bytes]:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--virtual-time-budget=3000",
    ]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, timeout=120)


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed (.ci/run installs it)")
def test_index_renders_in_headless_chromium(archived: Path, tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "bundle"
    assert export(archived, HOMS, "-o", str(out)).returncode == 0
    page = (out / "data" / "index.html").as_uri()
    dom = chromium(f"--user-data-dir={tmp_path / 'profile1'}", "--dump-dom", page)
    text = dom.stdout.decode()
    assert "Homs control map as of today." in text and "@lummideast" in text
    shot = tmp_path / "shot.png"
    chromium(
        f"--user-data-dir={tmp_path / 'profile2'}",
        f"--screenshot={shot}",
        "--window-size=900,1400",
        page,
    )
    image = Image.open(shot).convert("RGB")
    raw = image.tobytes()
    red = sum(
        1 for i in range(0, len(raw), 3) if raw[i] > 150 and raw[i + 1] < 80 and raw[i + 2] < 80
    )
    assert red > 10_000  # the post's photo (red with dark stripes) is on the page


def test_warc_is_readable_by_standard_tools(archived: Path, tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    out = tmp_path / "bundle"
    assert export(archived, HOMS, "-o", str(out), "--warc").returncode == 0
    post = json.loads((out / "data" / "posts" / HOMS / "post.json").read_text())
    with open(out / "data" / "warc" / "bundle.warc.gz", "rb") as stream:
        records = [
            (
                r.rec_type,
                r.rec_headers.get_header("WARC-Target-URI"),
                r.rec_headers.get_header("WARC-Payload-Digest"),
                r.content_stream().read(),
            )
            for r in ArchiveIterator(stream)
        ]
    assert records[0][0] == "warcinfo"
    responses = [r for r in records if r[0] == "response"]
    syndication = [r for r in responses if "cdn.syndication.twimg.com" in r[1]]
    assert syndication and all(r[2].startswith("sha256:") for r in responses)
    (capture,) = [c for c in post["captures"] if c["source"] == "syndication"]
    raw = next((out / "data" / "posts" / HOMS / "raw").glob("*-syndication.json")).read_bytes()
    assert (
        syndication[0][3] == raw
        and "sha256:" + hashlib.sha256(raw).hexdigest() == capture["digest"]
    )


def test_bag_info_says_who_made_the_bundle_only_when_told(archived: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    assert export(archived, HOMS, "-o", str(plain)).returncode == 0
    info = bagit.Bag(str(plain)).info
    assert "Source-Organization" not in info and "Contact-Email" not in info  # no placeholder
    told = tmp_path / "told"
    result = run_cli(
        "--archive", str(archived), "export", HOMS, "-o", str(told),
        env={
            "ARCHIVER_SOURCE_ORGANIZATION": "Desk «Levant»",
            "ARCHIVER_CONTACT_NAME": "R. Editor",
            "ARCHIVER_CONTACT_EMAIL": "desk@example.org",
        },
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    info = bagit.Bag(str(told)).info
    assert info["Source-Organization"] == "Desk «Levant»"
    assert (info["Contact-Name"], info["Contact-Email"]) == ("R. Editor", "desk@example.org")


def test_an_object_changed_in_the_store_is_never_bundled(archived: Path, tmp_path: Path) -> None:
    import os
    import sqlite3

    with sqlite3.connect(archived / "archive.db") as conn:
        (digest,) = conn.execute(
            "SELECT blob_digest FROM media WHERE blob_digest IS NOT NULL LIMIT 1"
        ).fetchone()
    path = archived / "objects" / "sha256" / digest[7:9] / digest[7:]
    os.chmod(path, 0o644)
    path.write_bytes(path.read_bytes()[:-1] + b"\x00")  # same size, other bytes
    out = tmp_path / "bundle"
    result = export(archived, HOMS, "-o", str(out))
    assert result.returncode == 2 and "does not hash to its name" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not out.exists() and not list(tmp_path.glob(".bundle.partial-*"))
    path.unlink()  # gone: said as the archive's damage, with what to do, never a bare OS error
    result = export(archived, HOMS, "-o", str(out))
    assert result.returncode == 2 and f"object {digest} is missing" in result.stderr
    assert "--repair FROM" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists() and not list(tmp_path.glob(".bundle.partial-*"))


def test_a_post_named_twice_is_bundled_once(archived: Path, tmp_path: Path) -> None:
    url = f"https://twitter.com/lummideast/status/{HOMS}"
    for out in (tmp_path / "b.zip", tmp_path / "folder"):
        assert export(archived, HOMS, url, HOMS, "-o", str(out)).returncode == 0
        assert run_cli("verify", str(out)).returncode == 0  # the bundle passes its own check


def test_a_document_is_named_by_whole_names(archived: Path, tmp_path: Path) -> None:
    """`--document a.txt` names `…/a.txt`, never `…/data.txt`: one rule with `list`."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(f"See https://x.com/lummideast/status/{HOMS}\n")
    (docs / "data.txt").write_text(f"See https://x.com/ThomasVLinge/status/{DARAA}\n")
    for name in ("a.txt", "data.txt"):
        assert run_cli("--archive", str(archived), "archive", str(docs / name)).returncode in (0, 3)
    out = tmp_path / "b"
    assert export(archived, "--document", "a.txt", "-o", str(out)).returncode == 0
    assert [p.name for p in (out / "data" / "documents").iterdir()] == ["0002-a.txt"]  # its id
    assert [p.name for p in (out / "data" / "posts").iterdir()] == [HOMS]


@pytest.mark.parametrize("name", ["bundle", "bundle.zip"])
def test_an_object_that_changes_between_hashing_and_writing_is_never_bundled(
    tmp_path: Path, name: str
) -> None:
    """The manifests are made from a first read of each blob and the files from a second: bytes
    that differ the second time (a disk, a bucket) fail the export; nothing is left."""
    from archiver.errors import StoreError
    from archiver.export.bagit import Entry, build_bag, write_bag
    from archiver.store import Store

    store = Store(tmp_path / "store")
    store.create()
    digest, _ = store.put(b"the photo's bytes" * 1000)
    entries = build_bag([Entry.blob("data/media/p.jpg", store, digest)], [])
    path = store.path(digest)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes()[:-1] + b"\x00")  # same size, other bytes
    out = tmp_path / name
    with pytest.raises(StoreError, match="does not hash to its name"):
        write_bag(entries, out)
    assert not out.exists() and not list(tmp_path.glob(f".{name}.partial-*"))


def homs_partial(tmp_path: Path, world) -> tuple[tuple[str, ...], dict[str, str]]:  # type: ignore[no-untyped-def]
    """An archive where HOMS is partial (its photo answered 500): the CLI's archive and
    connect-to arguments, and the environment that asks once."""
    from replay import Reply

    server, _ = world
    args = ("--archive", str(tmp_path / "archive"), "--connect-to", server.connect_to)
    server.add("pbs.twimg.com", "/media/GeHoms1WgAAmap1", Reply(500, b"", {}))
    env = {"ARCHIVER_RETRIES": "0"}
    assert run_cli(*args, "archive", HOMS, env=env).returncode == 3
    return args, env


def test_exporting_a_post_not_whole_says_so_with_exit_3(tmp_path: Path, world) -> None:
    """A post whose photo failed is bundled with what was kept, and the bundle's report says
    it is partial: one warning line and exit 3, as for a document's citations; a whole post
    exports with exit 0."""
    args, env = homs_partial(tmp_path, world)
    assert run_cli(*args, "archive", SHRINE, env=env).returncode == 0
    out = tmp_path / "partial.zip"
    result = run_cli(*args, "export", "--output", str(out), HOMS, SHRINE)
    assert result.returncode == 3, result.stderr
    assert "1 of 2 posts not archived (1 partial): see data/report.json" in result.stderr
    with zipfile.ZipFile(out) as bundle:
        name = next(n for n in bundle.namelist() if n.endswith("data/report.json"))
        report = {r["status_id"]: r["status"] for r in json.loads(bundle.read(name))}
    assert report[SHRINE] == "archived" and report[HOMS].startswith("partial (media missing")
    whole = run_cli(*args, "export", "--output", str(tmp_path / "whole.zip"), SHRINE)
    assert whole.returncode == 0 and "not archived" not in whole.stderr


def test_exporting_all_says_a_post_not_whole_even_beside_a_document(tmp_path: Path, world) -> None:
    """`--all` in an archive that holds a document reports every post, not only the document's
    citations: a partial post the document does not cite is one warning line and exit 3, and a
    citation no post was found for is still counted."""
    args, env = homs_partial(tmp_path, world)
    story = tmp_path / "story.md"
    story.write_text(
        f"See https://x.com/clashreport/status/{SHRINE}\n\n"
        "Nothing links this one\n— Nobody Known (@nobody_known) March 3, 2023\n"
    )
    run_cli(*args, "archive", str(story), env=env)
    out = tmp_path / "all.zip"
    result = run_cli(*args, "export", "--output", str(out), "--all")
    assert result.returncode == 3, result.stderr
    assert "2 of 3 posts not archived (1 partial, 1 unresolved)" in result.stderr
    with zipfile.ZipFile(out) as bundle:
        name = next(n for n in bundle.namelist() if n.endswith("data/report.json"))
        report = {r["status_id"]: r["status"] for r in json.loads(bundle.read(name))}
    assert report[SHRINE] == "archived" and report[HOMS].startswith("partial (media missing")
    assert report[None].startswith("unresolved")
    with zipfile.ZipFile(out) as bundle:  # the archive's posts, not the document's
        name = next(n for n in bundle.namelist() if n.endswith("data/index.html"))
        assert "<title>Archived posts (" in bundle.read(name).decode()
