"""Evidence that stands without trusting archiver: RFC 3161 trusted timestamps over a run's
custody record and over a bundle, checked offline by archiver and by `openssl ts` alone.

A run (custody.py, merkle.py)
    At a run's end, `custody_record(started, ended, digests, operator=…, run=…,
    settings=shaping_settings(settings))` gives the `CustodyRecord`: tool and version, operator,
    UTC start and end, the host's clock, the settings that shape captures, every record and blob
    digest the run added (sorted) and their Merkle root (RFC 6962, defined in merkle.py).
    `record.to_json()` is the blob to keep; `record.root_bytes` is what a TSA stamps. A stamp
    is checked with `openssl ts -verify -in X.tsr -digest <root hex> -CAfile <root.pem>`, and
    `inclusion_proof` / `verify_inclusion` prove one digest was in the run from the root alone.

    `stamp(record.root_bytes, tsa_urls, trust)` asks each TSA and gives, per URL, a `Stamp`
    (keep `stamp.response` and `stamp.chain_pem` as blobs linked to the run) or a `Failure`.
    With no TSA reachable the run ends unstamped: stamp it later from its custody blob
    (`read_custody(blob)` then `stamp(...)`). A stamp is asked for content that exists, so it
    can never predate it. `verify_run_stamps(custody_blob, [(response, chain_pem), …], trust)`
    checks a run offline.

A bundle (bundle.py)
    After the bag's `tagmanifest-sha256.txt` is made: `stamp_tag_manifest(its bytes, tsa_urls,
    trust)` (a bag in memory) or `stamp_bag_folder(folder, tsa_urls, trust)` (a written bag)
    gives `BagStamps`: the stamps, the failures, and the tag files to add under `timestamps/`,
    which `tagmanifest-sha512.txt` lists (why that one: bundle.py). `README_SECTION` is the
    text for the bundle's README, with the exact commands. `verify_bag_stamps(names, read,
    trust)` checks a bag's stamps offline (a folder or a zip).

Checking one stamp (tsa.py, trust.py)
    `check_stamp(response, imprint, trust, links)` → `Stamp` (TSA name, genTime, chain) or
    `Failure` with a `Reason`; it never raises, whatever the bytes. `Trust.load(tsa_roots)`
    reads the anchors (certifi's CA list when the setting is empty); a bad file is an
    `InputError`. `Stamp.summary` is the line for `show`, pages and citations.

Settings the callers need: `tsa_urls` (list; empty by default, so an offline archive never
asks anyone), `tsa_roots` (a PEM path; empty for certifi's list), `tsa_timeout` (seconds,
default 10) and `operator` (the declared identity; may be empty).

OpenTimestamps is left out. Its Python client (`opentimestamps-client`, on
`python-opentimestamps`) completes a proof through public calendar servers and checks it only
against Bitcoin block headers that it reads from a Bitcoin node over RPC. A calendar stand-in
on loopback could be written, but it would answer with attestations it made up, and no
Bitcoin node is at hand offline, so the part that gives the proof its worth (a real block
confirming the digest, hours later) could not be tested; and checking it would need a node or
a trusted explorer, where an RFC 3161 stamp needs only openssl and a root certificate.
"""

# What each name is, loaded when first asked for (PEP 562): a capture run uses `runs` only, and
# the rest would load cryptography and the TSA client into every run.
WHERE = {
    "BagStampCheck": "bundle",
    "BagStamps": "bundle",
    "CustodyRecord": "custody",
    "Failure": "tsa",
    "HostClock": "custody",
    "InclusionProof": "merkle",
    "README_SECTION": "bundle",
    "Reason": "tsa",
    "RunStampCheck": "custody",
    "Stamp": "tsa",
    "Trust": "trust",
    "check_stamp": "tsa",
    "custody_digest": "custody",
    "custody_record": "custody",
    "host_clock": "custody",
    "inclusion_proof": "merkle",
    "merkle_root": "merkle",
    "read_custody": "custody",
    "read_pem": "trust",
    "request_stamp": "tsa",
    "shaping_settings": "custody",
    "stamp": "tsa",
    "stamp_bag_folder": "bundle",
    "stamp_tag_manifest": "bundle",
    "verify_bag_folder": "bundle",
    "verify_bag_stamps": "bundle",
    "verify_inclusion": "merkle",
    "verify_run_stamps": "custody",
}


def __getattr__(name: str) -> object:
    if name not in WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{WHERE[name]}", __name__), name)


__all__ = list(WHERE)
