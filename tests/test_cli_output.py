"""What the commands print and how they fail on a full disk: options after the command, -q and
-v, progress as plain lines with counts off a terminal, `verify` beside a run that has queued
posts, and a full disk (RLIMIT_FSIZE in a child process gives EFBIG, /dev/full gives ENOSPC)
as one line with the archive consistent and `retry` finishing what was queued."""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import world as world_module
from conftest import run_cli
from replay import ReplayServer
from world import DARAA, HOMS

from archiver.archive import Archive
from archiver.errors import NoSpace, explain
from archiver.verify import verify


@pytest.fixture(scope="module")
def server() -> Iterator[ReplayServer]:
    replay = ReplayServer()
    world_module.build(replay)
    yield replay
    replay.close()


@pytest.fixture(scope="module")
def filled(server: ReplayServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An archive holding two posts (and the post one quotes), and the route to the world."""
    home = tmp_path_factory.mktemp("output") / "archive"
    result = run_cli(
        "archive", HOMS, DARAA, "--archive", str(home), "--connect-to", server.connect_to
    )
    assert result.returncode == 0, result.stderr
    done = re.findall(r"archive: \[(\d+)/(\d+), ", result.stderr)  # a line per job, counted
    assert [int(n) for n, _ in done] == list(range(1, len(done) + 1)) and len(done) >= 2
    assert done[-1][0] == done[-1][1]  # the quoted post counted in the total as it was found
    return home, server.connect_to


def test_options_after_the_command_and_quiet(filled: tuple[Path, str]) -> None:
    home, _ = filled
    after = run_cli("stats", "--json", "--archive", str(home))
    before = run_cli("--archive", str(home), "stats", "--json")
    assert after.returncode == 0 and after.stdout == before.stdout
    assert json.loads(after.stdout)["posts"] >= 2
    loud = run_cli("verify", "--archive", str(home))
    blobs = json.loads(after.stdout)["blobs"]
    assert loud.returncode == 0 and loud.stderr.count("verify: [") == blobs
    quiet = run_cli("verify", "-q", "--archive", str(home))
    assert quiet.returncode == 0 and quiet.stderr == "" and "ok" in quiet.stdout


def test_progress_lines_count_what_is_done(filled: tuple[Path, str], tmp_path: Path) -> None:
    home, connect = filled
    checked = run_cli("verify", "--archive", str(home))
    lines = checked.stderr.splitlines()
    assert lines and all(line.startswith("verify: [") for line in lines)
    assert lines[-1].startswith("verify: [100%") and "MB/s, ETA" in lines[-1]
    exported = run_cli("export", HOMS, "-o", str(tmp_path / "b.zip"), "--archive", str(home))
    assert exported.returncode == 0 and "export: [" in exported.stderr
    assert "data/posts/" in exported.stderr
    rechecked = run_cli("recheck", HOMS, "--archive", str(home), "--connect-to", connect)
    assert "recheck: [1/1, " in rechecked.stderr and "ETA" in rechecked.stderr


def test_verify_beside_a_run_counts_queued_posts_as_no_problem(
    server: ReplayServer, tmp_path: Path
) -> None:
    """A run killed once its inputs are queued leaves what a running one shows: posts with a
    job and no capture yet. verify says how many are queued; after retry, none."""
    home = tmp_path / "archive"
    killed = subprocess.run(
        [sys.executable, "-m", "archiver", "archive", HOMS, DARAA, "--archive", str(home)],
        env={
            **os.environ,
            "ARCHIVER_CRASH_AT": "cite:committed",
            "ARCHIVER_CONNECT_TO": server.connect_to,
        },
        capture_output=True,
        timeout=60,
    )
    assert killed.returncode == 70, killed.stderr
    result = run_cli("verify", "--json", "--archive", str(home))
    report = json.loads(result.stdout)
    # The posts named on the command line were taken in together: both are queued.
    assert result.returncode == 0 and report["ok"] and report["queued"] == 2, report
    assert report["problems"] == []
    with sqlite3.connect(home / "archive.db") as conn:
        conn.execute("UPDATE job SET state = 'done'")  # jobs that ended without a capture
    report = json.loads(run_cli("verify", "--json", "--archive", str(home)).stdout)
    assert [p["problem"] for p in report["problems"]] == ["post has no capture"] * 2


def limited(size: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


# While it takes the references in; while it writes the first records; while it writes media.
@pytest.mark.parametrize("limit_kib", [48, 160, 260])
def test_a_full_disk_during_archive_is_one_line_and_retry_finishes(
    server: ReplayServer, tmp_path: Path, limit_kib: int
) -> None:
    """Files cannot grow past the limit (EFBIG, as a full disk refuses a write; SQLite calls it
    a disk I/O error): wherever it meets it, the run stops with one line and exit 2, never
    failing each post in turn; the archive verifies and the next retry captures the rest."""
    home = tmp_path / "archive"
    assert run_cli("init", "--archive", str(home)).returncode == 0
    result = subprocess.run(
        [sys.executable, "-m", "archiver", "archive", HOMS, "--archive", str(home), "-q"],
        env={
            **os.environ,
            "ARCHIVER_CONNECT_TO": server.connect_to,
            "PYTHONDONTWRITEBYTECODE": "1",
        },
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: limited(limit_kib * 1024),
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") <= 1, result.stderr
    assert "could not" in result.stderr and "archiver retry" in result.stderr
    assert verify(Archive.open(home)).ok
    with sqlite3.connect(home / "archive.db") as conn:
        queued = conn.execute("SELECT count(*) FROM job").fetchone()[0]
    again = run_cli("retry", "--json", "--archive", str(home), "--connect-to", server.connect_to)
    assert again.returncode == 0, again.stderr
    outcomes = {c["status_id"]: c["outcome"] for c in json.loads(again.stdout)}
    assert outcomes == ({HOMS: "captured"} if queued else {})
    assert verify(Archive.open(home)).ok


def test_a_full_disk_while_a_photo_comes_in_stops_the_run_as_an_error(
    server: ReplayServer, tmp_path: Path
) -> None:
    """The photo's file cannot grow (EFBIG in the image worker): that is this machine's disk,
    not the photo's failure: the run stops with one line and exit 2, and retry finishes."""
    import io
    import random

    from PIL import Image
    from replay import Reply

    rng = random.Random(1)
    noise = Image.frombytes("RGB", (900, 700), bytes(rng.getrandbits(8) for _ in range(1890000)))
    big = io.BytesIO()
    noise.save(big, "JPEG", quality=95)
    assert len(big.getvalue()) > 700_000
    route = ("pbs.twimg.com", "/media/GeHoms1WgAAmap1")
    healthy, server.routes[route] = (
        server.routes[route],
        Reply(200, big.getvalue(), {"Content-Type": "image/jpeg"}),
    )
    home = tmp_path / "archive"
    assert run_cli("init", "--archive", str(home)).returncode == 0
    try:
        result = subprocess.run(
            [sys.executable, "-m", "archiver", "archive", HOMS, "--archive", str(home), "-q"],
            env={**os.environ, "ARCHIVER_CONNECT_TO": server.connect_to},
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=lambda: limited(600 * 1024),
        )
    finally:
        server.routes[route] = healthy
    assert result.returncode == 2, result.stdout + result.stderr
    assert "could not write" in result.stderr and "archiver retry" in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") <= 1, result.stderr
    assert verify(Archive.open(home)).ok
    again = run_cli("retry", "--json", "--archive", str(home), "--connect-to", server.connect_to)
    assert again.returncode == 0, again.stderr
    assert {c["status_id"]: c["outcome"] for c in json.loads(again.stdout)} == {HOMS: "captured"}


def test_a_full_disk_during_export_leaves_nothing_behind(
    filled: tuple[Path, str], tmp_path: Path
) -> None:
    original, _ = filled
    home = tmp_path / "archive"  # a copy, its log emptied: only the bundle meets the limit
    shutil.copytree(original / "objects", home / "objects")
    (home / "tmp").mkdir()
    source, copy = sqlite3.connect(original / "archive.db"), sqlite3.connect(home / "archive.db")
    source.backup(copy)
    source.close()
    copy.execute("PRAGMA journal_mode=WAL").fetchone()  # its index files made now, kept open
    out = tmp_path / "out" / "b.zip"
    out.parent.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "archiver", "export", HOMS, "-o", str(out), "--archive", str(home)],
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: limited(16 * 1024),
    )
    copy.close()
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert errors == [f"archiver export: error: could not write the bundle {out}: File too large"]
    assert list(out.parent.iterdir()) == []  # no partial output
    assert verify(Archive.open(home)).ok


