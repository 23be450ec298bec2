"""Every command against what a user or a file can throw at it: each bad input is exit 2 and
one line on stderr naming the problem, never a traceback, and the archive is unchanged and still
verifies afterwards. FIFOs and devices run under a deadline (they once hung), and in a real
process where its memory is measured."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import world as world_module
from conftest import run_cli, wait_with_peak
from replay import ReplayServer
from world import DARAA, HOMS

from archiver.archive import Archive
from archiver.verify import verify

LONG = "1" * 300  # a long status "id": a path component over 255 characters


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An archive holding the Homs post and its photo, and a place for odd files beside it."""
    server = ReplayServer()
    world_module.build(server)
    home = tmp_path_factory.mktemp("inputs") / "archive"
    result = run_cli("--archive", str(home), "--connect-to", server.connect_to, "archive", HOMS)
    server.close()
    assert result.returncode == 0, result.stderr
    odd = home.parent
    os.mkfifo(odd / "fifo")
    (odd / "with-fifo").mkdir()
    (odd / "with-fifo" / "notes.txt").write_text(f"https://x.com/a/status/{HOMS}\n")
    os.mkfifo(odd / "with-fifo" / "pipe")
    (odd / "with-loop").mkdir()
    (odd / "with-loop" / "loop").symlink_to(odd / "with-loop" / "loop")
    (odd / "binary-list").write_bytes(b"\xff\xfe\x00garbage")
    (odd / "existing.zip").write_bytes(b"not yours to overwrite")
    (odd / "readme.txt").write_text("hello")
    yield home


def snapshot(home: Path) -> tuple[list[tuple[str, int]], list[str]]:
    """What the archive holds: every file under objects/ and tmp/ with its size, and the rows."""
    files = sorted(
        (str(p.relative_to(home)), p.stat().st_size)
        for p in home.rglob("*")
        if p.is_file() and not p.name.startswith("archive.db")
    )
    with sqlite3.connect(home / "archive.db") as conn:
        rows = [line for line in conn.iterdump() if "verified_at" not in line]
    return files, rows


