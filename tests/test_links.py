"""A document that cites posts by t.co, by pic.twitter.com and by status URL: each reference
ends linked to its post, and `show`, `export --document` and the WARC all carry the hops from
the cited link to the post."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from conftest import run_cli
from warcio.archiveiterator import ArchiveIterator
from world import DARAA, HOMS, SHRINE

DOC = f"""# Three posts
- the map: https://t.co/eXVL4tHqrq
- Daraa: pic.twitter.com/sNmBN4ugDI
- the shrine: https://x.com/clashreport/status/{SHRINE}
"""


def test_every_cited_post_is_bundled_with_its_hop_chain(home: Path, world, tmp_path: Path) -> None:
    server, _ = world
    doc = tmp_path / "notes.md"
    doc.write_text(DOC)
    base = ["--archive", str(home), "--connect-to", server.connect_to]
    result = run_cli(*base, "archive", str(doc), "--json")
    summary = {e["status_id"]: e["outcome"] for e in json.loads(result.stdout)}
    assert summary == {HOMS: "captured", DARAA: "captured", SHRINE: "captured"}, result.stdout

    homs = json.loads(run_cli(*base, "show", HOMS, "--json").stdout)
    assert homs["short_links"] == ["https://t.co/eXVL4tHqrq"]
    (hop,) = [c for c in homs["captures"] if c["source"] == "resolve"]
    assert (hop["url"], hop["http_status"]) == ("https://t.co/eXVL4tHqrq", 301)
    assert hop["final_url"].endswith(f"/status/{HOMS}/photo/1")

    out = tmp_path / "bundle"
    exported = run_cli(*base, "export", "--document", str(doc), "--warc", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    for status_id in (HOMS, DARAA, SHRINE):
        assert (out / "data" / "posts" / status_id / "record.json").is_file()
    report = json.loads((out / "data" / "report.json").read_text())
    assert [(r["status_id"], r["status"]) for r in report] == [
        (HOMS, "archived"),
        (DARAA, "archived"),
        (SHRINE, "archived"),
    ]
    chains = {r["status_id"]: [h["url"] for h in r.get("hops", [])] for r in report}
    assert chains[HOMS] == ["https://t.co/eXVL4tHqrq"]
    assert chains[DARAA] == ["https://t.co/sNmBN4ugDI"]  # a meta refresh page, then the post
    daraa_hop = next(r for r in report if r["status_id"] == DARAA)["hops"][0]
    assert daraa_hop["http_status"] == 200 and f"/status/{DARAA}" in daraa_hop["leads_to"]
    with open(out / "data" / "warc" / "bundle.warc.gz", "rb") as handle:
        uris = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(handle)]
    assert "https://t.co/eXVL4tHqrq" in uris and "https://t.co/sNmBN4ugDI" in uris


def test_a_short_links_page_sent_gzip_encoded_is_read(home: Path, world) -> None:
    """t.co answers some clients 200 with its refresh page gzip-encoded (the corpus's recorded
    headers say `content-length 177 gzip`): the page is inflated to find the link; the hop is
    kept as sent."""
    import gzip

    from replay import FIXTURES, Reply

    server, _ = world
    page = (FIXTURES / "tco-meta-refresh.html").read_bytes()
    encoded = {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}
    server.add("t.co", "/sNmBN4ugDI", Reply(200, gzip.compress(page), encoded))
    args = ("--archive", str(home), "--connect-to", server.connect_to)
    result = run_cli(*args, "archive", "--json", "https://t.co/sNmBN4ugDI")
    (entry,) = json.loads(result.stdout)
    assert (entry["status_id"], entry["outcome"]) == (DARAA, "captured"), result.stderr


def test_a_short_links_page_with_no_link_fails_and_retry_asks_again(home: Path, world) -> None:
    """A 200 from t.co that names no link (an empty answer, an interstitial) says nothing of
    where the link leads: the reference fails (exit 3) and `retry` asks t.co again."""
    from replay import FIXTURES, Reply

    server, _ = world
    html = {"Content-Type": "text/html; charset=utf-8"}
    server.add("t.co", "/sNmBN4ugDI", Reply(200, b"", html))
    args = ("--archive", str(home), "--connect-to", server.connect_to)
    first = run_cli(*args, "archive", "--json", "https://t.co/sNmBN4ugDI")
    (entry,) = json.loads(first.stdout)
    assert first.returncode == 3 and entry["outcome"] == "failed"
    assert entry["reason"] == "https://t.co/sNmBN4ugDI: HTTP 200, a page with no link to follow"
    page = (FIXTURES / "tco-meta-refresh.html").read_bytes()
    server.add("t.co", "/sNmBN4ugDI", Reply(200, page, html))
    again = run_cli(*args, "retry", "--json")
    (entry,) = json.loads(again.stdout)
    assert again.returncode == 0 and (entry["status_id"], entry["outcome"]) == (DARAA, "captured")


def test_a_short_link_to_a_url_of_no_host_is_unresolved_with_its_hop_kept(
    home: Path, world
) -> None:
    """t.co answering a redirect to `mailto:` or `javascript:` (no host, so no request can
    follow it): where the link leads is known and is no post, and t.co's answer is kept. It
    was a failure (exit 3, asked again by every `retry`) with no capture of the answer."""
    from conftest import query
    from replay import Reply

    server, _ = world
    server.add("t.co", "/eXVL4tHqrq", Reply(301, b"", {"Location": "mailto:desk@example.com"}))
    args = ("--archive", str(home), "--connect-to", server.connect_to)
    result = run_cli(*args, "archive", "--json", "https://t.co/eXVL4tHqrq")
    (entry,) = json.loads(result.stdout)
    assert entry["outcome"] == "unresolved", entry
    assert entry["reason"].startswith("leads to a non-http(s) URL: mailto:desk@example.com")
    hops = query(home, "SELECT url, http_status FROM capture WHERE source = 'resolve'")
    assert hops == [("https://t.co/eXVL4tHqrq", 301)]


def test_a_short_link_to_a_page_naming_a_post_elsewhere_leads_to_that_page(
    home: Path, world
) -> None:
    """t.co leading to another site's page whose path or query holds a status URL (an
    article's address, a share link): the link leads to that page, not to the post it names.
    It was read as the post, captured and bundled as what the document cited."""
    from conftest import query
    from replay import Reply

    server, _ = world
    for code, target in (
        ("eXVL4tHqrq", f"https://news.example/twitter.com/lummideast/status/{HOMS}"),
        ("sNmBN4ugDI", f"https://share.example/?u=https://x.com/lummideast/status/{HOMS}"),
    ):
        server.add("t.co", f"/{code}", Reply(301, b"", {"Location": target}))
    args = ("--archive", str(home), "--connect-to", server.connect_to)
    result = run_cli(
        *args, "archive", "--json", "https://t.co/eXVL4tHqrq", "https://t.co/sNmBN4ugDI"
    )
    entries = json.loads(result.stdout)
    assert [e["outcome"] for e in entries] == ["unresolved", "unresolved"], entries
    assert all("which is not a post" in e["reason"] for e in entries)
    assert query(home, "SELECT count(*) FROM post") == [(0,)]


def test_a_short_link_that_leads_to_no_post_is_reported_with_its_hops(
    home: Path, world, tmp_path: Path
) -> None:
    """A cited t.co that leads to another site, and one that loops: the document's bundle says
    what became of each (led elsewhere, failed and why), with the hops kept, never as if it had
    not been followed."""
    from replay import Reply

    server, _ = world
    away_body = (  # t.co's own page beside its redirect (tco/4DK3Jc2BTt.body.html's shape)
        b'<head><noscript><META http-equiv="refresh" content="0;URL=https://liveuamap.com/app">'
        b"</noscript><title>https://liveuamap.com/app</title></head>"
    )
    server.add(
        "t.co",
        "/Away12345a",
        Reply(
            301, away_body, {"Location": "https://liveuamap.com/app", "Content-Type": "text/html"}
        ),
    )
    server.add("t.co", "/Loop12345a", Reply(301, b"", {"Location": "https://t.co/Loop12345a"}))
    doc = tmp_path / "links.md"
    doc.write_text("- away: https://t.co/Away12345a\n- loop: https://t.co/Loop12345a\n")
    base = ["--archive", str(home), "--connect-to", server.connect_to]
    run_cli(*base, "archive", str(doc))
    out = tmp_path / "bundle"
    exported = run_cli(*base, "export", "--document", str(doc), "-o", str(out))
    assert "2 of 2 citations not archived (1 failed, 1 unresolved)" in exported.stderr
    report = {r["match"]: r for r in json.loads((out / "data" / "report.json").read_text())}
    away, loop = report["https://t.co/Away12345a"], report["https://t.co/Loop12345a"]
    assert away["status"] == "unresolved (leads to https://liveuamap.com/app, no post)", away
    assert [h["leads_to"] for h in away["hops"]] == ["https://liveuamap.com/app"]
    assert loop["status"].startswith("failed (") and "loop" in loop["status"], loop
    assert [h["url"] for h in loop["hops"]] == ["https://t.co/Loop12345a"]
    # the answer t.co gave is in the bundle as a file, as a post's answers are (a page kept
    # as text), and in its manifest; an empty answer too
    (hop,) = away["hops"]
    assert hop["file"].startswith("links/t.co_Away12345a/raw/"), hop
    assert hop["file"].endswith("-resolve.html.txt"), hop
    assert (out / "data" / hop["file"]).read_bytes() == away_body
    assert f"data/{hop['file']}" in (out / "manifest-sha256.txt").read_text()
    assert hop["digest"] == "sha256:" + hashlib.sha256(away_body).hexdigest()
    assert (out / "data" / loop["hops"][0]["file"]).read_bytes() == b""
    assert run_cli("verify", str(out)).returncode == 0
