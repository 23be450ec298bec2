"""Content-addressed blobs: `objects/sha256/<2 hex>/<64 hex>`, written atomically; an object is
only ever replaced by the same bytes (a staged temp file of them: it heals a copy the disk
damaged).

A blob is streamed into `tmp/` while it is hashed, fsynced, made read-only, moved into place
with `os.replace` and its directory fsynced. Memory stays bounded whatever the size.

Many blobs at once (a capture run) are *staged* instead: written and hashed into `tmp/`, then
settled together before the database transaction that names them: one file-system flush makes
them all durable, they are renamed into place, and a second flush makes the names durable
(group commit, as databases do). A temp file is named after the process writing it, so cleaning
up never removes a live writer's file.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import queue
import re
import shutil
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .durable import (
    CHUNK,
    DIGEST_RE,
    check_digest,
    digest_bytes,
    fsync_dir,
    hash_file,
    pid_alive,
    start_writeback,
    sync_filesystem,
)

TMP_RE = re.compile(r"(?:put|dir)-(\d+)-")
# A long blob's pages are handed to the disk every WRITEBACK bytes as they come, not all at the
# fsync that ends it: 1 GiB written then made durable took 2.7-4.1 s here, 0.8-0.9 s so.
WRITEBACK = 32 * 1024 * 1024
_COUNTER = itertools.count()

Source = str | os.PathLike | BinaryIO | bytes | Iterable[bytes]


def _chunks(source: Source) -> Iterator[bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        yield bytes(source)
    elif isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            yield from iter(lambda: handle.read(CHUNK), b"")
    elif hasattr(source, "read"):
        yield from iter(lambda: source.read(CHUNK), b"")
    else:
        yield from source


SPOOL = 1024 * 1024  # a body up to this size waits in memory until it is settled
RING_BUFFER = 1024 * 1024  # a long body is read in parts of this size (HashingWriter.buffer)


@dataclass
class Staged:
    """A blob received and hashed but not yet in place: its bytes are in memory (`data`, small
    ones) or in a temp file; it is durable and named by its digest once `Store.settle` has run
    (before the transaction that names it commits)."""

    store: Store
    digest: str
    size: int
    tmp_path: Path | None = None
    data: bytes | None = None
    settled: bool = False

    @property
    def path(self) -> Path | None:
        """Where the bytes are on disk (None while they are only in memory)."""
        return self.store.path(self.digest) if self.settled else self.tmp_path

    def source(self) -> bytes | Path:
        """The bytes, or the file that holds them, for a reader that takes either."""
        if self.data is not None and not self.settled:
            return self.data
        path = self.path
        assert path is not None
        return path

    def head(self, count: int) -> bytes:
        if self.data is not None:
            return self.data[:count]
        with open(self.source(), "rb") as handle:  # type: ignore[arg-type]
            return handle.read(count)


class Store:
    """The blobs of one archive, under `root` (the archive home). Its interface (exists, size,
    open, read_bytes, iter_digests, put, stage, settle) is S3Store's too."""

    remote = False  # a bucket's objects have no local path

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)
        self.objects = self.root / "objects" / "sha256"
        self.tmp = self.root / "tmp"
        self.owner: int | None = None  # the process temp files are named after (default: this)

    def create(self) -> None:
        self.objects.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path(self, digest: str) -> Path:
        hexdigest = check_digest(digest)[7:]
        return self.objects / hexdigest[:2] / hexdigest

    def exists(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def size(self, digest: str) -> int:
        return self.path(digest).stat().st_size

    def open(self, digest: str) -> BinaryIO:
        from .paths import open_regular  # a link or a FIFO in an object's place is refused

        return open_regular(self.path(digest))

    def read_bytes(self, digest: str) -> bytes:
        """The whole blob; only for blobs known to be small (records, API responses)."""
        return self.path(digest).read_bytes()

    def iter_digests(self) -> Iterator[str]:
        """Every object whose file name is a well-formed digest in the right shard."""
        if not self.objects.is_dir():
            return
        for shard in sorted(self.objects.iterdir()):
            if not shard.is_dir():
                continue
            for entry in sorted(shard.iterdir()):
                name = entry.name
                if (
                    entry.is_file()
                    and name[:2] == shard.name
                    and DIGEST_RE.fullmatch("sha256:" + name)
                ):
                    yield "sha256:" + name

    def put(self, source: Source) -> tuple[str, int]:
        """Store `source` (path, file object, bytes or chunk iterator); return (digest, size)."""
        with self.writer() as writer:
            for chunk in _chunks(source):
                writer.write(chunk)
            return writer.commit()

    def writer(self, hash_apart: bool = False) -> BlobWriter:
        """A blob written chunk by chunk (for bytes arriving from the network); `hash_apart`
        hashes on a thread of its own (for long bodies, see HashingWriter)."""
        owner = self.owner or os.getpid()
        path = self.tmp / f"put-{owner}-{next(_COUNTER)}-{os.urandom(4).hex()}"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileNotFoundError:  # tmp/ was removed under us: make it again
            self.tmp.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        return (HashingWriter if hash_apart else BlobWriter)(self, path, fd)

    def stage(self, source: Source) -> Staged:
        """Take `source` in without making it durable; `settle` puts it in place."""
        with self.spooler() as writer:
            for chunk in _chunks(source):
                writer.write(chunk)
            return writer.stage()

    def spooler(self) -> Spooler:
        """A blob written chunk by chunk that stays in memory while it is small (see Spooler)."""
        return Spooler(self)

    def intact(self, digest: str | None) -> bool:
        """Whether the object `digest` is there and its bytes still hash to it."""
        try:
            return digest is not None and hash_file(self.path(digest))[0] == digest
        except (OSError, ValueError):  # gone, unreadable, not a file, or no digest at all
            return False

    def settle(self, staged: Iterable[Staged]) -> None:
        """Make staged blobs durable and put them in place: bytes still in memory go to temp
        files, then one flush, the renames, and a second flush for the names. Bytes in memory
        whose object is already there are not written again; a temp file's bytes take the
        object's place all the same (a rename, as cheap as removing them): the same bytes, or
        the good copy of an object the disk damaged (`archive --recapture` heals it)."""
        todo = []
        for item in staged:
            if item.settled:
                continue
            if item.tmp_path is None and self.exists(item.digest):
                item.settled = True  # in memory, and stored before
                continue
            if item.tmp_path is None:
                with self.writer() as writer:
                    writer.write(item.data or b"")
                    item.tmp_path = writer.stage().tmp_path
            todo.append(item)
        if not todo:
            return
        sync_filesystem(self.tmp, [s.tmp_path for s in todo if s.tmp_path])
        folders: set[Path] = set()
        for item in todo:
            assert item.tmp_path is not None
            final = self.path(item.digest)
            # a folder is made once: `mkdir` on one that exists costs the file system more
            # than asking whether it does
            if final.parent not in folders and not final.parent.is_dir():
                final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(item.tmp_path, 0o444)
            try:
                os.replace(item.tmp_path, final)
            except IsADirectoryError:  # a damaged store's folder in its place: set aside in tmp/
                os.replace(final, self.tmp / f"displaced-{final.name}-{os.urandom(4).hex()}")
                os.replace(item.tmp_path, final)
            folders.add(final.parent)
            item.settled = True
        if folders:
            sync_filesystem(self.objects, [*folders, self.objects])

    def discard(self, staged: Iterable[Staged]) -> None:
        """Drop staged blobs that no transaction will name."""
        for item in staged:
            if not item.settled and item.tmp_path is not None:
                item.tmp_path.unlink(missing_ok=True)

    def clean_tmp(self) -> int:
        """Remove what writers that died left in tmp/ (`put-PID-…`, `dir-PID-…`: nothing else,
        and nothing through a linked tmp/, a folder others may use); return how many."""
        if self.tmp.is_symlink() or not self.tmp.is_dir():
            return 0
        removed = 0
        for entry in self.tmp.iterdir():
            owner = TMP_RE.match(entry.name)
            if owner is None or pid_alive(int(owner.group(1))):
                continue  # not archiver's, or a live writer's
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
        return removed


class BlobWriter:
    """Streams one blob into `tmp/` while hashing it; `commit` moves it into place. Leaving the
    `with` block without committing discards it."""

    def __init__(self, store: Store, tmp_path: Path, fd: int) -> None:
        self.store, self.tmp_path, self.fd = store, tmp_path, fd
        self.hasher, self.size = hashlib.sha256(), 0
        self.flushed = 0  # bytes whose writing back to the disk has been started
        self.out = os.fdopen(fd, "wb", closefd=False)
        self.lent: memoryview | None = None

    def __enter__(self) -> BlobWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, chunk: bytes | memoryview) -> None:
        self.hasher.update(chunk)
        self.size += len(chunk)
        self.out.write(chunk)
        self._write_back()

    def _write_back(self) -> None:
        """Every WRITEBACK bytes, have the disk start on them (the writer then never meets the
        kernel's limit on pages waiting to be written, and the fsync finds them written)."""
        if self.size - self.flushed >= WRITEBACK:
            start_writeback(self.fd, self.flushed, self.size - self.flushed)
            self.flushed = self.size

    def buffer(self) -> memoryview:
        """A buffer of RING_BUFFER bytes to fill and pass (or a slice of it) to `write`; here
        always the same one, the bytes being hashed and written before `write` returns."""
        if self.lent is None:
            self.lent = memoryview(bytearray(RING_BUFFER))
        return self.lent

    def stage(self) -> Staged:
        """Close the temp file without making it durable (see `Store.settle`)."""
        self._hashed()
        self.out.flush()
        self.out.close()
        os.close(self.fd)
        return Staged(self.store, "sha256:" + self.hasher.hexdigest(), self.size, self.tmp_path)

    def commit(self) -> tuple[str, int]:
        """fsync, make read-only and move into place (unless the object exists); (digest, size)."""
        self._hashed()
        self.out.flush()
        os.fsync(self.fd)
        digest = "sha256:" + self.hasher.hexdigest()
        final = self.store.path(digest)
        if not final.exists():  # dedup: an object is never written twice
            os.fchmod(self.fd, 0o444)
            if not final.parent.is_dir():
                final.parent.mkdir(parents=True, exist_ok=True)
                fsync_dir(final.parent.parent)
            os.replace(self.tmp_path, final)
            fsync_dir(final.parent)
        return digest, self.size

    def _hashed(self) -> None:
        """Wait for the hash of everything written (see HashingWriter)."""

    def close(self) -> None:
        """Discard the blob unless it was committed or staged."""
        if not self.out.closed:
            self.out.close()
            os.close(self.fd)
            self.tmp_path.unlink(missing_ok=True)


