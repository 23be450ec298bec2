"""The archive flow: from what the user names to captured posts, in numbered steps, one module
each (see `archive`). Every change to the database during a run is a decision written whole by
one writer (writer.py), so a crash at any point leaves the archive consistent and `retry`
finishes the rest."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import BinaryIO, TypeVar

from sqlmodel import col, select

from ..archive import Archive
from ..config import Settings
from ..models import Job, Reference, ReferenceLink
from ..names import find_posts
from ..net import Http
from ..progress import ensure
from ..rows.jobs import recover, reopen
from ..rows.records import chunks
from ..stamp import runs
from ..vocab import DONE_VERDICTS
from .ask import observe
from .cite import Cited, take_in
from .context import Options, Progress, Run
from .inputs import Item, read_inputs
from .queue import Runner
from .save import save_copy
from .settle import settle
from .writer import Writer

__all__ = [
    "Cited",
    "Item",
    "Options",
    "archive",
    "read_inputs",
    "recheck",
    "retry",
    "wayback",
    "work",
]
T = TypeVar("T")


def archive(
    home: Archive,
    settings: Settings,
    items: list[Item],
    options: Options,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> tuple[list[Cited], list[str]]:
    """Archive what `items` name; (what became of each reference, warnings).

    1. inputs   — `read_inputs` has checked every input before anything is written
    2. cite     — documents, references, witnesses and queued jobs become rows
    3. queue    — the run claims its jobs and runs each through the steps below
    4. resolve  — short links are walked to the post they name
    5. ask      — the sources are asked for each post; its record and state are decided
    6. media    — each post's photos and videos are fetched and checked
    7. settle   — what became of each reference: captured, partial, gone, pending…
    8. wayback  — with `options.wayback`, a public copy of each post (Save Page Now)
    """
    started = datetime.now(UTC)
    with home.session() as sess:
        recover(sess, home.lease)
    run_id = runs.begin(home, "archive", settings)
    intake = take_in(home, items, stdin, options.recapture, run_id)
    _, failures = _run(
        home,
        settings,
        options,
        progress,
        lambda run: Runner(run, intake.job_ids)(),
        "archive",
        run_id,
    )
    cited = settle(home, intake.cited, started) + intake.unreadable
    if options.wayback:  # 8. a public copy of every post now captured, on request
        done = [c.status_id for c in cited if c.status_id and c.outcome in DONE_VERDICTS]
        if done:
            wayback(home, settings, list(dict.fromkeys(done)), progress)
    return cited, intake.warnings + failures


def wayback(
    home: Archive, settings: Settings, names: list[str], progress: Progress | None = None
) -> list[dict[str, object]]:
    """Ask the Wayback Machine to keep a public copy of each archived post (Save Page Now);
    each request and its answers are captures of the post, the snapshot URL the last one's."""
    with home.session() as sess:
        posts = [
            (p.id, p.status_id, f"https://x.com/{p.handle or 'i/web'}/status/{p.status_id}")
            for p in find_posts(sess, names)
        ]

    async def saves(run: Run) -> list[dict[str, object]]:
        done = await asyncio.gather(*(save_copy(run, *post) for post in posts))  # type: ignore[arg-type]
        return [s.to_dict() for s in done]

    return _run(home, settings, Options(), progress, saves, "wayback")[0]


def retry(
    home: Archive, settings: Settings, options: Options, progress: Progress | None = None
) -> list[Cited]:
    """Run every pending and failed job again (those of a killed run too)."""
    started = datetime.now(UTC)
    with home.session() as sess:
        recover(sess, home.lease)
        ids = reopen(sess)
        refs: set[int | None] = set()
        for part in chunks(ids):  # a part at a time: any number of jobs
            refs.update(sess.exec(select(Job.reference_id).where(col(Job.id).in_(part))))
    # its jobs a scope: one another live run holds meanwhile is waited for, not left pending
    _run(home, settings, options, progress, lambda run: Runner(run, set(ids))(), "retry")
    with home.session() as sess:
        rows: list[Reference] = []
        links: dict[int, list[str]] = {}
        for part in chunks(sorted(r for r in refs if r is not None)):
            rows += sess.exec(select(Reference).where(col(Reference.id).in_(part)))
            for ref_id, url in sess.exec(
                select(ReferenceLink.reference_id, ReferenceLink.url).where(
                    col(ReferenceLink.reference_id).in_(part)
                )
            ):
                links.setdefault(ref_id, []).append(url)
        cited = [Cited(r.id, r.match, r.status_id, links.get(r.id, [])) for r in rows if r.id]
    return settle(home, cited, started)


def work(
    home: Archive,
    settings: Settings,
    options: Options,
    progress: Progress | None = None,
    drain: bool = False,
) -> int:
    """Run the queue's jobs as they come due, as a long-running worker, until SIGTERM or SIGINT
    (then: no more claims, the jobs claimed but not started given back, those in hand
    finished), or with `drain` until no job is due or held by another worker. Any number of
    workers on any number of machines share a team archive's queue. Returns the jobs it ran."""
    with home.session() as sess:
        recover(sess, home.lease)

    async def body(run: Run) -> int:
        runner = Runner(run, None, worker=True, drain=drain)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, runner.stop)
        try:
            await runner()
        finally:
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(sig)
        return runner.ran

    ran, _ = _run(home, settings, options, progress, body, "work")
    return ran


def recheck(
    home: Archive,
    settings: Settings,
    names: list[str],
    options: Options | None = None,
    progress: Progress | None = None,
) -> list[dict[str, object]]:
    """Ask the live sources again whether each post is still there; add a check each."""
    with home.session() as sess:
        posts = [(p.id, p.status_id, p.handle) for p in find_posts(sess, names)]
    options = options or Options()

    async def one(run: Run, post: tuple) -> dict[str, object]:  # type: ignore[type-arg]
        row = await observe(run, *post)
        run.progress.advance(1, f"{row.get('status_id')}: {row.get('state')}")
        return row

    async def checks(run: Run) -> list[dict[str, object]]:
        run.progress.start(len(posts))
        return list(await asyncio.gather(*(one(run, post) for post in posts)))

    return _run(home, settings, options, progress, checks, "recheck")[0]


def _run(
    home: Archive,
    settings: Settings,
    options: Options,
    progress: Progress | None,
    body: Callable[[Run], Awaitable[T]],
    command: str,
    run_id: int | None = None,
) -> tuple[T, list[str]]:
    """Run `body` as one run of `command`: its blobs name the run, and at its end the run's
    custody record is kept and stamped (runs.end); (what `body` gave, stamping failures)."""
    if run_id is None:
        run_id = runs.begin(home, command, settings)
    progress = ensure(progress)

    async def main() -> T:
        async with Http(settings, home.store) as http, Writer(home, run_id) as writer:
            return await body(Run(home, settings, options, http, writer, progress))

    result = asyncio.run(main())
    ended = runs.end(home, settings, run_id)
    for got in ended.stamps:
        progress.note(f"run {run_id}: {got.summary}")
    failures = [
        f"run {run_id} not stamped by {f}; stamp it later with `archiver stamp {run_id}`"
        for f in ended.failures
    ]
    for line in failures:
        progress.warn(line)
    return result, failures
