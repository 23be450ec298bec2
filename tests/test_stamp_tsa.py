"""RFC 3161 stamps from real OpenSSL TSAs on loopback, checked by archiver and by `openssl ts`."""

from __future__ import annotations

import hashlib
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stamp_tsa import LoopbackTsas

from archiver.errors import InputError
from archiver.stamp import der
from archiver.stamp.trust import Trust
from archiver.stamp.tsa import Failure, Reason, Stamp, check_stamp, request_stamp, stamp

IMPRINT = hashlib.sha256(b"a run's Merkle root stands here").digest()
ANYONE = Trust.load()  # certifi's list: what an unconfigured archive trusts


@pytest.fixture
def tsas(replay, tmp_path: Path) -> LoopbackTsas:
    return LoopbackTsas(replay, tmp_path / "pki")


def openssl_verify(response: bytes, imprint: bytes, roots: Path, tmp: Path) -> bool:
    """`openssl ts -verify`, the reference implementation, on the same bytes."""
    (tmp / "answer.tsr").write_bytes(response)
    result = subprocess.run(
        ["openssl", "ts", "-verify", "-in", str(tmp / "answer.tsr"), "-digest", imprint.hex()]
        + ["-CAfile", str(roots)],
        capture_output=True,
        text=True,
    )
    return result.returncode == 0 and "Verification: OK" in result.stdout


def test_a_real_tsa_stamps_and_both_archiver_and_openssl_verify(tsas, tmp_path) -> None:
    got = request_stamp(tsas.url("good"), IMPRINT, tsas.trust)
    assert isinstance(got, Stamp), got
    assert got.tsa == "Loopback TSA" and got.imprint == IMPRINT and got.url == tsas.url("good")
    assert abs(got.time - datetime.now(UTC)) < timedelta(minutes=1)
    assert [c.subject for c in got.chain] == [tsas.tsa.cert.subject, *(
        c.cert.subject for c in (tsas.intermediate, tsas.root)
    )]  # fmt: skip
    assert openssl_verify(got.response, IMPRINT, tsas.roots_pem, tmp_path)
    again = check_stamp(got.response, IMPRINT, tsas.trust)  # offline, later
    assert isinstance(again, Stamp) and (again.time, again.serial) == (got.time, got.serial)
    assert got.to_dict()["imprint"] == "sha256:" + IMPRINT.hex()


def test_openssl_answers_are_kept_as_received_even_though_not_strict_der(tsas) -> None:
    got = request_stamp(tsas.url("good"), IMPRINT, tsas.trust)
    assert isinstance(got, Stamp)
    # OpenSSL lists the chain in chain order, not in DER SET OF order: kept byte for byte
    assert der.sorted_certificates(got.response) != got.response
    assert len(der.sorted_certificates(got.response)) == len(got.response)


def test_the_stamp_is_for_this_digest_only(tsas, tmp_path) -> None:
    got = request_stamp(tsas.url("good"), IMPRINT, tsas.trust)
    other = hashlib.sha256(b"another run").digest()
    assert isinstance(got, Stamp)
    moved = check_stamp(got.response, other, tsas.trust)
    assert isinstance(moved, Failure) and moved.reason is Reason.WRONG_IMPRINT
    assert not openssl_verify(got.response, other, tsas.roots_pem, tmp_path)


@pytest.mark.parametrize(
    ("tsa", "reason"),
    [
        ("garbage", Reason.NOT_A_RESPONSE),
        ("other", Reason.WRONG_IMPRINT),
        ("expired", Reason.EXPIRED),
        ("stranger", Reason.UNTRUSTED),
        ("refuse", Reason.REFUSED),
        ("missing", Reason.HTTP_STATUS),
    ],
)
def test_every_bad_tsa_is_a_named_failure(tsas, tsa, reason) -> None:
    got = request_stamp(tsas.url(tsa), IMPRINT, tsas.trust)
    assert isinstance(got, Failure) and got.reason is reason, got
    assert got.url == tsas.url(tsa) and str(got).startswith(tsas.url(tsa))


def test_openssl_rejects_what_archiver_rejects(tsas, tmp_path) -> None:
    query = der.timestamp_request(IMPRINT, 7)
    expired, stranger = (tsas.signers[name].reply(query) for name in ("expired", "stranger"))
    assert not openssl_verify(expired, IMPRINT, tsas.roots_pem, tmp_path)
    assert not openssl_verify(stranger, IMPRINT, tsas.roots_pem, tmp_path)
    # the stranger is refused for its root alone: trusted once that root is an anchor
    both = tsas.folder / "both.pem"
    both.write_bytes(tsas.root.pem() + tsas.stranger_root.pem())
    assert openssl_verify(stranger, IMPRINT, both, tmp_path)
    assert isinstance(check_stamp(stranger, IMPRINT, Trust.load(both)), Stamp)
    got = check_stamp(expired, IMPRINT, Trust.load(both))
    assert isinstance(got, Failure) and got.reason is Reason.EXPIRED
    assert "Loopback TSA (expired)" in got.detail


