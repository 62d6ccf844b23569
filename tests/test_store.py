"""The evidence store: pending rows, the hash chain, record.json, recovery, concurrency.

Real SQLite files and real (fake-PNG) screenshot files; no browser.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from optout_bot.base.paths import private_dir
from optout_bot.engine.outcome import Status
from optout_bot.evidence import store as store_module
from optout_bot.evidence.store import (
    INTERRUPTED_REASON,
    RECORD_JSON,
    ZERO_HASH,
    EvidenceStore,
    StoreError,
    UnknownRun,
    default_store_path,
    file_sha256,
    record_hash,
    verify_store,
)
from tests.conftest import REPO

PNG = b"\x89PNG\r\n\x1a\n"
SHOTS = ("01-before", "02-after-change", "03-after-reload")
POSIX = os.name == "posix"


# -- helpers shared with test_evidence_commands ----------------------------------------------


def fake_run(
    store: EvidenceStore,
    evidence_root: Path,
    *,
    flow: str = "linkedin-ai-training",
    mode: str = "verify",
    platform: str = "desktop",
    started_at: str | None = None,
    shots: tuple[str, ...] = SHOTS,
    status: Status = Status.OK,
    before: str = "off",
    after: str = "off",
    pages: tuple[str, ...] = (),
) -> dict[str, Any]:
    """One whole run as the runner records it: begin, state read, screenshots (and page
    snapshots, `pages`), finish."""
    folder = private_dir(evidence_root / flow / f"{uuid.uuid4().hex[:8]}-{platform}-{mode}")
    body: dict[str, Any] = {
        "flow": {"id": flow, "version": "1", "sha256": "ab" * 32, "path": f"/flows/{flow}.yaml"},
        "platform": platform,
        "mode": mode,
        "session": "profile",
        "wanted": "off",
        "evidence_dir": folder,
    }
    if started_at:
        body["started_at"] = started_at
    run_id = store.begin(body)
    store.update(run_id, state_before=before)
    for name in shots:
        shot = folder / f"{name}.png"
        shot.write_bytes(PNG + f"{run_id} {name}".encode())
        if POSIX:
            shot.chmod(0o600)
        store.add_screenshot(run_id, shot)
    for name in pages:
        page = folder / f"page-{name}.mhtml"
        page.write_bytes(f"From: <Saved by Blink>\r\n\r\n{run_id} {name}".encode())
        store.add_screenshot(run_id, page, key="pages")
    return store.finish(
        run_id,
        status=status,
        state_after=after,
        changed=before != after,
        persisted=True,
        reason="the setting is off, confirmed after a reload",
        final_url="https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
    )


def four_records(store: EvidenceStore, evidence_root: Path) -> list[dict[str, Any]]:
    """A run that switched the setting off, then three more records (one for another flow)."""
    return [
        fake_run(
            store, evidence_root, mode="run", before="on", started_at="2026-11-22T14:00:00.000001Z"
        ),
        fake_run(store, evidence_root, started_at="2026-11-23T09:30:00.000002Z"),
        fake_run(store, evidence_root, platform="mobile", started_at="2026-11-24T09:30:00.1Z"),
        fake_run(
            store,
            evidence_root,
            flow="example-flow",
            shots=("01-before",),
            started_at="2026-11-25T23:45:10.000004Z",
        ),
    ]


def tamper(db: Path, *statements: str, params: tuple[Any, ...] = ()) -> None:
    """Change the store behind optout-bot's back (dropping its append-only guard first)."""
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER IF EXISTS records_append_only_update")
    conn.execute("DROP TRIGGER IF EXISTS records_append_only_delete")
    for statement in statements:
        conn.execute(statement, params if "?" in statement else ())
    conn.commit()
    conn.close()


def on_disk(recorded: str) -> Path:
    """Where a path a record names is: relative ones are under the store's folder."""
    return default_store_path().parent / recorded


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """optout-bot's data folder in a temp dir (nothing touches the real home)."""
    home = tmp_path / "home"
    monkeypatch.setenv("OPTOUT_BOT_HOME", str(home))
    return home


