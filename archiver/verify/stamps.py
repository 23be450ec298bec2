"""A bundle's trusted timestamps, checked offline: the bag's own stamps over its tag manifest
(timestamps/), and the stamped custody records of the runs that captured its posts
(data/custody/), each record then dating the post records it lists."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

from ..export.stamps import stamp_files
from ..stamp import Trust, verify_bag_stamps, verify_run_stamps
from .bundle import MAX_JSON_BYTES, Bag, Unreadable
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
        if not custody:  # a bundle made with no TSA at all: no post may claim a trusted time
            _claims(bag, present, set(), report)
            return
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
    dated: set[str] = set()
    for name in custody:
        dated |= _check_run(bag, name, present, records, trust, report)
    _claims(bag, present, dated, report)


def _claims(bag: Bag, present: set[str], dated: set[str], report: Report) -> None:
    """A problem for each post.json that says its record was timestamped when no stamped
    custody record of the bundle dates that record (`dated`: the records some do)."""
    for record in sorted(n for n in present if RECORD_RE.match(n) and n not in dated):
        post = record.removesuffix("record.json") + "post.json"
        if _claims_time(bag, post, present):
            report.add(
                f"{post}: says its record was timestamped, but no stamped custody record "
                "of the bundle lists the record it holds"
            )


def _check_run(
    bag: Bag, name: str, present: set[str], records: dict, trust: Trust, report: Report
) -> set[str]:
    """Check one custody record and its stamps; the post records it dates. The bundle carries
    it for the records it lists: one that lists none of them is a problem (a record changed)."""
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
        return set()
    for problem in check.problems:
        report.add(f"{name}: {problem}")
    if check.record is None or not check.stamps:
        if check.record is not None and not pairs:
            report.add(f"{name}: no stamp of this custody record")
        return set()
    when = check.stamps[0].summary
    dated = {records[d] for d in check.record.digests if d in records}
    if not dated:
        report.add(f"{name}: lists no post record of the bundle (one was changed?)")
    report.stamps += [f"{record}: {when} ({name})" for record in sorted(dated)]
    return dated


def _claims_time(bag: Bag, post: str, present: set[str]) -> bool:
    """Whether `post` (a post.json) gives its record a trusted time."""
    if post not in present:
        return False
    try:
        data = json.loads(bag.read(post, MAX_JSON_BYTES))
    except (Unreadable, ValueError, RecursionError):
        return False  # named by the content checks
    return isinstance(data, dict) and bool(data.get("trusted_time"))


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