def test_a_tsa_that_hangs_times_out_quickly(tsas) -> None:
    started = time.monotonic()
    got = request_stamp(tsas.url("hang"), IMPRINT, tsas.trust, timeout=0.5)
    assert isinstance(got, Failure) and got.reason is Reason.TIMEOUT
    assert time.monotonic() - started < 5


def test_a_closed_port_and_a_bad_url_are_unreachable() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    for url in (f"http://127.0.0.1:{port}/tsr", "not a url", "http://[::1", "ftp://127.0.0.1/"):
        got = request_stamp(url, IMPRINT, ANYONE, timeout=2)
        assert isinstance(got, Failure) and got.reason is Reason.UNREACHABLE, got


def test_stamp_asks_every_tsa_and_keeps_the_order(tsas) -> None:
    results = stamp(IMPRINT, [tsas.url("garbage"), tsas.url("good")], tsas.trust)
    assert [type(r) for r in results] == [Failure, Stamp]


def test_the_nonce_must_be_the_one_sent(tsas) -> None:
    answer = tsas.signers["good"].reply(der.timestamp_request(IMPRINT, 1234))
    assert isinstance(check_stamp(answer, IMPRINT, tsas.trust, nonce=1234), Stamp)
    got = check_stamp(answer, IMPRINT, tsas.trust, nonce=4321)
    assert isinstance(got, Failure) and got.reason is Reason.WRONG_NONCE


def test_links_fill_a_gap_in_the_chain_but_are_never_trusted(tsas) -> None:
    answer = tsas.signers["bare"].reply(der.timestamp_request(IMPRINT, 9))
    alone = check_stamp(answer, IMPRINT, tsas.trust)
    assert isinstance(alone, Failure) and alone.reason is Reason.UNTRUSTED
    linked = check_stamp(answer, IMPRINT, tsas.trust, links=[tsas.intermediate.cert])
    assert isinstance(linked, Stamp) and len(linked.chain) == 3
    # a root that comes with the stamp, rather than from the settings, is only a link
    stranger = tsas.signers["stranger"].reply(der.timestamp_request(IMPRINT, 9))
    got = check_stamp(stranger, IMPRINT, tsas.trust, links=[tsas.stranger_root.cert])
    assert isinstance(got, Failure) and got.reason is Reason.UNTRUSTED


def test_a_changed_byte_in_the_answer_never_verifies(tsas, tmp_path) -> None:
    got = request_stamp(tsas.url("good"), IMPRINT, tsas.trust)
    assert isinstance(got, Stamp)
    for position in (len(got.response) // 3, len(got.response) - 5):
        damaged = bytearray(got.response)
        damaged[position] ^= 0x01
        assert isinstance(check_stamp(bytes(damaged), IMPRINT, tsas.trust), Failure)
        assert not openssl_verify(bytes(damaged), IMPRINT, tsas.roots_pem, tmp_path)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_hostile_bytes_are_a_failure_never_an_exception(data: bytes) -> None:
    assert isinstance(check_stamp(data, IMPRINT, ANYONE), Failure)


def test_every_truncation_of_a_real_answer_is_a_failure(tsas) -> None:
    answer = tsas.signers["good"].reply(der.timestamp_request(IMPRINT, 5))
    for end in range(0, len(answer), 37):
        assert isinstance(check_stamp(answer[:end], IMPRINT, tsas.trust), Failure)


def test_the_request_is_what_openssl_reads_as_a_query(tmp_path) -> None:
    query = tmp_path / "q.tsq"
    query.write_bytes(der.timestamp_request(IMPRINT, 0xFEDCBA9876543210))
    text = subprocess.run(
        ["openssl", "ts", "-query", "-in", str(query), "-text"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Hash Algorithm: sha256" in text and "Certificate required: yes" in text
    assert "Nonce: 0xFEDCBA9876543210" in text
    assert IMPRINT[:4].hex(" ") in text.lower()
    with pytest.raises(ValueError):
        der.timestamp_request(b"short", 1)


def test_trust_anchors_come_from_a_setting_or_the_bundled_list(tmp_path) -> None:
    assert len(Trust.load().anchors) > 100  # certifi's list
    with pytest.raises(InputError, match="no root"):
        (tmp_path / "empty.pem").write_text("nothing here")
        Trust.load(tmp_path / "empty.pem")
    with pytest.raises(InputError, match="missing.pem"):
        Trust.load(tmp_path / "missing.pem")
