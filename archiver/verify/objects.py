"""Objects proved against their names: an object is whole when its bytes hash to the digest it is
named by (size first, then SHA-256, on every core). Files under objects/ that are not where an
object belongs are stray; a link, a FIFO or a device there is never opened. Objects are only
ever read; `repair` may restore a missing or corrupt one from another archive or bundle."""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..archive import Archive
from ..errors import InputError
from ..paths import NotRegular, describe, open_regular
from ..store import CHUNK, DIGEST_RE, Store, check_digest
from .bundle import READ_ERRORS, Bag, Unreadable
from .report import Problem


def hash_path(path: Path, follow_links: bool = False) -> tuple[str, int]:
    """(digest, size) of a regular file, read in chunks; NotRegular for anything else."""
    hasher, size = hashlib.sha256(), 0
    with open_regular(path, follow_links=follow_links) as handle:
        while chunk := handle.read(CHUNK):
            hasher.update(chunk)
            size += len(chunk)
    return "sha256:" + hasher.hexdigest(), size


def check_object(path: Path, digest: str, size: int | None) -> str | None:
    """What is wrong with the object at `path` that should hold `digest`, or None."""
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            return f"not a file ({describe(info.st_mode)})"
        if size is not None and info.st_size != size:
            return f"size {info.st_size:,} bytes, expected {size:,} (truncated or altered)"
        actual, _ = hash_path(path)
    except FileNotFoundError:
        return "missing"
    except PermissionError:
        return "unreadable (permission denied)"
    except NotRegular as exc:
        denied = "ermission denied" in exc.reason
        return "unreadable (permission denied)" if denied else f"unreadable ({exc.reason})"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    return None if actual == digest else f"corrupt: its bytes hash to {actual}"


def check_stored(store: Store, digest: str, size: int | None) -> str | None:
    """What is wrong with the object `digest` of `store`, or None. A folder store's file is
    checked as a file (check_object); a bucket's object is read back whole, in chunks, and
    re-hashed (what the service says of it is not taken on trust). A read that fails (a
    download cut short included) is tried once more; if it fails again the object is named
    unreadable, not damaged."""
    if not store.remote:
        return check_object(store.path(digest), digest, size)
    for attempt in (1, 2):
        try:
            actual, seen = _hash_object(store, digest)
            break
        except FileNotFoundError:
            return "missing"
        except Exception as exc:  # the service refused, or the line was lost
            if attempt == 2:
                return f"unreadable ({str(exc).splitlines()[0][:200]})"
    if size is not None and seen != size:
        return f"size {seen:,} bytes, expected {size:,} (truncated or altered)"
    return None if actual == digest else f"corrupt: its bytes hash to {actual}"


def _hash_object(store: Store, digest: str) -> tuple[str, int]:
    """(digest, size) of a bucket's object, read in chunks."""
    hasher, seen = hashlib.sha256(), 0
    with store.open(digest) as body:
        while chunk := body.read(CHUNK):
            hasher.update(chunk)
            seen += len(chunk)
    return "sha256:" + hasher.hexdigest(), seen


def stray(archive: Archive) -> Iterator[Problem]:
    """Entries under objects/ that are not well-named regular files in their right shard (a
    bucket's keys are listed by digest alone: it has none)."""
    if archive.store.remote:
        return
    root = archive.store.root / "objects"
    for folder, dirs, files in os.walk(root, onerror=lambda _exc: None):
        for name in list(dirs):  # links to folders are listed, never walked into
            if os.path.islink(os.path.join(folder, name)):
                files.append(name)
        for file in files:
            path = Path(folder) / file
            rel = path.relative_to(root).as_posix()
            parts = rel.split("/")
            well_named = DIGEST_RE.fullmatch("sha256:" + file)
            digest = "sha256:" + file if well_named else None
            try:
                mode = path.lstat().st_mode
            except OSError:
                continue  # gone meanwhile
            if not stat.S_ISREG(mode):
                if not (well_named and len(parts) == 3):  # else check_object names it
                    yield Problem(digest, f"stray {describe(mode)} objects/{rel} (never opened)")
                continue
            if not (len(parts) == 3 and parts[0] == "sha256" and parts[1] == file[:2] and digest):
                yield Problem(digest, f"stray file objects/{rel} (not where an object belongs)")


Opener = Callable[[], BinaryIO]


def find_copy(digest: str, source: Path) -> Opener | None:
    """Bytes that hash to `digest` in another archive or a bundle (a bag folder or zip): how to
    open them. A bundle's manifest names each file by its hash (a record, a raw answer); a
    folder's files named by their digest (media) are looked at too."""
    for opener in _candidates(check_digest(digest)[7:], source):
        try:
            with opener() as handle:
                hasher = hashlib.sha256()
                while chunk := handle.read(CHUNK):
                    hasher.update(chunk)
            if "sha256:" + hasher.hexdigest() == digest:
                return opener
        except (*READ_ERRORS, Unreadable, KeyError):
            continue  # a link, a FIFO, a damaged, encrypted or oddly compressed member
    return None


def _candidates(hexdigest: str, source: Path) -> Iterator[Opener]:
    stored = source / "objects" / "sha256" / hexdigest[:2] / hexdigest
    if source.is_dir() and stored.is_file():
        yield functools.partial(open_regular, stored)
        return
    if (source / "bagit.txt").is_file() or (source.is_file() and zipfile.is_zipfile(source)):
        try:
            bag = Bag(source)
            listed = set(bag.names)  # a name the manifest gives but the bag lacks is no copy
            names = [n for h, n in _manifest(bag) if h == hexdigest and n in listed]
        except (InputError, Unreadable, KeyError):  # not a bag, or one without its manifest
            names = []
        for name in names:
            yield functools.partial(bag.open, name)
    if source.is_dir():
        for folder, _dirs, files in os.walk(source):  # links to folders are not followed
            for name in (f for f in files if hexdigest in f):
                yield functools.partial(open_regular, Path(folder) / name)


def _manifest(bag: Bag) -> Iterator[tuple[str, str]]:
    """(sha256 hex, name) of each line of the bag's SHA-256 manifest."""
    for line in bag.lines("manifest-sha256.txt"):
        digest, _, name = line.decode("utf-8", "replace").rstrip("\r\n").partition("  ")
        yield digest.lower(), name


def repair(archive: Archive, digest: str, source: Path) -> bool:
    """Put back a missing or corrupt object from a copy elsewhere; True when it was."""
    copy = find_copy(digest, source)
    if copy is None:
        return False
    if archive.store.remote:  # a bucket's object is never replaced: only a missing one is put
        if archive.store.exists(digest):
            return False
        with copy() as handle:
            return archive.store.put(handle)[0] == digest
    target = archive.store.path(digest)
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        if not target.is_symlink():
            target.chmod(0o644)
        target.unlink()
    elif target.exists():
        return False  # a folder where the object belongs: for a person to look at
    with copy() as handle:
        stored, _ = archive.store.put(handle)
    return stored == digest
