"""Start-up benchmark: how long `archiver` takes to do nothing much (`--version`, `--help`), to
read a small file (`extract`), and to print one post from a small archive (`show`), against
`yt-dlp --version` (a Python tool users already run) and `python -c pass`; with the modules each
command imports (the heavy ones must stay out of the fast paths).

    python bench/startup.py            # 7 runs each
    python bench/startup.py --runs 3   # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PYTHON, median_of, report  # noqa: E402

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "PIL", "httpx", "rich", "yt_dlp")
TARGETS = {"--version": 0.3, "--help": 0.3, "extract": 0.3, "show": 0.5}  # seconds (the issue's)


def small_archive(scratch: Path) -> Path:
    """An archive holding one post, made through the library (no network)."""
    code = f"""
import json
from archiver.archive import Archive
from archiver.models import Blob, Post
archive = Archive.open({str(scratch / "archive")!r}, create=True)
digest, size = archive.store.put(json.dumps({{"id": "20", "text": "just setting up"}}).encode())
with archive.session() as sess:
    sess.add(Blob(digest=digest, size=size))
    sess.add(Post(status_id="20", handle="jack", text="just setting up", record_digest=digest))
"""
    subprocess.run([PYTHON, "-c", code], check=True)
    return scratch / "archive"


def imported(args: list[str], env: dict[str, str]) -> list[str]:
    """The heavy packages that `archiver ARGS` imports."""
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['archiver', *{args!r}]\n"
        "try:\n    runpy.run_module('archiver', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)), file=sys.stderr)"
    )
    result = subprocess.run(
        [PYTHON, "-c", "import json\n" + code], capture_output=True, text=True, env=env
    )
    return json.loads(result.stderr.strip().splitlines()[-1])


def cpu_seconds(runs: int, cmd: list[str], env: dict[str, str]) -> float:
    """Median CPU time (user + system) of `cmd`: steadier than wall time on a busy machine."""
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {**os.environ, "COLUMNS": "100"}
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        home = small_archive(scratch)
        small = scratch / "small.txt"
        small.write_text("See https://x.com/jack/status/20 and\nBody\n— Jack (@jack) 2006\n")
        cases = {
            "--version": ["--version"],
            "--help": ["--help"],
            "extract": ["extract", str(small), "--jsonl"],
            "show": ["show", "20", "--archive", str(home)],
            "stats": ["stats", "--archive", str(home)],
        }
        quiet = {"env": env, "stdout": subprocess.DEVNULL}
        rows = [
            (f"archiver {name}", *median_of(args.runs, [PYTHON, "-m", "archiver", *argv], **quiet))
            for name, argv in cases.items()
        ]
        ytdlp = shutil.which("yt-dlp") or str(Path(PYTHON).parent / "yt-dlp")
        if Path(ytdlp).exists():
            rows.append(("yt-dlp --version", *median_of(args.runs, [ytdlp, "--version"], **quiet)))
        rows.append(("python -c pass", *median_of(args.runs, [PYTHON, "-c", "pass"], env=env)))
        report("start-up", rows, "python -c pass")
        print("\n  wall time against the issue's target, CPU time, and heavy packages imported:")
        for name, argv in cases.items():
            seconds = next(s for n, s, _ in rows if n == f"archiver {name}")
            cpu = cpu_seconds(args.runs, [PYTHON, "-m", "archiver", *argv], env)
            target = TARGETS.get(name)
            verdict = "" if target is None else ("ok" if seconds <= target else "OVER")
            goal = f"<= {target:.1f} s {verdict}" if target else ""
            heavy = ", ".join(imported(argv, env)) or "-"
            print(f"  archiver {name:<10} {goal:<13} cpu {cpu:.3f} s   {heavy}")


if __name__ == "__main__":
    main()
