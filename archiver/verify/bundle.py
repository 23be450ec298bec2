"""Checking a bundle without the archive: its manifests, its tag files, every payload file, and
what its files say of each other (contents.py) and of when they were stamped (stamps.py).
Works on a folder or a zip.

A bundle is hostile input. Every read is bounded in memory (files are hashed in chunks, tag
files and post.json are read up to a limit, manifest lines up to a length), and every zip or
file error (a bad CRC, an encrypted entry, an unknown compression method, a truncated stream)
is a named problem of that file. Links and devices are never followed or opened; two zip
entries of one name (a forged first copy) and unsafe paths are problems.
"""

from __future__ import annotations

import hashlib
import lzma
import os
import posixpath
import re
import stat
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ..errors import DamagedBundle, InputError
from ..export.bagit import ALGORITHMS, safe_path
from ..paths import NotRegular, describe, open_regular, path_kind
from ..progress import Progress, ensure
from .report import Report
from .zipnames import framing, renamed, unicode_name

CHUNK = 1024 * 1024
MAX_TAG_BYTES = 1024 * 1024  # bag-info.txt
MAX_JSON_BYTES = 16 * 1024 * 1024  # one post.json
MAX_LINE = 64 * 1024  # one manifest line
SEPARATOR_RE = re.compile(r"[ \t]+")  # between a digest and its path: spaces or tabs (RFC 8493)
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
READ_ERRORS = (
    OSError,
    EOFError,
    RuntimeError,  # an encrypted entry
    NotImplementedError,  # a compression method zipfile does not know
    ValueError,
    zipfile.BadZipFile,  # a bad CRC, a bad local header
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    NotRegular,
)


MANIFEST_NAME_RE = re.compile(r"(?:tag)?manifest-[a-z0-9]+\.txt")


class Unreadable(Exception):
    """A file of the bag that cannot be read whole; the message says why."""


