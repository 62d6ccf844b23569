"""A fresh self-signed certificate for www.linkedin.com, and the hash Chromium pins it by.

Chromium accepts a certificate it cannot verify when its SubjectPublicKeyInfo hash is listed
in ``--ignore-certificate-errors-spki-list`` (honoured only with a ``--user-data-dir``, which
Playwright always passes). That lets the browser load ``https://www.linkedin.com`` from the
replica with every other certificate check left on.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

#: LinkedIn's hosts; the other sites' come from their modules (`site.Site.hosts`).
HOSTNAMES = ("www.linkedin.com", "linkedin.com")
VALID_DAYS = 30


@dataclass(frozen=True)
class CertFiles:
    cert: Path
    key: Path
    #: base64(sha256(DER SubjectPublicKeyInfo)), the value for the SPKI list.
    spki: str


def make_certificate(directory: Path, hosts: tuple[str, ...] = HOSTNAMES) -> CertFiles:
    """Write cert.pem and key.pem (ECDSA P-256, valid from yesterday, for every one of
    `hosts`) into directory."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(h) for h in hosts]), False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path = directory / "cert.pem"
    key_path = directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return CertFiles(cert_path, key_path, spki_hash(cert))


def spki_hash(cert: x509.Certificate) -> str:
    der = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(der).digest()).decode("ascii")
