"""`optout-bot evidence verify` and `optout-bot history`: their output, and every kind of
tampering caught and pinned on the right record. Real SQLite and files; no browser."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from optout_bot.cli import main as cli
from optout_bot.evidence.store import (
    RECORD_JSON,
    EvidenceStore,
    canonical_json,
    default_store_path,
    record_hash,
)
from tests.conftest import Out
from tests.test_store import four_records, home, on_disk, tamper  # noqa: F401 - `home` is a fixture

SUMMARY = {
    1: "record #1 (2026-11-22 14:00 UTC, linkedin-ai-training run desktop)",
    2: "record #2 (2026-11-23 09:30 UTC, linkedin-ai-training verify desktop)",
    3: "record #3 (2026-11-24 09:30 UTC, linkedin-ai-training verify mobile)",
    4: "record #4 (2026-11-25 23:45 UTC, example-flow verify desktop)",
}


@pytest.fixture
def records(home: Path) -> list[dict[str, Any]]:  # noqa: F811 - the imported fixture
    """A run and three more records in the default store (closed again)."""
    with EvidenceStore() as store:
        return four_records(store, home / "evidence")


def _problems(result: Out) -> list[dict[str, Any]]:
    verified = result.json
    assert verified["ok"] is False
    problems: list[dict[str, Any]] = verified["problems"]
    return problems


# -- evidence verify: intact -----------------------------------------------------------------


def test_verify_passes_on_intact_evidence(records, optout_bot):
    """Four untouched records: one OK line with the counts, the chain head, exit 0."""
    result = optout_bot("evidence", "verify")
    assert result.code == 0
    assert result.lines[:2] == [
        "evidence OK: 4 records, chain intact, 10 screenshots checked",
        "timestamps: 0 of 4 records timestamped (4 not timestamped: `optout-bot evidence "
        "timestamp` stamps them)",
    ]
    for seq, (line, record) in enumerate(zip(result.lines[2:6], records, strict=True), 1):
        recorded = record["ended_at"][:19].replace("T", " ")
        assert line == (
            f"  #{seq}  recorded {recorded} UTC, not timestamped: not sent yet "
            "(`optout-bot evidence timestamp` sends it)"
        )
    assert result.lines[6:] == [
        f"chain head: #4 {records[3]['hash']} (note it elsewhere to pin the chain up to it)",
    ]


def test_verify_json(records, optout_bot):
    """--json prints one object: ok, checked, problems (and the counts and chain head)."""
    result = optout_bot("evidence", "verify", "--json")
    assert result.code == 0
    assert result.json == {
        "ok": True,
        "checked": 4,
        "screenshots": 10,
        "pages": 0,
        "head": {"seq": 4, "hash": records[3]["hash"]},
        "store": str(default_store_path()),
        "problems": [],
        "timestamps": [
            {
                "seq": r["seq"],
                "recorded_at": r["ended_at"],
                "state": "not_timestamped",
                "tsa_time": "",
                "tsa": "",
                "why": "not sent yet (`optout-bot evidence timestamp` sends it)",
            }
            for r in records
        ],
        "pinned": None,
    }


def test_verify_store_option_reads_another_store(records, optout_bot, tmp_path: Path):
    """--store PATH verifies that store; a store that does not exist is a problem, and is
    not created."""
    result = optout_bot("evidence", "verify", "--store", str(default_store_path()))
    assert result.code == 0
    missing = tmp_path / "elsewhere.sqlite3"
    result = optout_bot("evidence", "verify", "--store", str(missing))
    assert result.code == 1
    assert result.lines[0].startswith(f"no evidence store at {missing}: nothing to verify")
    assert not missing.exists()


# -- evidence verify: each tampering, named on the right record ------------------------------


def _stored_body(db: Path, seq: int) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("SELECT body FROM records WHERE seq = ?", (seq,)).fetchone()[0])
    finally:
        conn.close()


def test_editing_one_byte_of_a_stored_record_is_caught(records, optout_bot):
    """A stored record's text changed by one byte ("on" -> "of"): record #1 is altered (and
    its record.json no longer matches it); no other record is blamed."""
    db = default_store_path()
    text = _stored_body(db, 1)
    assert '"state_before":"on"' in text
    edited = text.replace('"state_before":"on"', '"state_before":"of"')
    tamper(db, "UPDATE records SET body = ? WHERE seq = 1", params=(edited,))

    result = optout_bot("evidence", "verify")
    assert result.code == 1
    assert result.lines[0] == (
        f"{SUMMARY[1]}: the stored record was altered (its content no longer matches its hash)"
    )
    problems = _problems(optout_bot("evidence", "verify", "--json"))
    assert [(p["seq"], p["kind"]) for p in problems] == [
        (1, "record_altered"),
        (1, "record_json_altered"),
    ]
    assert problems[0]["record_id"] == records[0]["id"]


def test_editing_one_byte_of_a_record_json_is_caught(records, optout_bot):
    """record.json beside record #3's screenshots changed by one byte: record #3 only."""
    target = on_disk(records[2]["evidence_dir"]) / RECORD_JSON
    data = bytearray(target.read_bytes())
    data[data.index(b'"mobile"') + 1] = ord("M")
    target.write_bytes(bytes(data))

    result = optout_bot("evidence", "verify")
    assert result.code == 1
    assert result.lines == [
        f"{SUMMARY[3]}: record.json was altered (it no longer matches the stored record)",
        "evidence NOT OK: 1 problem in 4 records",
    ]


