"""A public copy on request: ask the Wayback Machine's Save Page Now API (version 2) to capture
a post's URL, follow the job until it ends, and keep every exchange as a capture of the post.
The last one names the snapshot (`final_url`), which citations give as the archived copy.

    POST https://web.archive.org/save            url=…   → {"url": …, "job_id": "spn2-…"}
    GET  https://web.archive.org/save/status/ID          → {"status": "pending" | "success" |
                                                            "error", "timestamp", "original_url",
                                                            "status_ext", "message", …}

The API wants the user's access keys (`Authorization: LOW access:secret`, the `wayback_keys`
setting); the keys are sent, never stored. A rate limit (429, or `error:too-many-…`) is
reported as such: the post stays archived here, only the public copy is missing.
"""

from __future__ import annotations

import asyncio
import functools
import re
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from sqlmodel import Session

from ..exchange import Exchange
from ..fence import SAVE_PAGE_NOW
from ..net import recording
from ..rows.records import Batch, exchange_outcome
from ..sources.base import load_json, status_id_in
from ..store import Staged
from ..vocab import Outcome, Step
from .context import Run

SAVE_URL = "https://web.archive.org/save"


@dataclass
class Saved:
    """What one Save Page Now request came to."""

    post_id: int
    status_id: str
    exchanges: list[Exchange] = field(default_factory=list)
    snapshot_url: str | None = None
    reason: str | None = None
    rate_limited: bool = False

    @property
    def blobs(self) -> list[Staged]:
        return [e.blob for e in self.exchanges if e.blob]

    def to_dict(self) -> dict[str, object]:
        return {
            "status_id": self.status_id,
            "outcome": "saved" if self.snapshot_url else "failed",
            "snapshot_url": self.snapshot_url,
            "reason": self.reason,
        }


def apply_saved(sess: Session, s: Saved) -> None:
    batch = Batch()
    for i, exchange in enumerate(s.exchanges):
        last = i == len(s.exchanges) - 1
        if last and s.snapshot_url:
            batch.capture(exchange, Step.SAVE, Outcome.FOUND, None, s.post_id, None, s.snapshot_url)
        elif last:
            batch.capture(exchange, Step.SAVE, Outcome.ERROR, s.reason, s.post_id)
        else:
            outcome = exchange_outcome(exchange)
            batch.capture(exchange, Step.SAVE, outcome, None, s.post_id)
    batch.write(sess)


def _answer(exchange: Exchange) -> dict:
    data, _ = load_json(exchange.body or b"")
    return data if isinstance(data, dict) else {}


SNAPSHOT_TIME_RE = re.compile(r"[0-9]{14}")  # `20241206150012`, in ASCII digits
WEB_URL_RE = re.compile(r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/", re.IGNORECASE)


async def save_copy(run: Run, post_id: int, status_id: str, url: str) -> Saved:
    """Ask for a public copy of `url` and wait for it; write what happened as one decision."""
    saved = Saved(post_id, status_id)
    with recording() as log:
        try:
            await _save(run, url, saved)
        except Exception as exc:  # an answer of surprising shape: say so, keep what came
            saved.reason = f"Save Page Now: unexpected answer ({type(exc).__name__}: {exc})"
    saved.exchanges = log
    await run.writer.do("save", functools.partial(apply_saved, s=saved), saved.blobs)
    run.progress(f"{status_id}: {saved.snapshot_url or saved.reason}")
    return saved


async def _save(run: Run, url: str, saved: Saved) -> None:
    keys = run.settings.wayback_keys
    if not keys or ":" not in keys:
        saved.reason = "Save Page Now needs access keys: set wayback_keys (ARCHIVER_WAYBACK_KEYS)"
        return
    headers = {"Accept": "application/json", "Authorization": f"LOW {keys}"}
    submit = await run.http.post(SAVE_URL, SAVE_PAGE_NOW, {"url": url}, headers)
    answer = _answer(submit)
    if submit.status == 429 or "too-many" in str(answer.get("status_ext", "")):
        saved.rate_limited = True
        saved.reason = f"Save Page Now: rate limited ({answer.get('message') or submit.status})"
        return
    job = answer.get("job_id")
    if not submit.ok or not isinstance(job, str):
        why = answer.get("message") or answer.get("status_ext") or submit.error
        saved.reason = f"Save Page Now refused the request: {why or f'HTTP {submit.status}'}"
        return
    deadline = time.monotonic() + run.settings.save_timeout
    while time.monotonic() < deadline:
        await asyncio.sleep(run.settings.save_poll)
        status_url = f"{SAVE_URL}/status/{quote(job, safe='')}"
        poll = await run.http.get(status_url, SAVE_PAGE_NOW, follow=False)
        answer = _answer(poll)
        state = answer.get("status")
        stamp = str(answer.get("timestamp", ""))
        if state == "success" and not SNAPSHOT_TIME_RE.fullmatch(stamp):
            saved.reason = f"Save Page Now: a success with no snapshot time ({stamp[:40]!r})"
            return
        if state == "success":
            original = str(answer.get("original_url") or url)
            path = urlsplit(original).path  # (a login page's query may name the post)
            if status_id_in(path) != saved.status_id or not WEB_URL_RE.match(original):
                # X sent the archive's crawler elsewhere (its login page): no copy of the post
                saved.reason = f"Save Page Now kept another page: {original[:200]!r}"
                return
            saved.snapshot_url = f"https://web.archive.org/web/{stamp}/{original}"
            return
        if state == "error" or (not poll.ok and not poll.transient):
            ext = answer.get("status_ext") or poll.error or f"HTTP {poll.status}"
            saved.rate_limited = "too-many" in str(ext)
            saved.reason = f"Save Page Now failed: {ext} {answer.get('message') or ''}".strip()
            return
    saved.reason = f"Save Page Now job {job} still pending after {run.settings.save_timeout:g} s"