def test_a_full_stdout_is_one_line(filled: tuple[Path, str]) -> None:
    home, _ = filled
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "archiver", "show", HOMS, "--json", "--archive", str(home)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert (
        result.stderr
        == "archiver show: error: could not write standard output: No space left on device\n"
    )


def test_what_a_killed_export_left_is_removed_by_the_next(
    filled: tuple[Path, str], tmp_path: Path
) -> None:
    home, _ = filled
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    left = tmp_path / f".b.zip.partial-{int(dead.stdout)}"
    left.write_bytes(b"half a zip")
    other = tmp_path / f".c.zip.partial-{int(dead.stdout)}"  # another destination's: kept
    other.write_bytes(b"half a zip")
    result = run_cli("export", HOMS, "-o", str(tmp_path / "b.zip"), "--archive", str(home))
    assert result.returncode == 0, result.stderr
    assert not left.exists() and other.exists() and (tmp_path / "b.zip").is_file()


def test_a_full_database_is_no_space(tmp_path: Path) -> None:
    """SQLite's own "database or disk is full" (a page limit stands in for the disk)."""
    conn = sqlite3.connect(tmp_path / "small.db")
    conn.execute("CREATE TABLE t (x BLOB)")
    conn.execute("PRAGMA max_page_count = 8")
    with pytest.raises(sqlite3.OperationalError) as raised:
        for _ in range(100):
            conn.execute("INSERT INTO t VALUES (zeroblob(4000))")
    error = explain(raised.value, "archive.db")
    assert isinstance(error, NoSpace) and "could not write archive.db" in str(error)
    assert isinstance(explain(OSError(28, "No space left on device", "x.bin")), NoSpace)
    assert explain(ValueError("a bug")) is None


