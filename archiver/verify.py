"""Fixity: re-hash every blob (size first, then SHA-256) on every core, check that every row's
blob is there and whole, and report what each problem affects. Objects are only ever read;
`repair` may restore a missing or corrupt object from another archive or bundle.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import col, select

from .archive import Archive
from .errors import InputError
from .models import Blob, Capture, Document, Media, Post
from .store import CHUNK, DIGEST_RE, check_digest

DURATION_RE = re.compile(r"(\d+)\s*([smhdw])")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """`30d`, `12h`, `2w`, `1d12h` → timedelta."""
    parts = DURATION_RE.findall(text.strip().lower())
    if not parts or "".join(f"{n}{u}" for n, u in parts) != re.sub(r"\s", "", text.lower()):
        raise InputError(f"--since {text!r}: expected a duration such as 30d, 12h or 2w")
    return timedelta(seconds=sum(int(n) * UNITS[u] for n, u in parts))


@dataclass
class Problem:
    digest: str | None
    problem: str
    affects: list[str] = field(default_factory=list)
    serious: bool = True  # an orphan is reported but is not damage

    def to_dict(self) -> dict[str, object]:
        return {"digest": self.digest, "problem": self.problem, "affects": self.affects}


@dataclass
class Report:
    checked: int = 0
    bytes: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.serious for p in self.problems)

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
            "problems": [p.to_dict() for p in self.problems],
            "repaired": self.repaired,
        }


def hash_path(path: Path) -> tuple[str, int]:
    hasher, size = hashlib.sha256(), 0
    with open(path, "rb", buffering=0) as handle:
        while chunk := handle.read(CHUNK):
            hasher.update(chunk)
            size += len(chunk)
    return "sha256:" + hasher.hexdigest(), size


def check_object(path: Path, digest: str, size: int | None) -> str | None:
    """What is wrong with the object at `path` that should hold `digest`, or None."""
    try:
        actual_size = path.stat().st_size
        if size is not None and actual_size != size:
            return f"size {actual_size:,} bytes, expected {size:,} (truncated or altered)"
        actual, _ = hash_path(path)
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        return "not a file"
    except PermissionError:
        return "unreadable (permission denied)"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    return None if actual == digest else f"corrupt: its bytes hash to {actual}"


def affected(archive: Archive) -> dict[str, list[str]]:
    """For every digest, the rows that point at it, in words."""
    uses: dict[str, list[str]] = {}

    def add(digest: str | None, what: str) -> None:
        if digest:
            uses.setdefault(digest, []).append(what)

    with archive.session() as sess:
        posts = {p.id: p for p in sess.exec(select(Post))}

        def name(post_id: int | None) -> str:
            post = posts.get(post_id)
            return f"post {post.status_id or post.witness_key}" if post else "no post"

        for post in posts.values():
            add(post.record_digest, f"{name(post.id)} record")
        for media in sess.exec(select(Media)):
            add(media.blob_digest, f"{name(media.post_id)} {media.kind} {media.position + 1}")
        for capture in sess.exec(select(Capture)):
            add(
                capture.blob_digest,
                f"{name(capture.post_id)} capture {capture.id} "
                f"({capture.source} {capture.url[:80]})",
            )
        for document in sess.exec(select(Document)):
            add(document.blob_digest, f"document {document.path}")
    return uses


def _stray(archive: Archive) -> Iterator[Problem]:
    """Files under objects/ that are not well-named objects in their right shard."""
    root = archive.store.root / "objects"
    for folder, _dirs, files in os.walk(root):
        for file in files:
            path = Path(folder) / file
            rel = path.relative_to(root).as_posix()
            parts = rel.split("/")
            good = (
                len(parts) == 3
                and parts[0] == "sha256"
                and parts[1] == file[:2]
                and DIGEST_RE.fullmatch("sha256:" + file)
            )
            if not good:
                digest = "sha256:" + file if DIGEST_RE.fullmatch("sha256:" + file) else None
                yield Problem(digest, f"stray file objects/{rel} (not where an object belongs)")


def verify(
    archive: Archive,
    since: timedelta | None = None,
    sample: int | None = None,
    repair_from: Path | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Report:
    report = Report()
    started = time.monotonic()
    uses = affected(archive)
    with archive.session() as sess:
        blobs = {b.digest: b.size for b in sess.exec(select(Blob))}
        stale = datetime.now(UTC) - since if since else None
        chosen = [
            b.digest
            for b in sess.exec(select(Blob))
            if stale is None or b.verified_at is None or b.verified_at < stale
        ]
        posts_without = sess.exec(
            select(Post).where(
                ~col(Post.id).in_(select(Capture.post_id).where(col(Capture.post_id).is_not(None)))
            )
        ).all()
    if sample is not None:
        chosen = random.sample(chosen, min(sample, len(chosen)))

    for digest in sorted(set(uses) - set(blobs)):
        report.problems.append(
            Problem(digest, "a row points at a blob the archive does not list", uses[digest])
        )
    for post in posts_without:
        report.problems.append(
            Problem(
                post.record_digest,
                "post has no capture",
                [f"post {post.status_id or post.witness_key}"],
            )
        )
    report.problems += list(_stray(archive))
    on_disk = set(archive.store.iter_digests())
    for digest in sorted(on_disk - set(blobs)):
        report.problems.append(
            Problem(digest, "orphan: no row points at this object", [], serious=False)
        )

    def check(digest: str) -> tuple[str, str | None, int]:
        problem = check_object(archive.store.path(digest), digest, blobs[digest])
        if progress:
            progress(blobs[digest])
        return digest, problem, blobs[digest]

    good: list[str] = []
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2) as pool:
        for digest, problem, size in pool.map(check, chosen):
            report.checked += 1
            if problem is None:
                report.bytes += size
                good.append(digest)
            elif repair_from and repair(archive, digest, repair_from):
                report.repaired.append(f"{digest}: {problem}; restored from {repair_from}")
                good.append(digest)
            else:
                report.problems.append(Problem(digest, problem, uses.get(digest, [])))
    _mark_verified(archive, good)
    report.seconds = time.monotonic() - started
    return report


def _mark_verified(archive: Archive, digests: list[str]) -> None:
    now = datetime.now(UTC)
    with archive.session() as sess:
        for start in range(0, len(digests), 500):
            for blob in sess.exec(
                select(Blob).where(col(Blob.digest).in_(digests[start : start + 500]))
            ):
                blob.verified_at = now


def find_copy(digest: str, source: Path) -> Path | None:
    """A file in another archive or bundle whose bytes hash to `digest`."""
    hexdigest = check_digest(digest)[7:]
    candidates = [source / "objects" / "sha256" / hexdigest[:2] / hexdigest]
    if source.is_dir() and not candidates[0].is_file():
        candidates = [p for p in source.rglob(f"*{hexdigest}*") if p.is_file()]
    for path in candidates:
        if path.is_file() and hash_path(path)[0] == digest:
            return path
    return None


def repair(archive: Archive, digest: str, source: Path) -> bool:
    """Put back a missing or corrupt object from a copy elsewhere; True when it was."""
    copy = find_copy(digest, source)
    if copy is None:
        return False
    target = archive.store.path(digest)
    if target.exists() or target.is_symlink():
        target.chmod(0o644)
        target.unlink()
    stored, _ = archive.store.put(copy)
    return stored == digest
