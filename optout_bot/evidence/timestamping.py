"""Trusted time-stamps (RFC 3161) for evidence records: asking a time-stamping authority, and
checking what it answered.

The hash chain proves order and integrity, not time: anyone can rebuild a whole chain with
other dates. A time-stamping authority (TSA) signs "this hash existed at this time", so once
a record's hash is stamped, no later rebuild can give it an earlier date. After a record
joins the chain, its `hash` (the SHA-256 the chain uses) is sent as the message imprint of a
time-stamp request. **Only that hash leaves the machine**: the request is the imprint, a
random nonce and "include your certificate"; no policy, no name, nothing of the record.

What the TSA answers (a DER ``TimeStampResp``: the status and the signed token) is kept byte
for byte as it came, in the store and as ``record.tsr`` beside ``record.json``. A response
rather than the bare token, because that is what ``openssl ts -verify -in FILE`` reads::

    openssl ts -verify -digest <record hash> -in record.tsr -CAfile <the TSA's root>.pem

It is kept only after it was checked (`read_reply` and `check_reply`): status granted, a
signed-data token of a TSTInfo, the message imprint SHA-256 and equal to the record's hash,
the nonce equal to the request's, the signed attributes' content type and message digest,
the signing-certificate attribute (ESS, v1 or v2) naming the certificate that signed, the
signature itself (RSA PKCS#1 v1.5 or PSS, ECDSA, Ed25519), the certificate marked for
time-stamping and valid at the token's time. What it does not check: that the TSA's
certificate chains to a root you trust, and revocation. That is the job of
``openssl ts -verify -CAfile`` with the TSA's root, outside optout-bot.

Why asn1crypto (with `cryptography` for the signature) and not rfc3161-client: rfc3161-client
(pyca's, in Rust) refuses any token whose certificate set is not in DER's sorted order
(``InvalidSetOrdering``), which is how OpenSSL writes it with a ``certs =`` line, and how
other real TSAs send their chains; a reply we cannot even read would leave a record
unstamped. asn1crypto reads any BER/DER, is pure Python with no build step, and the checks it
leaves to us are the short list above.

Never a reason for a run to fail: no network, a TSA error or a timeout is a *why* kept with
the record ("not timestamped: ..."), and ``optout-bot evidence timestamp`` tries again later.
Each TSA gets at most `TIMEOUT_S` (a hard bound, name resolution included: the request runs on
a daemon thread that is given up on), and a TSA that failed is not asked again for the other
records of the same batch, so a run is never held more than a few seconds per URL.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import secrets
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from optout_bot import __version__
from optout_bot.base import times
from optout_bot.base.files import write_private
from optout_bot.engine.outcome import first_line
from optout_bot.evidence.layout import FOLDER_TAIL, RECORD_TSR

if TYPE_CHECKING:
    from optout_bot.evidence.store import EvidenceStore

#: The time-stamping authority asked by default: DigiCert's. It is free to use without an
#: account, it is what Windows code signing leans on (so it is built to stay up), and its
#: certificates chain to DigiCert's roots, which operating systems and browsers already trust:
#: a stronger word before an authority or a court than a root nobody knows. Plain http is
#: how RFC 3161 is usually spoken (the token is signed; the transport adds nothing to it), and
#: only the record's hash is sent.
DEFAULT_URLS: tuple[str, ...] = ("http://timestamp.digicert.com",)
#: Seconds one TSA may take to answer, connection and name resolution included.
TIMEOUT_S = 5.0
#: A reply bigger than this is not a time-stamp (they are a few kilobytes).
MAX_REPLY = 256 * 1024
#: What a TSA answers with (RFC 3161, section 3.4); some send the other name.
REPLY_TYPES = ("application/timestamp-reply", "application/timestamp-response")

#: A stored time-stamp's state.
STAMPED, WAITING, OFF = "stamped", "waiting", "off"

_HASHES = {"sha1", "sha224", "sha256", "sha384", "sha512"}


class StampError(Exception):
    """Why a record could not be stamped, or why a stored token does not check: one line."""


@dataclass(frozen=True)
class TokenFacts:
    """What a checked token says."""

    #: the TSA's time (genTime), UTC
    gen_time: datetime.datetime
    #: the SHA-256 the token is for (hex)
    digest: str
    serial: int
    nonce: int | None
    policy: str
    #: who signed it: the TSA certificate's subject
    signer: str


@dataclass(frozen=True)
class Stamp:
    """What the store keeps about one record's time-stamp (beside the record, outside its
    hash: the record is hashed before it is stamped)."""

    seq: int
    record_id: str
    #: the record's hash, the one the token is (to be) for
    hash: str
    #: STAMPED, WAITING (tried, failed: `evidence timestamp` tries again) or OFF (not tried)
    state: str
    tried_at: str
    #: the TSA's reply (DER TimeStampResp), as it came
    reply: bytes | None = None
    tsa_url: str = ""
    #: the TSA's time, ISO 8601 UTC
    gen_time: str = ""
    nonce: str = ""
    #: why it is not stamped
    why: str = ""

    @property
    def stamped(self) -> bool:
        return self.state == STAMPED and bool(self.reply)

    @property
    def tsa(self) -> str:
        """The TSA's host (what history and the report show)."""
        return host_of(self.tsa_url)

    def to_json(self) -> dict[str, Any]:
        """What `history --json` and the run's result show (the token itself is in the store
        and in record.tsr)."""
        data: dict[str, Any] = {"timestamped": self.stamped, "state": self.state or "never"}
        if self.stamped:
            data.update(time=self.gen_time, tsa=self.tsa, tsa_url=self.tsa_url)
        else:
            data["why"] = self.why
        data["tried_at"] = self.tried_at or None
        return data

    def words(self) -> str:
        """`timestamped 2026-11-22 14:00:06 UTC by timestamp.digicert.com`, or
        `not timestamped: WHY`."""
        if self.stamped:
            return f"timestamped {clock(self.gen_time)} by {self.tsa}"
        return f"not timestamped: {self.why}"