def test_editing_one_byte_of_a_screenshot_is_caught(records, optout_bot):
    """One byte of record #2's after-reload screenshot changed: named, sha256 mismatch."""
    shot = on_disk(records[1]["screenshots"][2]["path"])
    data = bytearray(shot.read_bytes())
    data[-1] ^= 0x01
    shot.write_bytes(bytes(data))

    result = optout_bot("evidence", "verify")
    assert result.code == 1
    assert result.lines[0] == (
        f"{SUMMARY[2]}: screenshot 03-after-reload.png was altered (sha256 mismatch)"
    )
    [problem] = _problems(optout_bot("evidence", "verify", "--json"))
    assert problem["kind"] == "screenshot_altered" and problem["path"] == str(shot)


def test_deleting_a_screenshot_is_caught(records, optout_bot):
    """record #4's only screenshot deleted: screenshot_missing, with its path."""
    shot = on_disk(records[3]["screenshots"][0]["path"])
    shot.unlink()

    result = optout_bot("evidence", "verify")
    assert result.code == 1
    assert result.lines[0] == f"{SUMMARY[4]}: screenshot 01-before.png is missing ({shot})"
    [problem] = _problems(optout_bot("evidence", "verify", "--json"))
    assert (problem["seq"], problem["kind"]) == (4, "screenshot_missing")


def test_deleting_a_record_json_is_caught(records, optout_bot):
    """record #2's record.json deleted while its folder is still there: record_json_missing."""
    folder = on_disk(records[1]["evidence_dir"])
    (folder / RECORD_JSON).unlink()

    [problem] = _problems(optout_bot("evidence", "verify", "--json"))
    assert (problem["seq"], problem["kind"]) == (2, "record_json_missing")
    assert problem["message"].startswith(f"{SUMMARY[2]}: record.json is missing from {folder}")


def test_deleting_a_middle_record_is_caught(records, optout_bot):
    """Row #2 deleted from the store: the chain breaks at #3, which names #2 as missing."""
    tamper(default_store_path(), "DELETE FROM records WHERE seq = 2")

    result = optout_bot("evidence", "verify")
    assert result.code == 1
    assert result.lines == [
        f"{SUMMARY[3]}: chain broken: record #2 before it is missing (removed)",
        "evidence NOT OK: 1 problem in 3 records",
    ]


def test_reordering_two_records_is_caught(records, optout_bot):
    """Records #2 and #3 swap places (their seq swapped): both are named, #1 and #4 are not."""
    tamper(
        default_store_path(),
        "UPDATE records SET seq = -2 WHERE seq = 2",
        "UPDATE records SET seq = 2 WHERE seq = 3",
        "UPDATE records SET seq = 3 WHERE seq = -2",
    )

    result = optout_bot("evidence", "verify")
    assert result.code == 1
    assert result.lines == [
        f"{SUMMARY[3]}: chain broken: it says it is #3 but is stored as #2 (records were "
        "reordered or renumbered)",
        f"{SUMMARY[2]}: chain broken: it says it is #2 but is stored as #3 (records were "
        "reordered or renumbered)",
        "evidence NOT OK: 2 problems in 4 records",
    ]
    problems = _problems(optout_bot("evidence", "verify", "--json"))
    assert {p["kind"] for p in problems} == {"chain_broken"}


