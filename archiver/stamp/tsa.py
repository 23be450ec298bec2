"""RFC 3161 time-stamping: ask a TSA to stamp a SHA-256 digest, and check a stamp offline.

`request_stamp` POSTs a TimeStampReq (`application/timestamp-query`, a fresh 64-bit nonce,
certReq set) to one URL the user configured, and nowhere else: no redirect is followed, no
proxy from the environment is used, the wait and the answer's size are bounded. `check_stamp`
verifies an answer without the network. Both return a `Stamp` or a `Failure` with a `Reason`;
nothing a TSA or a file can send makes them raise.

A stamp holds when, in this order: the answer decodes as a TimeStampResp; its status is
granted; the imprint is SHA-256 and equals the digest stamped; the nonce is the one sent (when
it is known: only at request time); the signer's certificate is in the token or the given
links; it carries a critical extended key usage of timeStamping only; it chains, every link
valid at the stamp's genTime, to a trust anchor (`trust.py`); and the CMS signature over the
TSTInfo holds (checked by `rfc3161-client` against that chain). Revocation is not checked: that
would need the network (OCSP, CRLs) and the TSA's answer at the time.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import httpx
import rfc3161_client as tsp
from cryptography import x509

from . import der
from .trust import PathError, Trust, build_path, describe, to_pem

QUERY_TYPE = "application/timestamp-query"
MAX_ANSWER = 1024 * 1024  # a token with a long chain is a few KB
DEFAULT_TIMEOUT = 10.0


class Reason(StrEnum):
    """Why a stamp could not be had or does not hold."""

    UNREACHABLE = "unreachable"
    TIMEOUT = "timed out"
    HTTP_STATUS = "HTTP error"
    TOO_LARGE = "answer too large"
    NOT_A_RESPONSE = "not a timestamp response"
    REFUSED = "refused"
    WRONG_IMPRINT = "wrong imprint"
    WRONG_NONCE = "wrong nonce"
    NO_CERTIFICATE = "no signer certificate"
    NOT_A_TSA = "not a timestamping certificate"
    EXPIRED = "certificate not valid at the stamp time"
    UNTRUSTED = "untrusted chain"
    BAD_SIGNATURE = "bad signature"


@dataclass(frozen=True)
class Failure:
    reason: Reason
    detail: str
    url: str | None = None

    def __str__(self) -> str:
        where = f"{self.url}: " if self.url else ""
        return f"{where}{self.reason}: {self.detail}"


@dataclass(frozen=True)
class Stamp:
    """A stamp that holds: the TSA's answer as received, and what it proves."""

    response: bytes  # the TimeStampResp, DER as received (what `openssl ts -reply` writes)
    imprint: bytes  # the SHA-256 digest stamped
    time: datetime  # genTime, UTC
    tsa: str  # the signer certificate's common name
    serial: int  # the TSA's serial number for this token
    chain: tuple[x509.Certificate, ...] = field(repr=False)  # signer → … → trust anchor
    url: str | None = None

    @property
    def chain_pem(self) -> bytes:
        return to_pem(self.chain)

    @property
    def root_pem(self) -> bytes:
        return to_pem(self.chain[-1:])

    @property
    def summary(self) -> str:
        """One line for `show`, pages and citations (plain text: escape it for HTML)."""
        from ..record import trusted_time

        return trusted_time(self.tsa, self.time)

    def to_dict(self) -> dict[str, object]:
        return {
            "tsa": self.tsa,
            "time": self.time.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "imprint": "sha256:" + self.imprint.hex(),
            "serial": str(self.serial),
            "url": self.url,
        }


def check_stamp(
    response: bytes,
    imprint: bytes,
    trust: Trust,
    links: Sequence[x509.Certificate] = (),
    nonce: int | None = None,
    url: str | None = None,
) -> Stamp | Failure:
    """Verify a TimeStampResp for the SHA-256 digest `imprint`, offline. `links` are extra
    untrusted certificates (a stored or bundled chain) that may fill gaps in the token's."""
    try:
        return _check(response, imprint, trust, links, nonce, url)
    except Exception as exc:  # a shape no check above foresaw: the stamp does not hold
        return Failure(Reason.NOT_A_RESPONSE, f"{type(exc).__name__}: {exc}"[:300], url)