@pytest.fixture
def store(home: Path):
    with EvidenceStore() as opened:
        yield opened


def _python(code: str, *args: str, **kwargs: Any) -> Any:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


# -- a run's record --------------------------------------------------------------------------


def test_round_trip_begin_update_screenshot_finish(store: EvidenceStore, home: Path):
    """A run's milestones end up in one finished record: states, screenshots with their
    sha256, status and exit code, the first link of the chain, and its own hash."""
    record = fake_run(store, home / "evidence", mode="run", before="on")
    assert record["schema"] == 1
    assert record["seq"] == 1 and record["prev_hash"] == ZERO_HASH
    assert record["state_before"] == "on" and record["state_after"] == "off"
    assert record["changed"] is True and record["persisted"] is True
    assert record["status"] == "ok" and record["exit_code"] == 0
    assert record["tool_version"] == "0.1.0"
    assert record["ended_at"].endswith("Z") and record["started_at"] < record["ended_at"]
    assert [s["name"] for s in record["screenshots"]] == [f"{n}.png" for n in SHOTS]
    for shot in record["screenshots"]:
        # Relative to the store's folder (the data folder), so the folder can move.
        folder = record["evidence_dir"]
        assert folder.startswith("evidence/linkedin-ai-training/")
        assert shot["path"] == f"{folder}/{shot['name']}"
        assert shot["sha256"] == file_sha256(on_disk(shot["path"]))
    assert record["hash"] == record_hash(record)
    assert store.records() == [record]
    assert store.pending() == []


def test_records_are_chained_in_order(store: EvidenceStore, home: Path):
    """records() returns the chain in order; each record links to the hash before it."""
    made = [fake_run(store, home / "evidence") for _ in range(3)]
    records = store.records()
    assert records == made
    assert [r["seq"] for r in records] == [1, 2, 3]
    assert records[0]["prev_hash"] == ZERO_HASH
    for before, after in itertools.pairwise(records):
        assert after["prev_hash"] == before["hash"]
    assert store.verify().ok


def test_record_json_beside_the_screenshots_equals_the_stored_body(
    store: EvidenceStore, home: Path
):
    """record.json holds exactly the stored body and its hash, so the folder checks alone."""
    record = fake_run(store, home / "evidence")
    folder = on_disk(record["evidence_dir"])
    written = json.loads((folder / RECORD_JSON).read_text())
    assert written == store.records()[0] == record
    assert record_hash(written) == written["hash"]
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(not POSIX, reason="POSIX file modes")
def test_store_and_evidence_files_are_private(store: EvidenceStore, home: Path):
    """The store (and its WAL), its folder and record.json are readable by the user only."""
    record = fake_run(store, home / "evidence")
    path = default_store_path()
    assert store.path == path and path.parent == home
    assert mode_of(home) == 0o700
    assert mode_of(path) == 0o600
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and mode_of(wal) == 0o600
    assert mode_of(on_disk(record["evidence_dir"]) / RECORD_JSON) == 0o600


def test_the_store_runs_in_wal_mode_with_full_sync(store: EvidenceStore):
    """WAL + synchronous=FULL: a commit is on disk before finish() returns."""
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_each_milestone_is_committed_at_once(store: EvidenceStore, home: Path):
    """update() and add_screenshot() are visible to another connection before finish()."""
    folder = private_dir(home / "evidence" / "x")
    run_id = store.begin({"mode": "run", "evidence_dir": folder})
    store.update(run_id, state_before="on")
    shot = folder / "01-before.png"
    shot.write_bytes(PNG + b"x")
    entry = store.add_screenshot(run_id, shot)
    assert entry == {
        "name": "01-before.png",
        "path": "evidence/x/01-before.png",
        "sha256": file_sha256(shot),
    }
    with EvidenceStore(store.path) as other:
        [pending] = other.pending()
    assert pending["id"] == run_id and pending["status"] == "running"
    assert pending["state_before"] == "on" and pending["screenshots"] == [entry]
    assert "seq" not in pending and store.records() == []


