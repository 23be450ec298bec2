"""Browse benchmark: an archive of 100,000 posts in several scripts (English, Arabic with and
without short vowels, Japanese, Russian, French, Thai), with media, alt text and captures,
written by SQL through the schema's own triggers (so the search index is built as a writer
builds it). Measured warm, in one process:

- `list --search` (the library call `archiver list` makes): the first 50 posts and the count,
  for common and rare words, a phrase, Arabic, Japanese (trigrams and a two-character word);
- filters without words (state, handle, time);
- the viewer's post page and list pages, asked over HTTP of `archiver serve` on loopback;
- and, apart, `archiver list --search … --limit 50` as a process (start-up included).

    python bench/browse.py                  # 100,000 posts
    python bench/browse.py --posts 20000 --runs 5
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PYTHON, ROOT, median_of  # noqa: E402

sys.path.insert(0, str(ROOT))

WORDS = {
    "en": "the rebels city forces regime army attack drone strike border humanitarian aid convoy "
    "shelling ceasefire talks minister airport bridge hospital school protest election map "
    "today reports confirmed sources say video shows footage near north south east west",
    "ar": "عاجل المعارضة السورية تعلن دخول مدينة حمص حِمْص قوات النظام الجيش هجوم طائرة مسيرة "
    "الحدود مساعدات إنسانية قافلة قصف وقف إطلاق النار مفاوضات وزير مطار جسر مستشفى مدرسة "
    "احتجاج انتخابات أحمد دمشق حلب درعا",
    "ru": "Москва заявила о переговорах в Стамбуле армия удар беспилотник граница помощь колонна "
    "обстрел перемирие министр аэропорт мост больница школа протест выборы",
    "fr": "les rebelles ont pris le contrôle de l'aéroport près de Damas selon l'Observatoire "
    "frappe drone frontière aide humanitaire convoi cessez-le-feu négociations ministre hôpital",
    "th": "กรุงเทพ ประกาศ ภาวะฉุกเฉิน น้ำท่วม รัฐบาล ช่วยเหลือ ผู้ประสบภัย ภาคเหนือ",
}
JAPANESE = (
    "東京都 で 地震 が 発生 しました 交通機関 に 影響 政府 は 会見 で 避難 を 呼びかけ ました "
    "大阪 台風 被害 停電 首相 記者 発表 速報 気象庁 震度 観測"
).split()
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
RECORDED = "record_digest IS NOT NULL"  # the posts given a record: their pages are asked
LANGS = ["en"] * 40 + ["ar"] * 20 + ["ja"] * 15 + ["ru"] * 10 + ["fr"] * 10 + ["th"] * 5
SEARCHES = [
    ("common word (drone)", "drone"),
    ("rare word (Observatoire)", "Observatoire"),
    ("two words (hospital shelling)", "hospital shelling"),
    ('phrase ("ceasefire talks")', '"ceasefire talks"'),
    ("prefix (négoc*)", "négoc*"),
    ("Arabic, folded (حمص)", "حمص"),
    ("Arabic, two words (قوات النظام)", "قوات النظام"),
    ("Japanese, trigram (交通機関)", "交通機関"),
    ("Japanese, 2 characters (地震)", "地震"),
    ("alt text (rubble)", "rubble"),
]


def stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")


def text_of(rng: random.Random, lang: str) -> str:
    if lang == "ja":
        return "".join(rng.choices(JAPANESE, k=rng.randint(8, 30)))
    words = WORDS[lang].split()
    return " ".join(rng.choices(words, k=rng.randint(8, 35)))


def build(home: Path, count: int) -> None:
    """Write `count` posts, their media and captures, and a record for 100 of them."""
    from archiver import __version__
    from archiver.archive import Archive
    from archiver.record import PostRecord, canonical_json

    archive = Archive.open(home, create=True)
    archive.engine.dispose()
    rng = random.Random(20241206)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    handles = [f"account_{i}" for i in range(3_000)]
    now = stamp(datetime.now(UTC))
    posts, media, captures = [], [], []
    for n in range(1, count + 1):
        status_id = str(1_300_000_000_000_000_000 + n * 7_919_113)
        lang = rng.choice(LANGS)
        when = start + timedelta(seconds=rng.randrange(5 * 365 * 86400))
        state = "live" if rng.random() < 0.94 else rng.choice(["deleted", "suspended", "withheld"])
        handle = rng.choice(handles)
        posts.append(
            (n, status_id, handle, f"Name {handle}", stamp(when), text_of(rng, lang), lang, state)
        )
        for position in range(rng.choice([0, 0, 0, 1, 1, 2, 4])):
            alt = "rubble of a building after the strike" if rng.random() < 0.1 else None
            kind = rng.choice(["photo", "photo", "video"])
            url = f"https://pbs.twimg.com/media/{n}-{position}.jpg"
            failed = rng.random() < 0.02
            status, reason = ("failed", "orig: HTTP 404") if failed else ("ok", None)
            media.append((n, position, kind, url, alt, status, reason))
        fetched = stamp(datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=n))
        url = f"https://cdn.syndication.twimg.com/tweet-result?id={status_id}"
        captures.append((n, "syndication", url, 200, fetched, "found", __version__))
    conn = sqlite3.connect(home / "archive.db", isolation_level=None)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO post (id, status_id, handle, author_name, created_at, text, lang, state, "
        f"first_seen_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{now}', '{now}')",
        posts,
    )
    conn.executemany(
        "INSERT INTO media (post_id, position, kind, remote_url, alt_text, status, reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        media,
    )
    conn.executemany(
        "INSERT INTO capture (post_id, source, url, http_status, fetched_at, outcome, headers, "
        "tool_version) VALUES (?, ?, ?, ?, ?, ?, '[]', ?)",
        captures,
    )
    conn.execute("COMMIT")
    for n in rng.sample(range(1, count + 1), 100):  # the posts whose pages are asked
        row = posts[n - 1]
        record = PostRecord(status_id=row[1], source="syndication", handle=row[2], text=row[5])
        digest, size = archive.store.put(canonical_json(record.to_dict()))
        conn.execute(
            "INSERT OR IGNORE INTO blob (digest, size, derived, created_at) VALUES (?, ?, 1, ?)",
            (digest, size, now),
        )
        conn.execute("UPDATE post SET record_digest = ? WHERE id = ?", (digest, n))
    conn.close()


def timed(func: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median, slowest) milliseconds of `func()` over `runs` runs, after one warm-up."""
    func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


