"""Trusted time-stamps (RFC 3161) and the chain head as a witness (issue 14, items 1 and 2).

A local time-stamping authority answers on 127.0.0.1 (`tests/local_tsa.py`: OpenSSL's
`openssl ts -reply` behind a tiny HTTP server, a test CA made once per session); its tokens
are checked again with `openssl ts -verify`, as a plain command, the way someone without
optout-bot would. Most tests use the store directly; two drive a real run against the
replica.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from optout_bot.app.config import Config, ConfigError, load_config
from optout_bot.app.request import BrowserRequest, RunRequest
from optout_bot.evidence import timestamping
from optout_bot.evidence.layout import RECORD_TSR
from optout_bot.evidence.store import EvidenceStore, default_store_path, verify_store
from optout_bot.evidence.timestamping import (
    DEFAULT_URLS,
    StampError,
    check_reply,
    post_query,
    query_for,
    stamp_records,
)
from optout_bot.unattended import alerts
from tests.local_tsa import Pki, openssl_verify
from tests.test_store import fake_run, on_disk, tamper

# -- the store, without a browser ------------------------------------------------------------


@pytest.fixture
def store(home: Path) -> Iterator[EvidenceStore]:
    with EvidenceStore() as opened:
        yield opened


@pytest.mark.parametrize("config", ["plain", "certs"])
def test_a_token_with_or_without_a_certificate_set_is_kept_and_openssl_verifies_it(
    store: EvidenceStore, home: Path, tsa, pki: Pki, config: str
):
    """A record's hash goes to the TSA; its reply is checked, kept in the store and as
    record.tsr (DER TimeStampResp), and `openssl ts -verify -digest HASH -in record.tsr`
    accepts it, whether the token carries the TSA's certificate alone or a set of them (the
    `certs =` line rfc3161-client 1.0.9 refuses with InvalidSetOrdering)."""
    server = tsa(config=config)
    record = fake_run(store, home / "evidence")
    [stamp] = stamp_records(store, [server.url])
    assert stamp.stamped and stamp.tsa_url == server.url and stamp.tsa == "127.0.0.1"
    tsr = on_disk(record["evidence_dir"]) / RECORD_TSR
    assert tsr.read_bytes() == stamp.reply == store.stamps()[1].reply
    facts = check_reply(tsr.read_bytes(), record["hash"], int(stamp.nonce))
    assert facts.digest == record["hash"] and facts.signer == "optout-bot test TSA"
    assert abs(facts.gen_time.timestamp() - time.time()) < 120
    verified = openssl_verify(pki, record["hash"], tsr)
    assert verified.returncode == 0, verified.stderr
    assert "Verification: OK" in verified.stdout
    assert verify_store().ok


def test_only_the_hash_leaves_the_machine():
    """The request is the record's hash as a SHA-256 imprint, a nonce and certReq: nothing
    else of the record."""
    from asn1crypto import tsp

    digest = "ab" * 32
    request = tsp.TimeStampReq.load(query_for(digest, 12345))
    assert request.native == {
        "version": "v1",
        "message_imprint": {
            "hash_algorithm": {"algorithm": "sha256", "parameters": None},
            "hashed_message": bytes.fromhex(digest),
        },
        "req_policy": None,
        "nonce": 12345,
        "cert_req": True,
        "extensions": None,
    }


def test_the_next_tsa_is_asked_when_one_fails_and_a_failed_one_is_not_asked_again(
    store: EvidenceStore, home: Path, tsa, refused: str
):
    """TSAs are asked in order: past a 500, a hang-up and a refused connection to the one
    that answers; within one batch a TSA that failed is not asked again, so three records
    cost the failing ones one request each."""
    failing = [tsa("500"), tsa("close")]
    good = tsa()
    for _ in range(3):
        fake_run(store, home / "evidence")
    urls = [refused, *(s.url for s in failing), good.url]
    stamps = stamp_records(store, urls, timeout=2)
    assert [s.stamped for s in stamps] == [True, True, True]
    assert {s.tsa_url for s in stamps} == {good.url}
    assert [s.requests for s in failing] == [1, 1]
    assert good.requests == 3


def test_a_tsa_that_never_answers_costs_the_timeout_and_no_more(tsa):
    """A TSA that accepts the connection and never answers is given up on after the timeout,
    with why."""
    server = tsa("hang")
    started = time.monotonic()
    with pytest.raises(StampError, match=r"no answer from 127\.0\.0\.1 within 0\.5 s"):
        post_query(server.url, query_for("ab" * 32, 1), timeout=0.5)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("mode", "why"),
    [
        ("500", "127.0.0.1 answered HTTP 500"),
        ("close", "127.0.0.1 broke off the answer"),
        ("refused", "cannot reach 127.0.0.1: Connection refused"),
        ("sha512-only", "the TSA refused: rejection"),
    ],
)
def test_each_failure_is_kept_as_why_the_record_is_not_timestamped(
    store: EvidenceStore, home: Path, tsa, refused: str, mode: str, why: str
):
    """No token: the record is kept as waiting, with the TSA's failure in words."""
    if mode == "refused":
        url = refused
    elif mode == "sha512-only":
        url = tsa(config="sha512-only").url
    else:
        url = tsa(mode).url
    fake_run(store, home / "evidence")
    [stamp] = stamp_records(store, [url], timeout=2)
    assert not stamp.stamped and stamp.state == "waiting"
    assert why in stamp.why
    assert store.stamps()[1].why == stamp.why