def test_values_are_stored_as_json_and_exit_code_follows_the_status(store: EvidenceStore):
    """Paths and Status values become plain strings; exit_code defaults to the status's."""
    run_id = store.begin({"evidence_dir": Path("/nowhere/at/all"), "id": "abc"})
    assert run_id == "abc"
    record = store.finish(run_id, status=Status.NOT_OFFERED)
    assert record["evidence_dir"] == "/nowhere/at/all"
    assert record["status"] == "not_offered" and record["exit_code"] == 5
    assert json.loads(store.conn.execute("SELECT body FROM records").fetchone()[0])["status"] == (
        "not_offered"
    )


def test_misuse_is_refused_without_touching_the_chain(store: EvidenceStore):
    """Unknown ids, finishing twice, no final status, or setting seq by hand all raise."""
    with pytest.raises(UnknownRun):
        store.update("nope", state_before="on")
    run_id = store.begin({})
    with pytest.raises(ValueError, match="final status"):
        store.finish(run_id)
    with pytest.raises(ValueError, match="assigns seq"):
        store.update(run_id, seq=7)
    assert store.pending()[0]["id"] == run_id  # still pending after the refused finish
    store.finish(run_id, status="error")
    with pytest.raises(UnknownRun):
        store.finish(run_id, status="ok")
    with pytest.raises(StoreError, match="already exists"):
        store.begin({"id": run_id})
    assert [r["seq"] for r in store.records()] == [1]