# (command line with {home} and {odd} to fill in, words the one line must hold)
CASES = [
    (["stats", "--bogus"], "No such option: --bogus"),
    (["stats", "--archive", "{odd}/readme.txt"], "not a directory"),
    (["stats", "--archive", "{odd}/fifo"], "FIFO"),
    (["stats", "--archive", "{odd}/nowhere"], "archiver init"),
    (["--connect-to", "nonsense", "stats"], "connect-to"),
    (["verify", "--sample", "-3"], "--sample"),
    (["verify", "--since", "forever"], "--since"),
    (["verify", "--since", "99999999999w"], "--since"),
    (["verify", "--repair", "{odd}/nowhere"], "--repair"),
    (["verify", "--repair", "{odd}/readme.txt"], "a file that is no zipped bundle"),
    (["verify", "{odd}/fifo"], "FIFO"),
    (["verify", "{odd}/readme.txt"], "neither a bag folder nor a zip"),
    (["similar", HOMS, "--distance", "65"], "--distance"),
    (["show", "0"], "not a real post id"),
    (["show", "abc"], "not a post id"),
    (["show", LONG], "not a post id"),
    (["show", "20"], "no such post"),
    (["recheck", "abc"], "not a post id"),
    (["recheck", "0"], "not a real post id"),
    (["retry", "--sources", "nowhere"], "unknown source"),
    (["init", "--archive", "/proc/archive"], "archive /proc/archive"),
    (["init", "--archive", "{odd}/readme.txt"], "not a directory"),
    (["similar", "sha256:" + "0" * 64], "no archived image to compare"),
    (["similar", "sha256:nothex"], "no archived image to compare"),
    (["archive"], "nothing to archive"),
    (["archive", "0"], "not a real post id"),
    (["archive", LONG], "not a post URL"),
    (["archive", "https://example.com/foo"], "not a post URL"),
    (["archive", "./no/such/file.txt"], "no such file"),
    (["archive", "--sources", "nowhere", HOMS], "unknown source"),
    (["archive", "--sources", ",", HOMS], "no source named"),
    (["archive", "{odd}/fifo"], "FIFO"),
    (["archive", "/dev/zero"], "character device"),
    (["archive", "{odd}/with-fifo"], "FIFO"),
    (["archive", "{odd}/with-loop"], "loop of symbolic links"),
    (["archive", "--list", "{odd}/fifo"], "FIFO"),
    (["archive", "--list", "{odd}/nowhere"], "--list"),
    (["archive", "--list", "{odd}/binary-list"], "not UTF-8"),
    (["export", "-o", "{odd}/out.zip"], "nothing to export"),
    (["export", HOMS], "Missing option"),
    (["export", HOMS, "-o", "{home}/objects/b.zip"], "inside the archive"),
    (["export", HOMS, "-o", "{home}/tmp/b.zip"], "inside the archive"),
    (["export", HOMS, "-o", "{home}"], "inside the archive"),
    (["export", HOMS, "-o", "{odd}/no/such/folder/b.zip"], "does not exist"),
    (["export", HOMS, "-o", "{odd}/existing.zip"], "exists"),
    (["export", HOMS, "-o", "{odd}/fifo"], "FIFO"),
    (["export", HOMS, "-o", "{odd}/with-loop/loop"], "loop of symbolic links"),
    (["export", HOMS, "-o", "{odd}/readme.txt/b.zip"], "readme.txt is a file, not a folder"),
    (["export", HOMS, "-o", "{odd}/" + "b" * 300 + ".zip"], "the name must be"),
    (["export", HOMS, "-o", "/proc/archiver-bundle.zip"], "could not write the bundle"),
    (["export", "abc", "-o", "{odd}/b.zip"], "not a post id"),
    (["extract", "{odd}/nowhere"], "No such file"),
    (["extract", "{odd}/" + LONG], "too long"),
    (["extract", "{odd}/with-loop/loop"], "loop of symbolic links"),
]