#: Why a record that has no time-stamp row (older ones, or stamping never ran) has none.
NEVER_SENT = "not sent yet (`optout-bot evidence timestamp` sends it)"


def host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def clock(stamp: str) -> str:
    """`2026-11-22 14:00:06 UTC` for an ISO time stamp."""
    moment = times.parse_time(stamp)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else (stamp or "?")


def url_problem(url: str) -> str:
    """What is wrong with `url` as a TSA address, or ""."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "not a URL"
    if parts.scheme not in ("http", "https"):
        return "not an http:// or https:// URL"
    if not parts.hostname:
        return "no host"
    if any(c.isspace() for c in url):
        return "a URL has no spaces"
    return ""


# -- the request -------------------------------------------------------------------------------


def _imprint(digest: str) -> bytes:
    value = bytes.fromhex(digest)
    if len(value) != 32:
        raise ValueError(f"not a SHA-256 (64 hex digits): {digest!r}")
    return value


def query_for(digest: str, nonce: int) -> bytes:
    """A DER TimeStampReq for the SHA-256 `digest` (hex): v1, the imprint, `nonce`, and
    certReq (so the token carries the TSA's certificate and checks on its own)."""
    from asn1crypto import tsp

    request = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": _imprint(digest),
            },
            "nonce": nonce,
            "cert_req": True,
        }
    )
    return bytes(request.dump())


def new_nonce() -> int:
    """A random 63-bit positive nonce (an INTEGER every TSA takes)."""
    return secrets.randbits(63) | 1


# -- HTTP --------------------------------------------------------------------------------------


def post_query(url: str, query: bytes, timeout: float = TIMEOUT_S) -> bytes:
    """POST a time-stamp query to `url`; the reply's bytes. `StampError` when there is no
    usable answer within `timeout` seconds, however the wait is spent (name resolution,
    connecting, a server that trickles): the request runs on a daemon thread that is given up
    on after `timeout`."""
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["reply"] = _post(url, query, timeout)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=work, daemon=True, name="optout-bot-tsa")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise StampError(f"no answer from {host_of(url)} within {timeout:g} s")
    error = box.get("error")
    if error is not None:
        raise StampError(_why(url, error, timeout)) from None
    reply: bytes = box["reply"]
    return reply


