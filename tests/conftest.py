"""Shared fixtures. Importing this module shuts the network beyond loopback for the whole run."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

GUARD_DIR = Path(__file__).parent / "netguard"
sys.path.insert(0, str(GUARD_DIR))
import sitecustomize  # noqa: E402,F401  (installs the guard in this process)

# Subprocesses (the CLI, killed writers) import the same guard at start-up.
os.environ["PYTHONPATH"] = os.pathsep.join(
    filter(None, [str(GUARD_DIR), os.environ.get("PYTHONPATH")])
)
os.environ.pop("ARCHIVER_HOME", None)
os.environ.pop("ARCHIVER_CONNECT_TO", None)
for _name in ("DATABASE", "STORE", "S3_ENDPOINT", "S3_REGION", "S3_KEYS", "LEASE"):
    os.environ.pop(f"ARCHIVER_{_name}", None)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A path for a fresh archive (not created yet)."""
    return tmp_path / "archive"


def pytest_configure(config: pytest.Config) -> None:
    """Compile the package once for the run (in the controller only). The CLI processes and
    image workers the tests start then load its bytecode: where PYTHONDONTWRITEBYTECODE is set,
    as in some CI images, each of them would otherwise compile every module from source."""
    if not hasattr(config, "workerinput"):
        import compileall

        compileall.compile_dir(ROOT / "archiver", quiet=2)


def _built_once() -> None:
    """typer builds the app's click command anew on every `CliRunner.invoke` (tens of ms, as
    much as a short command takes): build it once per app for the whole run."""
    import typer.main
    import typer.testing

    typer.testing._get_command = functools.cache(typer.main.get_command)  # type: ignore[attr-defined]


_built_once()


def run_cli(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `archiver ARGS` in this process (the same code path as the console script, without
    paying for a new interpreter each time); return its exit code and output. An exception that
    escapes the command is shown in stderr as a traceback, as a real process would show it."""
    from typer.testing import CliRunner

    from archiver.cli import app

    before = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(app, list(args), input=stdin, env=env)
    finally:
        os.chdir(before)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["archiver", *args], result.exit_code, result.stdout, stderr)


def run_process(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `archiver ARGS` in a real subprocess; return its exit code and output."""
    return subprocess.run(
        [sys.executable, "-m", "archiver", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


@pytest.fixture
def replay():
    """A real HTTP server on loopback standing in for every production host."""
    from replay import ReplayServer

    server = ReplayServer()
    yield server
    server.close()


@pytest.fixture
def world(replay):
    """The replay server with the standard posts, links and media; yields (server, media)."""
    import world as world_module

    return replay, world_module.build(replay)


def wait_with_peak(proc: subprocess.Popen) -> tuple[int, float]:
    """Wait for `proc`; return (exit code, its peak resident memory in MiB), read from /proc
    while it runs (wait4's figure would include this process's own peak, which it forked)."""
    import time

    peak = 0.0
    while proc.poll() is None:
        try:
            with open(f"/proc/{proc.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]) / 1024)
        except OSError:
            pass
        time.sleep(0.01)
    return proc.returncode, peak


# --- the two backends: embedded (SQLite + objects/) and team (PostgreSQL + S3) ------------------


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster on loopback for the session (see pgcluster.py), with a
    template database that holds an empty archive: each test's database is a copy of it."""
    import pgcluster

    if not pgcluster.available():
        pytest.fail("PostgreSQL's initdb is not installed (Debian: apt install postgresql)")
    with pgcluster.Cluster() as cluster:
        from archiver import pgdb

        pgdb.make_engine(cluster.create("archive_template"), create=True).dispose()
        yield cluster


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's standalone S3-compatible server on loopback, for the session."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


_COUNTER = iter(range(1_000_000))


def make_team(postgres, s3_endpoint: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A new team archive: its database (a copy of the template) and bucket; the settings that
    name them (environment variables)."""
    import boto3

    name = f"t{os.getpid()}_{next(_COUNTER)}"
    boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ).create_bucket(Bucket=name)
    return {
        "ARCHIVER_DATABASE": postgres.create(name, template="archive_template"),
        "ARCHIVER_STORE": f"s3://{name}/archive",
        "ARCHIVER_S3_ENDPOINT": s3_endpoint,
        "ARCHIVER_S3_KEYS": "test:test",
    }


@pytest.fixture
def team(postgres, s3_endpoint, monkeypatch) -> dict[str, str]:
    """A fresh team archive's database and bucket, named in the environment (ARCHIVER_*), so
    that the library, the CLI and subprocesses all use them; returns those settings."""
    settings = make_team(postgres, s3_endpoint)
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    return settings


@pytest.fixture(params=["embedded", "team"])
def backend(request) -> str:
    """Run a test on both backends: the embedded archive, and a team archive (PostgreSQL and
    S3, named in the environment: see `team`)."""
    if request.param == "team":
        request.getfixturevalue("team")
    return request.param


def query(home: Path, sql: str, params: tuple = ()) -> list:
    """Rows of `sql` (SQLite's `?` marks) from the archive at `home`, whichever its backend."""
    from archiver.archive import Archive
    from archiver.browse import reader

    archive = Archive.open(home)
    try:
        with reader(archive) as conn:
            return [tuple(r) for r in conn.execute(sql, params)]
    finally:
        archive.engine.dispose()


def blob_bytes(home: Path, digest: str) -> bytes:
    """The bytes of one blob of the archive at `home`, whichever its store."""
    from archiver.archive import Archive

    archive = Archive.open(home)
    try:
        return archive.store.read_bytes(digest)
    finally:
        archive.engine.dispose()
