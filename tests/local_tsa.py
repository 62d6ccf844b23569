"""A local time-stamping authority for the tests: OpenSSL's `openssl ts -reply`, run once per
request by a tiny HTTP server on 127.0.0.1, with a test CA and a TSA certificate made by
`openssl` once per session; and `openssl ts -verify` as a plain command, the way someone
without optout-bot checks a token. Its fixtures (`pki`, `tsa`, `refused`) are the suite's,
through conftest.py (tests/test_timestamps.py, tests/test_export.py).
"""

from __future__ import annotations

import http.server
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

OPENSSL = "openssl"

# -- a local time-stamping authority ---------------------------------------------------------


@dataclass(frozen=True)
class Pki:
    """A test CA, a TSA certificate it issued (extendedKeyUsage critical timeStamping), and
    `openssl ts` configurations: the TSA's certificate alone in its tokens, or with a
    `certs =` line (the CA too: the certificate set rfc3161-client refuses)."""

    folder: Path
    ca: Path
    tsa: Path

    def config(self, kind: str) -> Path:
        return self.folder / f"tsa-{kind}.cnf"


EXTENSIONS = """\
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[tsa_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""

TSA_CONFIG = """\
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {folder}
serial = $dir/serial-{kind}
crypto_device = builtin
signer_cert = $dir/tsa.pem
signer_key = $dir/tsa.key
{certs}
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = {digests}
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run([OPENSSL, *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("tsa")
    (folder / "ext.cnf").write_text(EXTENSIONS)
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "30", "-subj", "/CN=optout-bot test root", "-config", "ext.cnf",
        "-extensions", "ca_ext", cwd=folder,
    )  # fmt: skip
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr",
        "-subj", "/CN=optout-bot test TSA", "-config", "ext.cnf", cwd=folder,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "tsa.pem", "-days", "30", "-extfile", "ext.cnf",
        "-extensions", "tsa_ext", cwd=folder,
    )  # fmt: skip
    kinds = {
        "plain": ("", "sha256"),
        "certs": ("certs = $dir/ca.pem", "sha256"),
        "sha512-only": ("", "sha512"),  # refuses our sha256 requests
    }
    for kind, (certs, digests) in kinds.items():
        text = TSA_CONFIG.format(folder=folder, kind=kind, certs=certs, digests=digests)
        (folder / f"tsa-{kind}.cnf").write_text(text)
        (folder / f"serial-{kind}").write_text("01\n")
    return Pki(folder, folder / "ca.pem", folder / "tsa.pem")


class LocalTsa:
    """An HTTP time-stamping authority on 127.0.0.1.

    `mode`: "reply" (openssl ts -reply with `config`), "500", "close" (hangs up without an
    answer) or "hang" (never answers, until the test ends)."""

    def __init__(self, pki: Pki, mode: str = "reply", config: str = "plain") -> None:
        self.mode, self.requests = mode, 0
        self.config = pki.config(config)
        self.released = threading.Event()
        lock = threading.Lock()
        tsa = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                query = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                tsa.requests += 1
                if tsa.mode == "hang":
                    tsa.released.wait(10)
                    return
                if tsa.mode == "close":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if tsa.mode == "500":
                    self.send_error(500, "TSA down")
                    return
                with lock:  # one openssl at a time: they share the serial file
                    reply = tsa.reply(query)
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/tsr"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reply(self, query: bytes) -> bytes:
        folder = self.config.parent
        (folder / f"q-{threading.get_ident()}.tsq").write_bytes(query)
        out = folder / f"r-{threading.get_ident()}.tsr"
        _openssl(
            "ts", "-reply", "-config", str(self.config), "-queryfile",
            f"q-{threading.get_ident()}.tsq", "-out", str(out), cwd=folder,
        )  # fmt: skip
        return out.read_bytes()

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def tsa(pki: Pki) -> Iterator[Callable[..., LocalTsa]]:
    """`tsa(mode="reply", config="plain")`: a local TSA, shut down after the test."""
    made: list[LocalTsa] = []

    def make(mode: str = "reply", config: str = "plain") -> LocalTsa:
        made.append(LocalTsa(pki, mode, config))
        return made[-1]

    yield make
    for server in made:
        server.close()


@pytest.fixture
def refused() -> str:
    """A local URL where nothing listens: the connection is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsr"


def openssl_verify(pki: Pki, digest: str, reply: Path) -> subprocess.CompletedProcess[str]:
    """`openssl ts -verify`, as someone without optout-bot runs it."""
    return subprocess.run(
        [OPENSSL, "ts", "-verify", "-digest", digest, "-in", str(reply), "-CAfile",
         str(pki.ca), "-untrusted", str(pki.tsa)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
