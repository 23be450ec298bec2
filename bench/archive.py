"""Archive benchmark: 500 posts with 1,000 photos from a loopback server that adds 50 ms to
every request. Wall time of `archiver archive` against the ideal bound (requests × 50 ms ÷
requests allowed at once) and against `xargs -P8 curl` fetching the same URLs; peak memory.

    python bench/archive.py                 # 500 posts, 3 runs
    python bench/archive.py --posts 100 --runs 1
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
from media import distinct_photos  # noqa: E402
from replay import ReplayServer, Reply, json_reply  # noqa: E402
from world import query_id, tweet  # noqa: E402

DELAY = 0.05
BASE_ID = 1864994181010350326


def serve(server: ReplayServer, ids: list[str]) -> list[str]:
    """Each post has two photos of its own; return every URL a capture fetches, for curl."""
    known = set(ids)
    photos = distinct_photos(len(ids) * 2)
    index = {
        f"{letter}{status_id}": 2 * i + (letter == "B")
        for i, status_id in enumerate(ids)
        for letter in "AB"
    }

    def answer(handler):  # type: ignore[no-untyped-def]
        status_id = query_id(handler)
        if status_id not in known:
            return json_reply({})
        return json_reply(
            tweet(
                status_id,
                [f"https://pbs.twimg.com/media/{letter}{status_id}.jpg" for letter in "AB"],
            )
        )

    server.add("cdn.syndication.twimg.com", "/tweet-result", answer)
    server.add(
        "pbs.twimg.com",
        "*",
        lambda h: Reply(
            200,
            photos[index[h.path.split("/media/")[1].split("?")[0]]],
            {"Content-Type": "image/jpeg"},
        ),
    )
    server.extra_delay = DELAY
    urls = []
    for status_id in ids:
        urls.append(f"cdn.syndication.twimg.com /tweet-result?id={status_id}")
        for letter in "AB":
            urls.append(f"pbs.twimg.com /media/{letter}{status_id}?format=jpg&name=orig")
    return urls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ids = [str(BASE_ID + i * 4_194_304) for i in range(args.posts)]
    server = ReplayServer()
    requests = serve(server, ids)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        listing = work / "list.txt"
        listing.write_text("\n".join(ids) + "\n")
        curl_list = work / "curl.txt"
        curl_list.write_text(
            "".join(
                f"-H\nHost: {host}\n{server.origin}{path}\n"
                for host, path in (line.split(" ", 1) for line in requests)
            )
        )
        home = work / "home"

        def fresh() -> None:
            shutil.rmtree(home, ignore_errors=True)

        rows = []
        for per_host in (2, 8):
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "ARCHIVER_PER_HOST": str(per_host),
                "ARCHIVER_CONCURRENCY": "8",
            }
            command = [
                PYTHON,
                "-m",
                "archiver",
                "--archive",
                str(home),
                "--connect-to",
                f"*={server.origin}",
                "archive",
                "--list",
                str(listing),
            ]
            rows.append(
                (
                    f"archiver ({per_host} per host)",
                    *median_of(args.runs, command, before=fresh, env=env, stdout=-3, stderr=-3),
                )
            )
        # xargs hands curl three arguments at a time: -H, the Host header, the URL.
        curl = ["sh", "-c", f"xargs -d '\\n' -n 3 -P 8 curl -s -o /dev/null < {curl_list}"]
        rows.append(("xargs -P8 curl", *median_of(args.runs, curl)))
        per_host_ideal = len(requests) // 3 * 2 * DELAY / 2  # photos: the busiest host, 2 at once
        all_at_8 = len(requests) * DELAY / 8
        server.extra_delay = 0.0
        env = {**os.environ, "PYTHONPATH": str(ROOT), "ARCHIVER_PER_HOST": "8"}
        local = median_of(args.runs, command, before=fresh, env=env, stdout=-3, stderr=-3)
        # The fixed cost of a run (start-up, the writer and image processes, the last commit):
        # the same command on a list of one post.
        one = work / "one.txt"
        one.write_text(ids[0] + "\n")
        start = median_of(
            args.runs,
            [*command[:-1], str(one)],
            before=fresh,
            env=env,
            stdout=-3,
            stderr=-3,
        )
        rows.append(("archiver, no latency (8 per host)", *local))
        report(
            f"{args.posts} posts, {args.posts * 2} distinct photos, {len(requests)} requests, "
            f"{DELAY * 1000:.0f} ms each",
            rows,
            "xargs -P8 curl",
            f"ideal bound: {per_host_ideal:.1f} s at 2 per host (archiver "
            f"{rows[0][1] / per_host_ideal:.2f}x), {all_at_8:.1f} s at 8 at once; local work "
            f"per post at 0 ms: {(local[0] - start[0]) / (args.posts - 1) * 1000:.1f} ms "
            f"(a run of one post, {start[0]:.2f} s, not counted)",
        )
    server.close()


if __name__ == "__main__":
    main()
