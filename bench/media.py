"""Media benchmark: one 2 GB video and 2,000 photos from a loopback server, fetched by archiver
(into the store, hashed, fsynced; photos fully decoded, hashed and thumbnailed) and by curl
(into plain files) on the same URLs; wall time, throughput and peak memory.

    python bench/media.py                          # 2 GiB video, 2,000 photos, 3 runs
    python bench/media.py --video-mib 256 --photos 200 --runs 1
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from common import PYTHON, ROOT, median_of, report  # noqa: E402
from replay import ReplayServer, Reply  # noqa: E402
from world import jpeg  # noqa: E402

FETCH = """
import asyncio, sys
from pathlib import Path
from archiver.config import Settings, parse_connect_to
from archiver.media import fetch_media
from archiver.net import Http
from archiver.record import MediaItem
from archiver.store import Store

async def main(origin, home, kind, count):
    settings = Settings(connect_to=parse_connect_to(f"*={origin}"), timeout=600)
    async with Http(settings, Store(home)) as http:
        if kind == "video":
            items = [MediaItem("video", "https://video.twimg.com/v/big.mp4",
                               variants=[{"url": "https://video.twimg.com/v/big.mp4",
                                          "bitrate": 2176000, "type": "video/mp4"}])]
        else:
            items = [MediaItem("photo", f"https://pbs.twimg.com/media/P{i}.jpg")
                     for i in range(count)]
        results = await asyncio.gather(*(fetch_media(http, item) for item in items))
        assert all(r.status == "ok" for r in results), [r.reason for r in results][:3]

asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video-mib", type=int, default=2048)
    parser.add_argument("--photos", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server = ReplayServer()
    with tempfile.TemporaryDirectory(dir=ROOT / "bench") as scratch:
        work = Path(scratch)
        video = work / "big.mp4"
        with open(video, "wb") as out:  # real bytes on disk, not a sparse file
            block = os.urandom(1024 * 1024)
            for _ in range(args.video_mib):
                out.write(block)
        photo = jpeg(1200, 900)
        server.add(
            "video.twimg.com",
            "/v/big.mp4",
            Reply(200, b"", {"Content-Type": "video/mp4"}, file=video),
        )
        server.add("pbs.twimg.com", "*", Reply(200, photo, {"Content-Type": "image/jpeg"}))
        home, fetched = work / "home", work / "curl"

        def fresh() -> None:
            shutil.rmtree(home, ignore_errors=True)
            shutil.rmtree(fetched, ignore_errors=True)
            fetched.mkdir()

        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        host = ["-H", "Host: video.twimg.com"]
        rows = [
            (
                "archiver (store, hash, fsync)",
                *median_of(
                    args.runs,
                    [PYTHON, "-c", FETCH, server.origin, str(home), "video", "1"],
                    before=fresh,
                    env=env,
                ),
            ),
            (
                "curl -o file",
                *median_of(
                    args.runs,
                    [
                        "curl",
                        "-s",
                        *host,
                        "-o",
                        str(fetched / "v.mp4"),
                        f"{server.origin}/v/big.mp4",
                    ],
                    before=fresh,
                ),
            ),
        ]
        size_mb = video.stat().st_size / 1e6
        report(
            f"one {size_mb:,.0f} MB video",
            rows,
            "curl -o file",
            f"archiver {size_mb / rows[0][1]:.0f} MB/s, curl {size_mb / rows[1][1]:.0f} MB/s; "
            "archiver's peak must stay under 100 MiB whatever the size",
        )
        video.unlink()

        config = work / "curl.cfg"
        config.write_text(
            "".join(
                f'url = "{server.origin}/media/P{i}?format=jpg&name=orig"\n'
                f'output = "{fetched}/P{i}.jpg"\nheader = "Host: pbs.twimg.com"\n'
                for i in range(args.photos)
            )
        )
        rows = [
            (
                "archiver (+ decode, dHash, thumb)",
                *median_of(
                    args.runs,
                    [PYTHON, "-c", FETCH, server.origin, str(home), "photo", str(args.photos)],
                    before=fresh,
                    env=env,
                ),
            ),
            (
                "curl -Z (8 at once)",
                *median_of(
                    args.runs,
                    ["curl", "-s", "-Z", "--parallel-max", "8", "-K", str(config)],
                    before=fresh,
                ),
            ),
        ]
        report(
            f"{args.photos:,} photos of {len(photo) / 1e3:.0f} kB (1200x900 JPEG)",
            rows,
            "curl -Z (8 at once)",
            f"archiver {args.photos / rows[0][1]:.0f} photos/s, "
            f"curl {args.photos / rows[1][1]:.0f} photos/s; archiver asks 2 at a time per host",
        )
    server.close()


if __name__ == "__main__":
    main()
