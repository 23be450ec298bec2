"""Trust anchors for timestamps, and the path from a TSA's certificate up to one of them.

The anchors are the root (self-signed) certificates in a PEM file: the `tsa_roots` setting, or
by default the Mozilla CA list that `certifi` ships (httpx's own dependency), which holds the
roots of the public TSAs that chain to public roots. Other certificates in that file are
intermediates a TSA may leave out of its tokens. Certificates that come with a token or a bundle
(`chain.pem`) are never trusted for what they say: they serve only as links, each one checked
to be a CA, signed by the next, and valid at the stamp's time, up to a configured anchor.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.utils import CryptographyDeprecationWarning

from ..errors import InputError

MAX_DEPTH = 8  # certificates between a TSA and its root; real chains have one or two


@dataclass(frozen=True)
class Trust:
    """The root certificates a timestamp's chain must end at, and intermediates that may
    link a TSA to them (themselves checked like any link)."""

    anchors: tuple[x509.Certificate, ...]
    source: str  # where they came from, for messages
    intermediates: tuple[x509.Certificate, ...] = ()

    @classmethod
    def load(cls, path: str | Path | None = None) -> Trust:
        """Anchors from a PEM file (the `tsa_roots` setting), or certifi's CA list by default.
        An unreadable or empty file is an `InputError`: bad settings stop before any work."""
        if path is None:
            import certifi

            path = certifi.where()
        try:
            trust = cls.from_pem(Path(path).read_bytes(), str(path))
        except OSError as exc:
            raise InputError(f"tsa roots {path}: {exc.strerror or exc}") from None
        if not trust.anchors:
            raise InputError(f"tsa roots {path}: no root (self-signed) certificate in the file")
        return trust

    @classmethod
    def from_pem(cls, data: bytes, source: str = "given roots") -> Trust:
        """The self-signed certificates in `data` as anchors, the others as intermediates."""
        certificates = read_pem(data)
        roots = tuple(c for c in certificates if issued_by(c, c))
        others = tuple(c for c in certificates if c not in roots)
        return cls(roots, source, others)


def read_pem(data: bytes) -> list[x509.Certificate]:
    """Every certificate in a PEM text; nothing (never an exception) for text that holds none."""
    try:
        with warnings.catch_warnings():  # an old root with a serial RFC 5280 now forbids
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            return x509.load_pem_x509_certificates(data)
    except ValueError:
        return []


def to_pem(certificates: Iterable[x509.Certificate]) -> bytes:
    return b"".join(c.public_bytes(Encoding.PEM) for c in certificates)


def printable(text: str) -> str:
    """`text` (from a certificate: hostile) with no control character, at most 200 long."""
    return "".join(c if c.isprintable() else "?" for c in text)[:200]


def describe(certificate: x509.Certificate) -> str:
    """A certificate's common name (else its whole subject), as printable text."""
    names = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return printable(str(names[0].value) if names else certificate.subject.rfc4514_string())


def valid_at(certificate: x509.Certificate, when: datetime) -> bool:
    return certificate.not_valid_before_utc <= when <= certificate.not_valid_after_utc


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    """Whether `parent` is a CA whose key signed `child`."""
    if child.issuer != parent.subject or not _is_ca(parent):
        return False
    try:
        child.verify_directly_issued_by(parent)
    except Exception:  # a bad signature, an unsupported key or algorithm: not this issuer
        return False
    return True


class PathError(Exception):
    """No acceptable path: `expired` tells a certificate outside its validity from no anchor."""

    def __init__(self, message: str, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


def build_path(
    signer: x509.Certificate,
    links: Sequence[x509.Certificate],
    trust: Trust,
    when: datetime,
) -> list[x509.Certificate]:
    """The chain signer → … → anchor, every certificate valid at `when`; `PathError` if none."""
    path = [signer]
    while len(path) <= MAX_DEPTH:
        current = path[-1]
        if not valid_at(current, when):
            raise PathError(_outside(current, when), expired=True)
        anchor = next((a for a in trust.anchors if issued_by(current, a)), None)
        if anchor is not None:
            if not valid_at(anchor, when):
                raise PathError(_outside(anchor, when), expired=True)
            return path if anchor == current else [*path, anchor]
        candidates = [*links, *trust.intermediates]
        parent = next((c for c in candidates if c not in path and issued_by(current, c)), None)
        if parent is None:
            issuer = printable(current.issuer.rfc4514_string())
            raise PathError(f"no trusted root for {issuer!r} in {trust.source}")
        path.append(parent)
    raise PathError(f"chain longer than {MAX_DEPTH} certificates")


def _outside(certificate: x509.Certificate, when: datetime) -> str:
    return (
        f"certificate {describe(certificate)!r} was not valid at {when:%Y-%m-%dT%H:%M:%SZ} "
        f"(valid {certificate.not_valid_before_utc:%Y-%m-%d} to "
        f"{certificate.not_valid_after_utc:%Y-%m-%d})"
    )
