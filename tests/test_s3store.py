"""The object-storage store against an S3-compatible server on loopback (moto's standalone
server): content-addressed keys, nothing overwritten, parts for large media, streamed reads,
and bytes changed on the way refused."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from archiver.errors import StoreError
from archiver.s3store import ReadCut, S3Store
from archiver.verify.objects import check_stored


@pytest.fixture(scope="module")
def endpoint():  # type: ignore[no-untyped-def]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def client(endpoint: str):  # type: ignore[no-untyped-def]
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


@pytest.fixture
def store(endpoint: str, tmp_path: Path) -> S3Store:
    s3 = client(endpoint)
    bucket = f"b{os.urandom(4).hex()}"
    s3.create_bucket(Bucket=bucket)
    store = S3Store(tmp_path / "home", f"s3://{bucket}/team", client=s3)
    store.create()
    return store


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def test_objects_are_named_by_their_digest_and_read_back_streamed(store: S3Store) -> None:
    small, large = b"a record", os.urandom(20 * 1024 * 1024 + 17)  # the large one in parts
    got = [store.put(small), store.put(large)]
    assert got == [(sha(small), len(small)), (sha(large), len(large))]
    assert store.read_bytes(sha(small)) == small and store.size(sha(large)) == len(large)
    with store.open(sha(large)) as body:
        hasher = hashlib.sha256()
        while chunk := body.read(1024 * 1024):
            hasher.update(chunk)
    assert "sha256:" + hasher.hexdigest() == sha(large)
    assert sorted(store.iter_digests()) == sorted([sha(small), sha(large)])
    assert store.key(sha(small)).startswith(f"team/sha256/{sha(small)[7:9]}/")
    assert list((store.tmp).iterdir()) == []  # staging is cleared once uploaded


def test_an_object_there_is_never_written_again(store: S3Store) -> None:
    store.put(b"once")
    puts = []
    store.s3.meta.events.register("before-call.s3.PutObject", lambda **kw: puts.append(1))
    staged = [store.stage(b"once"), store.stage(b"twice")]
    store.settle(staged)
    assert len(puts) == 1 and all(s.settled for s in staged)


def test_bytes_changed_on_the_way_are_refused(store: S3Store) -> None:
    def tamper(params, **_kw):  # type: ignore[no-untyped-def]
        body = params["body"]
        data = body if isinstance(body, bytes) else body.read()
        params["body"] = data[::-1]  # what goes on the wire is not what was sent

    store.s3.meta.events.register("before-call.s3.PutObject", tamper)
    with pytest.raises(StoreError, match="stored other bytes"):
        store.put(b"evidence that must arrive whole")


def test_an_object_cut_on_the_way_is_removed_and_sent_again(store: S3Store) -> None:
    """The check that refuses an upload also takes the cut object away, and the staged bytes
    stay: the next settle sends them whole."""
    data = os.urandom(2 * 1024 * 1024)  # staged in a temp file, sent in one PUT

    def cut(params, **_kw):  # type: ignore[no-untyped-def]
        body = params["body"]
        whole = body if isinstance(body, bytes) else body.read()
        params["body"] = whole[: len(whole) // 2]

    store.s3.meta.events.register("before-call.s3.PutObject", cut, unique_id="cut")
    staged = store.stage(data)
    with pytest.raises(StoreError, match="stored other bytes"):
        store.settle([staged])
    assert not store.exists(sha(data)) and not staged.settled
    assert staged.tmp_path is not None and staged.tmp_path.exists()
    store.s3.meta.events.unregister("before-call.s3.PutObject", unique_id="cut")
    store.settle([staged])
    assert store.read_bytes(sha(data)) == data and not staged.tmp_path.exists()


def test_an_object_of_another_size_under_the_name_is_replaced(store: S3Store) -> None:
    """A key alone does not make an object there: at another size it is uploaded again."""
    data = b"the whole record"
    store.s3.put_object(Bucket=store.bucket, Key=store.key(sha(data)), Body=data[:5])
    assert store.put(data) == (sha(data), len(data))
    assert store.read_bytes(sha(data)) == data


def test_a_download_cut_short_is_a_read_error_not_damage(store: S3Store) -> None:
    """A body that ends before its Content-Length raises; verify reads once more, and if the
    line is cut again names the object unreadable, never truncated."""
    data = os.urandom(100_000)
    digest, size = store.put(data)
    cuts = [1]

    def cut(parsed, **_kw):  # type: ignore[no-untyped-def]
        if cuts[0] > 0:
            cuts[0] -= 1
            parsed["Body"] = io.BytesIO(parsed["Body"].read()[: size // 2])  # ends cleanly

    store.s3.meta.events.register("after-call.s3.GetObject", cut)
    assert check_stored(store, digest, size) is None and cuts == [0]  # the second read whole
    cuts[0] = 1
    with pytest.raises(ReadCut, match="cut short"):
        store.read_bytes(digest)
    cuts[0] = 2
    problem = check_stored(store, digest, size) or ""
    assert problem.startswith("unreadable (the download of") and "truncated" not in problem
