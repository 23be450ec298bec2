"""Store benchmark: one large input through `Store.put` in bounded memory, and a folder of many
files stored one by one against `cp -r` of the same folder. Prints medians, ratios, peak RSS.

    python bench/store.py                 # 2 GiB input, 5,000 files, 3 runs each
    python bench/store.py --size-mib 256 --files 1000 --runs 1     # a quick look
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PYTHON, ROOT, median_of, report  # noqa: E402

PUT_ONE = """
import sys
from archiver.store import Store
print(Store(sys.argv[2]).put(sys.argv[1])[0])
"""
PUT_TREE = """
import os, sys
from archiver.store import Store
store = Store(sys.argv[2])
store.create()
paths = [os.path.join(f, n) for f, _, names in os.walk(sys.argv[1]) for n in names]
if sys.argv[3] == "one by one":  # each object fsynced with its folder before the next
    for path in paths:
        store.put(path)
else:  # as a capture run does: staged, then made durable in groups of 256 (group commit)
    for start in range(0, len(paths), 256):
        store.settle([store.stage(path) for path in paths[start:start + 256]])
"""


def make_big_file(path: Path, size_mib: int) -> None:
    block = os.urandom(1024 * 1024)
    with open(path, "wb") as out:
        for i in range(size_mib):
            out.write(block[i % 997 :] + block[: i % 997])  # distinct blocks, cheap to make


def make_tree(folder: Path, count: int) -> int:
    total = 0
    for i in range(count):
        sub = folder / f"d{i % 50:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        size = (200, 4_000, 60_000, 700_000)[i % 4] + i  # mostly small, some photo-sized
        (sub / f"f{i:06d}.bin").write_bytes(os.urandom(size))
        total += size
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=2048)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    with tempfile.TemporaryDirectory(dir=ROOT / "bench") as scratch:
        work = Path(scratch)
        big = work / "big.bin"
        make_big_file(big, args.size_mib)
        home = work / "home"

        def fresh_home() -> None:
            shutil.rmtree(home, ignore_errors=True)

        rows = [
            (
                "archiver Store.put",
                *median_of(
                    args.runs,
                    [PYTHON, "-c", PUT_ONE, str(big), str(home)],
                    before=fresh_home,
                    env=env,
                    stdout=-3,
                ),
            ),
            ("sha256sum", *median_of(args.runs, ["sha256sum", str(big)], stdout=-3)),
            ("cp", *median_of(args.runs, ["cp", str(big), str(work / "copy.bin")])),
        ]
        report(
            f"one {args.size_mib} MiB file",
            rows,
            "cp",
            "peak RSS of Store.put must stay under 100 MiB whatever the size",
        )
        big.unlink()
        fresh_home()

        tree = work / "tree"
        total = make_tree(tree, args.files)
        copy = work / "copy"

        def fresh_copy() -> None:
            shutil.rmtree(copy, ignore_errors=True)

        rows = [
            (
                f"archiver, {mode}",
                *median_of(
                    args.runs,
                    [PYTHON, "-c", PUT_TREE, str(tree), str(home), mode],
                    before=lambda: (fresh_home(), os.sync()),
                    env=env,
                ),
            )
            for mode in ("in groups", "one by one")
        ]
        rows.append(
            (
                "cp -r",
                *median_of(
                    args.runs,
                    ["cp", "-r", str(tree), str(copy)],
                    before=lambda: (fresh_copy(), os.sync()),
                ),
            )
        )
        rows.append(
            (
                "cp -r, then sync",
                *median_of(
                    args.runs,
                    ["sh", "-c", f"cp -r {tree} {copy} && sync"],
                    before=lambda: (fresh_copy(), os.sync()),
                ),
            )
        )
        report(
            f"{args.files:,} files, {total / 2**20:.0f} MiB",
            rows,
            "cp -r, then sync",
            "archiver hashes every file and makes it durable before it counts (one flush per "
            "group, or an fsync per file); cp -r fsyncs nothing, sync flushes it all at the end",
        )


if __name__ == "__main__":
    main()
