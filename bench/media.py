"""Media benchmark: one 2 GB video and 2,000 photos from a loopback server, fetched by archiver
(into the store, hashed, fsynced; photos fully decoded, hashed and thumbnailed) and by curl
(into plain files) on the same URLs; wall time, throughput and peak memory.

    python bench/media.py                          # 2 GiB video, 2,000 photos, 3 runs
    python bench/media.py --video-mib 256 --photos 200 --runs 1
    python bench/media.py --dir /dev/shm           # both on tmpfs: no disk, no inode cost
"""

from __future__ import annotations

import argparse
import io
import os
import shlex
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from common import PYTHON, ROOT, median_of, report  # noqa: E402
from replay import ReplayServer, Reply  # noqa: E402

FETCH = """
import asyncio, sys
from archiver.archive import Archive
from archiver.capture.context import Options, Run
from archiver.capture.media import fetch_item
from archiver.capture.writer import Writer
from archiver.config import Settings, parse_connect_to
from archiver.net import Http
from archiver.record import MediaItem

async def main(origin, home, kind, count):
    settings = Settings(connect_to=parse_connect_to(f"*={origin}"), timeout=600, per_host=8)
    archive = Archive.open(home, create=True)
    async with Http(settings, archive.store) as http, Writer(archive) as writer:
        run = Run(archive, settings, Options(), http, writer)
        if kind == "video":
            items = [MediaItem("video", "https://video.twimg.com/v/big.mp4",
                               variants=[{"url": "https://video.twimg.com/v/big.mp4",
                                          "bitrate": 2176000, "type": "video/mp4"}])]
        else:
            items = [MediaItem("photo", f"https://pbs.twimg.com/media/P{i}.jpg")
                     for i in range(count)]
        results = await asyncio.gather(*(kept(run, writer, i, m) for i, m in enumerate(items)))
        assert all(r.status == "ok" for r in results), [r.reason for r in results][:3]

async def kept(run, writer, position, item):
    # fetched and checked, then made durable and put in place by the run's writer (grouped
    # with the others that end meanwhile), as a capture's decision about the item makes them
    result = await fetch_item(run, position, item)
    blobs = [e.blob for e in result.exchanges if e.blob]
    blobs += [result.thumbnail] if result.thumbnail else []
    await writer.do("media", nothing, blobs)
    return result

def nothing(session):
    pass  # the decision's rows are not what is measured here: only its blobs

asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])))
"""
# The photos' check alone (decode, dHash, thumbnail), on both cores, from files already on disk:
# no network, no database, no fsync. What no way of fetching them can go below.
CHECK_ONLY = """
import sys
from concurrent.futures import ProcessPoolExecutor
from archiver.images import check_image
from archiver.store import Store

def check(path):
    return check_image(path, Store(sys.argv[1])).problem

if __name__ == "__main__":
    store = Store(sys.argv[1])
    store.create()
    with ProcessPoolExecutor(2) as pool:
        problems = [p for p in pool.map(check, sys.argv[2:], chunksize=32) if p]
    assert not problems, problems[:3]
"""


def distinct_photos(count: int) -> list[bytes]:
    """`count` different 1200x900 JPEGs (a photo-like gradient, each with its own marks), so
    that every one is stored, decoded and hashed on its own: no deduplication."""

    def one(i: int) -> bytes:
        image = Image.radial_gradient("L").resize((1200, 900)).convert("RGB")
        image.paste(
            (i % 251, (i * 7) % 253, (i * 13) % 255),
            (i % 1100, (i * 3) % 800, i % 1100 + 100, (i * 3) % 800 + 100),
        )
        out = io.BytesIO()
        image.save(out, "JPEG", quality=88)
        return out.getvalue()

    with ThreadPoolExecutor() as pool:
        return list(pool.map(one, range(count)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video-mib", type=int, default=2048)
    parser.add_argument("--photos", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--dir", type=Path, default=ROOT / "bench", help="where both write (default: bench/)"
    )
    args = parser.parse_args()
    server = ReplayServer()
    with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
        work = Path(scratch)
        video = work / "big.mp4"
        with open(video, "wb") as out:  # real bytes on disk, not a sparse file
            block = os.urandom(1024 * 1024)
            size = args.video_mib * len(block)
            # an MP4's boxes: `ftyp`, then one `mdat` (a 64-bit size) holding the rest
            head = (24).to_bytes(4, "big") + b"ftypmp42" + bytes(12)
            head += (1).to_bytes(4, "big") + b"mdat" + (size - 24).to_bytes(8, "big")
            out.write(head + block[len(head) :])
            for _ in range(args.video_mib - 1):
                out.write(block)
        photos = distinct_photos(args.photos)
        server.add(
            "video.twimg.com",
            "/v/big.mp4",
            Reply(200, b"", {"Content-Type": "video/mp4"}, file=video),
        )
        server.add(
            "pbs.twimg.com",
            "*",
            lambda h: Reply(
                200,
                photos[int(h.path.split("/P")[1].split("?")[0])],
                {"Content-Type": "image/jpeg"},
            ),
        )
        photo = photos[0]
        home, fetched = work / "home", work / "curl"

        def fresh() -> None:
            shutil.rmtree(home, ignore_errors=True)
            shutil.rmtree(fetched, ignore_errors=True)
            fetched.mkdir()
            os.sync()  # every run starts with nothing of the last one left to write back

        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        curl_video = [
            "curl",
            "-s",
            "-H",
            "Host: video.twimg.com",
            "-o",
            str(fetched / "v.mp4"),
            f"{server.origin}/v/big.mp4",
        ]
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
                *median_of(args.runs, [*curl_video], before=fresh),
            ),
            (
                "curl -o file, then sync",  # archiver's blobs are durable when it ends
                *median_of(
                    args.runs, ["sh", "-c", f"{shlex.join(curl_video)} && sync"], before=fresh
                ),
            ),
        ]
        size_mb = video.stat().st_size / 1e6
        report(
            f"one {size_mb:,.0f} MB video",
            rows,
            "curl -o file",
            f"archiver {size_mb / rows[0][1]:.0f} MB/s, curl {size_mb / rows[1][1]:.0f} MB/s "
            f"({rows[0][1] / rows[2][1]:.2f}x curl then sync); archiver's peak stays bounded "
            "whatever the size",
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
                    [
                        "curl",
                        "-s",
                        "--no-progress-meter",
                        "-Z",
                        "--parallel-max",
                        "8",
                        "-K",
                        str(config),
                    ],
                    before=fresh,
                ),
            ),
        ]
        files = work / "files"
        files.mkdir()
        for i, data in enumerate(photos):
            (files / f"P{i}.jpg").write_bytes(data)
        rows.append(
            (
                "the check alone, both cores",
                *median_of(
                    args.runs,
                    [PYTHON, "-c", CHECK_ONLY, str(work / "checks"), *map(str, files.iterdir())],
                    env=env,
                ),
            )
        )
        report(
            f"{args.photos:,} distinct photos of about {len(photo) / 1e3:.0f} kB (1200x900 JPEG)",
            rows,
            "curl -Z (8 at once)",
            f"archiver {args.photos / rows[0][1]:.0f} photos/s, "
            f"curl {args.photos / rows[1][1]:.0f} photos/s; both ask 8 at a time. The check "
            f"alone (decode, dHash, thumbnail; no network, no fsync, start-up included) takes "
            f"{rows[2][1] / rows[1][1]:.1f}x curl: the floor of any run that checks each photo",
        )
    server.close()


if __name__ == "__main__":
    main()
