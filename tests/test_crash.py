"""Nothing lost, by construction: a run killed at every named commit point of a capture, and
SIGKILLed at random moments, leaves an archive that verifies, and `retry` finishes it with
every post's record and media."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cli
from test_resume import IDS, assert_consistent, serve_many
from world import DARAA, HOMS, QUOTED, SHRINE

# Every decision a capture writes, at the moment its blobs are durable and once committed.
POINTS = ["cite:committed"] + [
    f"{name}:{moment}"
    for name in ("claim", "resolve", "sources", "media")
    for moment in ("durable", "committed")
]
CRASHED = 70  # the exit code of a test-only crash point
DOCUMENT = f"""# Notes
The map: https://t.co/eXVL4tHqrq
Daraa: https://x.com/ThomasVLinge/status/{DARAA}
The shrine https://t.co/RwHMFZUGfl
"""


def archiver(
    home: Path, server, *args: str, quiet: bool = False, errors=None, **env: str
) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    """`archiver ARGS` in a real process (`quiet`: its output goes nowhere, but its errors
    to `errors` when given, a file)."""
    output = subprocess.DEVNULL if quiet else subprocess.PIPE
    return subprocess.Popen(
        [sys.executable, "-m", "archiver", "--archive", str(home), "--connect-to"]
        + [server.connect_to, *args],
        stdout=output,
        stderr=errors or output,
        text=True,
        env={**os.environ, **env},
    )


def rows(home: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(home / "archive.db", timeout=30) as conn:
        return conn.execute(sql).fetchall()


def assert_whole(home: Path, posts: list[str]) -> None:
    """Every post is live with its record, every post media item is kept, every job is done,
    and `verify` finds nothing wrong."""
    assert_consistent(home)
    state = dict(rows(home, "SELECT status_id, state FROM post WHERE status_id IS NOT NULL"))
    assert {p: state.get(p) for p in posts} == dict.fromkeys(posts, "live")
    assert rows(
        home,
        "SELECT count(*) FROM post WHERE status_id IS NOT NULL AND state = 'live' "
        "AND record_digest IS NULL",
    ) == [(0,)]
    bad = rows(
        home,
        "SELECT kind, remote_url, status FROM media WHERE status != 'ok' "
        "AND kind IN ('photo', 'video', 'gif')",
    )
    assert bad == []
    assert rows(home, "SELECT kind, target, state FROM job WHERE state != 'done'") == []
    verified = run_cli("--archive", str(home), "verify", "--json")
    assert verified.returncode == 0, verified.stdout
    assert json.loads(verified.stdout)["ok"] is True


@pytest.mark.parametrize("point", POINTS)
def test_a_crash_at_each_commit_point_loses_nothing(
    home: Path, world, tmp_path: Path, point: str
) -> None:
    server, _ = world
    doc = tmp_path / "notes.md"
    doc.write_text(DOCUMENT)
    crashed = archiver(home, server, "archive", str(doc), ARCHIVER_CRASH_AT=point)
    crashed.communicate(timeout=120)
    assert crashed.returncode == CRASHED, f"the run never reached {point}"
    assert_consistent(home)

    result = run_cli("--archive", str(home), "--connect-to", server.connect_to, "retry", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert_whole(home, [HOMS, DARAA, SHRINE, QUOTED])
    # The short links cited by the document point at their posts, and say so in a new run.
    linked = rows(
        home,
        "SELECT r.match, p.status_id FROM reference r JOIN post p "
        "ON p.id = r.post_id WHERE r.kind = 'short_link'",
    )
    assert sorted(linked) == sorted(
        [("https://t.co/eXVL4tHqrq", HOMS), ("https://t.co/RwHMFZUGfl", SHRINE)]
    )
    again = run_cli(
        "--archive", str(home), "--connect-to", server.connect_to, "archive", str(doc), "--json"
    )
    assert again.returncode == 0, again.stdout
    assert {e["outcome"] for e in json.loads(again.stdout)} <= {"already", "captured"}


def test_sigkill_at_random_moments(home: Path, replay, tmp_path: Path) -> None:
    """At least twenty runs killed at random moments, up to five on one archive before the next:
    after every kill the archive is consistent; `retry` then finishes each archive whole."""
    serve_many(replay, delay=0.03)
    listing = tmp_path / "list.txt"
    listing.write_text("\n".join(IDS) + "\n")
    chance = random.Random(int(os.environ.get("ARCHIVER_TEST_SEED", "20241206")))
    kills, archives = 0, []
    said = open(tmp_path / "stderr.txt", "w")  # noqa: SIM115 (every run's, killed or not)
    while kills < 20:
        place = tmp_path / f"archive{len(archives)}"
        archives.append(place)
        for _ in range(5):
            proc = archiver(
                place, replay, "archive", "--list", str(listing), quiet=True, errors=said
            )
            started = time.monotonic()  # the moment counts from when the archive is open
            while not (place / "archive.db").exists() and time.monotonic() - started < 30:
                time.sleep(0.01)
            time.sleep(chance.uniform(0.05, 1.5))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            assert proc.returncode == -signal.SIGKILL or proc.returncode in (0, 3)
            kills += proc.returncode == -signal.SIGKILL
            if (place / "archive.db").exists():
                assert_consistent(place)
        assert len(archives) < 8, "the runs keep finishing before they are killed"
    replay.extra_delay = 0.0
    for place in archives:
        finish = ["--archive", str(place), "--connect-to", replay.connect_to]
        result = run_cli(*finish, "retry")
        assert result.returncode == 0, result.stdout + result.stderr
        if rows(place, "SELECT count(*) FROM post")[0][0] != len(IDS):
            # the kills came before every input was taken in: take them in now
            assert run_cli(*finish, "archive", "--list", str(listing)).returncode == 0
        assert_whole(place, IDS)
    said.close()  # (the killed runs' children have long ended): none left a traceback of
    # archiver's (a worker being spawned as its run dies may show multiprocessing's own)
    shown = (tmp_path / "stderr.txt").read_text()
    package = Path(__file__).resolve().parent.parent / "archiver"
    assert "Process archiver-" not in shown and f'File "{package}' not in shown, shown[-2000:]