class Spooler:
    """A blob written chunk by chunk: kept in memory up to SPOOL bytes (no temp file, no file
    system work for the event loop: the writer puts it on disk when it settles), streamed to a
    temp file past that."""

    def __init__(self, store: Store) -> None:
        self.store, self.size = store, 0
        self.buffer: bytearray | None = bytearray()
        self.file: BlobWriter | None = None

    def __enter__(self) -> Spooler:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.file is not None:
            self.file.close()

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.file is not None:
            self.file.write(chunk)
            return
        assert self.buffer is not None
        self.buffer += chunk
        if len(self.buffer) > SPOOL:
            self.file = self.store.writer()
            self.file.write(bytes(self.buffer))
            self.buffer = None

    def stage(self) -> Staged:
        if self.file is not None:
            return self.file.stage()
        data = bytes(self.buffer or b"")
        return Staged(self.store, digest_bytes(data), len(data), data=data)


class HashingWriter(BlobWriter):
    """A BlobWriter that hashes on a thread of its own while the caller reads and writes, for
    long bodies: SHA-256 and the copy into the file then take the time of the slower of the two,
    not their sum. At most `depth` chunks wait for the hasher, so memory stays bounded (four
    are enough for the hasher never to wait on the network). The caller fills the buffers
    `buffer()` lends and writes them: a buffer comes back round only once the hasher is done
    with it (reused, not allocated and faulted in afresh for every chunk)."""

    def __init__(self, store: Store, tmp_path: Path, fd: int, depth: int = 4) -> None:
        super().__init__(store, tmp_path, fd)
        self.chunks: queue.Queue[bytes | memoryview | None] = queue.Queue(depth)
        # After a chunk is put, at most `depth` wait and the hasher has finished the one before
        # them: depth + 2 buffers (those, the one it hashes, the one being filled) are enough.
        # The ring turns as chunks are written, so a buffer lent and not written is lent again.
        self.ring = [memoryview(bytearray(RING_BUFFER)) for _ in range(depth + 2)]
        self.turn = 0
        self.thread = threading.Thread(target=self._hash, name="archiver-hash", daemon=True)
        self.thread.start()

    def buffer(self) -> memoryview:
        """A buffer of RING_BUFFER bytes to fill and pass (or a slice of it) to `write`."""
        return self.ring[self.turn % len(self.ring)]

    def _hash(self) -> None:
        while (chunk := self.chunks.get()) is not None:
            self.hasher.update(chunk)

    def write(self, chunk: bytes | memoryview) -> None:
        self.size += len(chunk)
        self.out.write(chunk)
        self.chunks.put(chunk)
        self.turn += 1  # chunks put: the buffer lent next is that of chunk turn - (depth + 2)
        self._write_back()

    def _hashed(self) -> None:
        if self.thread.is_alive():
            self.chunks.put(None)
            self.thread.join()

    def close(self) -> None:
        self._hashed()
        super().close()
