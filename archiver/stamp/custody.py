"""The custody record of a run: who ran what, how, when, on which clock, and what it added.

A run's end writes one, as a blob, in canonical JSON (`archiver.record.canonical_json`: sorted
keys, no spaces, UTF-8), with these keys:

    kind          "archiver custody record"      schema     1
    tool          "archiver"                     version    the tool's version
    run           the run's id (may be empty)    operator   the declared identity (may be empty)
    started_at    ISO 8601 UTC, "Z"              ended_at   ISO 8601 UTC, "Z"
    clock         the host's clock: source (Linux clocksource), synchronised (NTP, per the
                  kernel; null when unknown), max_error_us, read_by
    settings      the settings that shape captures (routes, limits, retries)
    digests       every record and blob digest the run added, sorted, each once
    merkle_root   the root over `digests` (`merkle.py`)

The times, the clock and the operator are what the machine says; the root is what a TSA
stamps, so the set of digests is what a third party can hold against the stamp's time.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..record import canonical_json, iso_utc
from ..store import DIGEST_RE, check_digest, digest_bytes
from .merkle import merkle_root

if TYPE_CHECKING:  # cryptography loads only where a stamp is checked: a run starts sooner
    from .trust import Trust
    from .tsa import Stamp

KIND = "archiver custody record"
SCHEMA = 1
CLOCKSOURCE = Path("/sys/devices/system/clocksource/clocksource0/current_clocksource")
# Settings that change what a capture asks and keeps; anything else is not evidence.
SHAPING = (
    "connect_to",
    "timeout",
    "max_response_bytes",
    "max_media_bytes",
    "max_redirects",
    "retries",
    "backoff",
    "retry_after_cap",
    "concurrency",
    "per_host",
)


@dataclass(frozen=True)
class HostClock:
    source: str | None = None  # e.g. "tsc", "kvm-clock"
    synchronised: bool | None = None  # NTP-disciplined, per the kernel
    max_error_us: int | None = None
    read_by: str = "nothing"  # adjtimex, timedatectl or nothing


def _adjtimex() -> tuple[bool, int] | None:
    """(synchronised, max error in µs) from adjtimex(2) in read-only mode (modes = 0)."""

    class Timex(ctypes.Structure):  # the leading fields of struct timex; the rest is room
        _fields_ = [
            ("modes", ctypes.c_uint),
            ("offset", ctypes.c_long),
            ("freq", ctypes.c_long),
            ("maxerror", ctypes.c_long),
            ("esterror", ctypes.c_long),
            ("status", ctypes.c_int),
            ("rest", ctypes.c_byte * 512),
        ]

    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name, use_errno=True) if name else None
    if libc is None or not hasattr(libc, "adjtimex"):
        return None
    timex = Timex()
    state = libc.adjtimex(ctypes.byref(timex))
    if state < 0:
        return None
    unsynchronised = state == 5 or timex.status & 0x40  # TIME_ERROR, STA_UNSYNC
    return not unsynchronised, int(timex.maxerror)


def _timedatectl() -> bool | None:
    if not shutil.which("timedatectl"):
        return None
    answer = subprocess.run(
        ["timedatectl", "show", "-p", "NTPSynchronized", "--value"],
        capture_output=True,
        text=True,
        timeout=2,
    ).stdout.strip()
    return {"yes": True, "no": False}.get(answer)


def host_clock() -> HostClock:
    """What the host says of its clock. Never fails: what cannot be read is None."""
    try:
        source = CLOCKSOURCE.read_text().strip()[:40] or None
    except OSError:
        source = None
    try:
        read = _adjtimex()
        if read is not None:
            return HostClock(source, read[0], read[1], "adjtimex")
    except (OSError, AttributeError, ValueError):
        pass
    try:
        synchronised = _timedatectl()
        if synchronised is not None:
            return HostClock(source, synchronised, None, "timedatectl")
    except (OSError, subprocess.SubprocessError):
        pass
    return HostClock(source)


@dataclass(frozen=True)
class CustodyRecord:
    started_at: str
    ended_at: str
    digests: tuple[str, ...]
    merkle_root: str
    version: str
    operator: str = ""
    run: str = ""
    clock: dict[str, object] = field(default_factory=dict)
    settings: dict[str, object] = field(default_factory=dict)
    tool: str = "archiver"
    kind: str = KIND
    schema: int = SCHEMA

    def to_json(self) -> bytes:
        data = asdict(self)
        data["digests"] = list(self.digests)
        return canonical_json(data)

    @property
    def root_bytes(self) -> bytes:
        """The 32 bytes a TSA stamps (the imprint)."""
        return bytes.fromhex(self.merkle_root.removeprefix("sha256:"))


def shaping_settings(settings: object) -> dict[str, object]:
    """The capture-shaping fields of a `Settings` (any object with those attributes), as JSON
    values."""
    picked: dict[str, object] = {}
    for name in SHAPING:
        if hasattr(settings, name):
            value = getattr(settings, name)
            is_plain = isinstance(value, str | int | float | bool | dict | list) or value is None
            picked[name] = value if is_plain else str(value)
    return picked


def custody_record(
    started_at: datetime,
    ended_at: datetime,
    digests: Iterable[str],
    *,
    operator: str = "",
    run: str = "",
    settings: Mapping[str, object] | None = None,
    clock: HostClock | None = None,
    version: str | None = None,
) -> CustodyRecord:
    """The custody record of a run; `digests` in any order, repeats allowed (sorted, once each).
    A malformed digest is an `InvalidDigest`: it is the caller's bug, not the user's input."""
    if version is None:
        from .. import __version__ as version
    ordered = tuple(sorted({check_digest(d) for d in digests}))
    return CustodyRecord(
        started_at=iso_utc(started_at),
        ended_at=iso_utc(ended_at),
        digests=ordered,
        merkle_root=merkle_root(ordered),
        version=str(version),
        operator=operator,
        run=run,
        clock=asdict(clock if clock is not None else host_clock()),
        settings=dict(settings or {}),
    )


def read_custody(data: bytes) -> CustodyRecord | str:
    """A stored custody record, or a one-line problem: not JSON, another shape, digests out of
    order or repeated, a root that is not theirs, or bytes that are not canonical."""
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return "custody record: not JSON"
    if not isinstance(raw, dict) or raw.get("kind") != KIND or raw.get("schema") != SCHEMA:
        return "custody record: not an archiver custody record (schema 1)"
    digests = raw.get("digests")
    if not isinstance(digests, list) or not all(
        isinstance(d, str) and DIGEST_RE.fullmatch(d) for d in digests
    ):
        return "custody record: digests are not a list of sha256 digests"
    if digests != sorted(set(digests)):
        return "custody record: digests are not sorted and unique"
    try:
        record = CustodyRecord(**{**raw, "digests": tuple(digests)})
    except TypeError:
        return "custody record: unexpected or missing fields"
    if not isinstance(record.merkle_root, str) or record.merkle_root != merkle_root(digests):
        return "custody record: its Merkle root is not the root of its digests"
    if record.to_json() != data:
        return "custody record: not in canonical form"
    return record


def custody_digest(record: CustodyRecord) -> str:
    """The record's blob digest (`sha256:<hex>` of `to_json()`)."""
    return digest_bytes(record.to_json())


@dataclass
class RunStampCheck:
    """A run's custody record and its stamps, checked: the record (None when it does not
    read), each stamp that holds, and a one-line problem for each thing that does not."""

    record: CustodyRecord | None = None
    stamps: list[Stamp] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def verify_run_stamps(
    custody: bytes, tokens: Iterable[tuple[bytes, bytes]], trust: Trust
) -> RunStampCheck:
    """Check a run offline: `custody` is its custody record blob, `tokens` the (TimeStampResp,
    chain PEM) blob pairs kept for it. Each stamp must date this record's Merkle root."""
    from .trust import read_pem
    from .tsa import Stamp, check_stamp

    record = read_custody(custody)
    if isinstance(record, str):
        return RunStampCheck(problems=[record])
    check = RunStampCheck(record)
    for response, chain in tokens:
        got = check_stamp(response, record.root_bytes, trust, read_pem(chain))
        if isinstance(got, Stamp):
            check.stamps.append(got)
        else:
            check.problems.append(f"timestamp: {got.reason}: {got.detail}")
    return check
