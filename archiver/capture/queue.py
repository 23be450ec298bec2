"""Step 3: the queue. Workers take claimed jobs and run each through its steps: a short link is
resolved (resolve.py); a post is asked for (ask.py) and its media fetched (media.py). Jobs are
claimed in batches through the writer, and the jobs a step starts (a resolved link's post, a
quoted post) join the run. One broken job never stops the run.

A worker (`archiver work`, `Runner(run, None, worker=True)`) runs every due job of the queue
and then waits for more, until `stop()` (SIGTERM): it claims no more, gives back the jobs it
claimed but did not start, and finishes those in hand. A full disk stops a run the same way,
and then ends it as an error (exit 2): the jobs it held are taken back by the next run. On a
team archive a run renews the lease on the jobs it holds while it works (see rows/jobs.py)."""

from __future__ import annotations

import asyncio
import contextlib
import functools

from .. import photos
from ..errors import ArchiverError, stops_the_run
from ..rows.decisions import apply_resolved
from ..rows.jobs import Ticket, claim, finish, release, renew
from ..vocab import JobKind, JobState
from .ask import ask, stored_record
from .context import Run
from .find import find
from .media import capture_media
from .resolve import resolve

JOBS_PER_SLOT = 8
WAIT_FOR_OTHERS = 0.25  # seconds between looks at jobs another run holds
IDLE = 1.0  # seconds between looks at an empty queue (a worker)


