"""Team benchmark: jobs per second with 1, 2 and 4 `archiver work --drain` processes sharing one
queue, on PostgreSQL (a throwaway cluster on loopback) against SQLite (the embedded archive).
Each job asks the replay server for one post and keeps its answer and record. Prints medians,
the peak memory of one worker, and each row's ratio to one SQLite worker.

    python bench/team.py                       # 2,000 jobs, 3 runs each
    python bench/team.py --jobs 500 --runs 1   # a quick look
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from common import PYTHON, ROOT, _high_water, report  # noqa: E402

FIRST = 1865300000000000000
FILL = """
import sys
from archiver.archive import Archive
from archiver.models import Job
archive = Archive.open(sys.argv[1], create=True)
with archive.session() as sess:
    sess.add_all(Job(kind="post", target=str({first} + i)) for i in range(int(sys.argv[2])))
"""


def drain(home: Path, workers: int, connect_to: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds for `workers` processes to drain the queue; the highest peak RSS of one."""
    command = [PYTHON, "-m", "archiver", "-q", "--archive", str(home), "work", "--drain"]
    command += ["--sources", "syndication", "--connect-to", connect_to]
    start = time.perf_counter()
    procs = [subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL) for _ in range(workers)]
    peak = 0.0
    while any(p.poll() is None for p in procs):
        peak = max([peak, *(_high_water(p.pid) for p in procs if p.poll() is None)])
        time.sleep(0.01)
    elapsed = time.perf_counter() - start
    if any(p.returncode for p in procs):
        raise SystemExit(f"a worker failed: {[p.returncode for p in procs]}")
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import pgcluster
    from replay import ReplayServer, json_reply
    from world import query_id, tweet

    server = ReplayServer()
    server.add(
        "cdn.syndication.twimg.com", "/tweet-result", lambda h: json_reply(tweet(query_id(h)))
    )
    scratch = Path(tempfile.mkdtemp(prefix="archiver-bench-team-"))
    rows = []
    try:
        with pgcluster.Cluster() as cluster:
            for backend in ("sqlite", "postgresql"):
                for workers in (1, 2, 4):
                    times, peaks = [], []
                    for run in range(args.runs):
                        home = scratch / f"{backend}-{workers}-{run}"
                        env = {**os.environ, "PYTHONPATH": str(ROOT)}
                        if backend == "postgresql":
                            env["ARCHIVER_DATABASE"] = cluster.create(f"b{workers}_{run}")
                        fill = [PYTHON, "-c", FILL.format(first=FIRST), str(home), str(args.jobs)]
                        subprocess.run(fill, check=True, env=env)
                        seconds, peak = drain(home, workers, server.connect_to, env)
                        times.append(seconds)
                        peaks.append(peak)
                        shutil.rmtree(home, ignore_errors=True)
                    name = f"{backend}, {workers} worker{'s' if workers > 1 else ''}"
                    rows.append((name, statistics.median(times), max(peaks)))
                    print(f"  {name}: {args.jobs / statistics.median(times):,.0f} jobs/s")
    finally:
        server.close()
        shutil.rmtree(scratch, ignore_errors=True)
    report(
        f"Draining {args.jobs:,} post jobs ({args.runs} runs each; {os.cpu_count()} cores)",
        rows,
        "sqlite, 1 worker",
        "jobs/s = jobs / median s; ratio < 1: faster than one SQLite worker",
    )


if __name__ == "__main__":
    main()