def test_a_record_replaced_with_a_recomputed_hash_is_caught(records, optout_bot):
    """Rewriting #2 *and* its hash consistently still breaks the link from #3 to it."""
    db = default_store_path()
    body = json.loads(_stored_body(db, 2))
    body["state_after"] = "on"
    tamper(
        db,
        "UPDATE records SET body = ?, hash = ? WHERE seq = 2",
        params=(canonical_json(body), record_hash(body)),
    )
    problems = _problems(optout_bot("evidence", "verify", "--json"))
    kinds = [(p["seq"], p["kind"]) for p in problems]
    assert (2, "record_json_altered") in kinds
    assert (3, "chain_broken") in kinds
    assert "it does not link to record #2 (prev_hash mismatch)" in problems[-1]["detail"]


def test_removing_a_record_and_renumbering_the_rest_is_caught(records, optout_bot):
    """#2 deleted and #3, #4 moved down to close the gap: both moved records are named."""
    tamper(
        default_store_path(),
        "DELETE FROM records WHERE seq = 2",
        "UPDATE records SET seq = 2 WHERE seq = 3",
        "UPDATE records SET seq = 3 WHERE seq = 4",
    )
    problems = _problems(optout_bot("evidence", "verify", "--json"))
    assert [(p["seq"], p["kind"]) for p in problems] == [(3, "chain_broken"), (4, "chain_broken")]
    assert "record #2 before it is missing" in problems[0]["detail"]


def test_a_record_rewritten_without_its_seq_is_caught(records, optout_bot):
    """A rewritten #2 with no seq (and a hash to match) cannot hide from the chain check."""
    db = default_store_path()
    body = json.loads(_stored_body(db, 2))
    del body["seq"]
    tamper(
        db,
        "UPDATE records SET body = ?, hash = ? WHERE seq = 2",
        params=(canonical_json(body), record_hash(body)),
    )
    problems = _problems(optout_bot("evidence", "verify", "--json"))
    kinds = [(p["seq"], p["kind"]) for p in problems]
    assert (2, "chain_broken") in kinds and (3, "chain_broken") in kinds


# -- evidence verify: a damaged store --------------------------------------------------------


def test_a_corrupt_store_file_is_reported_not_a_traceback(home, optout_bot):  # noqa: F811
    """A file that is not SQLite at all: one "store unreadable" line, exit 1."""
    path = default_store_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database\n" * 200)

    result = optout_bot("evidence", "verify")
    assert result.code == 1
    assert result.lines[0].startswith(f"store unreadable: {path}: file is not a database")
    assert "Traceback" not in result.out + result.err
    [problem] = _problems(optout_bot("evidence", "verify", "--json"))
    assert problem["kind"] == "store_unreadable"


def test_damaged_pages_in_the_store_are_reported(records, optout_bot):
    """Pages overwritten in the middle of the file: "store unreadable: ... damaged", exit 1."""
    path = default_store_path()
    data = bytearray(path.read_bytes())
    assert len(data) > 3 * 4096  # the store was closed: the WAL is folded back in
    for page in (1, 2):
        start = page * 4096 + 100
        data[start : start + 3900] = b"\xa5" * 3900
    path.write_bytes(bytes(data))

    result = optout_bot("evidence", "verify")
    assert result.code == 1
    assert result.lines[0].startswith(f"store unreadable: {path}: ")
    assert "Traceback" not in result.out + result.err


# -- history ---------------------------------------------------------------------------------