def test_finished_records_cannot_be_rewritten_through_sql(store: EvidenceStore, home: Path):
    """Triggers make the records table append-only: UPDATE and DELETE are refused."""
    fake_run(store, home / "evidence")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.conn.execute("UPDATE records SET body = '{}'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.conn.execute("DELETE FROM records")
    assert store.verify().ok


def test_record_json_of_another_run_is_never_overwritten(store: EvidenceStore, home: Path):
    """Two records claiming one folder: the first record.json stays, verify names the clash."""
    first = fake_run(store, home / "evidence")
    run_id = store.begin({"evidence_dir": on_disk(first["evidence_dir"])})
    second = store.finish(run_id, status="ok")
    assert json.loads((on_disk(first["evidence_dir"]) / RECORD_JSON).read_text()) == first
    problem = store.verify().first
    assert problem and problem.seq == second["seq"] and problem.kind == "record_json_altered"
    assert "two runs share the folder" in problem.detail


def test_a_store_from_a_newer_optout_bot_is_refused(home: Path):
    """A store with a newer schema is not written to; verify reports it unreadable."""
    EvidenceStore().close()
    conn = sqlite3.connect(default_store_path())
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer optout-bot"):
        EvidenceStore()
    report = verify_store()
    assert not report.ok and report.first and report.first.kind == "store_unreadable"


# -- recovery --------------------------------------------------------------------------------


KILLED_RUN = """
    import os, signal, sys
    from pathlib import Path
    from optout_bot.evidence.store import EvidenceStore

    store = EvidenceStore(Path(sys.argv[1]))
    run_id = store.begin({"flow": {"id": "linkedin-ai-training"}, "mode": "run",
                          "platform": "desktop", "evidence_dir": sys.argv[2]})
    store.update(run_id, state_before="on")
    store.add_screenshot(run_id, Path(sys.argv[3]))
    print(run_id, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(not POSIX, reason="SIGKILL")
def test_a_killed_run_is_recovered_as_interrupted_at_next_open(store: EvidenceStore, home: Path):
    """A run SIGKILLed after its first screenshot becomes an "interrupted" record (what it
    saw kept) the next time the store opens; the records before it still verify."""
    earlier = [fake_run(store, home / "evidence") for _ in range(2)]
    folder = private_dir(home / "evidence" / "killed")
    shot = folder / "01-before.png"
    shot.write_bytes(PNG + b"killed")
    proc = _python(KILLED_RUN, str(store.path), str(folder), str(shot))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, err
    run_id = out.strip()
    assert [p["id"] for p in store.pending()] == [run_id]

    with EvidenceStore(store.path) as reopened:
        records = reopened.records()
        assert reopened.pending() == []
        report = reopened.verify()
    assert records[:2] == earlier
    interrupted = records[2]
    assert interrupted["id"] == run_id and interrupted["seq"] == 3
    assert interrupted["status"] == "interrupted" and interrupted["exit_code"] is None
    assert interrupted["reason"] == INTERRUPTED_REASON
    assert interrupted["state_before"] == "on"
    assert interrupted["screenshots"] == [
        {
            "name": "01-before.png",
            "path": "evidence/killed/01-before.png",
            "sha256": file_sha256(shot),
        }
    ]
    assert interrupted["ended_at"] <= interrupted["recovered_at"]
    assert json.loads((folder / RECORD_JSON).read_text()) == interrupted
    assert report.ok, [str(p) for p in report.problems]
    assert report.checked == 3


def test_a_live_process_s_pending_run_is_not_recovered(store: EvidenceStore):
    """This process is alive: another open of the store leaves its running run alone."""
    run_id = store.begin({"mode": "verify"})
    with EvidenceStore(store.path) as other:
        assert other.recover() == []
        assert [p["id"] for p in other.pending()] == [run_id]
        assert other.records() == []


def _set_pending(path: Path, run_id: str, **columns: Any) -> None:
    conn = sqlite3.connect(path)
    for column, value in columns.items():
        conn.execute(f"UPDATE pending SET {column} = ? WHERE id = ?", (value, run_id))
    conn.commit()
    conn.close()


def test_stale_and_foreign_pending_runs(store: EvidenceStore):
    """Another machine's fresh run is left alone; its day-old run, and a local run over a
    day old (its pid may be reused), are recovered."""
    day_ago = time.time() - store_module.STALE_AFTER_S - 60
    fresh_foreign = store.begin({})
    _set_pending(store.path, fresh_foreign, host="another-machine")
    old_foreign = store.begin({})
    _set_pending(store.path, old_foreign, host="another-machine", started=day_ago)
    old_local = store.begin({})
    _set_pending(store.path, old_local, started=day_ago)

    recovered = store.recover()
    assert sorted(r["id"] for r in recovered) == sorted([old_foreign, old_local])
    assert [p["id"] for p in store.pending()] == [fresh_foreign]
    assert all(r["status"] == "interrupted" for r in store.records())


@pytest.mark.skipif(
    not Path("/proc/sys/kernel/random/boot_id").exists(), reason="needs Linux's boot id"
)
def test_a_run_from_before_a_reboot_is_recovered(store: EvidenceStore):
    """After a reboot every old pid is dead, even if a new process got the same number."""
    run_id = store.begin({})
    _set_pending(store.path, run_id, boot="an-earlier-boot")
    assert [r["id"] for r in store.recover()] == [run_id]


# -- concurrency -----------------------------------------------------------------------------


WORKER = """
    import sys, time
    from pathlib import Path
    from optout_bot.base.paths import private_dir
    from optout_bot.evidence.store import EvidenceStore

    db, root, name, go = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
    while not go.exists():
        time.sleep(0.01)
    with EvidenceStore(db) as store:
        for i in range(20):
            folder = private_dir(root / f"{name}-{i}")
            run_id = store.begin({"id": f"{name}-{i}", "mode": "verify", "evidence_dir": folder})
            shot = folder / "01-before.png"
            shot.write_bytes(b"PNG " + run_id.encode())
            store.add_screenshot(run_id, shot)
            store.finish(run_id, status="ok")
"""


def test_two_processes_finishing_at_once_make_one_chain(store: EvidenceStore, home: Path):
    """Two processes each finishing 20 runs at the same time: one gapless chain of 40."""
    go = home / "go"
    workers = [
        _python(WORKER, str(store.path), str(home / "evidence"), name, str(go))
        for name in ("a", "b")
    ]
    go.touch()
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    records = store.records()
    assert [r["seq"] for r in records] == list(range(1, 41))
    assert {r["id"] for r in records} == {f"{n}-{i}" for n in "ab" for i in range(20)}
    report = store.verify()
    assert report.ok, [str(p) for p in report.problems]
    assert (report.checked, report.screenshots) == (40, 40)
