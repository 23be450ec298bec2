"""The store's ground floor: the SHA-256 names of bytes and files, and making writes durable
(an fsync per file, or one `syncfs` for a whole file system where Linux has it)."""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import re
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from .errors import InvalidDigest

CHUNK = 1024 * 1024
DIGEST_RE = re.compile(r"sha256:[0-9a-f]{64}")
CRASH_EXIT = 70


def check_digest(digest: str) -> str:
    """Return `digest` if it is `sha256:<64 lowercase hex>`, else raise InvalidDigest."""
    if not isinstance(digest, str) or not DIGEST_RE.fullmatch(digest):
        raise InvalidDigest(f"not a digest (expected sha256:<64 lowercase hex>): {digest!r}")
    return digest


def digest_bytes(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def hash_file(path: str | os.PathLike) -> tuple[str, int]:
    """SHA-256 digest and size of a regular file, streamed; OSError for anything else (a FIFO
    is opened without waiting for a writer, and refused)."""
    hasher, size = hashlib.sha256(), 0
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    with open(fd, "rb") as handle:
        while chunk := handle.read(CHUNK):
            hasher.update(chunk)
            size += len(chunk)
    return "sha256:" + hasher.hexdigest(), size


def pid_alive(pid: int) -> bool:
    """Whether process `pid` still runs on this machine (0, or a number no pid can be, never:
    a name in tmp/ may hold any)."""
    if not 0 < pid < 2**22:  # pid_max is at most 2^22
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def crash_point(name: str) -> None:
    """Die here, as a SIGKILL would, when `ARCHIVER_CRASH_AT` (a setting for tests only) names
    this point."""
    wanted = os.environ.get("ARCHIVER_CRASH_AT")
    if wanted and name in wanted.split(","):
        os._exit(CRASH_EXIT)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def sync_filesystem(folder: Path, files: Iterable[Path] = ()) -> None:
    """Make every write under `folder`'s file system durable: one `syncfs` where Linux has it
    (the cost of one flush, whatever the number of files), else an fsync per file and folder."""
    if _LIBC is not None and hasattr(_LIBC, "syncfs"):
        fd = os.open(folder, os.O_RDONLY)
        try:
            if _LIBC.syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    for path in [*files, folder]:
        fsync_dir(path)  # a file's descriptor is flushed as a folder's is


SYNC_FILE_RANGE_WRITE = 2  # <fcntl.h>: start writing back the range's dirty pages; no wait
_RANGE = getattr(_LIBC, "sync_file_range", None)
if _RANGE is not None:
    _RANGE.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]


def start_writeback(fd: int, offset: int, length: int) -> None:
    """Have the kernel start writing `length` bytes at `offset` of `fd` to the disk now, so
    that the fsync that makes a long body durable finds little left to write (Linux; a no-op
    elsewhere, and where the call fails: the fsync still does it all)."""
    if _RANGE is not None:
        _RANGE(fd, offset, length, SYNC_FILE_RANGE_WRITE)