def test_a_stamped_record_is_not_stamped_again_unless_asked(
    store: EvidenceStore, home: Path, tsa, optout_bot
):
    """`evidence timestamp` leaves a record that has its token alone (and puts a lost
    record.tsr back); --again replaces the token."""
    server = tsa()
    record = fake_run(store, home / "evidence")
    [first] = stamp_records(store, [server.url])
    tsr = on_disk(record["evidence_dir"]) / RECORD_TSR
    tsr.unlink()
    result = optout_bot("evidence", "timestamp", "--url", server.url)
    assert result.code == 0, result.out
    assert result.out.splitlines() == ["timestamps: 0 stamped now, 1 already stamped"]
    assert server.requests == 1 and tsr.read_bytes() == first.reply
    result = optout_bot("evidence", "timestamp", "--url", server.url, "--again")
    assert result.code == 0 and server.requests == 2
    assert store.stamps()[1].reply == tsr.read_bytes() != first.reply
    assert verify_store().ok


def test_evidence_timestamp_stamps_what_is_waiting_and_says_what_still_is(
    store: EvidenceStore, home: Path, tsa, refused: str, optout_bot, tmp_path: Path
):
    """Exit 1 naming each record that could still not be stamped, with why; exit 0 once all
    are; an empty `timestamp_urls` without --url says it is off."""
    for _ in range(2):
        fake_run(store, home / "evidence")
    result = optout_bot("evidence", "timestamp", "--url", refused)
    assert result.code == 1
    assert result.out.splitlines()[0].startswith(
        "record #1: not timestamped: cannot reach 127.0.0.1: Connection refused"
    )
    assert result.out.splitlines()[-1] == (
        "timestamps: 0 stamped now, 2 still not timestamped (try again later)"
    )
    server = tsa()
    (tmp_path / "config.toml").write_text(f'timestamp_urls = ["{server.url}"]\n')
    result = optout_bot("evidence", "timestamp", "--json")
    assert result.code == 0
    assert [s["seq"] for s in result.json["stamped"]] == [1, 2]
    assert result.json["waiting"] == []
    (tmp_path / "config.toml").write_text("timestamp_urls = []\n")
    result = optout_bot("evidence", "timestamp")
    assert result.code == 1 and "timestamping is off" in result.err


# -- evidence verify: tokens -------------------------------------------------------------------


def test_verify_shows_the_tsa_time_beside_the_recorded_time(
    store: EvidenceStore, home: Path, tsa, optout_bot
):
    """A stamped record shows both times and the TSA; one never sent says so, which is not
    a problem of the chain (exit 0)."""
    server = tsa()
    fake_run(store, home / "evidence", started_at="2026-11-22T14:00:00.000001Z")
    stamp_records(store, [server.url])
    fake_run(store, home / "evidence")
    result = optout_bot("evidence", "verify")
    assert result.code == 0, result.out
    lines = result.out.splitlines()
    assert lines[1] == (
        "timestamps: 1 of 2 records timestamped (1 not timestamped: `optout-bot evidence "
        "timestamp` stamps them)"
    )
    assert lines[2].startswith("  #1  recorded ") and lines[2].endswith("(127.0.0.1)")
    assert ", TSA time " in lines[2]
    assert lines[3].startswith("  #2  recorded ")
    assert lines[3].endswith(f"not timestamped: {timestamping.NEVER_SENT}")
    data = optout_bot("evidence", "verify", "--json").json
    assert [t["state"] for t in data["timestamps"]] == ["timestamped", "not_timestamped"]
    assert data["timestamps"][0]["tsa"] == "127.0.0.1"


