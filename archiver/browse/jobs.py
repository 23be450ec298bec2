"""The work queue as a user asks about it: what is waiting, since when, and why."""

from __future__ import annotations

import sqlite3

from ..errors import InputError
from ..rows.holders import holder_alive, on_this_machine
from ..vocab import JobState
from .filters import iso

WAITING = (JobState.PENDING, JobState.RUNNING, JobState.FAILED)


def jobs(conn: sqlite3.Connection, states: list[str] | None = None) -> list[dict[str, object]]:
    """Jobs in `states` (default: every job not done), oldest first, each with its last error
    and when it is tried next; a running job whose run was stopped on this machine (killed)
    says so (`run_gone`): `archiver retry` takes it."""
    wanted = [s.strip().lower() for name in states or [] for s in name.split(",") if s.strip()]
    for state in wanted:
        if state not in set(JobState):
            known = ", ".join(JobState)
            raise InputError(f"--state {state[:100]!r}: not a job state ({known})")
    wanted = wanted or list(WAITING)
    query = f"""
        SELECT * FROM job WHERE state IN ({", ".join("?" * len(wanted))})
        ORDER BY CASE state WHEN ? THEN 0 WHEN ? THEN 1 WHEN ? THEN 2 ELSE 3 END, id"""
    return [
        {
            "id": r["id"],
            "kind": r["kind"],
            "target": r["target"],
            "state": r["state"],
            "attempts": r["attempts"],
            "next_try_at": iso(r["next_try_at"]),
            "last_error": r["last_error"],
            "result": r["result"],
            "claimed_by": r["claimed_by"] if r["state"] == JobState.RUNNING else None,
            "run_gone": r["state"] == JobState.RUNNING and _gone(r["claimed_by"]),
            "created_at": iso(r["created_at"]),
            "updated_at": iso(r["updated_at"]),
        }
        for r in conn.execute(query, [*wanted, JobState.RUNNING, JobState.PENDING, JobState.FAILED])
    ]


def _gone(holder: str | None) -> bool:
    """Whether the run `holder` that claimed a job ran on this machine and runs no more."""
    return on_this_machine(holder) and not holder_alive(holder)
