"""Blobs in S3-compatible object storage (a team archive): the same content-addressed store,
each object under `<prefix>/sha256/<2 hex>/<64 hex>`.

Staging stays local (`tmp/` of the local home, in memory for small bodies, as in store.py);
settling uploads: an object already there at its size is not written again (HEAD, then a
conditional `PutObject` with `If-None-Match: *`, so a race can never replace one; one of another
size, left by an upload cut short, is written over), every upload carries its SHA-256 (`x-amz-
checksum-sha256`, which the service checks) and the answer's ETag is checked against the MD5
archiver computed itself (which catches a body changed on the way even where the service checks
nothing; an object that fails it is deleted at once, and its staged bytes kept for the next
try); large media go up in parts, each with its own checksum. Reads stream: verify re-hashes
what it reads in bounded memory. One store interface, two implementations.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from .errors import InputError, StoreError
from .store import CHUNK, DIGEST_RE, Staged, Store, check_digest

MULTIPART = 16 * 1024 * 1024  # bodies above this go up in parts
PART = 8 * 1024 * 1024  # the size of a part (the protocol's least is 5 MiB)
UPLOADS = 8  # uploads at once while a group settles


class S3Store(Store):
    """Objects in `s3://bucket/prefix`; `root` is the local home for staging."""

    remote = True

    def __init__(
        self,
        root: str | os.PathLike,
        url: str,
        endpoint: str | None = None,
        region: str | None = None,
        client: object | None = None,
        keys: str | None = None,
    ) -> None:
        super().__init__(root)
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise InputError(f"store {url!r}: expected s3://BUCKET/PREFIX")
        self.url, self.bucket = url, parts.netloc
        self.prefix = parts.path.strip("/")
        self.endpoint, self.region, self.keys = endpoint, region or "us-east-1", keys
        self._client = client

    @property
    def s3(self):  # type: ignore[no-untyped-def]
        """The service's client, made when first used (and again in another process)."""
        if self._client is None:
            import boto3  # only a team archive needs it

            access, _, secret = (self.keys or "").partition(":")
            given = {"aws_access_key_id": access, "aws_secret_access_key": secret}
            self._client = boto3.client(
                "s3",
                endpoint_url=self.endpoint,
                region_name=self.region,
                **(given if secret else {}),
            )
        return self._client

    def __getstate__(self) -> dict:
        """Staged blobs name their store and go to the writer process: the client stays."""
        return {**self.__dict__, "_client": None}

    def key(self, digest: str) -> str:
        hexdigest = check_digest(digest)[7:]
        return "/".join(p for p in (self.prefix, "sha256", hexdigest[:2], hexdigest) if p)

    def create(self) -> None:
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.s3.head_bucket(Bucket=self.bucket)  # type: ignore[attr-defined]

    def path(self, digest: str) -> Path:
        raise NotImplementedError("objects in S3 have no local path: use open()")

    def _head(self, digest: str) -> dict | None:
        from botocore.exceptions import ClientError

        try:
            return self.s3.head_object(Bucket=self.bucket, Key=self.key(digest))  # type: ignore[attr-defined]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def exists(self, digest: str) -> bool:
        return self._head(digest) is not None

    def intact(self, digest: str | None) -> bool:
        """Whether the object is there (the bucket keeps its bytes whole; verify hashes them)."""
        return digest is not None and self.exists(digest)

    def stored(self) -> Iterator[tuple[str, int]]:
        """(digest, size) of every object, from the listing (no request per object)."""
        paginator = self.s3.get_paginator("list_objects_v2")  # type: ignore[attr-defined]
        start = "/".join(p for p in (self.prefix, "sha256") if p) + "/"
        for page in paginator.paginate(Bucket=self.bucket, Prefix=start):
            for item in page.get("Contents", []):
                name = item["Key"].rsplit("/", 1)[-1]
                if DIGEST_RE.fullmatch("sha256:" + name):
                    yield "sha256:" + name, int(item["Size"])

    def size(self, digest: str) -> int:
        head = self._head(digest)
        if head is None:
            raise FileNotFoundError(self.key(digest))
        return int(head["ContentLength"])

    def open(self, digest: str) -> BinaryIO:
        """The object as a stream (read in chunks: memory stays bounded); FileNotFoundError
        when there is none."""
        from botocore.exceptions import ClientError

        try:
            answer = self.s3.get_object(Bucket=self.bucket, Key=self.key(digest))  # type: ignore[attr-defined]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise FileNotFoundError(2, "no such object", self.key(digest)) from None
            raise
        return _Body(answer["Body"], int(answer["ContentLength"]), self.key(digest))  # type: ignore[return-value]

    def read_bytes(self, digest: str) -> bytes:
        with self.open(digest) as body:
            return body.read()

    def iter_digests(self) -> Iterator[str]:
        return (digest for digest, _ in self.stored())

    def put(self, source: object) -> tuple[str, int]:  # type: ignore[override]
        staged = self.stage(source)  # type: ignore[arg-type]
        self.settle([staged])
        return staged.digest, staged.size

    def settle(self, staged: Iterable[Staged]) -> None:
        """Upload what is not there yet, several at once; each object is durable once the
        service has acknowledged it with the checksum archiver computed."""
        todo = [s for s in staged if not s.settled]
        with ThreadPoolExecutor(UPLOADS) as pool:
            list(pool.map(self._upload, todo))

    def _upload(self, item: Staged) -> None:
        """Upload `item` unless it is there whole; its staged bytes are kept until then."""
        head = self._head(item.digest)
        if not whole(None if head is None else int(head["ContentLength"]), item.size):
            if item.data is not None or item.size <= MULTIPART:
                self._put_object(item, replace=head is not None)
            else:
                self._put_parts(item)
        if item.tmp_path is not None:
            item.tmp_path.unlink(missing_ok=True)
        item.settled = True

    def _put_object(self, item: Staged, replace: bool = False) -> None:
        """One PUT; `replace`: overwrite an object that is not whole (else never overwrite)."""
        from botocore.exceptions import ClientError

        data = item.data if item.data is not None else Path(item.tmp_path or "").read_bytes()
        sha = base64.b64encode(bytes.fromhex(item.digest[7:])).decode()
        md5 = hashlib.md5(data, usedforsecurity=False)
        try:
            answer = self.s3.put_object(  # type: ignore[attr-defined]
                Bucket=self.bucket,
                Key=self.key(item.digest),
                Body=data,
                ChecksumSHA256=sha,
                ContentMD5=base64.b64encode(md5.digest()).decode(),
                **({} if replace else {"IfNoneMatch": "*"}),
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "PreconditionFailed":
                return  # written meanwhile by another worker: the same bytes, by their name
            raise
        # The ETag is the MD5 of what was stored, except under KMS or customer-key encryption
        # (then the service's own check of ContentMD5 and ChecksumSHA256 is the proof).
        encrypted = answer.get("SSECustomerAlgorithm") or "kms" in str(
            answer.get("ServerSideEncryption") or ""
        )
        if not encrypted and answer.get("ETag", "").strip('"') != md5.hexdigest():
            self._delete(item.digest)  # never left under the name of bytes it does not hold
            raise StoreError(f"{self.url}: the service stored other bytes for {item.digest}")

    def _delete(self, digest: str) -> None:
        """Remove an object an upload found damaged, best effort: if this fails too, the
        next upload still replaces it, as its size is not the blob's (`whole`)."""
        with contextlib.suppress(Exception):  # the error being raised is the one to report
            self.s3.delete_object(Bucket=self.bucket, Key=self.key(digest))  # type: ignore[attr-defined]

    def _put_parts(self, item: Staged) -> None:
        """A large body in parts of PART bytes, each with its SHA-256."""
        key = self.key(item.digest)
        upload = self.s3.create_multipart_upload(  # type: ignore[attr-defined]
            Bucket=self.bucket, Key=key, ChecksumAlgorithm="SHA256"
        )
        parts = []
        try:
            with open(item.tmp_path or "", "rb") as handle:
                for number in range(1, 10_001):
                    chunk = _read(handle, PART)
                    if not chunk:
                        break
                    sha = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
                    answer = self.s3.upload_part(  # type: ignore[attr-defined]
                        Bucket=self.bucket,
                        Key=key,
                        UploadId=upload["UploadId"],
                        PartNumber=number,
                        Body=chunk,
                        ChecksumSHA256=sha,
                    )
                    parts.append(
                        {"PartNumber": number, "ETag": answer["ETag"], "ChecksumSHA256": sha}
                    )
            self.s3.complete_multipart_upload(  # type: ignore[attr-defined]
                Bucket=self.bucket,
                Key=key,
                UploadId=upload["UploadId"],
                MultipartUpload={"Parts": parts},
            )
        except BaseException:
            self.s3.abort_multipart_upload(  # type: ignore[attr-defined]
                Bucket=self.bucket, Key=key, UploadId=upload["UploadId"]
            )
            raise


class ReadCut(OSError):
    """A download that ended before the length the service announced: the line was cut, which
    says nothing of the object itself."""


class _Body(io.RawIOBase):
    """An object's body that raises ReadCut when it ends short of its Content-Length (a
    connection closed early can otherwise read as a clean end)."""

    def __init__(self, body: BinaryIO, length: int, key: str) -> None:
        super().__init__()
        self._body, self._length, self._key, self._seen = body, length, key, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        whole_body = size is None or size < 0
        chunk = self._body.read() if whole_body else self._body.read(size)
        self._seen += len(chunk)
        if self._seen < self._length and (whole_body or (size and not chunk)):
            raise ReadCut(
                f"the download of {self._key} was cut short at {self._seen:,} of "
                f"{self._length:,} bytes"
            )
        return chunk

    def readall(self) -> bytes:
        return self.read()

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self._body.close()
        super().close()


def whole(found: int | None, size: int) -> bool:
    """The rule for skipping an upload: an object (of `found` bytes, None: no object) counts as
    there only at the size expected; anything else is uploaded again, over it."""
    return found is not None and found == size


def _read(handle: BinaryIO, size: int) -> bytes:
    out = bytearray()
    while len(out) < size and (chunk := handle.read(min(CHUNK, size - len(out)))):
        out += chunk
    return bytes(out)