Row = tuple[str, float, float, int]


def queries(home: Path, runs: int) -> list[Row]:
    """The library calls `archiver list` makes: a page of 50, and the count."""
    from archiver.archive import Archive
    from archiver.browse import Filters, count_posts, list_posts, reader

    filters = [(f"list --search: {name}", Filters(search=words)) for name, words in SEARCHES]
    captured = Filters.parse(since="2024-02-01", time="captured")
    filters += [
        ("list (no filter)", Filters()),
        ("list --state gone", Filters.parse(state=["gone"])),
        ("list --handle", Filters(handle="account_42")),
        ("list --since 2024-12-01", Filters.parse(since="2024-12-01")),
        ("list --since 2024-02-01 --time captured", captured),
        ("list --failed", Filters(failed=True)),
        ("list --has-media --search drone", Filters(has_media=True, search="drone")),
    ]
    rows: list[Row] = []
    with reader(Archive.open(home)) as conn:
        for name, f in filters:
            f.limit = 50
            found = count_posts(conn, f)
            rows.append((name, *timed(lambda f=f: list_posts(conn, f), runs), found))
            rows.append(("  and its count", *timed(lambda f=f: count_posts(conn, f), runs), found))
    return rows


def viewer(home: Path, runs: int) -> list[Row]:
    """The viewer's pages, asked of `archiver serve` over loopback."""
    import httpx

    serve = [PYTHON, "-m", "archiver", "--archive", str(home), "serve", "--port", "0"]
    proc = subprocess.Popen(serve, stdout=subprocess.PIPE, text=True, env=ENV)
    try:
        origin = re.search(r"http://[\d.]+:\d+", proc.stdout.readline()).group(0)  # type: ignore[union-attr]
        with sqlite3.connect(home / "archive.db") as conn:
            asked = [r[0] for r in conn.execute(f"SELECT status_id FROM post WHERE {RECORDED}")]
        pages = iter(asked * 2)
        with httpx.Client(base_url=origin) as client:

            def get(path: str) -> Callable[[], object]:
                return lambda: client.get(path).raise_for_status()

            post = timed(lambda: get(f"/post/{next(pages)}")(), len(asked) - 1)
            return [
                ("viewer: a post page (GET /post/ID)", *post, len(asked)),
                ("viewer: a search page (GET /?q=drone)", *timed(get("/?q=drone"), runs), 50),
                ("viewer: the list (GET /)", *timed(get("/"), runs), 50),
            ]
    finally:
        proc.terminate()
        proc.wait(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="build the archive here, or use the one there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=ROOT / "bench") as scratch:
        home = args.keep or Path(scratch) / "archive"
        if not (home / "archive.db").exists():
            began = time.perf_counter()
            build(home, args.posts)
            built = time.perf_counter() - began
            rate = args.posts / built
            print(f"{args.posts:,} posts written in {built:.1f} s ({rate:,.0f} posts/s)")
        size = sum(p.stat().st_size for p in home.glob("archive.db*")) / 1e6
        rows = queries(home, args.runs) + viewer(home, args.runs)
        cli = [PYTHON, "-m", "archiver", "--archive", str(home), "list", "--search", "drone"]
        process, _ = median_of(3, [*cli, "--limit", "50"], env=ENV, stdout=-3)
        texts = Path(scratch) / "texts.txt"  # the reference: every post's text, one a line
        with sqlite3.connect(home / "archive.db") as conn:
            lines = (
                " ".join((t or "").split()) + "\n" for (t,) in conn.execute("SELECT text FROM post")
            )
            texts.write_text("".join(lines), encoding="utf-8")
        grep, _ = median_of(5, ["grep", "-c", "-F", "drone", str(texts)], stdout=-3)
    print(f"\n{args.posts:,} posts, database {size:.0f} MB, {os.cpu_count()} cores")
    print("  (ms, page cache warm; each post page is a post not asked before)")
    print(f"  {'query':<46} {'median':>8} {'slowest':>8} {'posts':>8}")
    for name, median, slowest, found in rows:
        print(f"  {name:<46} {median:>8.1f} {slowest:>8.1f} {found:>8,}")
    print(f"  `archiver list --search drone --limit 50`, a process: {process * 1000:.0f} ms")
    print(
        f"  reference: `grep -c -F drone` over the posts' texts, one a line: {grep * 1000:.1f} ms"
    )
    print("  targets: list --search under 100 ms, a post page under 50 ms")


if __name__ == "__main__":
    main()
