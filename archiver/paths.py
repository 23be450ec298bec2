"""Paths a user names, checked for what they are before anything opens them.

Only regular files and folders are read (and `-`, standard input). A FIFO would block the reader
for ever, a device such as /dev/zero would never end, a socket cannot be read as a file: each is
refused with one line. A name too long for the file system, a loop of symbolic links or a NUL
byte is one line too, never a traceback. Files are opened without blocking and checked on the
open descriptor, so a file swapped for a FIFO between the check and the read is still refused.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from .errors import InputError

KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFLNK: "a symbolic link",
}


class NotRegular(InputError):
    """A path that is not a regular file or folder, or cannot be looked at; `reason` says why
    without the name (for callers that print the name themselves)."""

    def __init__(self, name: str | os.PathLike[str], reason: str) -> None:
        super().__init__(f"{os.fspath(name)[:300]}: {reason}")
        self.reason = reason


def describe(mode: int) -> str:
    return KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "a name in the path is too long for the file system"
    if exc.errno == errno.ELOOP:
        return "a loop of symbolic links"
    return exc.strerror or str(exc)


def path_kind(name: str | os.PathLike[str]) -> str | None:
    """ "file" or "folder" for what `name` names, None when nothing is there (or the name cannot
    be a path at all: too long, a NUL byte); NotRegular for anything else there."""
    try:
        mode = os.stat(name).st_mode
    except ValueError:  # an embedded NUL byte
        return None
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG):
            return None
        raise NotRegular(name, _os_reason(exc)) from None
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    raise NotRegular(name, f"{describe(mode)}: only regular files and folders are read")


def check_regular(path: str | os.PathLike[str]) -> None:
    """NotRegular unless `path` is (a link to) a regular file."""
    if path_kind(path) != "file":
        raise NotRegular(path, "no such file")


def open_regular(path: str | os.PathLike[str], follow_links: bool = True) -> BinaryIO:
    """`path` opened for reading if it is a regular file; NotRegular otherwise (checked on the
    open descriptor; opening never blocks, even on a FIFO)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except ValueError:
        raise NotRegular(path, "a NUL byte in the name") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_links:
            raise NotRegular(path, "a symbolic link (not followed)") from None
        raise NotRegular(path, _os_reason(exc)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(path, f"{describe(mode)}: only regular files are read")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes."""
    with open_regular(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise NotRegular(path, f"larger than {limit:,} bytes")
    return data


def check_stdin(stream: object) -> None:
    """NotRegular when standard input is a device that never ends (such as /dev/zero) rather
    than a pipe, a file, a terminal or /dev/null."""
    try:
        fd = stream.fileno()  # type: ignore[attr-defined]
        info = os.fstat(fd)
    except (AttributeError, OSError, ValueError):
        return  # not backed by a descriptor (a test's buffer): nothing to check
    if stat.S_ISBLK(info.st_mode) or stat.S_ISDIR(info.st_mode):
        raise NotRegular("-", f"standard input is {describe(info.st_mode)}")
    if stat.S_ISCHR(info.st_mode) and not os.isatty(fd):
        try:
            null = os.stat(os.devnull).st_rdev
        except OSError:
            null = None
        if info.st_rdev != null:
            raise NotRegular("-", "standard input is a device that never ends: pipe a file in")


def inside(path: Path, folder: Path) -> bool:
    """Whether `path` (which need not exist) is `folder` or lies inside it, links resolved."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a loop of links: treat as inside, the careful answer
        return True