def _post(url: str, query: bytes, timeout: float) -> bytes:
    import urllib.request  # here: the store imports this module on every run

    request = urllib.request.Request(
        url,
        data=query,
        method="POST",
        headers={
            "Content-Type": "application/timestamp-query",
            "Accept": ", ".join(REPLY_TYPES),
            "User-Agent": f"optout-bot/{__version__}",
        },
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        kind = response.headers.get_content_type()
        body: bytes = response.read(MAX_REPLY + 1)
    if len(body) > MAX_REPLY:
        raise StampError(f"{host_of(url)} answered with more than {MAX_REPLY // 1024} KB")
    if kind not in REPLY_TYPES and not body.startswith(b"\x30"):
        raise StampError(f"{host_of(url)} answered with {kind}, not a time-stamp reply")
    return body


def _why(url: str, error: BaseException, timeout: float) -> str:
    import http.client
    import socket
    import urllib.error

    host = host_of(url)
    if isinstance(error, StampError):
        return str(error)
    if isinstance(error, urllib.error.HTTPError):
        return f"{host} answered HTTP {error.code} {error.reason}".rstrip()
    if isinstance(error, urllib.error.URLError) and isinstance(error.reason, BaseException):
        error = error.reason
    elif isinstance(error, urllib.error.URLError):
        return f"cannot reach {host}: {error.reason}"
    if isinstance(error, (socket.timeout, TimeoutError)):
        return f"no answer from {host} within {timeout:g} s"
    if isinstance(error, socket.gaierror):
        return f"cannot find {host} (no network, or no such host)"
    if isinstance(error, ConnectionRefusedError):
        return f"cannot reach {host}: Connection refused"
    if isinstance(error, (http.client.HTTPException, ConnectionError)):
        return f"{host} broke off the answer ({type(error).__name__})"
    if isinstance(error, OSError):
        return f"cannot reach {host}: {error.strerror or error}"
    return f"{host}: {type(error).__name__}: {error}"


# -- checking a reply --------------------------------------------------------------------------


def _hash(name: str) -> Any:
    from cryptography.hazmat.primitives import hashes

    if name not in _HASHES:
        raise StampError(f"the token uses a hash this version does not check ({name})")
    return getattr(hashes, name.upper())()


def _digest_of(name: str, data: bytes) -> bytes:
    if name not in _HASHES:
        raise StampError(f"the token uses a hash this version does not check ({name})")
    return hashlib.new(name, data).digest()


@functools.cache
def _reply_type() -> Any:
    """TimeStampResp as RFC 3161 has it: the token is OPTIONAL (a refusal has none), which
    asn1crypto's own class does not say."""
    from asn1crypto import cms, core, tsp

    class TimeStampResp(core.Sequence):
        _fields = [  # noqa: RUF012 - asn1crypto's class attribute
            ("status", tsp.PKIStatusInfo),
            ("time_stamp_token", cms.ContentInfo, {"optional": True}),
        ]

    return TimeStampResp


def read_reply(reply: bytes) -> TokenFacts:
    """Check a TSA's reply (a DER TimeStampResp) on its own, and say what it says.

    `StampError` when it is not a granted reply, or its token does not check (see the module
    docstring for the list). The imprint and the nonce are compared by `check_reply`."""
    from asn1crypto import cms

    try:
        response = _reply_type().load(reply, strict=True)
        status = response["status"]
        state = status["status"].native
        if state not in ("granted", "granted_with_mods"):
            text = status["status_string"].native if status["status_string"].native else []
            fail = status["fail_info"].native if status["fail_info"].native else set()
            said = "; ".join([*(str(t) for t in text), *sorted(str(f) for f in fail)])
            raise StampError(f"the TSA refused: {state}" + (f" ({said})" if said else ""))
        token = response["time_stamp_token"]
        if not isinstance(token, cms.ContentInfo) or token["content_type"].native != (
            "signed_data"
        ):
            raise StampError("the reply holds no signed time-stamp token")
        signed = token["content"]
        encap = signed["encap_content_info"]
        if encap["content_type"].native != "tst_info":
            raise StampError("the token does not hold a TSTInfo")
        content = encap["content"]
        info = content.parsed
        tst_bytes = bytes(content.contents)
        facts = _facts(info)
        signer = _signer(signed, tst_bytes, facts.gen_time)
    except StampError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise StampError(f"not a time-stamp reply that can be read ({first_line(exc)})") from None
    return TokenFacts(
        gen_time=facts.gen_time,
        digest=facts.digest,
        serial=facts.serial,
        nonce=facts.nonce,
        policy=facts.policy,
        signer=signer,
    )


def _facts(info: Any) -> TokenFacts:
    imprint = info["message_imprint"]
    algorithm = imprint["hash_algorithm"]["algorithm"].native
    if algorithm != "sha256":
        raise StampError(f"the token's imprint is {algorithm}, not sha256")
    gen_time = info["gen_time"].native
    if not isinstance(gen_time, datetime.datetime):
        raise StampError("the token has no readable time")
    if gen_time.tzinfo is None:
        gen_time = gen_time.replace(tzinfo=times.UTC)
    nonce = info["nonce"].native
    return TokenFacts(
        gen_time=gen_time.astimezone(times.UTC),
        digest=bytes(imprint["hashed_message"].native).hex(),
        serial=int(info["serial_number"].native),
        nonce=int(nonce) if nonce is not None else None,
        policy=str(info["policy"].native),
        signer="",
    )


def _signer(signed: Any, tst_bytes: bytes, when: datetime.datetime) -> str:
    """Check the one signature on the token; the signer certificate's subject."""
    infos = signed["signer_infos"]
    if len(infos) != 1:
        raise StampError(f"the token has {len(infos)} signatures, not one")
    info = infos[0]
    cert = _certificate(signed, info["sid"])
    digest_name = info["digest_algorithm"]["algorithm"].native
    attrs = info["signed_attrs"]
    if not attrs.native:
        raise StampError("the token's signature has no signed attributes (RFC 3161 needs them)")
    found = {attr["type"].native: attr["values"] for attr in attrs}
    if "content_type" not in found or found["content_type"][0].native != "tst_info":
        raise StampError("the token's signed content type is not a TSTInfo")
    if "message_digest" not in found:
        raise StampError("the token's signature names no message digest")
    if bytes(found["message_digest"][0].native) != _digest_of(digest_name, tst_bytes):
        raise StampError("the token's TSTInfo was altered (its digest does not match)")
    _check_ess(found, cert)
    # The signature covers the signed attributes DER-encoded as a SET (RFC 5652, 5.4), not
    # with the [0] tag they carry inside SignerInfo.
    signed_bytes = b"\x31" + bytes(attrs.dump())[1:]
    _verify_signature(cert, info, digest_name, signed_bytes)
    if "time_stamping" not in (cert.extended_key_usage_value.native or []):
        raise StampError("the certificate that signed it is not one for time-stamping")
    validity = cert["tbs_certificate"]["validity"]
    if not validity["not_before"].native <= when <= validity["not_after"].native:
        raise StampError("the TSA's certificate was not valid at the token's time")
    names = cert.subject.native
    name = names.get("common_name") if isinstance(names, dict) else None
    return str(name or cert.subject.human_friendly)


def _certificate(signed: Any, sid: Any) -> Any:
    """The certificate `sid` names, among the token's."""
    certificates = [c.chosen for c in signed["certificates"] or [] if c.name == "certificate"]
    if not certificates:
        raise StampError("the token carries no certificate to check its signature with")
    for cert in certificates:
        if sid.name == "issuer_and_serial_number":
            named = sid.chosen
            if (
                cert.issuer == named["issuer"]
                and cert.serial_number == named["serial_number"].native
            ):
                return cert
        elif sid.name == "subject_key_identifier" and cert.key_identifier == sid.chosen.native:
            return cert
    raise StampError("the certificate that signed the token is not in it")


def _check_ess(found: dict[str, Any], cert: Any) -> None:
    """The signing-certificate attribute (ESS; RFC 2634, RFC 5035) names `cert`."""
    der = bytes(cert.dump())
    if "signing_certificate_v2" in found:
        first = found["signing_certificate_v2"][0]["certs"][0]
        name = first["hash_algorithm"]["algorithm"].native
        if bytes(first["cert_hash"].native) != _digest_of(name, der):
            raise StampError("the token names another certificate than the one that signed it")
    elif "signing_certificate" in found:
        first = found["signing_certificate"][0]["certs"][0]
        if bytes(first["cert_hash"].native) != hashlib.sha1(der).digest():  # v1: by SHA-1
            raise StampError("the token names another certificate than the one that signed it")


def _verify_signature(cert: Any, info: Any, digest_name: str, data: bytes) -> None:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

    key = x509.load_der_x509_certificate(bytes(cert.dump())).public_key()
    signature = bytes(info["signature"].native)
    algorithm = info["signature_algorithm"]
    try:
        if isinstance(key, rsa.RSAPublicKey):
            if algorithm.signature_algo == "rsassa_pss":
                params = algorithm["parameters"]
                mgf_hash = params["mask_gen_algorithm"]["parameters"]["algorithm"].native
                key.verify(
                    signature,
                    data,
                    padding.PSS(
                        mgf=padding.MGF1(_hash(mgf_hash)),
                        salt_length=int(params["salt_length"].native),
                    ),
                    _hash(params["hash_algorithm"]["algorithm"].native),
                )
            else:
                key.verify(signature, data, padding.PKCS1v15(), _hash(digest_name))
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(_hash(digest_name)))
        elif isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, data)
        else:
            raise StampError(f"the TSA's key is of a kind this version does not check ({key})")
    except InvalidSignature:
        raise StampError("the token's signature does not check (altered, or forged)") from None


