"""A run killed at any moment leaves a consistent archive that `retry` completes, and two runs
on one archive at once both succeed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import run_cli, run_process
from replay import Reply, json_reply
from world import jpeg, query_id, tweet

IDS = [str(1864994181010350326 + i * 4_194_304_000) for i in range(24)]


def serve_many(server, delay: float = 0.0) -> None:  # type: ignore[no-untyped-def]
    """Each of IDS is a live post with one photo of its own."""
    server.extra_delay = delay

    def answer(handler):  # type: ignore[no-untyped-def]
        status_id = query_id(handler)
        if status_id not in IDS:
            return json_reply({})
        return json_reply(tweet(status_id, [f"https://pbs.twimg.com/media/P{status_id}.jpg"]))

    photo = jpeg(64, 48)
    server.add("cdn.syndication.twimg.com", "/tweet-result", answer)
    server.add("pbs.twimg.com", "*", Reply(200, photo, {"Content-Type": "image/jpeg"}))


def archive_process(home: Path, server, listing: Path) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archiver",
            "--archive",
            str(home),
            "--connect-to",
            server.connect_to,
            "archive",
            "--list",
            str(listing),
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def captures(home: Path) -> int:
    try:
        with sqlite3.connect(home / "archive.db", timeout=30) as conn:
            return conn.execute("SELECT count(*) FROM capture WHERE outcome='found'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def assert_consistent(home: Path) -> None:
    """The database is whole, every object is named by its own hash, every row's blob exists."""
    with sqlite3.connect(home / "archive.db", timeout=30) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        if conn.execute("PRAGMA user_version").fetchone() == (0,):
            return  # killed before the archive was made: there is nothing in it yet
        # Nothing lost: a post a source gave has its record (both were one decision).
        lost = conn.execute(
            "SELECT p.status_id FROM post p WHERE p.record_digest IS NULL AND EXISTS ("
            "SELECT 1 FROM capture c WHERE c.post_id = p.id AND c.outcome = 'found' "
            "AND c.source NOT IN ('witness', 'media', 'resolve'))"
        ).fetchall()
        assert lost == []
        digests = [
            r[0]
            for r in conn.execute(
                "SELECT blob_digest FROM capture WHERE blob_digest IS NOT NULL "
                "UNION SELECT blob_digest FROM media WHERE blob_digest IS NOT NULL "
                "UNION SELECT record_digest FROM post WHERE record_digest IS NOT NULL"
            )
        ]
    for digest in digests:
        path = home / "objects" / "sha256" / digest[7:9] / digest[7:]
        assert path.is_file(), digest
    for path in (home / "objects" / "sha256").rglob("*"):
        if path.is_file():
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name


def run_until(home: Path, server, tmp_path: Path, found: int) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    """Start an archive run of every post of IDS (slowly served); return once `found` captures
    are in."""
    serve_many(server, delay=0.15)
    listing = tmp_path / "list.txt"
    listing.write_text("\n".join(IDS) + "\n")
    proc = archive_process(home, server, listing)
    deadline = time.monotonic() + 60
    while captures(home) < found and time.monotonic() < deadline:
        time.sleep(0.05)
    return proc


def test_sigkill_mid_run_then_retry_finishes_without_refetching(
    home: Path, replay, tmp_path: Path
) -> None:
    proc = run_until(home, replay, tmp_path, 6)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = captures(home)
    assert 6 <= done_before < 2 * len(IDS)  # killed part way
    assert_consistent(home)
    with sqlite3.connect(home / "archive.db") as conn:
        captured = {
            r[0]
            for r in conn.execute(
                "SELECT p.status_id FROM post p JOIN capture c ON c.post_id = p.id "
                "WHERE c.source = 'syndication' AND c.outcome = 'found'"
            )
        }

    replay.extra_delay = 0.0
    result = run_cli("--archive", str(home), "--connect-to", replay.connect_to, "retry", "--json")
    assert result.returncode == 0, result.stderr
    assert_consistent(home)
    with sqlite3.connect(home / "archive.db") as conn:
        states = dict(conn.execute("SELECT status_id, state FROM post").fetchall())
        media = conn.execute("SELECT count(*) FROM media WHERE status='ok'").fetchone()[0]
        left = conn.execute("SELECT count(*) FROM job WHERE state != 'done'").fetchone()[0]
    assert states == dict.fromkeys(IDS, "live") and media == len(IDS) and left == 0
    asked = [q for h, q in replay.log if h == "cdn.syndication.twimg.com"]
    for status_id in captured:  # what was done before the kill was not asked again
        assert sum(f"id={status_id}&" in q for q in asked) == 1


