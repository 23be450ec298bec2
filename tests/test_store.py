"""The content-addressed store: digests, dedup, atomic writes, read-only objects."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archiver.durable import hash_file
from archiver.errors import InvalidDigest
from archiver.store import Store, check_digest


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "archive")
    s.create()
    return s


def test_put_bytes_names_the_object_by_its_sha256(store: Store) -> None:
    digest, size = store.put(b"hello world")
    assert digest == sha(b"hello world")
    assert size == 11
    hexdigest = digest.removeprefix("sha256:")
    assert store.path(digest) == store.root / "objects" / "sha256" / hexdigest[:2] / hexdigest
    assert store.read_bytes(digest) == b"hello world"
    assert store.size(digest) == 11


def test_put_accepts_path_file_object_and_chunk_iterator(store: Store, tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)  # spans several chunks
    source = tmp_path / "input.bin"
    source.write_bytes(data)
    expected = sha(data)
    assert store.put(source) == (expected, len(data))
    assert store.put(str(source)) == (expected, len(data))
    assert store.put(io.BytesIO(data)) == (expected, len(data))
    assert store.put(iter([data[:5], data[5:1000], data[1000:]])) == (expected, len(data))
    with store.open(expected) as handle:
        assert handle.read() == data
    assert hash_file(store.path(expected)) == (expected, len(data))


def test_empty_input_is_a_valid_object(store: Store) -> None:
    digest, size = store.put(b"")
    assert digest == sha(b"") and size == 0 and store.exists(digest)


def test_existing_object_is_not_rewritten(store: Store) -> None:
    digest, _ = store.put(b"same bytes")
    before = store.path(digest).stat()
    time.sleep(0.01)
    assert store.put(b"same bytes")[0] == digest
    after = store.path(digest).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert list(store.iter_digests()) == [digest]
    assert list(store.tmp.iterdir()) == []


def test_objects_are_read_only(store: Store) -> None:
    digest, _ = store.put(b"evidence")
    mode = stat.S_IMODE(store.path(digest).stat().st_mode)
    assert mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) == 0


def test_iter_digests_lists_only_well_named_objects(store: Store) -> None:
    digests = sorted(store.put(bytes([i]))[0] for i in range(5))
    (store.objects / "zz").mkdir()
    (store.objects / "zz" / "not-a-digest").write_bytes(b"x")
    wrong_shard = store.objects / "00" / digests[0].removeprefix("sha256:")
    wrong_shard.parent.mkdir(exist_ok=True)
    wrong_shard.write_bytes(b"misfiled")
    assert sorted(store.iter_digests()) == digests


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "sha256:",
        "sha256:" + "A" * 64,
        "sha256:" + "a" * 63,
        "md5:" + "a" * 64,
        "a" * 64,
        "sha256:" + "a" * 64 + "/..",
        "sha256:../../" + "a" * 58,
    ],
)
def test_bad_digests_are_rejected(store: Store, bad: str) -> None:
    with pytest.raises(InvalidDigest):
        store.path(bad)
    with pytest.raises(InvalidDigest):
        check_digest(bad)


WRITER = """
import sys, time
from archiver.store import Store
def chunks():
    while True:
        yield b"x" * 65536
        time.sleep(0.001)
Store(sys.argv[1]).put(chunks())
"""


def test_writer_killed_mid_write_leaves_nothing_under_objects(store: Store) -> None:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(store.root)])
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            partial = [p for p in store.tmp.iterdir() if p.stat().st_size > 1_000_000]
            if partial:
                break
            time.sleep(0.02)
        else:
            pytest.fail("the writer never started writing")
        # While the writer lives, its temp file is locked and cleanup leaves it alone.
        assert store.clean_tmp() == 0
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert not any(p.is_file() for p in store.objects.rglob("*"))
    assert list(store.iter_digests()) == []
    assert len(list(store.tmp.iterdir())) == 1
    # The next run removes what the killed writer left.
    assert store.clean_tmp() == 1
    assert list(store.tmp.iterdir()) == []
    digest, _ = store.put(b"after the crash")
    assert store.read_bytes(digest) == b"after the crash"


@pytest.mark.parametrize("hash_apart", [False, True])
def test_lent_buffers_are_reused_only_once_hashed(store: Store, hash_apart: bool) -> None:
    """A long body is read into buffers the writer lends and reuses: filled far faster than
    the hasher reads them, every byte is still hashed as it was written."""
    chunks = [os.urandom(997) * 1051 for _ in range(40)]  # distinct, about 1 MiB each
    with store.writer(hash_apart=hash_apart) as writer:
        for i, chunk in enumerate(chunks):
            buffer = writer.buffer()
            buffer[: len(chunk) - i] = chunk[: len(chunk) - i]  # parts of several lengths
            writer.write(buffer[: len(chunk) - i])
        staged = writer.stage()
    body = b"".join(chunk[: len(chunk) - i] for i, chunk in enumerate(chunks))
    assert staged.digest == "sha256:" + hashlib.sha256(body).hexdigest()
    assert staged.tmp_path is not None and staged.tmp_path.read_bytes() == body


def test_cleaning_tmp_removes_only_archivers_own_and_never_through_a_link(
    store: Store, tmp_path: Path
) -> None:
    """What a dead writer left (`put-PID-…`, `dir-PID-…`) goes; anything else in `tmp/` stays,
    and a `tmp/` linked to a folder elsewhere (a scratch disk others use) is not cleaned."""
    dead = 2**22 + 17  # no such process (pid_max is at most 2**22)
    (store.tmp / f"put-{dead}-1-ab").write_bytes(b"left")
    (store.tmp / f"dir-{dead}-5").mkdir()
    (store.tmp / "notes.txt").write_text("mine")
    (store.tmp / "put-2147483648-x").write_text("a name no process can have")  # removed too
    assert store.clean_tmp() == 3
    assert [p.name for p in store.tmp.iterdir()] == ["notes.txt"]
    elsewhere = tmp_path / "scratch"
    elsewhere.mkdir()
    (elsewhere / "thesis.docx").write_text("precious")
    (elsewhere / f"put-{dead}-1-cd").write_text("someone else's")
    shutil.rmtree(store.tmp)
    store.tmp.symlink_to(elsewhere)
    assert store.clean_tmp() == 0
    assert sorted(p.name for p in elsewhere.iterdir()) == ["put-4194321-1-cd", "thesis.docx"]
