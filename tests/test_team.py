"""A team archive: PostgreSQL (a throwaway cluster on loopback) and S3 (moto's server on
loopback). The queue shared by workers in separate processes (some of them killed), leases,
a worker stopped by SIGTERM, verify against a bucket, and an embedded archive migrated."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import boto3
import psycopg
import pytest
from conftest import ROOT, make_team, run_cli
from replay import ReplayServer, json_reply
from sqlalchemy import text
from sqlmodel import select
from world import HOMS, query_id, tweet

from archiver.archive import Archive
from archiver.models import Job
from archiver.rows.holders import ME, now
from archiver.rows.jobs import claim, recover, release, renew
from archiver.vocab import JobKind, JobState

SEED = ROOT / "seeds" / "syria-offensive-2024-12-06.txt"
FIRST = 1865300000000000000


def queue(archive: Archive, count: int, kind: JobKind = JobKind.POST) -> None:
    with archive.session() as sess:
        sess.add_all(Job(kind=kind, target=str(FIRST + i)) for i in range(count))


def many_posts(server: ReplayServer) -> None:
    """Syndication answers with a live post for any id."""
    server.add(
        "cdn.syndication.twimg.com", "/tweet-result", lambda h: json_reply(tweet(query_id(h)))
    )


def worker(home: Path, server: ReplayServer, *args: str) -> subprocess.Popen:
    command = ["work", "--sources", "syndication", "--connect-to", server.connect_to, *args]
    return subprocess.Popen(
        [sys.executable, "-m", "archiver", "-q", "--archive", str(home), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def states(archive: Archive) -> dict[str, int]:
    with archive.engine.connect() as conn:
        return dict(conn.execute(text("SELECT state, count(*) FROM job GROUP BY state")).all())


def test_a_claim_is_held_on_a_lease_renewed_while_the_worker_works(backend: str, home) -> None:  # type: ignore[no-untyped-def]
    archive = Archive.open(home, create=True)
    queue(archive, 3)
    with archive.session() as sess:  # one held by a worker on another machine, one stale
        jobs = sess.exec(select(Job).order_by(Job.id)).all()
        for job, age in zip(jobs[:2], (10, 3600), strict=True):
            job.state, job.claimed_by = JobState.RUNNING, "elsewhere.example:4242"
            job.updated_at = now() - timedelta(seconds=age)
    with archive.session() as sess:
        got = claim(sess, 10, lease=archive.lease, watch_all=True)
    taken = sorted(int(t.target) - FIRST for t in got.tickets)
    if backend == "team":  # the fresh claim is another worker's: waited for, not taken
        assert taken == [1, 2] and got.elsewhere == 1
    else:  # one machine: a claim lasts as long as its process, here unknown: taken back
        assert taken == [0, 1, 2] and got.elsewhere == 0
    with archive.session() as sess:
        assert renew(sess) == len(taken)
        assert release(sess, [got.tickets[0].job_id]) == 1
        assert recover(sess, archive.lease) == 0  # this process holds the rest
    with archive.session() as sess:
        mine = sess.exec(select(Job).where(Job.claimed_by == ME)).all()
        assert len(mine) == len(taken) - 1 and all(j.attempts == 1 for j in mine)
    archive.engine.dispose()


def test_four_workers_drain_one_queue_with_two_killed(team, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """2,000 jobs, four worker processes, two SIGKILLed mid-run: every job is done, each by
    one worker (a trigger logs every job that becomes done, and by whom)."""
    home = tmp_path / "shared"
    os.environ.pop("ARCHIVER_STORE")  # the workers share this machine's folder store
    archive = Archive.open(home, create=True)
    queue(archive, 2000)
    with archive.engine.begin() as conn:
        conn.execute(text("CREATE TABLE done_log (job_id INTEGER, worker TEXT)"))
        conn.execute(
            text(
                "CREATE FUNCTION log_done() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "IF NEW.state = 'done' AND OLD.state <> 'done' THEN "
                "INSERT INTO done_log VALUES (NEW.id, OLD.claimed_by); END IF; RETURN NEW; END $$"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER job_done AFTER UPDATE ON job "
                "FOR EACH ROW EXECUTE FUNCTION log_done()"
            )
        )
    server = ReplayServer()
    many_posts(server)
    try:
        workers = [worker(home, server, "--drain") for _ in range(4)]
        for victim, after in ((workers[0], 300), (workers[1], 900)):
            deadline = time.monotonic() + 120
            while states(archive).get(JobState.DONE, 0) < after and time.monotonic() < deadline:
                time.sleep(0.05)
            victim.send_signal(signal.SIGKILL)
            victim.wait()  # reaped: its process id is gone, so its claims are released
        for survivor in workers[2:]:
            out, err = survivor.communicate(timeout=180)
            assert survivor.returncode == 0, err
    finally:
        server.close()
    assert states(archive) == {JobState.DONE: 2000}
    with archive.engine.connect() as conn:
        logged = conn.execute(text("SELECT job_id, worker FROM done_log")).all()
    assert len(logged) == 2000 and len({job for job, _ in logged}) == 2000  # none twice
    by_worker = {w.split(":")[1] for _, w in logged}  # host:pid:start
    assert str(workers[0].pid) in by_worker and str(workers[2].pid) in by_worker
    archive.engine.dispose()


def test_a_stopped_worker_finishes_or_gives_back_its_jobs(team, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "one"
    archive = Archive.open(home, create=True)
    queue(archive, 300)
    server = ReplayServer()
    server.extra_delay = 0.05  # every answer takes a while: jobs are in hand when it stops
    many_posts(server)
    try:
        proc = worker(home, server)
        deadline = time.monotonic() + 60
        while states(archive).get(JobState.DONE, 0) < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        server.close()
    assert proc.returncode == 0, err
    left = states(archive)
    assert JobState.RUNNING not in left and JobState.FAILED not in left
    assert 20 <= left[JobState.DONE] < 300 and left[JobState.PENDING] == 300 - left["done"]
    ran = int(out.split()[1].replace(",", ""))
    assert ran == left[JobState.DONE]  # what it says it ran is what is done
    archive.engine.dispose()


def test_verify_rehashes_what_the_bucket_gives_back(team, world, home: Path) -> None:  # type: ignore[no-untyped-def]
    server, _ = world
    args = ("--archive", str(home), "--connect-to", server.connect_to)
    assert run_cli(*args, "archive", HOMS).returncode == 0
    view = json.loads(run_cli(*args, "show", HOMS, "--json").stdout)
    photo = next(m["digest"] for m in view["media"] if m["kind"] == "photo")
    record = view["record_digest"]
    bucket = team["ARCHIVER_STORE"].removeprefix("s3://").split("/")[0]
    s3 = boto3.client(
        "s3",
        endpoint_url=team["ARCHIVER_S3_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    key = f"archive/sha256/{photo[7:9]}/{photo[7:]}"
    body = bytearray(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    body[len(body) // 2] ^= 1
    s3.put_object(Bucket=bucket, Key=key, Body=bytes(body))  # changed behind archiver's back
    s3.delete_object(Bucket=bucket, Key=f"archive/sha256/{record[7:9]}/{record[7:]}")
    result = run_cli(*args, "verify", "--json")
    assert result.returncode == 1
    problems = {p["digest"]: p["problem"] for p in json.loads(result.stdout)["problems"]}
    assert problems[photo].startswith("corrupt: its bytes hash to sha256:")
    assert problems[record] == "missing" and len(problems) == 2


def test_an_embedded_archive_migrates_whole_and_verified(
    world, home: Path, postgres, s3_endpoint
) -> None:  # type: ignore[no-untyped-def]
    server, media = world
    args = ("--archive", str(home), "--connect-to", server.connect_to)
    assert run_cli(*args, "archive", str(SEED)).returncode == 0
    before = json.loads(run_cli(*args, "show", HOMS, "--json").stdout)
    listed = json.loads(run_cli(*args, "search", "Homs", "--json").stdout)
    team = make_team(postgres, s3_endpoint)
    empty = team["ARCHIVER_DATABASE"]
    with psycopg.connect(empty, autocommit=True) as conn:  # empty: migrate makes the schema
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    target = ("--store", team["ARCHIVER_STORE"])
    env = {k: v for k, v in team.items() if k.startswith("ARCHIVER_S3")}
    first = run_cli(*args, "migrate", "--to", empty, *target, "--json", env=env)
    assert first.returncode == 0, first.stderr
    done = json.loads(first.stdout)
    assert done["ok"] and done["blobs_sent"] >= 10 and done["verify"]["problems"] == []
    assert done["rows"]["post"] >= 4 and done["rows"]["capture"] >= 10
    linked = (  # a run and its blobs name each other: both links copied
        "SELECT (SELECT count(*) FROM blob WHERE run_id IS NOT NULL), "
        "(SELECT count(*) FROM run WHERE custody_digest IS NOT NULL)"
    )
    with sqlite3.connect(home / "archive.db") as mine, psycopg.connect(empty) as theirs:
        assert mine.execute(linked).fetchone() == theirs.execute(linked).fetchone() != (0, 0)
    again = json.loads(run_cli(*args, "migrate", "--to", empty, *target, "--json", env=env).stdout)
    assert again["blobs_sent"] == 0 and sum(again["rows"].values()) == 0  # resumed: nothing left
    assert again["ok"] and again["differs"] == []
    team_args = ("--archive", str(home), "--database", empty, *target)
    after = json.loads(run_cli(*team_args, "show", HOMS, "--json", env=env).stdout)
    assert after == before  # the same post, captures, media and digests
    assert json.loads(run_cli(*team_args, "search", "Homs", "--json", env=env).stdout) == listed
    exported = home.parent / "bundle"
    assert run_cli(*team_args, "export", HOMS, "-o", str(exported), env=env).returncode == 0
    assert run_cli("verify", str(exported)).returncode == 0
    other = home.parent / "other"
    assert run_cli("--archive", str(other), "init").returncode == 0
    refused = run_cli("--archive", str(other), "migrate", "--to", empty, *target, env=env)
    assert refused.returncode == 2 and "already holds another archive" in refused.stderr
    with psycopg.connect(empty, autocommit=True) as conn:  # a row lost from the copy
        conn.execute('DELETE FROM "check" WHERE id = (SELECT min(id) FROM "check")')
    lost = run_cli(*args, "migrate", "--to", empty, *target, "--json", env=env)
    assert lost.returncode == 1 and json.loads(lost.stdout)["differs"] == ["check"]


def test_migrate_sends_again_an_object_cut_short_in_the_bucket(
    world, home: Path, postgres, s3_endpoint
) -> None:  # type: ignore[no-untyped-def]
    """An object at another size than its blob's (a PUT of a stopped migration cut on the way)
    is not counted as there: it is sent again, over it, and the copy verifies."""
    server, _ = world
    args = ("--archive", str(home), "--connect-to", server.connect_to)
    assert run_cli(*args, "archive", HOMS).returncode == 0
    view = json.loads(run_cli(*args, "show", HOMS, "--json").stdout)
    photo = next(m["digest"] for m in view["media"] if m["kind"] == "photo")
    team = make_team(postgres, s3_endpoint)
    with psycopg.connect(team["ARCHIVER_DATABASE"], autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    bucket = team["ARCHIVER_STORE"].removeprefix("s3://").split("/")[0]
    cut = (home / "objects" / "sha256" / photo[7:9] / photo[7:]).read_bytes()[:100]
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    s3.put_object(Bucket=bucket, Key=f"archive/sha256/{photo[7:9]}/{photo[7:]}", Body=cut)
    env = {k: v for k, v in team.items() if k.startswith("ARCHIVER_S3")}
    target = ("--to", team["ARCHIVER_DATABASE"], "--store", team["ARCHIVER_STORE"], "--json")
    done = run_cli(*args, "migrate", *target, env=env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["ok"] and result["blobs_there"] == 0 and result["verify"]["problems"] == []


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--database", "mysql://x/y"], "expected postgresql://"),
        (["--store", "/tmp/elsewhere"], "expected s3://BUCKET/PREFIX"),
        (["--database", "postgresql://nobody@127.0.0.1:1/none"], "database postgresql://"),
        (["--database", "postgres+asyncpg://u:s3cr3t@127.0.0.1/db"], "u:***@"),
        (["--database", "postgresql://u:s3cr3t@127.0.0.1:abc/db"], "not a valid URL"),
        (["--database", "postgresql://127.0.0.1:1/db?password=s3cr3t"], "password=***"),
    ],
)
def test_a_bad_team_setting_is_one_line(home: Path, flags: list[str], message: str) -> None:
    result = run_cli("--archive", str(home), *flags, "stats")
    assert result.returncode == 2 and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "s3cr3t" not in result.stderr  # a password is never shown