@pytest.mark.parametrize(("args", "words"), CASES, ids=[" ".join(c[0])[:60] for c in CASES])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    filled: Path, args: list[str], words: str
) -> None:
    before = snapshot(filled)
    odd = filled.parent
    line = [a.replace("{home}", str(filled)).replace("{odd}", str(odd)) for a in args]
    with deadline(30):  # a FIFO once blocked here for ever
        result = run_cli(*line, env={"ARCHIVER_HOME": str(filled)})
    assert result.returncode == 2, (line, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert words in result.stderr, result.stderr
    assert snapshot(filled) == before
    assert not list(odd.glob(".*partial*"))
    assert verify(Archive.open(filled)).ok


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """TimeoutError in this process when the block takes longer (a blocked open() included)."""

    def expire(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_process(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """In a real process, with a timeout: a FIFO once blocked here for ever."""
    return subprocess.run(
        [sys.executable, "-m", "archiver", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "ARCHIVER_HOME": str(home)},
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ARCHIVER_TIMEOUT", "soon"),
        ("ARCHIVER_TIMEOUT", "-1"),
        ("ARCHIVER_TIMEOUT", "nan"),
        ("ARCHIVER_CONCURRENCY", "0"),
        ("ARCHIVER_PER_HOST", "2.5"),
        ("ARCHIVER_RETRIES", "99999999999999999999999"),
        ("ARCHIVER_CONNECT_TO", "t.co=ftp://x"),
        ("ARCHIVER_CONNECT_TO", "*=http://[::1"),  # a malformed IPv6 host
        ("ARCHIVER_CONNECT_TO", "*=http://127.0.0.1:99999"),  # no port
        ("ARCHIVER_CONNECT_TO", "*=http://127.0.0.1:0"),
        ("ARCHIVER_TSA_URLS", "http://[::1"),
        ("ARCHIVER_DATABASE", "postgresql://u@[::1/db"),
        ("ARCHIVER_STORE", "s3://[x/y"),
        ("ARCHIVER_WAYBACK_KEYS", "nocolon"),
        ("ARCHIVER_S3_KEYS", "onlyaccess:"),
    ],
)
def test_bad_settings_are_one_line_naming_the_variable(
    filled: Path, variable: str, value: str
) -> None:
    before = snapshot(filled)
    result = run_cli("stats", env={"ARCHIVER_HOME": str(filled), variable: value})
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert (
        variable in result.stderr or "connect-to" in result.stderr
    ) and "Traceback" not in result.stderr
    assert snapshot(filled) == before


def test_devices_and_fifos_never_hang_and_stay_small(filled: Path) -> None:
    """/dev/zero named or piped in, and a FIFO, to extract and archive: refused at once."""
    odd = filled.parent
    env = {**os.environ, "ARCHIVER_HOME": str(odd / "new-archive")}
    for args, stdin in (
        (["extract", "/dev/zero"], None),
        (["extract", str(odd / "fifo")], None),
        (["extract", str(odd / "with-fifo")], None),
        (["extract", "-"], "/dev/zero"),
        (["archive", "-"], "/dev/zero"),
    ):
        with open(stdin or os.devnull, "rb") as source:
            proc = subprocess.Popen(
                [sys.executable, "-m", "archiver", *args],
                stdin=source,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
            )
            try:
                code, peak = wait_with_peak_or_kill(proc)
            finally:
                proc.kill()
        err = proc.stderr.read().decode()  # type: ignore[union-attr]
        assert code == 2, (args, err)
        assert "Traceback" not in err and peak < 150, (args, peak)
        assert len([x for x in err.splitlines() if "error" in x]) == 1, err
    assert not (odd / "new-archive").exists()


def wait_with_peak_or_kill(proc: subprocess.Popen, seconds: float = 60) -> tuple[int, float]:
    import threading

    timer = threading.Timer(seconds, proc.kill)
    timer.start()
    try:
        return wait_with_peak(proc)
    finally:
        timer.cancel()


def test_extract_reports_a_fifo_in_a_folder_and_reads_the_rest(filled: Path) -> None:
    odd = filled.parent
    result = run_process(["extract", str(odd / "with-fifo"), "--jsonl"], filled)
    assert result.returncode == 2
    assert "pipe: a FIFO (named pipe): only regular files are read" in result.stderr
    assert [json.loads(line)["status_id"] for line in result.stdout.splitlines()] == [HOMS]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_corrupted_database_is_one_line_for_every_command(
    filled: Path, tmp_path: Path, damage: str
) -> None:
    home = tmp_path / "archive"
    home.mkdir()
    data = (filled / "archive.db").read_bytes()
    broken = {"garbage": os.urandom(len(data)), "truncated": data[: len(data) // 2], "empty": b""}
    (home / "archive.db").write_bytes(broken[damage])
    for args in (
        ["init"],
        ["stats"],
        ["show", HOMS],
        ["similar", HOMS],
        ["verify"],
        ["archive", HOMS],
        ["retry"],
        ["recheck"],
        ["export", HOMS, "-o", str(tmp_path / "b.zip")],
    ):
        result = run_cli("--archive", str(home), *args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
        assert "archive.db" in result.stderr and "restore it from a backup" in result.stderr
    assert sorted(p.name for p in home.iterdir()) == ["archive.db"]  # nothing created
    assert (home / "archive.db").read_bytes() == broken[damage]


def test_verify_names_a_database_whose_index_is_damaged(filled: Path, tmp_path: Path) -> None:
    """A database file whose header is whole but one of whose index pages is garbage (as a
    bad disk leaves it): `verify` runs SQLite's own check and says so, exit 1, never `ok`."""
    home = tmp_path / "archive"
    shutil.copytree(filled, home)
    with sqlite3.connect(home / "archive.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (page,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_blob_1'"
        ).fetchone()
        (size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    assert run_cli("--archive", str(home), "verify").returncode == 0  # whole, first
    with sqlite3.connect(home / "archive.db") as conn:  # (what verify noted, into the file)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with open(home / "archive.db", "r+b") as db:
        db.seek((page - 1) * size + 8)
        db.write(b"\xde\xad" * 200)
    result = run_cli("--archive", str(home), "verify")
    assert result.returncode == 1, (result.stdout, result.stderr)
    said = result.stdout + result.stderr
    assert "archive.db fails SQLite's check" in said and "restore it from a backup" in said
    assert "Traceback" not in said


def test_a_database_found_damaged_mid_run_stops_it_in_one_line(
    filled: Path, tmp_path: Path
) -> None:
    """A database whose header is whole but whose pages are not (found only when a run reads
    or writes them): `archive` stops on it, one line, exit 2, as on a file damaged from its
    first byte, never a table of failed references."""
    home = tmp_path / "archive"
    shutil.copytree(filled, home)
    with sqlite3.connect(home / "archive.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with open(home / "archive.db", "r+b") as db:
        db.seek(8192)
        db.write(b"\xde\xad" * 2048)
    server = ReplayServer()
    world_module.build(server)
    try:
        result = run_cli(
            "--archive", str(home), "--connect-to", server.connect_to, "archive", DARAA
        )
    finally:
        server.close()
    assert result.returncode == 2, (result.stdout, result.stderr)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("archiver archive: error: ") and "restore it from a backup" in last
    assert "Traceback" not in result.stderr and not result.stdout


def test_a_folder_that_cannot_be_listed_is_an_error_never_passed_over(tmp_path: Path) -> None:
    """A folder inside one named that cannot be listed (no permission) is one line naming it
    and exit 2, for `extract` and `archive` alike: its documents are never lost in silence;
    `extract` still reads the rest, as for a file it cannot read, while `archive` checks its
    inputs before it starts. (Run without the power to override permissions, which root has.)"""
    folder = tmp_path / "d"
    (folder / "sub").mkdir(parents=True)
    (folder / "ok.txt").write_text("https://twitter.com/a/status/1864994181010350326\n")
    (folder / "sub" / "s.txt").write_text("https://twitter.com/c/status/1865016574813491517\n")
    (folder / "sub").chmod(0)
    drop = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    drop += ["--inh-caps=-dac_override,-dac_read_search"] if drop else []
    try:
        for args in (
            ["extract", str(folder)],
            ["--archive", str(tmp_path / "A"), "archive", str(folder)],
        ):
            done = subprocess.run(
                [*drop, sys.executable, "-m", "archiver", *args],
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == 2, done
            assert (
                done.stderr.strip()
                .splitlines()[-1]
                .endswith(f"{folder / 'sub'}: Permission denied")
            )
            assert "Traceback" not in done.stderr
            if args[0] == "extract":
                assert "1864994181010350326" in done.stdout and "1 references" in done.stdout
    finally:
        (folder / "sub").chmod(0o755)


def test_lists_of_post_ids_read_ahead_stay_small(tmp_path: Path) -> None:
    """Files of 1 to 8 MiB are read ahead by workers, which hand their references back whole:
    a list of post ids (a reference a line) past what a worker keeps is streamed here instead,
    every id still given, in order, in bounded memory."""

    folder = tmp_path / "ids"
    folder.mkdir()
    for k in range(3):
        ids = "".join(f"{1500000000000000000 + i * 7919 + k}\n" for i in range(55_000))
        (folder / f"ids{k}.txt").write_text(ids)
    out = tmp_path / "out.jsonl"
    with open(out, "wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "archiver", "extract", str(folder), "--jsonl"],
            stdout=sink,
            stderr=subprocess.DEVNULL,
        )
        code, peak = wait_with_peak(proc)
    assert code == 0
    with open(out) as lines:
        first, count = json.loads(next(lines)), 1 + sum(1 for _ in lines)
    assert count == 165_000 and first["status_id"] == "1500000000000000000"
    assert peak < 80, f"{peak:.0f} MiB"  # (a worker handing back each list: 135 MiB)
