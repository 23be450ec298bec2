"""BagIt 1.0 (RFC 8493): write a bag to a folder or a deterministic zip, and check one.

A bag is built from `Entry`s (payload paths under `data/`, each bytes or a file to copy), so
nothing is written until the whole content is known and every path has been checked.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import InputError

SAFE_RE = re.compile(r"[^A-Za-z0-9._-]+")
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
    source: Path | None = None  # a file (a blob) whose bytes go in as they are

    def chunks(self) -> Iterator[bytes]:
        if self.data is not None:
            yield self.data
            return
        assert self.source is not None
        with open(self.source, "rb") as handle:
            while chunk := handle.read(1024 * 1024):
                yield chunk


def _digests(entry: Entry) -> tuple[dict[str, str], int]:
    hashers = {name: hashlib.new(name) for name in ALGORITHMS}
    size = 0
    for chunk in entry.chunks():
        size += len(chunk)
        for hasher in hashers.values():
            hasher.update(chunk)
    return {name: h.hexdigest() for name, h in hashers.items()}, size


def _encode(path: str) -> str:
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def build_bag(payload: list[Entry], info: list[tuple[str, str]]) -> list[Entry]:
    """Payload plus every tag file, in a fixed order."""
    for entry in payload:
        if not entry.path.startswith("data/") or not safe_path(entry.path):
            raise InputError(f"unsafe path in bundle: {entry.path!r}")
    payload = sorted(payload, key=lambda e: e.path)
    digests = [(_digests(e), e.path) for e in payload]
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
    tag_lines = {
        name: "".join(f"{_digests(t)[0][name]}  {t.path}\n" for t in tags) for name in ALGORITHMS
    }
    tagmanifests = [Entry(f"tagmanifest-{n}.txt", tag_lines[n].encode()) for n in ALGORITHMS]
    return tags + tagmanifests + payload


def write_folder(entries: list[Entry], out: Path) -> None:
    """Write the bag into `out` (which must not exist yet), atomically by rename."""
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        for entry in entries:
            target = (partial / entry.path).resolve()
            if not target.is_relative_to(partial.resolve()):
                raise InputError(f"unsafe path in bundle: {entry.path!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as handle:
                for chunk in entry.chunks():
                    handle.write(chunk)
        os.replace(partial, out)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def write_zip(entries: list[Entry], out: Path, root: str) -> None:
    """Write the bag as `root/…` inside a zip whose bytes depend only on the entries."""
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for entry in entries:
                info = zipfile.ZipInfo(f"{root}/{entry.path}", date_time=ZIP_TIME)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(info, "w", force_zip64=True) as handle:
                    for chunk in entry.chunks():
                        handle.write(chunk)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