def test_verify_catches_a_token_swapped_from_another_record(
    store: EvidenceStore, home: Path, tsa, optout_bot
):
    """Two records' tokens swapped in the store: each token is named as the other record's."""
    server = tsa()
    for _ in range(2):
        fake_run(store, home / "evidence")
    stamped = stamp_records(store, [server.url])
    for stamp, other in zip(stamped, reversed(stamped), strict=True):
        tamper(
            store.path,
            "UPDATE timestamps SET reply = ?, nonce = '' WHERE seq = ?",
            params=(other.reply, stamp.seq),
        )
    result = optout_bot("evidence", "verify")
    assert result.code == 1
    problems = [line for line in result.out.splitlines() if line.startswith("record #")]
    assert len(problems) == 2
    assert problems[0].startswith("record #1 (")
    assert problems[0].endswith(
        "its time-stamp token does not check: it is record #2's token, not this record's (swapped)"
    )
    kinds = [p["kind"] for p in optout_bot("evidence", "verify", "--json").json["problems"]]
    assert kinds[:2] == ["timestamp_invalid", "timestamp_invalid"]


def test_verify_catches_an_altered_or_missing_record_tsr(store: EvidenceStore, home: Path, tsa):
    """record.tsr is compared with the token the store keeps."""
    server = tsa()
    records = [fake_run(store, home / "evidence") for _ in range(2)]
    stamp_records(store, [server.url])
    first = on_disk(records[0]["evidence_dir"]) / RECORD_TSR
    first.write_bytes(first.read_bytes()[:-1] + b"\0")
    (on_disk(records[1]["evidence_dir"]) / RECORD_TSR).unlink()
    report = verify_store()
    assert [(p.seq, p.kind) for p in report.problems] == [
        (1, "timestamp_file_altered"),
        (2, "timestamp_file_missing"),
    ]


def test_a_token_altered_in_the_store_does_not_check(store: EvidenceStore, home: Path, tsa):
    """One changed byte in the stored token's signature is a problem naming the record."""
    server = tsa()
    fake_run(store, home / "evidence")
    stamp_records(store, [server.url])
    reply = bytearray(store.stamps()[1].reply or b"")
    reply[-5] ^= 0x01
    tamper(store.path, "UPDATE timestamps SET reply = ?", params=(bytes(reply),))
    [problem] = verify_store().problems
    assert problem.seq == 1 and problem.kind == "timestamp_invalid"
    assert "signature does not check" in problem.detail


def test_a_store_from_before_time_stamps_opens_and_verifies(store: EvidenceStore, home: Path):
    """Without the timestamps table (an older optout-bot's store) the store opens, gets the
    table, and verifies; its records are "not timestamped", not a problem."""
    fake_run(store, home / "evidence")
    path = store.path
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE timestamps")
    conn.commit()
    conn.close()
    report = verify_store(path)
    assert report.ok, report.problems
    assert [t.state for t in report.timestamps] == ["not_timestamped"]
    with EvidenceStore(path) as again:
        assert again.stamps() == {}


# -- evidence verify --head --------------------------------------------------------------------


def test_verify_head_catches_a_dropped_newest_record(
    store: EvidenceStore, home: Path, tsa, optout_bot
):
    """The chain alone cannot show its newest record removed; the head noted elsewhere can.
    With the real head: OK, and how many came after."""
    records = [fake_run(store, home / "evidence") for _ in range(4)]
    head = f"4:{records[3]['hash']}"
    result = optout_bot("evidence", "verify", "--head", head)
    assert result.code == 0, result.out
    assert (
        f"head #4 {records[3]['hash']} is in the chain, nothing up to it changed; no record "
        "came after it"
    ) in result.out
    result = optout_bot("evidence", "verify", "--head", f"2:{records[1]['hash']}")
    assert result.code == 0
    assert "nothing up to it changed; 2 records after it" in result.out
    assert optout_bot("evidence", "verify", "--json", "--head", head).json["pinned"] == {
        "seq": 4,
        "hash": records[3]["hash"],
        "found": True,
        "after": 0,
    }

    tamper(store.path, "DELETE FROM records WHERE seq = 4")  # as an attacker would

    assert optout_bot("evidence", "verify").code == 0  # what the chain alone cannot see
    result = optout_bot("evidence", "verify", "--head", head)
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        f"record #4: not in the store, though it was noted as the chain head "
        f"({records[3]['hash'][:12]}…): the chain now ends at #3, so the newest records "
        "were removed (or this is another store)"
    )
    data = optout_bot("evidence", "verify", "--json", "--head", head).json
    assert data["ok"] is False and data["pinned"]["found"] is False