def _check(
    response: bytes,
    imprint: bytes,
    trust: Trust,
    links: Sequence[x509.Certificate],
    nonce: int | None,
    url: str | None,
) -> Stamp | Failure:
    def fail(reason: Reason, detail: str) -> Failure:
        return Failure(reason, detail, url)

    try:
        answer = tsp.decode_timestamp_response(der.sorted_certificates(response))
    except ValueError as exc:
        return fail(Reason.NOT_A_RESPONSE, str(exc)[:200])
    if answer.status != tsp.PKIStatus.GRANTED:
        said = "; ".join(answer.status_string)[:200]
        return fail(Reason.REFUSED, f"status {answer.status}" + (f" ({said})" if said else ""))
    info = answer.tst_info
    got = info.message_imprint
    if got.hash_algorithm.dotted_string != "2.16.840.1.101.3.4.2.1" or got.message != imprint:
        return fail(Reason.WRONG_IMPRINT, f"stamped {got.message.hex()}, expected {imprint.hex()}")
    if nonce is not None and info.nonce != nonce:
        return fail(Reason.WRONG_NONCE, f"sent {nonce}, answered {info.nonce}")
    carried = [x509.load_der_x509_certificate(c) for c in answer.signed_data.certificates]
    signer = _signer(answer, [*carried, *links])
    if signer is None:
        return fail(Reason.NO_CERTIFICATE, "neither the token nor the chain holds it")
    if problem := _not_a_tsa(signer):
        return fail(Reason.NOT_A_TSA, problem)
    when = info.gen_time
    try:
        chain = build_path(signer, [*carried, *links], trust, when)
    except PathError as exc:
        return fail(Reason.EXPIRED if exc.expired else Reason.UNTRUSTED, str(exc))
    builder = tsp.VerifierBuilder().add_root_certificate(chain[-1])
    if signer not in carried:  # it came from the links: name it, as the token does not
        builder = builder.tsa_certificate(signer)
    for link in chain[1:-1]:  # each proved above to chain to the anchor
        builder = builder.add_intermediate_certificate(link)
    try:
        builder.build().verify(answer, imprint)
    except tsp.VerificationError as exc:
        return fail(Reason.BAD_SIGNATURE, str(exc)[:300])
    return Stamp(response, imprint, when, describe(signer), info.serial_number, tuple(chain), url)


def _signer(
    answer: tsp.TimeStampResponse, certificates: list[x509.Certificate]
) -> x509.Certificate | None:
    """The certificate the SignerInfo names (by issuer and serial number, which it signs)."""
    for info in answer.signed_data.signer_infos:
        for certificate in certificates:
            if (certificate.issuer, certificate.serial_number) == (info.issuer, info.serial_number):
                return certificate
    return None


def _not_a_tsa(certificate: x509.Certificate) -> str | None:
    """RFC 3161 §2.3: the extended key usage is critical and is timeStamping; alone, as
    OpenSSL's `timestampsign` purpose (what `openssl ts -verify` checks) also requires."""
    try:
        usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        return f"{describe(certificate)!r} has no extended key usage"
    if not usage.critical or list(usage.value) != [x509.ExtendedKeyUsageOID.TIME_STAMPING]:
        return f"{describe(certificate)!r} is not a critical timeStamping-only certificate"
    return None


def request_stamp(
    url: str, imprint: bytes, trust: Trust, timeout: float = DEFAULT_TIMEOUT
) -> Stamp | Failure:
    """Ask the TSA at `url` to stamp the SHA-256 digest `imprint`; check the answer."""
    nonce = secrets.randbits(64)
    query = der.timestamp_request(imprint, nonce)
    deadline = time.monotonic() + timeout
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client,
            client.stream("POST", url, content=query, headers={"Content-Type": QUERY_TYPE}) as r,
        ):
            if r.status_code != 200:
                return Failure(Reason.HTTP_STATUS, f"HTTP {r.status_code}", url)
            body = bytearray()
            for chunk in r.iter_raw():
                body += chunk
                if len(body) > MAX_ANSWER:
                    return Failure(Reason.TOO_LARGE, f"more than {MAX_ANSWER} bytes", url)
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("the answer took too long")
    except httpx.TimeoutException:
        return Failure(Reason.TIMEOUT, f"no answer within {timeout:g} s", url)
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:  # refused, reset, bad URL
        return Failure(Reason.UNREACHABLE, f"{type(exc).__name__}: {exc}"[:300], url)
    return check_stamp(bytes(body), imprint, trust, nonce=nonce, url=url)


def stamp(
    imprint: bytes, urls: Sequence[str], trust: Trust, timeout: float = DEFAULT_TIMEOUT
) -> list[Stamp | Failure]:
    """Ask each TSA in `urls` in turn; one result per URL, in the same order."""
    return [request_stamp(url, imprint, trust, timeout) for url in urls]