def test_sigterm_stops_a_run_with_one_line_and_retry_finishes(
    home: Path, replay, tmp_path: Path
) -> None:
    proc = run_until(home, replay, tmp_path, 4)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143
    assert stderr.strip().splitlines()[-1] == "archiver archive: stopped (SIGTERM)"
    assert "Traceback" not in stderr
    assert_consistent(home)
    with sqlite3.connect(home / "archive.db") as conn:  # no job the signal stopped says `done`
        done = {t for (t,) in conn.execute("SELECT target FROM job WHERE state = 'done'")}
    said = set(re.findall(r"post (\d+): done", stderr))
    assert said <= done and len(done) < len(IDS), (said, done)
    replay.extra_delay = 0.0
    result = run_cli("--archive", str(home), "--connect-to", replay.connect_to, "retry", "--json")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(home / "archive.db") as conn:
        left = conn.execute("SELECT count(*) FROM job WHERE state != 'done'").fetchone()[0]
    assert left == 0


def test_two_archive_processes_on_one_archive(home: Path, replay, tmp_path: Path) -> None:
    serve_many(replay, delay=0.02)
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("\n".join(IDS[:16]) + "\n")
    second.write_text("\n".join(IDS[8:]) + "\n")
    procs = [archive_process(home, replay, first), archive_process(home, replay, second)]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (stdout, stderr) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, stderr
        assert {e["outcome"] for e in json.loads(stdout)} <= {"captured", "already"}
    assert_consistent(home)
    with sqlite3.connect(home / "archive.db") as conn:
        posts = conn.execute("SELECT count(*), count(DISTINCT status_id) FROM post").fetchone()
        jobs = conn.execute("SELECT count(*) FROM job WHERE state='done'").fetchone()[0]
    assert posts == (len(IDS), len(IDS)) and jobs == len(IDS)


def test_a_run_killed_while_making_an_archive_leaves_none(tmp_path: Path) -> None:
    home = tmp_path / "new"
    killed = run_process("--archive", str(home), "init", env={"ARCHIVER_CRASH_AT": "database:made"})
    assert killed.returncode == 70  # the crash point was reached
    assert not (home / "archive.db").exists()  # no empty or half-made database to refuse later
    assert list(home.glob(".archive.db.*"))  # the killed run's draft
    made = run_cli("--archive", str(home), "init")
    assert made.returncode == 0, made.stderr
    assert not list(home.glob(".archive.db.*"))  # a dead run's draft is cleared
    assert run_cli("--archive", str(home), "stats").returncode == 0


def test_a_database_another_run_made_first_is_kept(tmp_path: Path) -> None:
    from archiver.archive import create_database

    database = tmp_path / "archive.db"
    create_database(database)
    with sqlite3.connect(database) as conn:
        conn.execute("INSERT INTO run (command, started_at) VALUES ('archive', '2026-01-01')")
    create_database(database)  # as a run that lost the race does
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM run").fetchone() == (1,)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_claim_names_one_process_not_whoever_reuses_its_pid() -> None:
    import os
    import socket

    from archiver.rows.holders import ME, holder_alive, started

    host, pid = socket.gethostname(), os.getpid()
    assert f"{host}:{pid}:{started(pid)}" == ME and holder_alive(ME)
    assert not holder_alive(f"{host}:{pid}:1")  # this pid, but a process that started earlier
    assert holder_alive(f"{host}:{pid}")  # a name written before start times were recorded


def test_a_retry_waits_for_its_job_another_retry_took_first(
    home: Path, replay, monkeypatch
) -> None:
    """Two `retry` runs reopen the same failed job; the other one takes it first. This one
    waits for it and reports the post captured; it reported it pending (exit 3) while the
    other run was finishing it."""
    import archiver.capture as capture

    serve_many(replay)
    replay.add("cdn.syndication.twimg.com", "/tweet-result", Reply(503, b"busy", {}))
    base = ("--archive", str(home), "--connect-to", replay.connect_to)
    failed = run_cli(*base, "archive", IDS[0], "--sources", "syndication", "--json")
    assert json.loads(failed.stdout)[0]["outcome"] == "failed"
    serve_many(replay, delay=0.5)  # answers again, slowly: the other run holds the job a while
    reopen, others = capture.reopen, []

    def reopened_then_taken_by_another_retry(sess):  # type: ignore[no-untyped-def]
        ids = reopen(sess)
        sess.commit()
        other = subprocess.Popen(
            [sys.executable, "-m", "archiver", *base, "retry", "--sources", "syndication"],
            env={**os.environ, "ARCHIVER_RETRIES": "0"},
            stdout=subprocess.DEVNULL,
        )
        others.append(other)
        while not run_cli("--archive", str(home), "list", "--jobs").stdout.startswith(
            "post  running"
        ):
            assert other.poll() is None
            time.sleep(0.05)
        return ids

    monkeypatch.setattr(capture, "reopen", reopened_then_taken_by_another_retry)
    result = run_cli(*base, "retry", "--sources", "syndication", "--json")
    assert others[0].wait(timeout=60) == 0
    assert result.returncode == 0, result.stdout + result.stderr
    assert [e["outcome"] for e in json.loads(result.stdout)] == ["captured"]
