"""`archiver archive` end to end, as a real subprocess against the replayed world."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, blob_bytes, query, run_cli, run_process
from world import DARAA, HOMS, QUOTED, SHRINE, SPUTNIK

SEED = ROOT / "seeds" / "syria-offensive-2024-12-06.txt"


def cli(home: Path, server, *args: str, **kwargs):  # type: ignore[no-untyped-def]
    return run_cli("--archive", str(home), "--connect-to", server.connect_to, *args, **kwargs)


def show(home: Path, server, post: str) -> dict:  # type: ignore[no-untyped-def]
    result = cli(home, server, "show", post, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def count(home: Path, table: str) -> int:
    return query(home, f'SELECT count(*) FROM "{table}"')[0][0]


def test_seed_is_archived_through_its_short_links(home: Path, world, backend: str) -> None:
    server, media = world
    result = cli(home, server, "archive", str(ROOT / "seeds"), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads(result.stdout)
    assert [(s["status_id"], s["outcome"]) for s in summary] == [
        (HOMS, "captured"),
        (DARAA, "captured"),
        (SHRINE, "captured"),
    ]
    assert all(s["reference"].startswith(str(ROOT / "seeds")) for s in summary)

    homs = show(home, server, HOMS)
    assert (homs["handle"], homs["author_name"], homs["state"]) == (
        "lummideast",
        "Liveuamap MiddleEast",
        "live",
    )
    assert homs["created_at"] == "2024-12-06T09:32:35Z"
    assert homs["text"].startswith("Homs control map as of today.")
    (photo,) = [m for m in homs["media"] if m["kind"] == "photo"]
    assert (photo["kind"], photo["rendition"], photo["status"]) == ("photo", "orig", "ok")
    assert photo["digest"] == sha(media["photo"]) and (photo["width"], photo["height"]) == (
        800,
        600,
    )
    sources = [c["source"] for c in homs["captures"]]
    assert "witness" in sources and "syndication" in sources and "media" in sources
    assert homs["record_digest"].startswith("sha256:")
    assert json.loads(blob_bytes(home, homs["record_digest"]))["status_id"] == HOMS
    for capture in homs["captures"]:  # every raw answer is in the store under its digest
        if capture["digest"]:
            assert sha(blob_bytes(home, capture["digest"])) == capture["digest"]
    assert (home / "objects" / "sha256").is_dir() == (backend == "embedded")

    daraa = show(home, server, DARAA)
    (video,) = [m for m in daraa["media"] if m["kind"] == "video"]
    assert video["kind"] == "video" and video["bitrate"] == 2176000  # the highest MP4 variant
    assert video["digest"] == sha(media["video"])
    assert daraa["quoted_status_id"] == QUOTED
    assert show(home, server, QUOTED)["text"] == "Daraa now"  # the quoted post, captured too

    shrine = show(home, server, SHRINE)  # syndication had nothing: fxtwitter answered
    assert shrine["handle"] == "clashreport" and shrine["state"] == "live"
    found = [c["source"] for c in shrine["captures"] if c["outcome"] == "found"]
    assert "witness" in found  # the document's rendering too
    assert [s for s in found if s not in ("witness", "media")][0] == "fxtwitter"

    # The document itself is kept, byte for byte, and its references point at it.
    ((digest,),) = query(home, "SELECT blob_digest FROM document WHERE path LIKE '%syria%'")
    kinds = [r[0] for r in query(home, "SELECT kind FROM reference ORDER BY id")]
    assert digest == sha(SEED.read_bytes())
    assert kinds.count("attribution") == 3 and kinds.count("short_link") == 4


def test_archiving_again_adds_nothing_unless_recapture(home: Path, world, backend: str) -> None:
    server, _ = world
    assert cli(home, server, "archive", str(SEED)).returncode == 0
    before = {t: count(home, t) for t in ("capture", "blob", "post", "reference", "document")}
    hits = len(server.log)
    again = cli(home, server, "archive", str(SEED), "--json")
    assert again.returncode == 0
    assert {s["outcome"] for s in json.loads(again.stdout)} == {"already"}
    assert {t: count(home, t) for t in before} == before
    assert len(server.log) == hits  # nothing fetched
    recapture = cli(home, server, "archive", HOMS, "--recapture", "--json")
    assert json.loads(recapture.stdout)[0]["outcome"] == "captured"
    assert count(home, "capture") > before["capture"]


def test_archiving_a_failed_post_again_asks_again(home: Path, world) -> None:
    """`archive X` after X failed (a service down) asks again, as `retry` would, and reports
    what it finds now, not the old failure; a post already captured is not asked again."""
    from replay import Reply

    server, _ = world
    working = server.routes[("cdn.syndication.twimg.com", "/tweet-result")]
    server.add("cdn.syndication.twimg.com", "/tweet-result", lambda h: Reply(500, b"x", {}))
    env = {"ARCHIVER_RETRIES": "0"}
    failed = cli(home, server, "archive", QUOTED, "--json", env=env)
    assert failed.returncode == 3 and json.loads(failed.stdout)[0]["outcome"] == "failed"
    server.add("cdn.syndication.twimg.com", "/tweet-result", working)
    again = cli(home, server, "archive", QUOTED, "--json", env=env)
    assert again.returncode == 0, again.stdout
    assert json.loads(again.stdout)[0]["outcome"] == "captured"
    hits = len(server.log)
    once_more = cli(home, server, "archive", QUOTED, "--json", env=env)
    assert json.loads(once_more.stdout)[0]["outcome"] == "already" and len(server.log) == hits


def test_deleted_post_is_recovered_from_the_wayback_machine(home: Path, world) -> None:
    server, _ = world
    url = f"https://twitter.com/SputnikNewsUS/status/{SPUTNIK}"
    result = cli(home, server, "archive", url, "--json")
    (entry,) = json.loads(result.stdout)
    assert entry["outcome"] == "gone" and entry["state"] == "suspended"
    assert "suspended" in entry["reason"]
    assert result.returncode == 0
    post = show(home, server, SPUTNIK)
    assert post["state"] == "suspended"
    assert post["text"].startswith("Russia offers to help return refugees")
    assert post["author_name"] == "Sputnik"
    outcomes = {(c["source"], c["outcome"]) for c in post["captures"]}
    assert ("syndication", "gone") in outcomes and ("wayback", "found") in outcomes


def test_unresolvable_embed_is_kept_as_a_witness(home: Path, world, tmp_path: Path) -> None:
    server, _ = world
    doc = tmp_path / "article.txt"
    doc.write_text("Some post text with no link\n— Nobody Known (@nobody_known) March 3, 2023\n")
    result = cli(home, server, "archive", str(doc), "--json")
    (entry,) = json.loads(result.stdout)
    assert entry["outcome"] == "unresolved" and "witness" in entry["reason"]
    assert result.returncode == 3
    with sqlite3.connect(home / "archive.db") as conn:
        key, text = conn.execute("SELECT witness_key, text FROM post").fetchone()
        sources = [r[0] for r in conn.execute("SELECT source FROM capture")]
    assert key.startswith("nobody_known|2023-03-03|") and text == "Some post text with no link"
    # The witness, and the lookups of @nobody_known's posts of that day (the index had none).
    assert sources[0] == "witness" and set(sources[1:]) == {"find"}


def test_short_link_to_a_page_that_is_not_a_post(home: Path, world) -> None:
    server, _ = world
    result = cli(home, server, "archive", "https://t.co/fLTXycbUfF", "--json")
    (entry,) = json.loads(result.stdout)
    assert entry["outcome"] == "unresolved" and "liveuamap.com/app" in entry["reason"]


def test_offline_run_finishes_fast_keeps_witnesses_and_says_how_to_resume(home: Path) -> None:
    # A real process: the network guard makes every name lookup fail, as offline.
    result = run_process("--archive", str(home), "archive", str(SEED), "--json")
    assert result.returncode == 3
    assert {s["outcome"] for s in json.loads(result.stdout)} == {"pending"}
    assert "archiver retry" in result.stderr
    with sqlite3.connect(home / "archive.db") as conn:
        witnesses = conn.execute("SELECT count(*) FROM capture WHERE source='witness'").fetchone()
        pending = conn.execute("SELECT count(*) FROM job WHERE state='pending'").fetchone()
    assert witnesses == (3,) and pending == (4,)


def test_bad_inputs_are_one_line_errors_and_change_nothing(home: Path, world) -> None:
    server, _ = world
    for bad in (
        ["https://x.com/jack"],
        ["not a url"],
        ["./no/such/file.txt"],
        ["1234567890123"],
        ["--list", "/no/such/list.txt"],
        ["--sources", "nowhere", HOMS],
    ):
        result = cli(home, server, "archive", *bad)
        assert result.returncode == 2, (bad, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not home.exists()


def test_list_file_and_stdin(home: Path, world, tmp_path: Path) -> None:
    server, _ = world
    listing = tmp_path / "list.txt"
    listing.write_text(f"# posts to keep\nhttps://x.com/lummideast/status/{HOMS}\n\n{QUOTED}\n")
    result = cli(home, server, "archive", "--list", str(listing), "--json")
    assert [s["status_id"] for s in json.loads(result.stdout)] == [HOMS, QUOTED]
    piped = cli(
        home,
        server,
        "archive",
        "-",
        "--json",
        stdin=f"see https://x.com/ThomasVLinge/status/{DARAA}\n",
    )
    assert [s["status_id"] for s in json.loads(piped.stdout)] == [DARAA]
    listed = cli(home, server, "archive", "--list", "-", "--json", stdin=f"# a list\n{QUOTED}\n")
    assert [s["status_id"] for s in json.loads(listed.stdout)] == [QUOTED], listed.stderr
    twice = cli(home, server, "archive", "--list", "-", "-", stdin=f"{QUOTED}\n")
    assert twice.returncode == 2 and "stdin is read once" in twice.stderr


def test_a_list_longer_than_a_statement_may_name_is_archived_and_retried(
    home: Path, replay, tmp_path: Path, monkeypatch
) -> None:
    """A list of more posts than SQLite lets one statement name (999 before 3.32, 32,766
    after, as many builds keep it; a dataset of ids holds millions): every post is claimed,
    and `retry` of them all finishes them, never "too many SQL variables"."""
    from sqlite3 import dbapi2

    from replay import Reply, json_reply
    from world import query_id, tweet

    real = dbapi2.connect

    def connect(*args, **kwargs):  # type: ignore[no-untyped-def]
        conn = real(*args, **kwargs)
        conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
        return conn

    monkeypatch.setattr(dbapi2, "connect", connect)  # (the writer, forked, has it too)
    ids = [str(1864994181010350326 + i * 4_194_304_000) for i in range(1200)]
    listing = tmp_path / "ids.txt"
    listing.write_text("\n".join(ids) + "\n")
    route = ("cdn.syndication.twimg.com", "/tweet-result")
    replay.add(*route, Reply(503, b"busy", {"Content-Type": "text/plain"}))
    args = ("--sources", "syndication", "--json")
    result = cli(
        home, replay, "archive", "--list", str(listing), *args, env={"ARCHIVER_RETRIES": "0"}
    )
    assert result.returncode == 3, result.stderr[-300:]
    assert {e["outcome"] for e in json.loads(result.stdout)} == {"failed"}
    replay.add(*route, lambda h: json_reply(tweet(query_id(h))))
    result = cli(home, replay, "retry", *args)
    assert result.returncode == 0, result.stderr[-300:]
    assert sorted(e["status_id"] for e in json.loads(result.stdout)) == sorted(ids)
    assert {e["outcome"] for e in json.loads(result.stdout)} == {"captured"}


def test_recheck_adds_a_check_and_changes_no_capture(home: Path, world) -> None:
    from replay import json_reply
    from world import FIXTURES

    server, _ = world
    assert cli(home, server, "archive", HOMS).returncode == 0
    captures = show(home, server, HOMS)["captures"]
    server.add(
        "cdn.syndication.twimg.com",
        "/tweet-result",
        json_reply(FIXTURES / "syndication-tombstone-suspended.json"),
    )
    result = cli(home, server, "recheck", HOMS, "--json")
    assert result.returncode == 0, result.stderr
    assert [c["state"] for c in json.loads(result.stdout)] == ["suspended"]
    post = show(home, server, HOMS)
    assert [c["state"] for c in post["checks"]] == ["live", "suspended"]
    assert post["state"] == "suspended"
    assert post["captures"][: len(captures)] == captures  # earlier captures unchanged


def test_long_post_takes_its_full_text_and_times_are_cross_checked(home: Path, replay) -> None:
    from replay import json_reply

    status_id = "1865100000000000000"  # its id encodes 2024-12-06T16:07 UTC
    full = "A long post. " * 40
    replay.add(
        "cdn.syndication.twimg.com",
        "*",
        json_reply(
            {
                "__typename": "Tweet",
                "id_str": status_id,
                "text": full[:280] + "…",
                "created_at": "2024-12-01T00:00:00.000Z",
                "note_tweet": {"id": "Tm90ZVR3ZWV0"},
                "user": {"id_str": "7", "name": "Long", "screen_name": "longposter"},
            }
        ),
    )
    replay.add(
        "api.fxtwitter.com",
        f"/2/status/{status_id}",
        json_reply(
            {
                "code": 200,
                "message": "OK",
                "status": {
                    "id": status_id,
                    "text": full,
                    "raw_text": {"text": full},
                    "author": {"id": "7", "name": "Long", "screen_name": "longposter"},
                    "created_timestamp": 1733501238,
                },
            }
        ),
    )
    result = cli(home, replay, "archive", status_id, "--json")
    assert json.loads(result.stdout)[0]["outcome"] == "captured"
    post = show(home, replay, status_id)
    assert post["text"] == full
    record_path = (
        home / "objects" / "sha256" / post["record_digest"][7:9] / post["record_digest"][7:]
    )
    record = json.loads(record_path.read_bytes())
    assert record["note_tweet"] is True
    assert any("disagrees with the id's time" in note for note in record["notes"])


def test_an_unreadable_document_is_kept_and_reported_failed(
    home: Path, world, tmp_path: Path
) -> None:
    server, _ = world
    broken, good = tmp_path / "report.pdf", tmp_path / "notes.txt"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    good.write_text(f"https://x.com/lummideast/status/{HOMS}\n")
    result = cli(home, server, "archive", str(broken), str(good), "--json")
    assert result.returncode == 3
    entries = {e["reference"]: e for e in json.loads(result.stdout)}
    assert entries[str(broken)]["outcome"] == "failed"
    assert entries[str(broken)]["reason"].startswith("not a readable PDF")
    assert entries[f"{good}:1: https://x.com/lummideast/status/{HOMS}"]["outcome"] == "captured"
    kept = query(home, "SELECT path, blob_digest FROM document ORDER BY id")
    assert [name for name, _ in kept] == [str(broken), str(good)]  # kept byte for byte
    assert blob_bytes(home, kept[0][1]) == broken.read_bytes()
    assert run_cli("--archive", str(home), "verify").returncode == 0


def test_a_large_document_is_streamed_into_the_archive(home: Path, tmp_path: Path) -> None:
    """A 64 MB document is staged and read from the store in blocks, never held whole."""
    from conftest import wait_with_peak

    big = tmp_path / "big.txt"
    with open(big, "w") as out:
        out.write("https://x.com/jack/status/20\n")
        for _ in range(64):
            out.write(("word " * 15 + "\n") * 13_000)
    proc = subprocess.Popen(
        [sys.executable, "-m", "archiver", "--archive", str(home), "archive", str(big), "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, peak = wait_with_peak(proc)
    assert peak < 120, peak  # MiB: the process's own, not the document's 64
    ((digest,),) = query(home, "SELECT blob_digest FROM document")
    assert (
        home / "objects" / "sha256" / digest[7:9] / digest[7:]
    ).stat().st_size == big.stat().st_size


def test_a_document_whose_reading_is_cut_short_leaves_nothing_in_tmp(
    home: Path, tmp_path: Path, monkeypatch
) -> None:
    """^C while a large document is read: its staged copy is removed, nothing is named."""
    import pytest

    from archiver.archive import Archive
    from archiver.capture import cite
    from archiver.capture.inputs import read_inputs

    big = tmp_path / "big.txt"
    big.write_text("https://x.com/jack/status/20\n" + "word " * 400_000)  # staged to a file

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(cite, "extract_file", interrupted)
    archive = Archive.open(home, create=True)
    with pytest.raises(KeyboardInterrupt):
        cite.take_in(archive, read_inputs([str(big)], None), None, False)
    assert list((home / "tmp").iterdir()) == []
    assert query(home, "SELECT count(*) FROM document") == [(0,)]
