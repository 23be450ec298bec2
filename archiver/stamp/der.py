"""The few DER encodings archiver writes or rewrites itself (X.690).

- `timestamp_request`: an RFC 3161 TimeStampReq for a SHA-256 digest that is already computed
  (a Merkle root), which a request builder that hashes its input cannot make.
- `sorted_certificates`: OpenSSL's `ts -reply` (and other TSAs) send the token's certificates in
  chain order, but DER wants a SET OF sorted by encoding, and a strict decoder refuses the
  answer. The certificates lie outside what the TSA signs, so putting them in DER order changes
  no signed byte; the answer is kept as received, this copy is only read.
"""

from __future__ import annotations

SEQUENCE, SET, INTEGER, OCTETS, NULL, BOOLEAN, CONTEXT_0 = 0x30, 0x31, 0x02, 0x04, 0x05, 0x01, 0xA0
SHA256_OID = bytes.fromhex("0609608648016503040201")  # 2.16.840.1.101.3.4.2.1


class DerError(ValueError):
    """Bytes that are not the definite-length encoding expected here."""


def _length(size: int) -> bytes:
    if size < 0x80:
        return bytes([size])
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets


def tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + _length(len(content)) + content


def integer(value: int) -> bytes:
    """A non-negative INTEGER, minimal, with a leading zero octet when the top bit is set."""
    return tlv(INTEGER, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def timestamp_request(digest: bytes, nonce: int) -> bytes:
    """TimeStampReq v1: SHA-256 imprint `digest`, `nonce`, certReq TRUE (RFC 3161 §2.4.1)."""
    if len(digest) != 32:
        raise ValueError("a SHA-256 imprint is 32 bytes")
    algorithm = tlv(SEQUENCE, SHA256_OID + tlv(NULL, b""))
    imprint = tlv(SEQUENCE, algorithm + tlv(OCTETS, digest))
    return tlv(SEQUENCE, integer(1) + imprint + integer(nonce) + tlv(BOOLEAN, b"\xff"))


def _read(data: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the element at `pos`."""
    if pos + 2 > end:
        raise DerError("truncated")
    tag, first = data[pos], data[pos + 1]
    if tag & 0x1F == 0x1F:
        raise DerError("multi-octet tag")
    pos += 2
    if first == 0x80:
        raise DerError("indefinite length")
    if first > 0x80:
        count = first & 0x7F
        if count > 4 or pos + count > end:
            raise DerError("bad length")
        first, pos = int.from_bytes(data[pos : pos + count], "big"), pos + count
    if pos + first > end:
        raise DerError("truncated")
    return tag, pos, pos + first


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(tag, element start, content start, end) of each element in data[start:end]."""
    found, pos = [], start
    while pos < end:
        tag, content, stop = _read(data, pos, end)
        found.append((tag, pos, content, stop))
        pos = stop
    return found


def sorted_certificates(response: bytes) -> bytes:
    """`response` (a TimeStampResp) with SignedData.certificates in DER order; the bytes
    unchanged when there is nothing to sort or the shape is not the expected one."""
    try:
        return _sorted(response)
    except (DerError, IndexError):
        return response


def _sorted(data: bytes) -> bytes:
    # TimeStampResp > timeStampToken (ContentInfo) > [0] > SignedData > [0] certificates
    tag, start, end = _read(data, 0, len(data))
    trail = [(tag, 0, start, end)]
    for wanted, index in ((SEQUENCE, 1), (CONTEXT_0, 1), (SEQUENCE, 0)):
        element = _children(data, trail[-1][2], trail[-1][3])[index]
        if element[0] != wanted:
            return data
        trail.append(element)
    certificates = [c for c in _children(data, trail[-1][2], trail[-1][3]) if c[0] == CONTEXT_0]
    if tag != SEQUENCE or not certificates:
        return data
    trail.append(certificates[0])
    _, first, content, end = trail[-1]
    parts = sorted(data[s:e] for _, s, _, e in _children(data, content, end))
    rebuilt = tlv(CONTEXT_0, b"".join(parts))
    for (parent_tag, _, parent_content, parent_end), (_, child_start, _, child_end) in zip(
        reversed(trail[:-1]), reversed(trail[1:]), strict=True
    ):
        inner = data[parent_content:child_start] + rebuilt + data[child_end:parent_end]
        rebuilt = tlv(parent_tag, inner)
    return rebuilt
