"""Trusted time in a bundle.

`data/custody/`: for each stamped run that added a record in the bundle, its custody record
(`run-N.json`, which lists the digest of every blob the run added) and each TSA's stamp of it
(`run-N.tsr` and `run-N.chain.pem`; `.2`, `.3` before the extension for further TSAs), so that
`openssl ts -verify -digest <merkle_root> …` dates the records without archiver.

`timestamps/`: the bag's own stamps over its tag manifest (stamp/bundle.py), added once the bag
is built, with the unstamped tag manifest made again to list them.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..archive import Archive
from ..config import Settings
from .bagit import Entry, tag_manifest

CUSTODY = "data/custody"


def custody_entries(archive: Archive, digests: Iterable[str]) -> list[Entry]:
    """The custody files of the stamped runs that added any of `digests`."""
    from ..rows.runs import runs_of

    with archive.session() as sess:
        found = runs_of(sess, digests)
    read = archive.store.read_bytes
    entries = []
    for run, stamps in found:
        custody = f"{CUSTODY}/run-{run.id}.json"
        entries.append(Entry(custody, read(run.custody_digest)))  # type: ignore[arg-type]
        for index, one in enumerate(stamps):
            token, chain = stamp_files(custody, index)
            entries += [
                Entry(token, read(one.response_digest)),
                Entry(chain, read(one.chain_digest)),
            ]
    return entries


def stamp_files(custody: str, index: int) -> tuple[str, str]:
    """The names of a custody record's stamp number `index` and of its chain: `run-N.tsr` and
    `run-N.chain.pem`, then `.2`, `.3`… before the extension."""
    base = custody.removesuffix(".json") + (f".{index + 1}" if index else "")
    return f"{base}.tsr", f"{base}.chain.pem"


def stamp_bag(entries: list[Entry], settings: Settings) -> tuple[list[Entry], list[str]]:
    """The bag's entries with the stamps of the TSAs of `tsa_urls` over its tag manifest, and
    one line per TSA that gave none."""
    from ..stamp import Trust, stamp_tag_manifest
    from ..stamp.bundle import STAMPED, UNSTAMPED

    stamped = next(e for e in entries if e.path == STAMPED)
    trust = Trust.load(settings.tsa_roots)
    got = stamp_tag_manifest(stamped.data or b"", settings.tsa_urls, trust, settings.tsa_timeout)
    failures = [f"bundle not stamped by {f}" for f in got.failures]
    if not got.files:
        return entries, failures
    added = [Entry(name, data) for name, data in got.files]
    tags = [e for e in entries if not e.path.startswith(("data/", "tagmanifest-"))] + added
    out: list[Entry] = []
    for entry in entries:
        if entry.path == UNSTAMPED:
            out += [*added, tag_manifest(tags, "sha512")]
        else:
            out.append(entry)
    return out, failures


CUSTODY_README = r"""Trusted times of the posts
--------------------------
data/custody/run-N.json is the custody record of a run that captured posts of this bundle: who
ran it, when, on which clock, and the SHA-256 of every blob the run added (records, answers,
media), with their Merkle root (RFC 6962). run-N.tsr is a time-stamping authority's RFC 3161
stamp of that root, and run-N.chain.pem the TSA's certificates. Check it with openssl, giving
-CAfile your own copy of the TSA's root certificate:

    root=$(grep -o '"merkle_root":"sha256:[0-9a-f]*"' data/custody/run-N.json \
        | cut -d: -f3 | tr -d '"')
    openssl ts -verify -in data/custody/run-N.tsr -digest "$root" \
        -CAfile tsa-root.pem -untrusted data/custody/run-N.chain.pem

then that the root is the root of the record's list of digests (RFC 6962: a leaf is
SHA-256(0x00 || digest as text), a node SHA-256(0x01 || left || right), an odd last node goes
up as it is), so that no digest was added to the list or taken from it (paste these lines as
they are, from the margin: the shell ends the program at its EOF line):

python3 - data/custody/run-N.json <<'EOF'
import hashlib, json, sys
record = json.load(open(sys.argv[1]))
level = [hashlib.sha256(b"\0" + d.encode()).digest() for d in record["digests"]]
while len(level) > 1:
    pairs = range(0, len(level) - 1, 2)
    up = [hashlib.sha256(b"\1" + level[i] + level[i + 1]).digest() for i in pairs]
    level = up + level[len(level) - len(level) % 2 :]
root = "sha256:" + (level[0] if level else hashlib.sha256(b"").digest()).hex()
ok = root == record["merkle_root"]
print("the root is the list's" if ok else "THE ROOT IS NOT THE ROOT OF THE LIST")
sys.exit(0 if ok else 1)
EOF

and that a post's record is one of the run's blobs:

    grep -c "sha256:$(sha256sum data/posts/<id>/record.json | cut -c1-64)" data/custody/run-N.json

`archiver verify BUNDLE` makes the same checks.
"""
