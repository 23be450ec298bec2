"""Fixity, in layers (like borg's check): `objects` proves each object against its name,
`references` checks what points at what, `bundle` checks an exported bag without the archive.
All three report through one `Report` of `Problem`s.

`verify(archive)` re-hashes every blob (or those not verified lately, or a sample) on every
core, checks every row's blob is listed and every post has a capture, and names what each
problem affects. It never changes an object; with `repair_from` it may restore one.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from ..archive import Archive
from ..errors import InputError
from ..progress import Progress, ensure
from .bundle import check_bundle
from .objects import check_stored, hash_path, repair, stray
from .references import check_records, check_rows, mark_verified, orphans, read_rows
from .report import Problem, Report

__all__ = ["Problem", "Report", "check_bundle", "hash_path", "parse_duration", "verify"]
DURATION_RE = re.compile(r"(\d{1,9})\s*([smhdw])")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
MAX_DURATION = timedelta(days=365 * 1000)


def parse_duration(text: str) -> timedelta:
    """`30d`, `12h`, `2w`, `1d12h` → timedelta."""
    parts = DURATION_RE.findall(text.strip().lower())
    if not parts or "".join(f"{n}{u}" for n, u in parts) != re.sub(r"\s", "", text.lower()):
        raise InputError(f"--since {text[:100]!r}: expected a duration such as 30d, 12h or 2w")
    seconds = sum(int(n) * UNITS[u] for n, u in parts)
    if seconds > MAX_DURATION.total_seconds():
        raise InputError(f"--since {text[:100]!r}: longer than a thousand years")
    return timedelta(seconds=seconds)


def database_problems(archive: Archive) -> list[Problem]:
    """What SQLite's own check (`PRAGMA quick_check`: every page, index and b-tree) finds
    wrong in the archive's database file; a team archive's server checks its own."""
    if archive.shared:
        return []
    try:
        conn = sqlite3.connect(archive.read_uri, uri=True, timeout=30)
        try:
            found = [row[0] for row in conn.execute("PRAGMA quick_check(20)")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        found = [str(exc)]
    if found == ["ok"]:
        return []
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    said = f"{archive.database.name} fails SQLite's check: {found[0][:200]}{more}"
    return [Problem(None, f"{said}; restore it from a backup")]


def verify(
    archive: Archive,
    since: timedelta | None = None,
    sample: int | None = None,
    repair_from: Path | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    tsa_roots: Path | None = None,
) -> Report:
    """Check the archive; the report says what is wrong and what it affects, and which trusted
    timestamps hold (checked offline against `tsa_roots`, else certifi's roots)."""
    if sample is not None and sample < 0:
        raise InputError(f"--sample {sample}: expected a count of 0 or more")
    if repair_from is not None and not (repair_from.is_dir() or repair_from.is_file()):
        raise InputError(f"--repair {repair_from}: no such archive or bundle")
    if repair_from is not None and repair_from.is_file() and not zipfile.is_zipfile(repair_from):
        raise InputError(f"--repair {repair_from}: a file that is no zipped bundle")
    progress = ensure(progress)
    report = Report()
    started = time.monotonic()
    report.problems += database_problems(archive)
    rows = read_rows(archive, since)  # one snapshot, before the files are listed
    chosen = rows.due if sample is None else random.sample(rows.due, min(sample, len(rows.due)))
    check_rows(rows, report)
    report.problems += list(stray(archive))
    report.problems += orphans(rows, set(archive.store.iter_digests()))
    progress.start(sum(rows.sizes[d] for d in chosen), unit="bytes")

    def check(digest: str) -> tuple[str, str | None]:
        return digest, check_stored(archive.store, digest, rows.sizes[digest])

    good: list[str] = []
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2) as pool:
        for digest, problem in pool.map(check, chosen):
            report.checked += 1
            size = rows.sizes[digest]
            if problem is None:
                report.bytes += size
                good.append(digest)
            elif repair_from and repair(archive, digest, repair_from):
                report.repaired.append(f"{digest}: {problem}; restored from {repair_from}")
                good.append(digest)
            else:
                report.problems.append(Problem(digest, problem, rows.uses.get(digest, [])))
            progress.advance(size, f"{digest}: {problem or 'ok'}")
    check_records(archive, rows, set(good), report)
    mark_verified(archive, good, report)
    from ..stamp.runs import check_runs  # cryptography: only when verifying

    report.stamps, problems = check_runs(archive, tsa_roots)
    for problem in problems:
        report.add(problem)
    report.finish(time.monotonic() - started)
    return report
