"""The command line: init, stats, --version, --help, bad paths (in this process, through the
same code as the console script; --version and --help in a real one)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli, run_process


def test_init_then_stats_json_on_an_empty_archive(home: Path) -> None:
    result = run_cli("--archive", str(home), "init")
    assert result.returncode == 0, result.stderr
    assert (home / "archive.db").is_file()
    assert (home / "objects" / "sha256").is_dir() and (home / "tmp").is_dir()
    stats = run_cli("--archive", str(home), "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout) == {"posts": 0, "captures": 0, "blobs": 0, "bytes": 0}


def test_stats_counts_what_the_archive_holds(home: Path) -> None:
    from archiver.archive import Archive
    from archiver.models import Blob, Post

    archive = Archive.open(home, create=True)
    digest, size = archive.store.put(b"x" * 1000)
    with archive.session() as sess:
        sess.add(Blob(digest=digest, size=size))
        sess.add(Post(status_id="1864994181010350326", handle="lummideast"))
    result = run_cli("stats", "--json", env={"ARCHIVER_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"posts": 1, "captures": 0, "blobs": 1, "bytes": 1000}
    table = run_cli("--archive", str(home), "stats")
    assert "posts" in table.stdout and "1,000" in table.stdout


def test_default_archive_is_dot_archive(tmp_path: Path) -> None:
    assert run_cli("init", cwd=tmp_path).returncode == 0
    assert (tmp_path / "archive" / "archive.db").is_file()


def test_archive_path_that_is_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file.txt"
    not_a_dir.write_text("hello")
    for command in (["init"], ["stats"]):
        result = run_cli("--archive", str(not_a_dir), *command)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1
        assert "not a directory" in result.stderr and "Traceback" not in result.stderr
    assert not_a_dir.read_text() == "hello"


def test_stats_without_an_archive_says_how_to_make_one(tmp_path: Path) -> None:
    result = run_cli("--archive", str(tmp_path / "nowhere"), "stats")
    assert result.returncode == 2
    assert "archiver init" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "nowhere").exists()


def test_unwritable_archive_path_is_a_one_line_error(tmp_path: Path) -> None:
    result = run_cli("--archive", "/proc/archive", "init")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_bad_connect_to_is_a_usage_error(home: Path) -> None:
    result = run_cli("--archive", str(home), "--connect-to", "nonsense", "init")
    assert result.returncode == 2
    assert "connect-to" in result.stderr


def test_version_and_help() -> None:
    """In a real process, as a user starts it."""
    from archiver import __version__

    version = run_process("--version")
    assert version.returncode == 0 and __version__ in version.stdout
    help_text = run_process("--help", env={"COLUMNS": "200"}).stdout
    for name in ("init", "stats"):
        assert (
            f"archiver {name}" in help_text or f"archiver --archive ./archive {name}" in help_text
        )
    assert (
        "<bool>" not in help_text and "--quiet" in help_text and "--install-completion" in help_text
    )
    short = run_process("stats", "-h")
    assert (
        short.returncode == 0 and "--archive PATH" in short.stdout and "<bool>" not in short.stdout
    )


def test_a_stopped_runs_last_task_is_no_traceback() -> None:
    """asyncio reports a task that a signal stopped at the run's end as "never retrieved":
    that record is dropped (the command said `stopped` already); any other error still shows."""
    import asyncio
    import logging

    from archiver.cli import not_an_interruption
    from archiver.cli.app import Stopped

    def record(exc: BaseException) -> logging.LogRecord:
        return logging.LogRecord(
            "asyncio", logging.ERROR, "x", 1, "msg", None, (type(exc), exc, None)
        )

    assert not not_an_interruption(record(Stopped()))
    assert not not_an_interruption(record(asyncio.CancelledError()))
    assert not_an_interruption(record(ValueError("a real bug")))
    # a task that asked the writer after the stop ended it: the failure a child's end gives
    import multiprocessing

    from archiver.capture.writer import WriteFailed
    from archiver.children import Calls

    conn, theirs = multiprocessing.Pipe()
    child = multiprocessing.get_context("fork").Process(target=theirs.close)
    child.start()
    calls = Calls(conn, child, WriteFailed)

    async def ask() -> BaseException:
        try:
            await calls.call("anything")
        except WriteFailed as exc:
            return exc
        raise AssertionError("the call was answered")

    gone = asyncio.run(ask())
    assert "process ended" in str(gone) and not not_an_interruption(record(gone))
    assert not_an_interruption(record(WriteFailed("the database is locked")))


def test_a_signal_while_a_command_starts_is_no_traceback(tmp_path: Path) -> None:
    """^C while the command line's modules load or its options are read: the process ends
    quietly (130) or the command says `interrupted`; a traceback shows only where Python itself
    was still starting, before the entry point set its handler."""
    import signal
    import subprocess
    import sys
    import time

    doc = tmp_path / "small.txt"
    doc.write_text("https://x.com/jack/status/20\n")
    codes = set()
    for step in range(64):  # (on a loaded machine Python starts slower: steps go on until the
        if step >= 16 and 130 in codes:  # command line has been reached at least once)
            break
        proc = subprocess.Popen(
            [sys.executable, "-m", "archiver", "extract", str(doc)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(0.01 * step)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
        if "Traceback" in stderr:  # Python's own start-up (its site module, the package's
            # first lines), before the entry point's handler: never in the command line's code
            assert not any(part in stderr for part in ("archiver/cli", "typer", "click")), stderr
        else:
            assert stderr in ("", "archiver extract: interrupted\n"), stderr
            codes.add(proc.returncode)
    assert codes <= {0, 130, -signal.SIGINT} and 130 in codes


def test_extract_stopped_while_its_workers_read_ends_at_once(tmp_path: Path) -> None:
    """SIGTERM to `extract` while worker processes read large files: it stops in its own line,
    exit 143, without waiting for the files in hand, and leaves no worker behind."""
    import signal
    import subprocess
    import sys
    import time

    record = '{"id_str": "1864994181010350326", "full_text": "text @someone", "user": {}},\n'
    for i in range(6):  # read by the workers (1 to 8 MiB each), seconds of work each
        (tmp_path / f"posts{i}.json").write_text("[" + record * 70_000 + "{}]")
    proc = subprocess.Popen(
        [sys.executable, "-m", "archiver", "extract", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(1.5)
    children = subprocess.run(
        ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True
    ).stdout.split()
    assert children, "the workers had not started"
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    took = time.monotonic() - sent
    assert proc.returncode == 143 and stderr == "archiver extract: stopped (SIGTERM)\n", stderr
    assert took < 1.0, f"{took:.1f} s to stop"  # the files in hand took seconds more
    time.sleep(0.2)
    for child in children:  # none outlives the command (or it is a zombie, not yet reaped)
        stat = Path(f"/proc/{child}/stat")
        assert not stat.exists() or stat.read_text().split()[2] == "Z"
