"""A Merkle tree over digests, exactly RFC 6962 §2.1 (Certificate Transparency), so that a bundle
can prove one record was among those a run added without carrying the run's whole list.

For the digests d[0..n-1] in the order given (a custody record sorts them), each written as
text, `sha256:<64 lowercase hex>`:

    leaf(d)      = SHA-256(0x00 || ASCII(d))
    node(l, r)   = SHA-256(0x01 || l || r)
    root(empty)  = SHA-256("")
    root         = pair the hashes of each level left to right; an odd last one is carried up
                   unchanged to the next level; the one hash left is the root

which is RFC 6962's MTH (split at the largest power of two below n) computed level by level.
The root is written `sha256:<hex>` like every digest.

An inclusion proof is (digest, index, size, path): the sibling hashes from the leaf up, one per
level where the node has a sibling. To check it, start from leaf(digest) at `index` in a tree
of `size` leaves, and at each level: an odd index takes node(sibling, h), an even index with a
right neighbour takes node(h, sibling), the last node of an odd level goes up as it is; then
halve the index and the size (rounding the size up). The proof holds when the path is used up
exactly and the result is the root.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from ..store import DIGEST_RE


def leaf_hash(digest: str) -> bytes:
    return hashlib.sha256(b"\x00" + digest.encode("ascii")).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _levels(digests: Sequence[str]) -> list[list[bytes]]:
    """Every level of the tree, the leaves first, the root last."""
    levels = [[leaf_hash(d) for d in digests]]
    while len(levels[-1]) > 1:
        below = levels[-1]
        up = [_node(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
        levels.append(up + below[len(below) - len(below) % 2 :])
    return levels


def merkle_root(digests: Sequence[str]) -> str:
    """The root over `digests` in the order given, as `sha256:<hex>`."""
    if not digests:
        return "sha256:" + hashlib.sha256(b"").hexdigest()
    return "sha256:" + _levels(digests)[-1][0].hex()


@dataclass(frozen=True)
class InclusionProof:
    digest: str
    index: int
    size: int
    path: tuple[str, ...]  # sibling hashes, hex, from the leaf up

    def to_dict(self) -> dict[str, object]:
        return {"digest": self.digest, "index": self.index, "size": self.size, "path": [*self.path]}

    @classmethod
    def from_dict(cls, data: object) -> InclusionProof | None:
        """A proof read back from JSON; None for any other shape."""
        if not isinstance(data, dict):
            return None
        digest, index, size, path = (data.get(k) for k in ("digest", "index", "size", "path"))
        if not (
            isinstance(digest, str)
            and type(index) is int
            and type(size) is int
            and isinstance(path, list)
            and all(isinstance(p, str) for p in path)
        ):
            return None
        return cls(digest, index, size, tuple(path))


def inclusion_proof(digests: Sequence[str], digest: str) -> InclusionProof | None:
    """The proof that `digest` is in the tree over `digests`; None when it is not there."""
    try:
        index = digests.index(digest)
    except ValueError:
        return None
    path, position = [], index
    for level in _levels(digests)[:-1]:
        sibling = position ^ 1
        if sibling < len(level):
            path.append(level[sibling].hex())
        position //= 2
    return InclusionProof(digest, index, len(digests), tuple(path))


def verify_inclusion(proof: InclusionProof, root: str) -> bool:
    """Whether `proof` leads from its digest to `root`. Never raises."""
    if not DIGEST_RE.fullmatch(proof.digest) or not 0 <= proof.index < proof.size:
        return False
    try:
        siblings = [bytes.fromhex(p) for p in proof.path]
    except ValueError:
        return False
    hashed, index, size, used = leaf_hash(proof.digest), proof.index, proof.size, 0
    while size > 1:
        if index % 2 or index + 1 < size:
            if used == len(siblings):
                return False
            sibling, used = siblings[used], used + 1
            hashed = _node(sibling, hashed) if index % 2 else _node(hashed, sibling)
        index, size = index // 2, (size + 1) // 2
    return used == len(siblings) and "sha256:" + hashed.hex() == root