def check_reply(reply: bytes, digest: str, nonce: int | None = None) -> TokenFacts:
    """`read_reply`, and the token is for `digest` (and `nonce`, when given)."""
    facts = read_reply(reply)
    if facts.digest != digest.lower():
        raise StampError(f"the token is for another hash ({facts.digest[:12]}…)")
    if nonce is not None and facts.nonce != nonce:
        raise StampError("the token's nonce is not the request's (a replayed or mixed-up reply)")
    return facts


@dataclass(frozen=True)
class TokenChain:
    """The certificates a token carries, as someone checking it with ``openssl ts -verify``
    needs them. Not a trust anchor: anyone can put any certificate in a token's set; what
    makes a token trusted is a root certificate got elsewhere (``-CAfile``)."""

    #: the signing certificate's name (its common name, else its whole subject)
    signer: str
    #: the root the carried chain leads to: the last certificate's name when the token carries
    #: a self-signed one, else the name of the last one's issuer (what ``-CAfile`` must hold)
    root: str
    #: DER: the signer's first, then its issuers as far as the token carries them, then any
    #: other certificate it carries, in the token's order
    certificates: tuple[bytes, ...]


def token_chain(reply: bytes) -> TokenChain:
    """The certificates of a reply whose token checks (`StampError` when it does not)."""
    read_reply(reply)
    signed = _reply_type().load(reply, strict=True)["time_stamp_token"]["content"]
    carried = [c.chosen for c in signed["certificates"] or [] if c.name == "certificate"]
    current = _certificate(signed, signed["signer_infos"][0]["sid"])
    chain = [current]
    while current.self_signed == "no":
        parent = next((c for c in carried if c.subject == current.issuer and c not in chain), None)
        if parent is None:
            break
        chain.append(parent)
        current = parent
    root = current.subject if current.self_signed != "no" else current.issuer
    rest = [c for c in carried if c not in chain]
    return TokenChain(
        signer=_name(chain[0].subject),
        root=_name(root),
        certificates=tuple(bytes(c.dump()) for c in [*chain, *rest]),
    )


