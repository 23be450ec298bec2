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


def _high_water(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM, of its own program), in MiB."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def measure(cmd: Sequence[str], **popen: object) -> tuple[float, float]:
    """Run `cmd` to completion; return (wall seconds, peak RSS in MiB) of that process alone.

    The peak is read from /proc while it runs (every 10 ms), not from wait4: Linux carries the
    peak of the forking parent over into the child's figure, and the parent here holds the
    replay server and its payloads."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), **popen)  # type: ignore[call-overload]
    peak = 0.0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _high_water(proc.pid))
        time.sleep(0.01)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, peak


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
    print(f"\n{title}   (medians; peak memory of the measured process alone)")
    print(f"  {'command':<34} {'median s':>10} {'peak MiB':>10} {'vs ' + reference:>16}")
    for name, seconds, peak in rows:
        print(f"  {name:<34} {seconds:>10.3f} {peak:>10.1f} {seconds / ref:>15.2f}x")
    if extra:
        print(f"  {extra}")
