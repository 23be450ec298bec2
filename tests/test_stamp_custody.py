"""Custody records and their Merkle root: RFC 6962 exactly, proofs that hold and fail, the host's
clock read without failing, and a root stamped by a real TSA after the run."""

from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stamp_tsa import LoopbackTsas

from archiver.config import Settings
from archiver.errors import InvalidDigest
from archiver.record import canonical_json
from archiver.stamp import custody
from archiver.stamp.custody import (
    HostClock,
    custody_record,
    host_clock,
    read_custody,
    verify_run_stamps,
)
from archiver.stamp.merkle import InclusionProof, inclusion_proof, merkle_root, verify_inclusion
from archiver.stamp.tsa import Stamp, check_stamp, request_stamp

digest_text = st.binary(min_size=1, max_size=8).map(
    lambda b: "sha256:" + hashlib.sha256(b).hexdigest()
)
digest_lists = st.lists(digest_text, min_size=1, max_size=40, unique=True)


def d(n: int) -> str:
    return "sha256:" + hashlib.sha256(str(n).encode()).hexdigest()


# RFC 6962 §2.1 and §2.1.1, written from the text, recursively: the reference to hold against.
def rfc_mth(items: list[bytes]) -> bytes:
    if not items:
        return hashlib.sha256(b"").digest()
    if len(items) == 1:
        return hashlib.sha256(b"\x00" + items[0]).digest()
    k = 1 << ((len(items) - 1).bit_length() - 1)  # the largest power of two smaller than n
    return hashlib.sha256(b"\x01" + rfc_mth(items[:k]) + rfc_mth(items[k:])).digest()


def rfc_path(m: int, items: list[bytes]) -> list[bytes]:
    if len(items) == 1:
        return []
    k = 1 << ((len(items) - 1).bit_length() - 1)
    if m < k:
        return rfc_path(m, items[:k]) + [rfc_mth(items[k:])]
    return rfc_path(m - k, items[k:]) + [rfc_mth(items[:k])]


@settings(max_examples=150, deadline=None)
@given(digest_lists, st.data())
def test_the_root_and_every_proof_are_rfc_6962(digests: list[str], data) -> None:
    leaves = [x.encode() for x in digests]
    assert merkle_root(digests) == "sha256:" + rfc_mth(leaves).hex()
    index = data.draw(st.integers(0, len(digests) - 1))
    proof = inclusion_proof(digests, digests[index])
    assert proof is not None and proof.index == index and proof.size == len(digests)
    assert [bytes.fromhex(p) for p in proof.path] == rfc_path(index, leaves)
    assert verify_inclusion(proof, merkle_root(digests))


def test_small_trees_by_hand() -> None:
    empty = "sha256:" + hashlib.sha256(b"").hexdigest()
    assert merkle_root([]) == empty
    one = hashlib.sha256(b"\x00" + d(1).encode()).digest()
    assert merkle_root([d(1)]) == "sha256:" + one.hex()
    two = hashlib.sha256(b"\x00" + d(2).encode()).digest()
    three = hashlib.sha256(b"\x00" + d(3).encode()).digest()
    left = hashlib.sha256(b"\x01" + one + two).digest()
    # three leaves: the third is carried up unchanged, then joined
    assert merkle_root([d(1), d(2), d(3)]) == (
        "sha256:" + hashlib.sha256(b"\x01" + left + three).hexdigest()
    )
    proof = inclusion_proof([d(1), d(2), d(3)], d(3))
    assert proof is not None and proof.path == (left.hex(),)


def tampered(proof: InclusionProof) -> list[InclusionProof]:
    flipped = tuple(p[:-1] + ("0" if p[-1] != "0" else "1") for p in proof.path)
    return [
        InclusionProof(d(999), proof.index, proof.size, proof.path),
        InclusionProof(proof.digest, proof.index ^ 1, proof.size, proof.path),
        # the size only guides the walk (the root commits to the leaves): one that changes the
        # tree's height cannot match the path
        InclusionProof(proof.digest, proof.index, proof.size * 2, proof.path),
        InclusionProof(proof.digest, proof.index, proof.size, flipped),
        InclusionProof(proof.digest, proof.index, proof.size, proof.path[:-1]),
        InclusionProof(proof.digest, proof.index, proof.size, (*proof.path, proof.path[0])),
        InclusionProof(proof.digest, proof.size, proof.size, proof.path),
        InclusionProof(proof.digest, -1, proof.size, proof.path),
        InclusionProof(proof.digest, proof.index, proof.size, ("zz",) * len(proof.path)),
    ]