def test_verify_head_with_another_hash_or_a_bad_form(store: EvidenceStore, home: Path, optout_bot):
    """A head whose hash differs is a rewritten chain (exit 1); a --head that is not
    SEQ:HASH is bad usage (exit 2), saying the form."""
    fake_run(store, home / "evidence")
    result = optout_bot("evidence", "verify", "--head", "1:" + "0" * 64)
    assert result.code == 1
    assert "the chain was rewritten up to it" in result.out
    for bad in ("1", "1:abc", "x:" + "0" * 64, "0:" + "0" * 64):
        result = optout_bot("evidence", "verify", "--head", bad)
        assert result.code == 2
        assert result.err == (
            f"optout-bot evidence verify: --head {bad!r}: expected SEQ:HASH, a record's "
            "number and its 64-hex-digit hash, e.g. 12:3f5a…\n"
        )


def test_a_removed_record_that_was_time_stamped_is_named(store: EvidenceStore, home: Path, tsa):
    """Its token outlives it: removing the newest record but not its token shows."""
    server = tsa()
    for _ in range(2):
        fake_run(store, home / "evidence")
    stamp_records(store, [server.url])
    tamper(store.path, "DELETE FROM records WHERE seq = 2")
    [problem] = verify_store().problems
    assert (problem.seq, problem.kind) == (2, "record_removed")


# -- settings and requests ---------------------------------------------------------------------


def test_settings_default_to_a_public_tsa_and_take_a_list_or_none(tmp_path: Path):
    """`timestamp_urls`: one public TSA by default, a list of http(s) URLs, [] for off."""
    assert Config().timestamp_urls == DEFAULT_URLS == ("http://timestamp.digicert.com",)
    path = tmp_path / "config.toml"
    path.write_text('timestamp_urls = ["https://a.example/tsr", "http://b.example"]\n')
    assert load_config(path).timestamp_urls == ("https://a.example/tsr", "http://b.example")
    path.write_text("timestamp_urls = []\ntimestamp_timeout = 2\n")
    config = load_config(path)
    assert config.timestamp_urls == () and config.timestamp_timeout == 2.0
    path.write_text('timestamp_urls = ["ftp://a.example"]\n')
    with pytest.raises(ConfigError, match=r"'timestamp_urls'\[0\] must be a time-stamping"):
        load_config(path)


def _request(settings: Config, **given: Any) -> RunRequest:
    browser = BrowserRequest.merged(settings, replica=given.pop("replica", None))
    return RunRequest.merged(settings, flow="x", mode="run", browser=browser, **given)


def test_a_run_asks_the_settings_tsas_unless_told_not_to_and_a_replica_never_the_default(
    tmp_path: Path,
):
    """--no-timestamp turns it off; a run against a replica (tests, the demo) never uses the
    default public TSA, only URLs the settings file names; each off says why."""
    default = Config()
    assert _request(default).timestamp_urls == DEFAULT_URLS
    off = _request(default, no_timestamp=True)
    assert off.timestamp_urls == () and "--no-timestamp" in off.timestamp_off
    replica = _request(default, replica="127.0.0.1:1")
    assert replica.timestamp_urls == () and "replica" in replica.timestamp_off
    path = tmp_path / "config.toml"
    path.write_text('timestamp_urls = ["http://127.0.0.1:9/tsr"]\n')
    named = load_config(path)
    assert _request(named, replica="127.0.0.1:1").timestamp_urls == ("http://127.0.0.1:9/tsr",)
    path.write_text("timestamp_urls = []\n")
    assert "timestamp_urls = []" in _request(load_config(path)).timestamp_off


# -- item 2: the head in check's summary and its alerts ----------------------------------------


