"""BagIt 1.0 (RFC 8493): write a bag to a folder or a deterministic zip, and check one.

A bag is built from `Entry`s (payload paths under `data/`, each bytes or a file to copy), so
nothing is written until the whole content is known and every path has been checked. The bag is
written beside its destination as `.NAME.partial-PID` and renamed into place whole: a failure
removes the partial output, and one left by a killed export is removed by the next.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TypeVar

from ..errors import FULL_ERRNOS, InputError, NoSpace, StoreError
from ..paths import NotRegular, inside, open_regular, path_kind
from ..progress import Progress, ensure
from ..store import Store, pid_alive

T = TypeVar("T")

SAFE_RE = re.compile(r"[^A-Za-z0-9._-]+")
PARTIAL_RE = re.compile(r"\.(?P<name>.+)\.partial-(?P<pid>\d+)")
MAX_NAME_BYTES = 200  # room for `.NAME.partial-PID` within the usual 255
ALGORITHMS = ("sha256", "sha512")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # every zip entry: the same time, so equal bags zip equal


def safe_name(name: str) -> str:
    """A file name that cannot climb out of its folder or surprise a shell."""
    cleaned = SAFE_RE.sub("_", name).lstrip(".") or "file"
    return cleaned[:120]


def safe_path(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return (
        bool(parts)
        and not path.startswith("/")
        and "\\" not in path
        and all(p not in ("..", ".", "") for p in parts)
    )


@dataclass
class Entry:
    path: str  # relative to the bag root, e.g. data/posts/1/record.json
    data: bytes | None = None
    source: Path | None = None  # a file whose bytes go in as they are
    store: Store | None = None  # or a blob of the archive's store (a folder or a bucket)
    digest: str | None = None

    @classmethod
    def blob(cls, path: str, store: Store, digest: str) -> Entry:
        return cls(path, store=store, digest=digest)

    def chunks(self) -> Iterator[bytes]:
        """The entry's bytes; a blob's are checked against its name as they are read, each
        time (hashed for the manifests, then written), so a bag never holds other bytes than
        its manifests vouch for, whatever the store gave the second time."""
        if self.data is not None:
            yield self.data
            return
        if self.store is not None and self.digest is not None:
            hasher = hashlib.sha256()
            with self._kept(self.store.open, self.digest) as handle:
                while chunk := handle.read(1024 * 1024):
                    hasher.update(chunk)
                    yield chunk
            if f"sha256:{hasher.hexdigest()}" != self.digest:
                raise self._damaged("does not hash to its name")  # (never vouched for)
            return
        assert self.source is not None
        with open_regular(self.source) as handle:
            while chunk := handle.read(1024 * 1024):
                yield chunk

    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        if self.store is not None and self.digest is not None:
            return self._kept(self.store.size, self.digest)
        return os.stat(self.source).st_size  # type: ignore[arg-type]

    def _kept(self, read: Callable[[str], T], digest: str) -> T:
        """`read(digest)` of the store; a blob gone from it is said as the archive's damage."""
        try:
            return read(digest)
        except FileNotFoundError:
            raise self._damaged("is missing") from None
        except NotRegular as exc:  # (a link, a FIFO in its place)
            raise self._damaged(f"cannot be read ({exc.reason})") from None

    def _damaged(self, what: str) -> StoreError:
        return StoreError(
            f"{self.path}: the archive's object {self.digest} {what}; run `archiver verify` "
            "(and `--repair FROM`) before exporting"
        )


def _digests(entry: Entry, progress: Progress | None = None) -> tuple[dict[str, str], int]:
    hashers = {name: hashlib.new(name) for name in ALGORITHMS}
    size = 0
    for chunk in entry.chunks():
        size += len(chunk)
        for hasher in hashers.values():
            hasher.update(chunk)
    if progress is not None:
        progress.advance(size)
    return {name: h.hexdigest() for name, h in hashers.items()}, size


