"""Checking a bundle without the archive: its manifests, its tag files, every payload file, and
that each post record hashes to the digest its post.json cites. Works on a folder or a zip."""

from __future__ import annotations

import hashlib
import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ..errors import InputError
from ..verify import Problem, Report
from .bagit import ALGORITHMS, safe_path


class Bag:
    """Files of a bag, read from a folder or a zip, by their path from the bag root."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        if path.is_dir():
            roots = [p.parent for p in path.rglob("bagit.txt")]
            if not roots:
                raise InputError(f"{path}: not a bag (no bagit.txt)")
            self.root = min(roots, key=lambda p: len(p.parts))
            self.names = sorted(
                p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file()
            )
            self.unsafe: list[str] = []
        elif zipfile.is_zipfile(path):
            self.zip = zipfile.ZipFile(path)
            members = [m for m in self.zip.namelist() if not m.endswith("/")]
            self.unsafe = [m for m in members if not safe_path(m)]
            tags = [m for m in members if PurePosixPath(m).name == "bagit.txt" and safe_path(m)]
            if not tags:
                raise InputError(f"{path}: not a bag (no bagit.txt in the zip)")
            prefix = str(PurePosixPath(min(tags, key=len)).parent)
            self.prefix = "" if prefix == "." else prefix + "/"
            self.names = sorted(
                m[len(self.prefix) :] for m in members if m.startswith(self.prefix) and safe_path(m)
            )
        else:
            raise InputError(f"{path}: neither a bag folder nor a zip")

    def open(self, name: str) -> BinaryIO:
        if self.zip is not None:
            return self.zip.open(self.prefix + name)  # type: ignore[return-value]
        return open(self.root / name, "rb")

    def read(self, name: str) -> bytes:
        with self.open(name) as handle:
            return handle.read()


def _hash(bag: Bag, name: str, algorithm: str) -> tuple[str, int]:
    hasher, size = hashlib.new(algorithm), 0
    with bag.open(name) as handle:
        while chunk := handle.read(1024 * 1024):
            hasher.update(chunk)
            size += len(chunk)
    return hasher.hexdigest(), size


def _manifest(bag: Bag, name: str) -> Iterator[tuple[str, str]]:
    for line in bag.read(name).decode("utf-8").splitlines():
        if line.strip():
            digest, _, path = line.partition(" ")
            yield (
                digest.strip().lower(),
                path.strip().replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%"),
            )


def check_bundle(path: Path) -> Report:
    started = time.monotonic()
    report = Report()
    bag = Bag(path)
    for name in bag.unsafe:
        report.problems.append(Problem(None, f"unsafe path in bundle: {name!r} (never extract it)"))
    present = set(bag.names)
    listed: set[str] = set()
    for kind in ("manifest", "tagmanifest"):
        for algorithm in ALGORITHMS:
            manifest = f"{kind}-{algorithm}.txt"
            if manifest not in present:
                report.problems.append(Problem(None, f"{manifest} is missing"))
                continue
            for digest, name in _manifest(bag, manifest):
                if not safe_path(name):
                    report.problems.append(Problem(None, f"unsafe path in {manifest}: {name!r}"))
                    continue
                listed.add(name) if kind == "manifest" else None
                if name not in present:
                    report.problems.append(Problem(None, f"{name}: listed in {manifest}, missing"))
                    continue
                actual, size = _hash(bag, name, algorithm)
                report.checked += 1
                report.bytes += size
                if actual != digest:
                    report.problems.append(
                        Problem(
                            f"{algorithm}:{digest}",
                            f"{name}: {algorithm} does not match {manifest}",
                        )
                    )
    for name in sorted(present - listed):
        if name.startswith("data/"):
            report.problems.append(Problem(None, f"{name}: in the payload but in no manifest"))
    _check_oxum(bag, present, report)
    _check_records(bag, present, report)
    report.seconds = time.monotonic() - started
    return report


def _check_oxum(bag: Bag, present: set[str], report: Report) -> None:
    info = bag.read("bag-info.txt").decode("utf-8") if "bag-info.txt" in present else ""
    oxum = next(
        (
            line.split(":", 1)[1].strip()
            for line in info.splitlines()
            if line.lower().startswith("payload-oxum:")
        ),
        None,
    )
    payload = [n for n in present if n.startswith("data/")]
    if oxum:
        octets = sum(_hash(bag, n, "sha256")[1] for n in payload)
        if oxum != f"{octets}.{len(payload)}":
            report.problems.append(
                Problem(None, f"Payload-Oxum {oxum} but the payload is {octets}.{len(payload)}")
            )


def _check_records(bag: Bag, present: set[str], report: Report) -> None:
    for name in sorted(
        n for n in present if n.endswith("/post.json") and n.startswith("data/posts/")
    ):
        cited = json.loads(bag.read(name)).get("record_digest")
        record = name.rsplit("/", 1)[0] + "/record.json"
        if cited and record in present:
            actual = "sha256:" + _hash(bag, record, "sha256")[0]
            if actual != cited:
                report.problems.append(
                    Problem(cited, f"{record} does not hash to the digest {name} cites")
                )