class Bag:
    """Files of a bag, read from a folder or a zip, by their path from the bag root.
    `problems` holds what listing it found: links, devices, duplicates, unsafe names."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.problems: list[str] = []
        self.infos: dict[str, zipfile.ZipInfo] = {}
        try:
            kind = path_kind(path)
        except NotRegular as exc:
            raise InputError(str(exc)) from None
        if kind == "folder":
            self._list_folder(path)
        elif kind == "file":
            self._list_zip(path)
        else:
            raise InputError(f"{path}: no such bundle (a folder or a .zip)")

    def _list_folder(self, path: Path) -> None:
        files: list[str] = []
        roots: list[str] = []
        for folder, dirs, names in os.walk(path, onerror=lambda e: self._walk_error(path, e)):
            dirs.sort()
            for name in [*dirs, *names]:
                full = Path(folder) / name
                rel = full.relative_to(path).as_posix()
                try:
                    mode = full.lstat().st_mode
                except OSError as exc:
                    self.problems.append(f"{rel}: unreadable ({exc.strerror})")
                    continue
                if stat.S_ISLNK(mode):
                    self.problems.append(f"symbolic link in bundle: {rel!r} (never followed)")
                elif stat.S_ISREG(mode):
                    files.append(rel)
                    if name == "bagit.txt":
                        roots.append(str(PurePosixPath(rel).parent))
                elif not stat.S_ISDIR(mode):
                    self.problems.append(f"{describe(mode)} in bundle: {rel!r} (never opened)")
        if not roots:
            _no_declaration(path, files)
        root = min(roots, key=lambda r: (r != ".", r.count("/"), len(r)))
        beside = sorted(r for r in roots if r != "." and r.count("/") == root.count("/"))
        if root != "." and len(beside) > 1:
            named = ", ".join(beside[:3]) + ("…" if len(beside) > 3 else "")
            raise InputError(f"{path}: holds {len(beside)} bags ({named}): verify each")
        self.prefix = "" if root == "." else root + "/"
        self.root = path / root
        self.names = sorted(f[len(self.prefix) :] for f in files if f.startswith(self.prefix))
        for outside in (f for f in files if not f.startswith(self.prefix)):
            self.problems.append(f"{outside!r} is outside the bag's folder: no manifest covers it")

    def _walk_error(self, path: Path, exc: OSError) -> None:
        where = Path(exc.filename).relative_to(path) if exc.filename else path
        self.problems.append(f"{where}: unreadable folder ({exc.strerror})")

    def _list_zip(self, path: Path) -> None:
        try:
            handle = open_regular(path)
        except NotRegular as exc:
            raise InputError(str(exc)) from None
        if not zipfile.is_zipfile(handle):
            handle.seek(0)
            started = handle.read(4) == b"PK\x03\x04"  # a zip's first entry, with no end
            handle.close()
            if started:
                raise DamagedBundle(
                    f"{path}: a damaged zip (its directory at the end is missing: cut short?)"
                )
            raise InputError(f"{path}: neither a bag folder nor a zip")
        self.problems += framing(handle)
        try:
            self.zip = zipfile.ZipFile(handle)
            infos = self.zip.infolist()
            for info in infos:
                info.filename = unicode_name(info)
        except READ_ERRORS as exc:
            handle.close()
            raise DamagedBundle(f"{path}: a damaged zip ({_why(exc)})") from None
        # Names that unpack to one file (`b/./x`, `b//x`, `B/x` on a case-blind disk) count as
        # one: a second copy may be the one an unzip tool leaves in place.
        same: dict[str, list[str]] = {}
        for info in infos:
            same.setdefault(_unpacked_as(info.filename), []).append(info.filename)
        for names in same.values():
            if len(names) > 1:
                distinct = list(dict.fromkeys(names))
                said = (
                    f"{names[0]!r} is in the zip {len(names)} times"
                    if len(distinct) == 1
                    else ", ".join(map(repr, distinct)) + " unpack to one file"
                )
                self.problems.append(f"{said} (a copy may be forged; never extract)")
        members: list[str] = []
        for info in infos:
            name, mode = info.filename, info.external_attr >> 16
            if name.endswith("/") or len(same[_unpacked_as(name)]) > 1:
                continue
            if "\x00" in info.orig_filename:  # unzip tools cut it there: another file's name
                self.problems.append(f"a NUL in a name: {info.orig_filename!r} (never extract)")
            elif info.flag_bits & 0x800 == 0 and renamed(info, name):  # (its 0x7075 field)
                self.problems.append(
                    f"{info.orig_filename!r} is named {name!r} by its Unicode path: two names "
                    "(a copy may be forged; never extract)"
                )
            elif not safe_path(name) or name != posixpath.normpath(name):
                self.problems.append(f"unsafe path in bundle: {name!r} (never extract it)")
            elif stat.S_IFMT(mode) and not stat.S_ISREG(mode):
                self.problems.append(f"{describe(mode)} in bundle: {name!r} (never followed)")
            else:
                members.append(name)
                self.infos[name] = info
        tags = [m for m in members if PurePosixPath(m).name == "bagit.txt"]
        if not tags:
            _no_declaration(path, members)
        prefix = str(PurePosixPath(min(tags, key=len)).parent)
        self.prefix = "" if prefix == "." else prefix + "/"
        self.names = sorted(m[len(self.prefix) :] for m in members if m.startswith(self.prefix))
        for outside in (m for m in members if not m.startswith(self.prefix)):
            self.problems.append(
                f"{outside!r} is outside the bag's folder: no manifest covers it (never extract)"
            )

    def open(self, name: str) -> BinaryIO:
        """The member `name`; Unreadable when it cannot be opened."""
        try:
            if self.zip is not None:
                info = self.infos[self.prefix + name]
                if info.flag_bits & 0x1:
                    raise Unreadable("encrypted (cannot be checked)")
                if info.compress_type not in ZIP_METHODS:
                    raise Unreadable(f"unknown compression method {info.compress_type}")
                return self.zip.open(info)  # type: ignore[return-value]
            return open_regular(self.root / name, follow_links=False)
        except READ_ERRORS as exc:
            raise Unreadable(_why(exc)) from None

    def chunks(self, name: str) -> Iterator[bytes]:
        """The bytes of `name` in chunks; Unreadable on any zip or file error on the way."""
        with self.open(name) as handle:
            while True:
                try:
                    chunk = handle.read(CHUNK)
                except READ_ERRORS as exc:
                    raise Unreadable(_why(exc)) from None
                if not chunk:
                    return
                yield chunk

    def read(self, name: str, limit: int) -> bytes:
        """The bytes of `name`, when it holds at most `limit`; Unreadable otherwise."""
        data = bytearray()
        for chunk in self.chunks(name):
            data += chunk
            if len(data) > limit:
                raise Unreadable(f"larger than {limit:,} bytes (not read)")
        return bytes(data)

    def lines(self, name: str) -> Iterator[bytes]:
        """The lines of `name`, each at most MAX_LINE bytes; Unreadable otherwise."""
        with self.open(name) as handle:
            while True:
                try:
                    line = handle.readline(MAX_LINE + 1)
                except READ_ERRORS as exc:
                    raise Unreadable(_why(exc)) from None
                if not line:
                    return
                if len(line) > MAX_LINE:
                    raise Unreadable(f"a line longer than {MAX_LINE:,} bytes")
                yield line


def _why(exc: BaseException) -> str:
    if isinstance(exc, NotRegular):
        return exc.reason
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return (
        text if isinstance(exc, zipfile.BadZipFile | OSError) else f"{type(exc).__name__}: {text}"
    )


def check_bundle(
    path: Path, progress: Progress | None = None, tsa_roots: Path | None = None
) -> Report:
    """Check a bundle (a BagIt folder or zip) on its own; the report names every problem, and
    each trusted timestamp that holds (against `tsa_roots`, else certifi's roots). Progress
    counts the files hashed."""
    started = time.monotonic()
    progress = ensure(progress)
    report = Report(unit="files")
    bag = Bag(path)
    for problem in bag.problems:
        report.add(problem)
    present = set(bag.names)
    wanted = _manifests(bag, present, report)
    progress.start(len(wanted))
    sizes: dict[str, int] = {}
    sha256: dict[str, str] = {}  # of each payload file read whole: content checks use them
    for name in sorted(wanted):
        try:
            digests, size = _hash(bag, name, {*wanted[name], "sha256"})
        except Unreadable as exc:
            report.add(f"{name}: unreadable ({exc})")
            progress.advance(1, f"{name}: unreadable")
            continue
        report.checked += 1
        report.bytes += size
        sizes[name] = size
        sha256[name] = "sha256:" + digests["sha256"]
        wrong = [
            (algorithm, expected, manifest)
            for algorithm, (expected, manifest) in sorted(wanted[name].items())
            if digests[algorithm] != expected
        ]
        for algorithm, expected, manifest in wrong:
            report.add(f"{name}: {algorithm} does not match {manifest}", f"{algorithm}:{expected}")
        progress.advance(1, f"{name}: {'does not match' if wrong else 'ok'}")
    listed = {
        n for n, by in wanted.items() if any(m.startswith("manifest-") for _, m in by.values())
    }
    for name in sorted(present - listed):
        if name.startswith("data/"):
            report.add(f"{name}: in the payload but in no manifest")
        elif name not in wanted and not name.startswith("tagmanifest-"):
            report.unchecked.append(name)  # a tag file BagIt allows: named, not checked
    _check_oxum(bag, present, sizes, report)
    from .contents import check_contents
    from .stamps import check_stamps  # it reads bags, and loads the cryptography it needs

    check_contents(bag, present, sha256, report)

    check_stamps(bag, present, report, tsa_roots)
    report.finish(time.monotonic() - started)
    return report


def _manifests(
    bag: Bag, present: set[str], report: Report
) -> dict[str, dict[str, tuple[str, str]]]:
    """name → {algorithm: (expected hex digest, manifest)} from every manifest and tagmanifest."""
    wanted: dict[str, dict[str, tuple[str, str]]] = {}
    for kind in ("manifest", "tagmanifest"):
        for algorithm in ALGORITHMS:
            manifest = f"{kind}-{algorithm}.txt"
            if manifest not in present:
                report.add(f"{manifest} is missing")
                continue
            try:
                for number, line in enumerate(bag.lines(manifest), 1):
                    entry = _entry(line)
                    if entry is None:
                        report.add(f"{manifest}: line {number} is not `DIGEST  PATH` in UTF-8")
                        continue
                    digest, name = entry
                    if not safe_path(name):
                        report.add(f"unsafe path in {manifest}: {name!r}")
                    elif name not in present:
                        report.add(f"{name}: listed in {manifest}, missing")
                    elif algorithm in wanted.setdefault(name, {}):
                        # tools differ on which line counts: a bag must not let them choose
                        report.add(f"{name}: listed twice in {manifest}")
                    else:
                        wanted[name][algorithm] = (digest, manifest)
            except Unreadable as exc:
                report.add(f"{manifest}: unreadable ({exc})")
    return wanted


def _entry(line: bytes) -> tuple[str, str] | None:
    try:
        text = line.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        return None
    if not text.strip():
        return None
    digest, _, path = SEPARATOR_RE.sub(" ", text, count=1).partition(" ")
    path = path.strip().replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
    return (digest.strip().lower(), path) if digest and path else None


def _hash(bag: Bag, name: str, algorithms: set[str]) -> tuple[dict[str, str], int]:
    hashers = {a: hashlib.new(a) for a in algorithms}
    size = 0
    for chunk in bag.chunks(name):
        size += len(chunk)
        for hasher in hashers.values():
            hasher.update(chunk)
    return {a: h.hexdigest() for a, h in hashers.items()}, size


def _check_oxum(bag: Bag, present: set[str], sizes: dict[str, int], report: Report) -> None:
    if "bag-info.txt" not in present:
        report.add("bag-info.txt is missing")
        return
    try:
        info = bag.read("bag-info.txt", MAX_TAG_BYTES).decode("utf-8")
    except Unreadable as exc:
        report.add(f"bag-info.txt: unreadable ({exc})")
        return
    except UnicodeDecodeError:
        report.add("bag-info.txt is not UTF-8")
        return
    oxum = next(
        (
            line.split(":", 1)[1].strip()
            for line in info.splitlines()
            if line.lower().startswith("payload-oxum:")
        ),
        None,
    )
    payload = [n for n in present if n.startswith("data/")]
    if oxum and all(n in sizes for n in payload):  # an unreadable file is named already
        octets = sum(sizes[n] for n in payload)
        if oxum != f"{octets}.{len(payload)}":
            report.add(f"Payload-Oxum {oxum[:100]} but the payload is {octets}.{len(payload)}")


def _unpacked_as(name: str) -> str:
    """The file a zip entry's name unpacks to, as a case-blind file system would name it."""
    return posixpath.normpath(name.replace("\\", "/")).casefold()


def _no_declaration(path: Path, names: list[str]) -> None:
    """No bagit.txt: a bag that lost it (its manifests are there) is a damaged bundle (exit 1);
    anything else is not a bag at all (exit 2)."""
    if any(MANIFEST_NAME_RE.fullmatch(PurePosixPath(n).name) for n in names):
        raise DamagedBundle(f"{path}: a bag whose bagit.txt is missing (its manifests are there)")
    raise InputError(f"{path}: not a bag (no bagit.txt)")
