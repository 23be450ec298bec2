"""A bundle's trusted timestamps, checked offline: the bag's own stamps over its tag manifest
(timestamps/), and the stamped custody records of the runs that captured its posts
(data/custody/), each record then dating the post records it lists."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from ..export.stamps import stamp_files
from ..stamp import Trust, verify_bag_stamps, verify_run_stamps
from .bundle import Bag, Unreadable
from .report import Report

MAX_CUSTODY_BYTES = 256 * 1024 * 1024  # a run of two million blobs
MAX_STAMP_BYTES = 1024 * 1024
CUSTODY_RE = re.compile(r"data/custody/run-(\d{1,18})\.json\Z")
RECORD_RE = re.compile(r"data/posts/[^/]+/record\.json\Z")


def check_stamps(bag: Bag, present: set[str], report: Report, roots: Path | None) -> None:
    """Add a line to `report.stamps` for each stamp that holds, a problem for each that does
    not; a warning when the bag has no stamp of its own but its custody records have."""
    custody = sorted(n for n in present if CUSTODY_RE.match(n))
    if not any(n.startswith("timestamps/") for n in present):
        if not custody:
            return  # a bundle made with no TSA at all
        report.warnings.append(  # its runs were stamped: one may have taken the bundle's away
            "the bundle carries no trusted timestamp of its own (timestamps/), though its runs'"
            " custody records are stamped: its files are checked, not when they were bundled"
        )
    trust = Trust.load(roots)
    read = _reader(bag)
    bag_check = verify_bag_stamps(sorted(present), read, trust)
    report.stamps += [f"{name}: {got.summary}" for name, got in bag_check.stamps]
    for name, problem in bag_check.problems:
        report.add(f"{name}: {problem}")
    records = {_sha256(bag, n): n for n in present if RECORD_RE.match(n)}
    for name in custody:
        _check_run(bag, name, present, records, trust, report)


def _check_run(
    bag: Bag, name: str, present: set[str], records: dict, trust: Trust, report: Report
) -> None:
    tokens: list[tuple[str, str]] = []  # the stamps present, numbered from the first
    while (files := stamp_files(name, len(tokens)))[0] in present:
        tokens.append(files)
    try:
        pairs = [
            (bag.read(t, MAX_STAMP_BYTES), bag.read(c, MAX_STAMP_BYTES) if c in present else b"")
            for t, c in tokens
        ]
        check = verify_run_stamps(bag.read(name, MAX_CUSTODY_BYTES), pairs, trust)
    except Unreadable as exc:
        report.add(f"{name}: unreadable ({exc})")
        return
    for problem in check.problems:
        report.add(f"{name}: {problem}")
    if check.record is None or not check.stamps:
        if check.record is not None and not pairs:
            report.add(f"{name}: no stamp of this custody record")
        return
    when = check.stamps[0].summary
    dated = [records[d] for d in check.record.digests if d in records]
    report.stamps += [f"{record}: {when} ({name})" for record in sorted(dated)]


def _reader(bag: Bag) -> Callable[[str], bytes]:
    def read(name: str) -> bytes:
        try:
            return bag.read(name, MAX_STAMP_BYTES)
        except Unreadable:
            return b""  # a stamp or manifest that cannot be read does not verify: named so

    return read


def _sha256(bag: Bag, name: str) -> str | None:
    digest = hashlib.sha256()
    try:
        for chunk in bag.chunks(name):
            digest.update(chunk)
    except Unreadable:
        return None
    return "sha256:" + digest.hexdigest()