class Runner:
    """Runs the due jobs of `scope` (every due job when None) until none is left."""

    def __init__(
        self, run: Run, scope: set[int] | None, worker: bool = False, drain: bool = False
    ) -> None:
        self.run, self.scope = run, scope
        self.worker, self.drain = worker, drain  # a worker waits for jobs; `drain`: till none
        self.lease = run.archive.lease
        self.ran = 0  # jobs run to their end
        self.ready: asyncio.Queue[Ticket | None] = asyncio.Queue()
        self.active = 0
        self.elsewhere = 0  # jobs of the scope another run is working on
        self.changed = asyncio.Event()
        self.stopping = False
        self.full: Exception | None = None  # the disk filled (or failed): the run stops on it
        run.progress.start(len(scope) if scope is not None else 0)

    async def __call__(self) -> None:
        # Jobs in flight: several per request slot, since a job spends most of its time waiting
        # (for an answer, for an image check, for the writer); the HTTP limits stay as set.
        workers = self.run.settings.concurrency * JOBS_PER_SLOT
        if self.worker or self.scope:
            photos.start()  # loading while the first posts are asked for
        tasks = [asyncio.create_task(self._worker()) for _ in range(workers)]
        feeder = asyncio.create_task(self._feed(workers))
        leases = asyncio.create_task(self._renew()) if self.lease else None
        await asyncio.gather(feeder, *tasks)
        if leases is not None:
            leases.cancel()
        if self.full is not None:
            raise self.full  # exit 2 (errors.NoSpace); what was committed stays, retry finishes

    def stop(self) -> None:
        """Claim nothing more; give back what is claimed but not started; end once the jobs
        in hand are finished."""
        self.stopping = True
        self.changed.set()

    async def _renew(self) -> None:
        assert self.lease is not None
        while True:
            await asyncio.sleep(self.lease / 3)
            with contextlib.suppress(Exception):  # the next renewal tries again
                await self.run.writer.do("lease", renew)

    async def _give_back(self) -> None:
        waiting = []
        while not self.ready.empty():
            ticket = self.ready.get_nowait()
            if ticket is not None:
                waiting.append(ticket.job_id)
        if waiting:
            self.active -= len(waiting)  # first: a release that fails (a full disk) must not
            # leave them counted, or the run waits for them for ever (the next run takes them)
            await self.run.writer.do("release", functools.partial(release, ids=waiting))

    async def _feed(self, workers: int) -> None:
        """Keep the workers supplied; end the run when nothing is due and nothing runs."""
        while True:
            self.changed.clear()
            if self.stopping:
                with contextlib.suppress(Exception) if self.full else contextlib.nullcontext():
                    await self._give_back()  # (on a full disk they stay claimed: taken back)
            # Claimed when half the supply is gone, so that a claim takes many jobs at once.
            low = self.ready.qsize() <= workers
            want = workers * 2 - self.ready.qsize()
            tickets = await self._claim(want) if low and not self.stopping else []
            for ticket in tickets:
                self.ready.put_nowait(ticket)
            if tickets or (self.changed.is_set() and not self.stopping):
                continue  # look again: a job that ended meanwhile may have started others
            if self.active == 0 and self.elsewhere and not self.stopping:
                await asyncio.sleep(WAIT_FOR_OTHERS)  # another run holds some of ours
                continue
            if self.active == 0 and self.worker and not (self.stopping or self.drain):
                await self._idle()
                continue
            if self.active == 0:
                for _ in range(workers):
                    self.ready.put_nowait(None)
                return
            await self.changed.wait()

    async def _idle(self) -> None:
        """Wait for work: a while, or until asked to stop."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.changed.wait(), IDLE)

    async def _claim(self, limit: int) -> list[Ticket]:
        scope = None if self.scope is None else set(self.scope)
        got = await self.run.writer.do(
            "claim",
            functools.partial(
                claim, limit=limit, scope=scope, lease=self.lease, watch_all=self.worker
            ),
        )
        tickets, self.elsewhere = got.tickets, got.elsewhere
        if self.scope is not None:
            self.scope -= {t.job_id for t in tickets}
        else:  # a retry learns its jobs as it claims them
            self.run.progress.add_total(len(tickets))
        self.active += len(tickets)
        return tickets

    def _started(self, ids: list[int]) -> None:
        if self.scope is not None:
            self.run.progress.add_total(len(set(ids) - self.scope))
            self.scope.update(ids)

    async def _worker(self) -> None:
        while (ticket := await self.ready.get()) is not None:
            said = "stopped"  # (cancelled by ^C or SIGTERM: the job stays for `retry`)
            try:
                await self._run_job(ticket)
                said = "done"
            except Exception as exc:
                said = "failed"
                if stops_the_run(exc):  # not the job's failure: the run stops, the job is taken
                    self.full = self.full or exc  # back by the next one
                    self.stop()
                else:
                    await self._failed(ticket, exc)
            finally:
                self.active -= 1
                self.ran += 1
                self.changed.set()
                self.run.progress.advance(1, f"{ticket.kind} {ticket.target}: {said}")

    async def _run_job(self, ticket: Ticket) -> None:
        if ticket.kind == JobKind.FIND:
            self._started(await find(self.run, ticket))
            return
        if ticket.kind == JobKind.RESOLVE:
            decision = await resolve(
                self.run.http, ticket.job_id, ticket.target, self.run.options.recapture
            )
            self._started(
                await self.run.writer.do(
                    "resolve", functools.partial(apply_resolved, r=decision), decision.blobs
                )
            )
            if decision.status_id:
                self.run.progress(f"{ticket.target} → {decision.status_id}")
            return
        kept = ticket.asked_before and not self.run.options.recapture
        if self.run.options.recapture:  # media whose kept bytes the disk damaged: fetched again
            ticket.media_done = await asyncio.to_thread(self._intact, ticket)
        record = stored_record(self.run, ticket.record_digest) if kept else None
        # No record (a gone post whose archived copy could not be read), or one that lacks part
        # of the post: the sources are asked again
        if record is None or record.gaps:
            record, started = await ask(self.run, ticket)
            self._started(started)
        if record is not None:
            await capture_media(self.run, ticket, record)

    def _intact(self, ticket: Ticket) -> set[tuple[int, str]]:
        """The media kept whole (hashed again, off the event loop)."""
        store = self.run.archive.store
        return {k for k, digest in ticket.media_digests.items() if store.intact(digest)}

    async def _finish(self, ticket: Ticket, state: JobState, error: str | None = None) -> None:
        await self.run.writer.do(
            "job", functools.partial(finish, job_id=ticket.job_id, state=state, error=error)
        )

    async def _failed(self, ticket: Ticket, exc: Exception) -> None:
        # When the database itself fails, the job stays running and the next run takes it back.
        with contextlib.suppress(Exception):
            said = str(exc) if isinstance(exc, ArchiverError) else f"{type(exc).__name__}: {exc}"
            await self._finish(ticket, JobState.FAILED, said[:500])
