"""Time-stamping authorities on loopback: OpenSSL's own `ts -reply` answers each request, behind
the replay server, with a certificate authority made here (root → intermediate → TSA
certificate with the critical timeStamping EKU), plus the faults real TSAs have: an answer that
is not a TimeStampResp, an answer for another imprint, no answer, a signer whose certificate has
expired, and a signer that no trusted root vouches for."""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from replay import ReplayServer, Reply

from archiver.stamp.trust import Trust

NOW = dt.datetime.now(dt.UTC)
DAY = dt.timedelta(days=1)
OTHER_DIGEST = "ab" * 32

TSA_CONFIG = """\
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = {serial}
crypto_device = builtin
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = {digests}
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Loopback Trust"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


@dataclass
class Issued:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def issue(
    common_name: str,
    issuer: Issued | None = None,
    ca: bool = False,
    not_before: dt.datetime = NOW - DAY,
    not_after: dt.datetime = NOW + 365 * DAY,
    eku_critical: bool = True,
) -> Issued:
    """A certificate for a fresh key: a CA (self-signed when there is no issuer) or a TSA."""
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer.cert.subject if issuer else _name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if ca:
        usage = dict(key_cert_sign=True, crl_sign=True, digital_signature=False)
    else:
        usage = dict(key_cert_sign=False, crl_sign=False, digital_signature=True)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=eku_critical
        )
    builder = builder.add_extension(
        x509.KeyUsage(
            content_commitment=not ca,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            encipher_only=False,
            decipher_only=False,
            **usage,
        ),
        critical=True,
    )
    signer = issuer.key if issuer else key
    return Issued(key, builder.sign(signer, hashes.SHA256()))


class Signer:
    """One TSA identity: its key and certificate, the chain it sends, and `openssl ts -reply`."""

    def __init__(
        self, folder: Path, tsa: Issued, chain: list[Issued], digests: str = "sha256, sha512"
    ) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "serial").write_text("01\n")
        config = TSA_CONFIG.format(serial=folder / "serial", digests=digests)
        (folder / "tsa.cnf").write_text(config)
        (folder / "tsa.pem").write_bytes(tsa.pem())
        (folder / "tsa.key").write_bytes(tsa.key_pem())
        (folder / "chain.pem").write_bytes(b"".join(c.pem() for c in chain))
        self.send_chain = bool(chain)

    def reply(self, query: bytes) -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            query_file, reply_file = Path(tmp) / "q.tsq", Path(tmp) / "r.tsr"
            query_file.write_bytes(query)
            chain = ["-chain", str(self.folder / "chain.pem")] if self.send_chain else []
            subprocess.run(
                ["openssl", "ts", "-reply", "-config", str(self.folder / "tsa.cnf")]
                + ["-queryfile", str(query_file), "-out", str(reply_file)]
                + ["-signer", str(self.folder / "tsa.pem"), "-inkey", str(self.folder / "tsa.key")]
                + chain,
                check=True,
                capture_output=True,
            )
            return reply_file.read_bytes()


def other_query(folder: Path) -> bytes:
    """A query for another imprint (what a TSA that mixes up its requests would answer for)."""
    out = folder / "other.tsq"
    subprocess.run(
        ["openssl", "ts", "-query", "-digest", OTHER_DIGEST, "-sha256", "-cert", "-out", str(out)],
        check=True,
        capture_output=True,
    )
    return out.read_bytes()


class LoopbackTsas:
    """The TSAs, one path each on the replay server: /good, /bare (no chain in the token),
    /garbage, /other, /hang, /expired,
    /stranger (signed under a root nobody trusts), /refuse (OpenSSL's rejection: unsupported
    digest)."""

    def __init__(self, replay: ReplayServer, folder: Path) -> None:
        self.replay = replay
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.root = issue("Loopback Root CA", ca=True, not_after=NOW + 3650 * DAY)
        self.intermediate = issue("Loopback TSA CA", self.root, ca=True)
        self.tsa = tsa = issue("Loopback TSA", self.intermediate)
        expired = issue(
            "Loopback TSA (expired)", self.intermediate, not_before=NOW - 40 * DAY,
            not_after=NOW - 10 * DAY,
        )  # fmt: skip
        self.stranger_root = stranger_root = issue("Stranger Root CA", ca=True)
        stranger = issue("Stranger TSA", stranger_root)
        self.roots_pem = folder / "roots.pem"
        self.roots_pem.write_bytes(self.root.pem())
        self.trust = Trust.load(self.roots_pem)  # what the user's `tsa_roots` would hold
        self.signers = {
            "good": Signer(folder / "good", tsa, [self.intermediate, self.root]),
            "bare": Signer(folder / "bare", tsa, []),  # the token carries the signer alone
            "expired": Signer(folder / "expired", expired, [self.intermediate, self.root]),
            "stranger": Signer(folder / "stranger", stranger, [stranger_root]),
            # accepts SHA-512 imprints only: OpenSSL answers a SHA-256 query with a rejection
            "refuse": Signer(folder / "refuse", tsa, [], digests="sha512"),
        }
        for name, signer in self.signers.items():
            replay.add("127.0.0.1", f"/{name}", self._answer(signer))
        garbage = Reply(200, b"<html>timestamp service</html>", {"Content-Type": "text/html"})
        replay.add("127.0.0.1", "/garbage", garbage)
        replay.add("127.0.0.1", "/hang", Reply(fault="hang"))
        replay.add("127.0.0.1", "/other", self._answer(self.signers["good"], other=True))

    def url(self, name: str) -> str:
        return f"{self.replay.origin}/{name}"

    def _answer(self, signer: Signer, other: bool = False):  # type: ignore[no-untyped-def]
        def answer(handler: object) -> Reply:
            path, _, query = self.replay.posted[-1]
            body = signer.reply(other_query(signer.folder) if other else query)
            return Reply(200, body, {"Content-Type": TSR})

        return answer


TSR = "application/timestamp-reply"
