"""Who holds a job or a run: this process's name (`host:pid:start`), and whether a holder
named so still lives (its process, on this machine; elsewhere, by a lease it renews)."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..store import pid_alive


def started(pid: int) -> str:
    """When process `pid` started, in clock ticks since boot (Linux; "" elsewhere): with its pid
    it names one process, not whichever process is given the pid after it ends."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    fields = stat.rpartition(")")[2].split()  # from the third field on: the name may hold spaces
    return fields[19] if len(fields) > 19 else ""


ME = f"{socket.gethostname()}:{os.getpid()}:{started(os.getpid())}"  # host:pid:start


def now() -> datetime:
    return datetime.now(UTC)


def on_this_machine(owner: str | None) -> bool:
    """Whether the run `owner` (`host:pid:start`) runs, or ran, on this machine."""
    return (owner or "").partition(":")[0] == socket.gethostname()


def holder_alive(
    owner: str | None, touched: datetime | None = None, lease: float | None = None
) -> bool:
    """Whether the run `owner` still holds its claim: its process runs (on this machine); with a
    `lease`, on another machine, it renewed its claims less than `lease` seconds ago."""
    _, _, rest = (owner or "").partition(":")
    pid, _, start = rest.partition(":")  # no start: a name written before it was recorded
    if on_this_machine(owner):
        return pid.isdigit() and pid_alive(int(pid)) and start in ("", started(int(pid)))
    if lease is None or touched is None:
        return False
    touched = touched if touched.tzinfo else touched.replace(tzinfo=UTC)
    return touched > now() - timedelta(seconds=lease)