def test_verify_on_a_full_disk_still_reports_and_warns(
    filled: tuple[Path, str], tmp_path: Path
) -> None:
    """Recording when blobs were verified needs a write; a disk that refuses it costs only
    that record: the report stands, with a warning. (A reader holds a copy of the archive
    open, so that its shared-memory file exists: a full disk could not make one either.)"""
    source, _ = filled
    home = tmp_path / "archive"
    shutil.copytree(source / "objects", home / "objects")
    (home / "tmp").mkdir()
    with sqlite3.connect(source / "archive.db") as original:
        copy = sqlite3.connect(home / "archive.db")
        original.backup(copy)
        copy.close()
    reader = sqlite3.connect(home / "archive.db")
    reader.execute("SELECT count(*) FROM blob").fetchone()
    runs = [
        subprocess.run(
            [sys.executable, "-m", "archiver", "verify", "--archive", str(home), *args],
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            capture_output=True,
            text=True,
            timeout=60,
            preexec_fn=lambda: limited(1024),
        )
        for args in (["-q"], ["--json"])
    ]
    reader.close()
    assert runs[0].returncode == 0, runs[0].stderr
    assert "ok" in runs[0].stdout and "Traceback" not in runs[0].stderr
    report = json.loads(runs[1].stdout)
    assert report["ok"] and report["warnings"], report
    assert report["warnings"][0].startswith("verification times not recorded")


@pytest.mark.parametrize("table", [True, False])
def test_a_reader_that_goes_away_ends_the_command_quietly_with_141(
    table: bool, tmp_path: Path
) -> None:
    """`archiver … | head -c 1`: no error line, and 141 (128 + SIGPIPE) whatever the writer.
    The output is many times a pipe's buffer, so that the command is still writing."""
    from conftest import ROOT

    many = tmp_path / "many.txt"
    many.write_text("".join(f"https://x.com/u{i}/status/{i + 20}\n" for i in range(20_000)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "archiver", "extract", str(many), *([] if table else ["--jsonl"])],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(1)
    proc.stdout.close()  # the reader goes away
    assert proc.wait(timeout=60) == 141
    assert proc.stderr.read() == b""


def test_an_archive_that_cannot_be_opened_is_one_line_with_no_retry_advice() -> None:
    """A folder where no database file can be made (`/proc`: SQLite cannot open one there):
    one line naming it; no run began, so nothing is said of `retry`."""
    result = run_cli("archive", "20", "--archive", "/proc")
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "archive.db" in result.stderr and "retry" not in result.stderr