def test_a_proof_fails_when_anything_in_it_changes() -> None:
    digests = [d(n) for n in range(11)]
    root = merkle_root(digests)
    for index in range(11):
        proof = inclusion_proof(digests, digests[index])
        assert proof is not None and verify_inclusion(proof, root)
        assert InclusionProof.from_dict(json.loads(json.dumps(proof.to_dict()))) == proof
        for bad in tampered(proof):
            assert not verify_inclusion(bad, root), bad
        assert not verify_inclusion(proof, merkle_root(digests[:-1]))
    assert inclusion_proof(digests, d(999)) is None


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.integers() | st.text(max_size=80), st.lists, max_leaves=8))
def test_hostile_proofs_never_raise(data: object) -> None:
    shaped = {"digest": d(1), "index": 0, "size": 3, "path": data}
    for candidate in (data, shaped):
        proof = InclusionProof.from_dict(candidate)
        assert proof is None or verify_inclusion(proof, merkle_root([d(1), d(2)])) is False


START = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
CLOCK = HostClock("tsc", True, 4000, "adjtimex")


def test_the_custody_record_is_canonical_sorted_and_rooted() -> None:
    record = custody_record(
        START,
        START + timedelta(minutes=5),
        [d(3), d(1), d(2), d(1)],
        operator="Desk «Verification»",
        run="run-7",
        settings={"timeout": 20.0, "connect_to": {}},
        clock=CLOCK,
        version="9.9.9",
    )
    assert record.digests == tuple(sorted({d(1), d(2), d(3)}))
    assert record.merkle_root == merkle_root(record.digests)
    data = json.loads(record.to_json())
    assert record.to_json() == canonical_json(data) and b", " not in record.to_json()
    assert "«Verification»".encode() in record.to_json()  # UTF-8, not escaped
    assert data["started_at"] == "2026-03-01T12:00:00Z" and data["ended_at"].endswith("05:00Z")
    assert data["clock"] == {
        "source": "tsc",
        "synchronised": True,
        "max_error_us": 4000,
        "read_by": "adjtimex",
    }
    assert (data["tool"], data["version"], data["kind"], data["schema"]) == (
        "archiver",
        "9.9.9",
        "archiver custody record",
        1,
    )
    assert read_custody(record.to_json()) == record
    assert (
        custody.custody_digest(record) == "sha256:" + hashlib.sha256(record.to_json()).hexdigest()
    )
    with pytest.raises(InvalidDigest):
        custody_record(START, START, ["sha256:XYZ"], clock=CLOCK)


def test_a_changed_custody_record_is_named() -> None:
    record = custody_record(START, START, [d(1), d(2)], clock=CLOCK, version="1")
    good = json.loads(record.to_json())
    cases = {
        b"not json": "not JSON",
        canonical_json({**good, "schema": 2}): "not an archiver custody record",
        canonical_json({**good, "digests": [d(2), d(1)]}): "not sorted",
        canonical_json({**good, "digests": [d(1), "sha256:1"]}): "not a list",
        canonical_json({**good, "digests": sorted([d(1), d(3)])}): "Merkle root",
        canonical_json({**good, "extra": 1}): "unexpected or missing",
        json.dumps(good).encode(): "not in canonical form",
    }
    for data, problem in cases.items():
        result = read_custody(data)
        assert isinstance(result, str) and problem in result, (data, result)


def test_the_host_clock_is_read_where_linux_says_and_never_fails(monkeypatch, tmp_path) -> None:
    clock = host_clock()
    source = Path("/sys/devices/system/clocksource/clocksource0/current_clocksource")
    if source.exists():
        assert clock.source == source.read_text().strip()
        assert clock.read_by == "adjtimex"  # Linux answers adjtimex(2) without privileges
        assert isinstance(clock.synchronised, bool) and clock.max_error_us >= 0
    monkeypatch.setattr(custody, "CLOCKSOURCE", tmp_path / "missing")
    monkeypatch.setattr(custody, "_adjtimex", lambda: None)
    monkeypatch.setattr(custody.shutil, "which", lambda name: None)
    assert custody.host_clock() == HostClock(None, None, None, "nothing")