def _encode(path: str) -> str:
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def build_bag(
    payload: list[Entry], info: list[tuple[str, str]], progress: Progress | None = None
) -> list[Entry]:
    """Payload plus every tag file, in a fixed order. Progress: the payload's bytes hashed."""
    for entry in payload:
        if not entry.path.startswith("data/") or not safe_path(entry.path):
            raise InputError(f"unsafe path in bundle: {entry.path!r}")
    payload = sorted(payload, key=lambda e: e.path)
    twice = [a.path for a, b in zip(payload, payload[1:], strict=False) if a.path == b.path]
    if twice:  # a bag that would fail its own check: a bug before it is a bundle
        raise ValueError(f"two payload entries named {twice[0]!r}")
    digests = [(_digests(e, progress), e.path) for e in payload]
    octets = sum(size for (_, size), _ in digests)
    tags = [
        Entry("bagit.txt", b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"),
        Entry(
            "bag-info.txt",
            "".join(
                f"{k}: {v}\n" for k, v in [*info, ("Payload-Oxum", f"{octets}.{len(payload)}")]
            ).encode(),
        ),
    ]
    for name in ALGORITHMS:
        lines = "".join(f"{d[name]}  {_encode(path)}\n" for (d, _), path in digests)
        tags.append(Entry(f"manifest-{name}.txt", lines.encode()))
    return tags + [tag_manifest(tags, name) for name in ALGORITHMS] + payload


def tag_manifest(tags: list[Entry], algorithm: str) -> Entry:
    """`tagmanifest-<algorithm>.txt` listing the tag files `tags`."""
    lines = "".join(f"{_digests(t)[0][algorithm]}  {_encode(t.path)}\n" for t in tags)
    return Entry(f"tagmanifest-{algorithm}.txt", lines.encode())


def check_destination(out: Path, home: Path) -> None:
    """InputError unless a bundle can be written at `out`: a new path (or an empty folder, for a
    folder bag) outside the archive, in a folder that exists and can be written."""
    if len(out.name.encode()) > MAX_NAME_BYTES or not out.name:
        raise InputError(f"{str(out)[:300]}: the name must be 1 to {MAX_NAME_BYTES} bytes")
    try:  # (first: a loop of links is said as one, not as a path inside the archive)
        kind = path_kind(out)
        parent = path_kind(out.parent)
    except NotRegular as exc:
        raise InputError(f"{exc}: choose a new folder or .zip") from None
    if inside(out, home):
        raise InputError(f"{out}: inside the archive {home}; write bundles elsewhere")
    if parent == "file":
        raise InputError(f"{out}: {out.parent} is a file, not a folder")
    is_zip = out.suffix.lower() == ".zip"
    if kind == "file" or (kind == "folder" and (is_zip or any(out.iterdir()))):
        raise InputError(f"{out} exists: choose a new folder or .zip")
    if parent != "folder":
        raise InputError(f"{out}: the folder {out.parent} does not exist")
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise InputError(f"{out}: cannot write in {out.parent} (permission denied or read-only)")


def remove_stale(out: Path) -> None:
    """Partial output of earlier exports to `out` whose process is gone."""
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        return
    for entry in entries:
        match = PARTIAL_RE.fullmatch(entry.name)
        if match and match["name"] == out.name and not pid_alive(int(match["pid"])):
            _remove(Path(entry.path))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def write_bag(entries: list[Entry], out: Path, progress: Progress | None = None) -> None:
    """Write the bag at `out`: a deterministic zip for `*.zip`, else a folder; nothing is left
    behind when it fails, and a full disk is one NoSpace naming the bundle."""
    remove_stale(out)
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    progress = ensure(progress)
    try:
        if out.suffix.lower() == ".zip":
            write_zip(entries, partial, zip_root(out), progress)
        else:
            write_folder(entries, partial, progress)
        _publish(partial, out)
    except OSError as exc:
        if exc.errno in FULL_ERRNOS:
            raise NoSpace(f"could not write the bundle {out}: {exc.strerror}") from None
        raise InputError(f"could not write the bundle {out}: {exc.strerror or exc}") from None
    finally:
        _remove(partial)


def _publish(partial: Path, out: Path) -> None:
    """Put the finished bag at `out`, never over a bag another export put there meanwhile: a
    folder is renamed (refused over one that is not empty), a zip linked (refused over any)."""
    if partial.is_dir():
        os.rename(partial, out)
        return
    try:
        os.link(partial, out)
    except OSError as exc:
        if isinstance(exc, FileExistsError) or out.exists():
            raise FileExistsError(errno.EEXIST, "another export wrote it meanwhile") from None
        os.replace(partial, out)  # a file system with no hard links: checked as close as it can


def zip_root(out: Path) -> str:
    """The folder a zipped bag unpacks to: the zip's own name, so two bundles never collide."""
    stem = out.name[: -len(".zip")] if out.name.lower().endswith(".zip") else out.name
    return safe_name(stem)


def write_folder(entries: list[Entry], out: Path, progress: Progress | None = None) -> None:
    """Write the bag's files into the folder `out`, which must not exist yet."""
    progress = ensure(progress)
    out.mkdir()
    root = out.resolve()
    for entry in entries:
        target = (out / entry.path).resolve()
        if not target.is_relative_to(root):
            raise InputError(f"unsafe path in bundle: {entry.path!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle:
            size = 0
            for chunk in entry.chunks():
                handle.write(chunk)
                size += len(chunk)
        progress.advance(size, entry.path)


def write_zip(entries: list[Entry], out: Path, root: str, progress: Progress | None = None) -> None:
    """Write the bag as `root/…` inside a zip at `out` whose bytes depend only on the entries."""
    progress = ensure(progress)
    with zipfile.ZipFile(out, "x", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for entry in entries:
            info = zipfile.ZipInfo(f"{root}/{entry.path}", date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            size = 0
            with archive.open(info, "w", force_zip64=True) as handle:
                for chunk in entry.chunks():
                    handle.write(chunk)
                    size += len(chunk)
            progress.advance(size, entry.path)