def _name(name: Any) -> str:
    """A certificate name in words: its common name, else the whole name; printable only (it
    comes from a certificate, and goes into files people read)."""
    native = name.native
    text = native.get("common_name") if isinstance(native, dict) else None
    if isinstance(text, list):
        text = ", ".join(str(t) for t in text)
    words = str(text or name.human_friendly)
    return "".join(ch for ch in words if ch.isprintable()) or "?"


# -- stamping records --------------------------------------------------------------------------


@dataclass
class Attempt:
    """One batch of stamping: the TSAs to ask, in order, and those that failed in it."""

    urls: Sequence[str]
    timeout: float = TIMEOUT_S
    #: URL -> why: a TSA that failed is not asked again in this batch (the batch stays short)
    failed: dict[str, str] = field(default_factory=dict)
    #: how to send (tests wrap it; `post_query` by default)
    post: Callable[[str, bytes, float], bytes] | None = None

    def ask(self, digest: str) -> tuple[bytes, str, TokenFacts, int]:
        """A checked reply for `digest`: (reply, the TSA's URL, facts, nonce). `StampError`
        with every TSA's why when none gave one."""
        whys = []
        for url in self.urls:
            if url in self.failed:
                whys.append(self.failed[url])
                continue
            nonce = new_nonce()
            try:
                reply = (self.post or post_query)(url, query_for(digest, nonce), self.timeout)
                facts = check_reply(reply, digest, nonce)
            except StampError as exc:
                why = str(exc)
                self.failed[url] = why if host_of(url) in why else f"{host_of(url)}: {why}"
                whys.append(self.failed[url])
                continue
            return reply, url, facts, nonce
        raise StampError("; ".join(whys) or "no time-stamping authority to ask")