@pytest.fixture
def eastern_time() -> Iterator[None]:
    """Local time is UTC-5 (no DST), whatever the machine's zone."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is POSIX only")
    old = os.environ.get("TZ")
    os.environ["TZ"] = "EST+5"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_history_lists_the_runs_newest_last(records, optout_bot, eastern_time):
    """A table: seq, local time and UTC, flow, platform, mode, states, status, exit code."""
    result = optout_bot("history")
    assert result.code == 0
    never = "not timestamped: not sent yet (`optout-bot evidence timestamp` sends it)"
    assert result.lines == [
        "#  WHEN (LOCAL)          UTC               FLOW                  PLATFORM  MODE    "
        "STATE       STATUS  EXIT  TIMESTAMP",
        "1  2026-11-22 09:00 EST  2026-11-22 14:00  linkedin-ai-training  desktop   run     "
        f"on -> off   ok      0     {never}",
        "2  2026-11-23 04:30 EST  2026-11-23 09:30  linkedin-ai-training  desktop   verify  "
        f"off -> off  ok      0     {never}",
        "3  2026-11-24 04:30 EST  2026-11-24 09:30  linkedin-ai-training  mobile    verify  "
        f"off -> off  ok      0     {never}",
        "4  2026-11-25 18:45 EST  2026-11-25 23:45  example-flow          desktop   verify  "
        f"off -> off  ok      0     {never}",
    ]


def test_history_filters_by_flow_and_limits(records, optout_bot):
    """FLOW keeps that flow's runs; --limit keeps the newest N and says so."""
    result = optout_bot("history", "example-flow")
    assert [line.split()[0] for line in result.lines] == ["#", "4"]
    result = optout_bot("history", "linkedin-ai-training", "--limit", "2")
    assert [line.split()[0] for line in result.lines] == ["#", "2", "3", "(the"]
    assert result.lines[-1] == "(the newest 2 of 3 records)"
    result = optout_bot("history", "facebook-ai")
    assert result.code == 0
    assert result.lines == [
        "no records for facebook-ai yet (recorded flows: example-flow, linkedin-ai-training)"
    ]


def test_history_json_is_the_list_of_records(records, optout_bot):
    """--json prints one JSON list of the record bodies (each with its hash), newest last,
    each with its time-stamp beside it (not part of the record)."""
    result = optout_bot("history", "--json")
    assert result.code == 0
    assert [{k: v for k, v in r.items() if k != "timestamp"} for r in result.json] == records
    assert result.json[0]["timestamp"] == {
        "timestamped": False,
        "state": "never",
        "why": "not sent yet (`optout-bot evidence timestamp` sends it)",
        "tried_at": None,
    }
    result = optout_bot("history", "linkedin-ai-training", "--json", "--limit", "1")
    assert [{k: v for k, v in r.items() if k != "timestamp"} for r in result.json] == [records[2]]


def test_history_of_an_empty_store(home, optout_bot, tmp_path: Path):  # noqa: F811
    """No store yet: a friendly line saying how to make a record; no store is created."""
    result = optout_bot("history")
    assert result.code == 0
    assert result.lines == [
        "no records yet: every `optout-bot run` and `optout-bot verify` is recorded here, "
        "with its screenshots' hashes. Make one with `optout-bot verify linkedin-ai-training`."
    ]
    assert not default_store_path().exists()
    assert optout_bot("history", "--json").json == []
    EvidenceStore(tmp_path / "empty.sqlite3").close()
    result = optout_bot("history", "--store", str(tmp_path / "empty.sqlite3"))
    assert result.lines[0].startswith("no records yet")


def test_history_of_a_corrupt_store(home, optout_bot):  # noqa: F811
    """An unreadable store: one line on stderr pointing at `evidence verify`, exit 1."""
    path = default_store_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage" * 1000)
    result = optout_bot("history")
    assert result.code == 1
    assert result.err.startswith(f"optout-bot history: store unreadable: {path}: ")
    assert "Traceback" not in result.err


@pytest.mark.parametrize("command", [["history"], ["evidence", "verify"]])
def test_commands_have_help(command, capsys):
    """Both commands answer --help with their usage line."""
    with pytest.raises(SystemExit) as exit_info:
        cli.main([*command, "--help"])
    assert exit_info.value.code == 0
    assert f"usage: optout-bot {' '.join(command)}" in capsys.readouterr().out


def test_report_says_where_it_wrote_how_many_records_and_the_chain(records, optout_bot, tmp_path):
    """`report --out` writes the page and says so in one line: records counted, chain state."""
    out = tmp_path / "evidence.html"
    result = optout_bot("report", "--out", str(out))
    assert result.code == 0
    assert result.lines == [f"report: {out} (4 records, evidence chain intact)"]
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    one = tmp_path / "one.html"
    result = optout_bot("report", "--out", str(one), "example-flow")
    assert result.lines == [f"report: {one} (1 record, evidence chain intact)"]
