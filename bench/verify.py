"""Verify benchmark: an archive of at least 2 GB in mixed sizes (many small objects, a few large
ones); `archiver verify` against `sha256sum` over the same object files, in the same run, with
peak memory. Both read from a warm page cache (the objects were just written).

    python bench/verify.py                       # 2 GiB, 3 runs
    python bench/verify.py --small 2000 --large 2 --runs 1
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PYTHON, ROOT, median_of, report  # noqa: E402


def build(home: Path, small: int, large: int) -> int:
    sys.path.insert(0, str(ROOT))
    from archiver.archive import Archive
    from archiver.models import Blob

    archive = Archive.open(home, create=True)
    total = 0
    block = os.urandom(1024 * 1024)
    with archive.session() as sess:
        for i in range(small):
            size = 2_000 + (i * 7919) % 150_000  # 2 KB to 150 KB
            digest, size = archive.store.put(i.to_bytes(8, "big") + block[: size - 8])
            sess.add(Blob(digest=digest, size=size))
            total += size
        for i in range(large):
            chunks = (i.to_bytes(8, "big") + block for _ in range(256))  # 256 MiB each
            digest, size = archive.store.put(chunks)
            sess.add(Blob(digest=digest, size=size))
            total += size
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=6)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build", help=argparse.SUPPRESS)  # internal: build the archive only
    args = parser.parse_args()
    if args.build:
        print(build(Path(args.build), args.small, args.large))
        return
    with tempfile.TemporaryDirectory(dir=ROOT / "bench") as scratch:
        home = Path(scratch) / "archive"
        # Built in a child process, so that the processes measured start from a small parent.
        total = int(
            subprocess.run(
                [
                    PYTHON,
                    __file__,
                    "--build",
                    str(home),
                    "--small",
                    str(args.small),
                    "--large",
                    str(args.large),
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        files = Path(scratch) / "files.txt"
        files.write_text("".join(f"{p}\0" for p in (home / "objects").rglob("*") if p.is_file()))
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        verify = [PYTHON, "-m", "archiver", "--archive", str(home), "verify"]
        sha256sum = ["sh", "-c", f"xargs -0 sha256sum < {files} > /dev/null"]
        rows = [
            ("archiver verify", *median_of(args.runs, verify, env=env, stdout=-3, stderr=-3)),
            ("sha256sum (one process)", *median_of(args.runs, sha256sum)),
        ]
        report(
            f"{args.small:,} small and {args.large} large objects, {total / 1e9:.2f} GB, "
            f"{os.cpu_count()} cores",
            rows,
            "sha256sum (one process)",
            f"archiver verify: {total / rows[0][1] / 1e6:.0f} MB/s; "
            f"sha256sum: {total / rows[1][1] / 1e6:.0f} MB/s",
        )


if __name__ == "__main__":
    main()
