"""A throwaway PostgreSQL cluster on loopback for the tests and the benchmark: `initdb` into a
temporary folder, `pg_ctl start` on a free port, `pg_ctl stop` at the end.

The server binaries are found on the PATH, else where Debian's `postgresql` package puts them
(`/usr/lib/postgresql/<version>/bin`). PostgreSQL refuses to run as root: as root, the cluster
is made and run by an unprivileged user (`nobody`) through `setpriv`. Durability is switched
off (fsync, full-page writes): a test cluster is thrown away, and the tests measure archiver.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

USER = "archiver"


def find_binary(name: str) -> str | None:
    """`initdb` or `pg_ctl` on the PATH, else in the newest Debian PostgreSQL folder."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
    for folder in reversed(versions):
        if (folder / name).is_file():
            return str(folder / name)
    return None


def available() -> bool:
    return find_binary("initdb") is not None and find_binary("pg_ctl") is not None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """`with Cluster() as pg:` then `pg.url("name")`; `pg.create("name", template=…)`."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="archiver-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: run the server as an unprivileged user
            import pwd

            nobody = pwd.getpwnam("nobody")
            os.chown(self.folder, nobody.pw_uid, nobody.pw_gid)
            self.as_user = [
                "setpriv",
                f"--reuid={nobody.pw_uid}",
                f"--regid={nobody.pw_gid}",
                "--clear-groups",
            ]

    def _run(self, *args: str) -> None:
        env = {**os.environ, "LC_ALL": "C.UTF-8", "HOME": str(self.folder)}
        subprocess.run(
            [*self.as_user, *args],
            check=True,
            capture_output=True,
            env=env,
            cwd=self.folder,
            timeout=120,
        )

    def start(self) -> Cluster:
        initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
        if initdb is None or pg_ctl is None:
            raise RuntimeError("PostgreSQL's initdb not found (Debian: apt install postgresql)")
        self._run(
            initdb, "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync"
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories='' "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200"
        )
        log = self.folder / "server.log"
        self._run(pg_ctl, "-D", str(self.data), "-l", str(log), "-o", options, "-w", "start")
        self.pg_ctl = pg_ctl
        return self

    def stop(self) -> None:
        try:
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def create(self, name: str, template: str | None = None) -> str:
        """A new database (a copy of `template` when given); its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            for _ in range(50):  # a template still in use by a closing connection: wait
                try:
                    suffix = f' TEMPLATE "{template}"' if template else ""
                    conn.execute(f'CREATE DATABASE "{name}"{suffix}')  # type: ignore[arg-type]
                    break
                except psycopg.errors.ObjectInUse:
                    time.sleep(0.1)
        return self.url(name)