def test_timedatectl_is_asked_when_adjtimex_cannot_be(monkeypatch) -> None:
    def broken() -> None:
        raise OSError("no libc here")

    monkeypatch.setattr(custody, "_adjtimex", broken)
    clock = custody.host_clock()
    assert clock.read_by in ("timedatectl", "nothing")
    if clock.read_by == "timedatectl":
        answer = subprocess.run(
            ["timedatectl", "show", "-p", "NTPSynchronized", "--value"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        assert clock.synchronised is (answer == "yes")


def test_the_settings_that_shape_captures_are_kept_as_json() -> None:
    settings = Settings(connect_to={"t.co": "http://127.0.0.1:9"}, timeout=7.5)
    shaped = custody.shaping_settings(settings)
    assert shaped["connect_to"] == {"t.co": "http://127.0.0.1:9"} and shaped["timeout"] == 7.5
    assert set(shaped) <= set(custody.SHAPING) and "home" not in shaped
    json.dumps(shaped)  # every value is JSON


def test_a_run_stamped_later_stamps_its_root_and_openssl_agrees(replay, tmp_path) -> None:
    tsas = LoopbackTsas(replay, tmp_path / "pki")
    trust = tsas.trust
    ended = datetime.now(UTC).replace(microsecond=0)
    record = custody_record(ended - timedelta(minutes=3), ended, [d(1), d(2), d(3)])
    # offline at the run's end: the record waits; stamped when a TSA can be reached
    got = request_stamp(tsas.url("good"), record.root_bytes, trust)
    assert isinstance(got, Stamp) and got.time >= ended  # a stamp never predates its content
    (tmp_path / "run.tsr").write_bytes(got.response)
    result = subprocess.run(
        ["openssl", "ts", "-verify", "-in", str(tmp_path / "run.tsr")]
        + ["-digest", record.merkle_root.removeprefix("sha256:"), "-CAfile", str(tsas.roots_pem)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and "Verification: OK" in result.stdout
    # a record's inclusion, proved by the stamped root alone
    proof = inclusion_proof(list(record.digests), d(2))
    assert proof is not None and verify_inclusion(proof, "sha256:" + got.imprint.hex())
    other = custody_record(ended, ended, [d(4)])
    assert not isinstance(check_stamp(got.response, other.root_bytes, trust), Stamp)
    assert got.summary.startswith("timestamped by Loopback TSA at 20")


def test_a_run_is_checked_offline_from_its_blobs(replay, tmp_path) -> None:
    tsas = LoopbackTsas(replay, tmp_path / "pki")
    trust = tsas.trust
    record = custody_record(START, START, [d(1), d(2)])
    good = request_stamp(tsas.url("good"), record.root_bytes, trust)
    assert isinstance(good, Stamp)
    kept = [(good.response, good.chain_pem)]
    checked = verify_run_stamps(record.to_json(), kept, trust)
    assert checked.record == record and len(checked.stamps) == 1 and not checked.problems
    # a record rewritten after the stamp: its root moves, the stamp no longer dates it
    grown = custody_record(START, START, [d(1), d(2), d(3)])
    checked = verify_run_stamps(grown.to_json(), kept, trust)
    assert not checked.stamps and checked.problems[0].startswith("timestamp: wrong imprint")
    # what the stamp dates is the set of digests; the times and the operator are the
    # machine's word, kept beside it (the record's own docstring says so)
    relabelled = record.to_json().replace(b'"operator":""', b'"operator":"someone else"')
    assert len(verify_run_stamps(relabelled, kept, trust).stamps) == 1
    spaced = record.to_json().replace(b'"run":""', b'"run": ""')
    assert verify_run_stamps(spaced, kept, trust).problems == [
        "custody record: not in canonical form"
    ]
    unreadable = verify_run_stamps(b"{}", kept, trust)
    assert unreadable.record is None and unreadable.problems[0].startswith("custody record:")
