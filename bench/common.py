"""Helpers shared by the benchmarks: run a command, time it, and read its peak memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def measure(cmd: Sequence[str], **popen: object) -> tuple[float, float]:
    """Run `cmd` to completion; return (wall seconds, peak RSS in MiB) of that process alone."""
    start = time.perf_counter()
    # close_fds=False lets subprocess use posix_spawn, so the child does not inherit our RSS.
    proc = subprocess.Popen(list(cmd), close_fds=False, **popen)  # type: ignore[call-overload]
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def median_of(
    runs: int, cmd: Sequence[str], before: object = None, **popen: object
) -> tuple[float, float]:
    """Median wall time and highest peak RSS over `runs` runs (`before()` runs untimed first)."""
    times, peaks = [], []
    for _ in range(runs):
        if callable(before):
            before()
        seconds, peak = measure(cmd, **popen)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def report(
    title: str, rows: list[tuple[str, float, float]], reference: str, extra: str = ""
) -> None:
    """Print one table: name, median seconds, peak MiB, and each row's ratio to `reference`."""
    ref = next(seconds for name, seconds, _ in rows if name == reference)
    floor = measure(["true"])[1]
    print(f"\n{title}   (a process started from here reads at least {floor:.1f} MiB peak)")
    print(f"  {'command':<34} {'median s':>10} {'peak MiB':>10} {'vs ' + reference:>16}")
    for name, seconds, peak in rows:
        print(f"  {name:<34} {seconds:>10.3f} {peak:>10.1f} {seconds / ref:>15.2f}x")
    if extra:
        print(f"  {extra}")