def test_an_alert_carries_the_chain_head():
    """Each alert ends with the chain head and the command that proves it later."""
    head = {"seq": 12, "hash": "3f" * 32}
    result = {"status": "drift", "flow": "linkedin-ai-training", "wanted": "off",
              "state_after": "on", "chain_head": head}  # fmt: skip
    _, body = alerts.compose(result)
    assert body.endswith(
        f"Evidence chain head: #12 {'3f' * 32} (keep this message: `optout-bot evidence "
        f"verify --head 12:{'3f' * 32}` proves that no record up to it was changed or removed)"
    )
    del result["chain_head"]
    _, many = alerts.compose_many([result, result], head=head)
    assert many.count("Evidence chain head: #12") == 1 and many.endswith("changed or removed)")
    assert "chain head" not in alerts.compose(result)[1]


# -- real runs against the replica ----------------------------------------------------------------


def test_a_run_gets_a_token_from_the_second_tsa_and_openssl_verifies_it(
    linkedin, tsa, pki: Pki, tmp_path: Path, run_cli
):
    """A real run: the first TSA fails (500), the second stamps the record; its record.tsr
    verifies with `openssl ts -verify` as a plain command; history and verify say so."""
    failing, good = tsa("500"), tsa(config="certs")
    (tmp_path / "config.toml").write_text(
        f'timestamp_urls = ["{failing.url}", "{good.url}"]\ntimestamp_timeout = 3\n'
    )
    result = linkedin("run", "--yes")
    assert result.code == 0, result.json["reason"]
    record = result.json["record"]
    assert record["timestamp"]["timestamped"] is True
    assert record["timestamp"]["tsa_url"] == good.url and failing.requests == 1
    tsr = Path(result.json["evidence_dir"]) / RECORD_TSR
    verified = openssl_verify(pki, record["hash"], tsr)
    assert verified.returncode == 0, verified.stderr
    history = run_cli("history", "--json").json
    assert history[-1]["timestamp"]["timestamped"] is True
    assert run_cli("history").out.splitlines()[-1].endswith(", 127.0.0.1")
    checked = run_cli("evidence", "verify")
    assert checked.code == 0 and "timestamps: 1 of 1 record timestamped" in checked.out


def test_with_no_tsa_reachable_the_run_exits_0_and_is_stamped_later(
    linkedin, tsa, refused: str, tmp_path: Path, run_cli
):
    """No TSA answers: the run still exits 0, history says not timestamped and why; later
    `evidence timestamp` stamps it."""
    (tmp_path / "config.toml").write_text(f'timestamp_urls = ["{refused}"]\n')
    result = linkedin("run", "--yes")
    assert result.code == 0, result.json["reason"]
    stamp = result.json["record"]["timestamp"]
    assert stamp["timestamped"] is False and "Connection refused" in stamp["why"]
    row = run_cli("history").out.splitlines()[-1]
    assert row.endswith("not timestamped: cannot reach 127.0.0.1: Connection refused")

    result = linkedin("verify", "--no-timestamp")
    assert result.code == 0, result.json["reason"]
    assert result.json["record"]["timestamp"]["state"] == "off"

    server = tsa()
    stamped = run_cli("evidence", "timestamp", "--url", server.url)
    assert stamped.code == 0, stamped.out
    assert stamped.out.splitlines()[-1] == "timestamps: 2 stamped now"
    assert run_cli("evidence", "verify").code == 0
    with EvidenceStore(default_store_path()) as store:
        assert all(s.stamped for s in store.stamps().values())


def test_the_report_shows_each_records_time_stamp_or_why_not(
    store: EvidenceStore, home: Path, tsa, optout_bot, tmp_path: Path
):
    """Each run's card says when the TSA stamped it and which TSA, or why it is not."""
    server = tsa()
    fake_run(store, home / "evidence")
    stamp_records(store, [server.url])
    fake_run(store, home / "evidence")
    out = tmp_path / "report.html"
    assert optout_bot("report", "--out", str(out)).code == 0
    html = out.read_text(encoding="utf-8")
    assert html.count("<dt>Time-stamp</dt>") == 2
    assert "by 127.0.0.1 (RFC 3161; the token matches this record)" in html
    assert "not timestamped: not sent yet (`optout-bot evidence timestamp` sends it)" in html
    assert "openssl ts -verify -digest HASH -in record.tsr" in html
