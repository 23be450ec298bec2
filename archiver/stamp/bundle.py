"""Trusted timestamps in a citation bundle (a BagIt 1.0 bag, RFC 8493), checkable with openssl.

What is stamped: the SHA-256 of `tagmanifest-sha256.txt`. That file lists the digests of
`bagit.txt`, `bag-info.txt` and the payload manifests, which list every payload file, so one
stamp dates every byte of the bag but its own files.

Where the stamp goes: tag files under `timestamps/`:

    timestamps/tagmanifest-sha256.txt.tsr   the TSA's TimeStampResp, DER, as received
    timestamps/chain.pem                    the TSA's chain, its certificate first, root last
    timestamps/root.pem                     that root alone (to compare with the TSA's own)

and, for a second or third TSA, the same names with `.2`, `.3` before the extension.

Which tag manifest lists them: a tag manifest cannot list files made from its own digest, so
`tagmanifest-sha256.txt` (stamped) lists every tag file but `timestamps/`, and
`tagmanifest-sha512.txt` (not stamped) lists every tag file including `timestamps/`. RFC 8493
§2.2.1 requires each tag manifest to list every payload manifest and no tag manifest, and says
it SHOULD list the remaining tag files: the stamped one leaves out only what cannot be in it.
Stamping the payload manifest instead would leave `bag-info.txt` undated.

`stamp_tag_manifest` works on bytes, for a bag built in memory (a zip); `stamp_bag_folder`
does the same to a bag already written to a folder. `verify_bag_stamps` checks a bag's stamps
offline for the bundle checker; `README_SECTION` tells a reader how to check them without
archiver. The stamp does not vouch for the bag's files: the manifests do; run both.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .trust import Trust, read_pem
from .tsa import DEFAULT_TIMEOUT, Failure, Stamp, check_stamp, stamp

STAMPED = "tagmanifest-sha256.txt"
UNSTAMPED = "tagmanifest-sha512.txt"
FOLDER = "timestamps"
MISSING = "missing, so the timestamps have nothing to date"
TOKEN_RE = re.compile(r"timestamps/tagmanifest-sha256\.txt(?:\.([2-9]))?\.tsr\Z")

README_SECTION = r"""Trusted timestamps
------------------
When the folder timestamps/ is present, a time-stamping authority (TSA) signed, under
RFC 3161, the SHA-256 digest of tagmanifest-sha256.txt. That file lists the digests of
bagit.txt, bag-info.txt and the payload manifests, which list the digest of every file under
data/: the stamp dates every byte of the bundle but timestamps/ and tagmanifest-sha512.txt
(which lists timestamps/, so cannot be stamped with it).

Check it with standard tools alone, in the bundle's folder:

    sha256sum -c manifest-sha256.txt
    sha256sum -c tagmanifest-sha256.txt
    openssl ts -verify -in timestamps/tagmanifest-sha256.txt.tsr -data tagmanifest-sha256.txt \
        -CAfile timestamps/root.pem -untrusted timestamps/chain.pem

The first two check every file against the manifests; the last prints "Verification: OK"
when the TSA signed exactly this tag manifest. Who stamped it, and when:

    openssl ts -reply -in timestamps/tagmanifest-sha256.txt.tsr -text

timestamps/root.pem came with the bundle, so it proves nothing alone: compare its fingerprint

    openssl x509 -in timestamps/root.pem -noout -subject -fingerprint -sha256

with the one the TSA publishes, or give -CAfile your own copy of the TSA's root. Once the
TSA's certificate has expired, add -attime with the stamp's time in seconds since 1970, e.g.
-attime "$(date -u -d '<Time stamp shown above>' +%s)". Stamps by further TSAs sit beside the
first, named with .2, .3 before the extension; they are checked the same way.
"""


def _names(index: int) -> tuple[str, str, str]:
    suffix = f".{index + 1}" if index else ""
    return (
        f"{FOLDER}/{STAMPED}{suffix}.tsr",
        f"{FOLDER}/chain{suffix}.pem",
        f"{FOLDER}/root{suffix}.pem",
    )


@dataclass
class BagStamps:
    """What stamping a bag gave: the stamps, the TSAs that failed, and the tag files to add
    (path in the bag → bytes), which the unstamped tag manifest must list."""

    stamps: list[Stamp] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)


def stamp_tag_manifest(
    tag_manifest: bytes,
    urls: Sequence[str],
    trust: Trust,
    timeout: float = DEFAULT_TIMEOUT,
) -> BagStamps:
    """Have each TSA in `urls` stamp the SHA-256 of `tag_manifest` (the bytes of
    `tagmanifest-sha256.txt`); at most nine stamps are kept."""
    result = BagStamps()
    for got in stamp(hashlib.sha256(tag_manifest).digest(), urls, trust, timeout):
        if isinstance(got, Failure):
            result.failures.append(got)
        elif len(result.stamps) < 9:
            token, chain, root = _names(len(result.stamps))
            result.stamps.append(got)
            result.files += [(token, got.response), (chain, got.chain_pem), (root, got.root_pem)]
    return result


def stamp_bag_folder(
    folder: Path,
    urls: Sequence[str],
    trust: Trust,
    timeout: float = DEFAULT_TIMEOUT,
) -> BagStamps:
    """Stamp the bag written in `folder`: write its stamps under `timestamps/` and rewrite
    `tagmanifest-sha512.txt` to list every tag file, these included. Nothing is written when
    no TSA gave a stamp."""
    result = stamp_tag_manifest((folder / STAMPED).read_bytes(), urls, trust, timeout)
    if not result.files:
        return result
    for name, data in result.files:
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_bytes(data)
    lines = [
        f"{hashlib.sha512((folder / name).read_bytes()).hexdigest()}  {name}\n"
        for name in _files(folder)
        if not name.startswith(("data/", "tagmanifest-"))
    ]
    (folder / UNSTAMPED).write_text("".join(lines), encoding="utf-8")
    return result


@dataclass
class BagStampCheck:
    """A bag's stamps, checked: each one that holds, and a one-line problem for each that
    does not (the path in the bag, what is wrong)."""

    stamps: list[tuple[str, Stamp]] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def stamped(self) -> bool:
        return bool(self.stamps or self.problems)


def verify_bag_stamps(
    names: Iterable[str], read: Callable[[str], bytes], trust: Trust
) -> BagStampCheck:
    """Check every `timestamps/tagmanifest-sha256.txt*.tsr` of a bag against its
    `tagmanifest-sha256.txt`, offline. `names` are the bag's file paths from its root and
    `read(name)` their bytes (a folder or a zip alike)."""
    present = set(names)
    check = BagStampCheck()
    tokens = {int(m.group(1) or 1): n for n in present if (m := TOKEN_RE.match(n))}
    if not tokens:
        return check
    if STAMPED not in present:
        check.problems.append((STAMPED, MISSING))
        return check
    imprint = hashlib.sha256(read(STAMPED)).digest()
    for number, token in sorted(tokens.items()):
        chain = _names(number - 1)[1]
        links = read_pem(read(chain)) if chain in present else []
        got = check_stamp(read(token), imprint, trust, links)
        if isinstance(got, Stamp):
            check.stamps.append((token, got))
        else:
            check.problems.append((token, f"{got.reason}: {got.detail}"))
    return check


def verify_bag_folder(folder: Path, trust: Trust) -> BagStampCheck:
    """`verify_bag_stamps` for a bag in a folder."""
    return verify_bag_stamps(_files(folder), lambda name: (folder / name).read_bytes(), trust)


def _files(folder: Path) -> list[str]:
    """Every file of the bag in `folder`, by its path from the bag's root, sorted."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