def stamp_records(
    store: EvidenceStore,
    urls: Sequence[str],
    *,
    seqs: Iterable[int] | None = None,
    again: bool = False,
    off: str = "",
    timeout: float = TIMEOUT_S,
    post: Callable[[str, bytes, float], bytes] | None = None,
) -> list[Stamp]:
    """Stamp the store's records (those of `seqs`, else every one) that have no token yet
    (`again`: those that have one too, the new token replacing the old), asking `urls` in
    order; keep each outcome in the store and each token as record.tsr. With no `urls`, keep
    "not timestamped: `off`" for records that have nothing yet. Returns the outcomes.

    A record that already has its token gets its record.tsr back if it went missing."""
    wanted = set(seqs) if seqs is not None else None
    kept = store.stamps()
    attempt = Attempt(list(urls), timeout, post=post)
    outcomes = []
    for body in store.records():
        seq, digest, run_id = body.get("seq"), body.get("hash"), body.get("id")
        if not isinstance(seq, int) or not isinstance(digest, str) or body.get("damaged"):
            continue
        if wanted is not None and seq not in wanted:
            continue
        before = kept.get(seq)
        if before is not None and before.stamped and not again:
            _write_tsr(store, body, before.reply or b"", replace=False, quiet=True)
            outcomes.append(before)
            continue
        now = times.iso(times.utc_now())
        if not urls:
            if before is not None:
                outcomes.append(before)
                continue
            stamp = Stamp(seq, str(run_id), digest, OFF, now, why=off or "timestamping is off")
        else:
            try:
                reply, url, facts, nonce = attempt.ask(digest)
            except StampError as exc:
                stamp = Stamp(seq, str(run_id), digest, WAITING, now, why=str(exc))
            else:
                stamp = Stamp(
                    seq,
                    str(run_id),
                    digest,
                    STAMPED,
                    now,
                    reply=reply,
                    tsa_url=url,
                    gen_time=times.iso(facts.gen_time),
                    nonce=str(nonce),
                )
                # The store first (it is what verify and the export read), then the file.
                store.keep_stamp(stamp)
                _write_tsr(store, body, reply, replace=again)
                outcomes.append(stamp)
                continue
        if before is not None and before.stamped:  # `again` failed: the old token stays
            outcomes.append(before)
            continue
        store.keep_stamp(stamp)
        outcomes.append(stamp)
    return outcomes


def _write_tsr(
    store: EvidenceStore, body: dict[str, Any], reply: bytes, *, replace: bool, quiet: bool = False
) -> None:
    """record.tsr beside record.json; best effort (the token is safe in the store)."""
    from optout_bot.evidence.record import Record

    recorded = Record.from_json(body).evidence_dir
    folder = store.layout.find(recorded, FOLDER_TAIL)
    if not recorded or not folder.is_dir() or not reply:
        return
    target = folder / RECORD_TSR
    if quiet and target.exists():
        return
    try:
        write_private(target, reply, replace=replace)
    except FileExistsError:
        _warn("record.tsr already exists; not overwritten", path=str(target))
    except OSError as exc:
        _warn("could not write record.tsr", path=str(target), error=str(exc))


def _warn(message: str, **extra: Any) -> None:
    import structlog

    structlog.get_logger("optout_bot").warning(message, **extra)
