"""Evidence found relative to its root: a data folder (or a store with its evidence) moved
elsewhere still verifies and still shows its screenshots, and stores written with absolute
paths keep verifying after a move without a record being rewritten. Real SQLite and files;
no browser."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from optout_bot.cli import main as cli
from optout_bot.evidence.record import Record
from optout_bot.evidence.report import render_report
from optout_bot.evidence.store import (
    RECORD_JSON,
    ZERO_HASH,
    EvidenceStore,
    canonical_json,
    default_store_path,
    render_record_json,
    verify_store,
)
from tests.test_store import PNG, fake_run, four_records

INTACT = {"ok": True, "checked": 4, "message": "", "problems": []}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data folder in a temp dir, at its first place."""
    home = tmp_path / "first-place" / "optout-bot"
    monkeypatch.setenv("OPTOUT_BOT_HOME", str(home))
    return home


def _move(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Move the whole data folder somewhere else and point optout-bot at it; the old place
    is gone (so nothing can be found there by accident)."""
    new = tmp_path / "second-place" / "data"
    new.parent.mkdir()
    shutil.move(str(home), str(new))
    shutil.rmtree(tmp_path / "first-place")
    monkeypatch.setenv("OPTOUT_BOT_HOME", str(new))
    return new


def _verified(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = cli.main(["evidence", "verify", *args])
    return code, capsys.readouterr().out


def _report_integrity(records: list[Record], layout_store: Path) -> list[str]:
    from optout_bot.evidence.layout import Layout

    html = render_report(
        [r.to_json() | {"hash": r.hash} for r in records], INTACT, layout=Layout(layout_store)
    )
    return [part.split('"', 1)[0] for part in html.split('data-integrity="')[1:]]


def test_a_moved_data_folder_still_verifies(home, tmp_path, monkeypatch, capsys):
    """Four records, then the data folder moved: `evidence verify` is green, 10 screenshots."""
    with EvidenceStore() as store:
        four_records(store, home / "evidence")
    new = _move(home, tmp_path, monkeypatch)

    code, out = _verified(capsys)
    assert code == 0, out
    assert out.splitlines()[0] == "evidence OK: 4 records, chain intact, 10 screenshots checked"
    assert default_store_path() == new / "evidence.sqlite3"


def test_a_moved_data_folder_still_catches_tampering(home, tmp_path, monkeypatch, capsys):
    """After the move, a changed screenshot is still found and named at its new place."""
    with EvidenceStore() as store:
        made = four_records(store, home / "evidence")
    new = _move(home, tmp_path, monkeypatch)
    shot = new / made[1]["screenshots"][0]["path"]
    shot.write_bytes(PNG + b"edited")

    code, out = _verified(capsys)
    assert code == 1
    assert "screenshot 01-before.png was altered (sha256 mismatch)" in out
    problem = verify_store().first
    assert problem is not None and problem.path == str(shot)


def test_the_report_finds_the_screenshots_after_the_move(home, tmp_path, monkeypatch):
    """The report embeds every screenshot of a moved data folder (none "missing")."""
    with EvidenceStore() as store:
        four_records(store, home / "evidence")
    new = _move(home, tmp_path, monkeypatch)
    with EvidenceStore() as store:
        records = store.read()
    assert _report_integrity(records, new / "evidence.sqlite3") == ["ok"] * 10


def test_a_store_kept_inside_its_evidence_folder_moves_with_it(tmp_path, capsys):
    """The demo's layout (store inside its evidence root) verifies after the root moved."""
    root = tmp_path / "demo-evidence"
    with EvidenceStore(root / "demo-evidence.sqlite3") as store:
        record = fake_run(store, root)
    assert not Path(record["evidence_dir"]).is_absolute()
    moved = tmp_path / "elsewhere"
    shutil.move(str(root), str(moved))

    code, out = _verified(capsys, "--store", str(moved / "demo-evidence.sqlite3"))
    assert code == 0, out


def test_evidence_outside_the_data_folder_is_recorded_absolute_and_verifies(home, tmp_path, capsys):
    """--evidence-dir elsewhere: paths stay absolute (nothing to be relative to); verify is
    green."""
    elsewhere = tmp_path / "Documents" / "optout-evidence"
    with EvidenceStore() as store:
        record = fake_run(store, elsewhere)
    assert Path(record["evidence_dir"]).is_absolute()
    assert all(Path(s["path"]).is_absolute() for s in record["screenshots"])

    code, out = _verified(capsys)
    assert code == 0, out


# -- stores written before paths were relative ------------------------------------------------


def _old_store(home: Path) -> list[dict[str, Any]]:
    """A store as the previous version wrote it: absolute paths, no site or setting, and a
    key this version does not know; chained and with record.json beside the screenshots."""
    EvidenceStore().close()  # the tables, as any version makes them
    conn = sqlite3.connect(default_store_path())
    bodies, previous = [], ZERO_HASH
    for seq in (1, 2):
        folder = home / "evidence" / "linkedin-ai-training" / f"2026112{seq}T140000Z-desktop-run"
        folder.mkdir(parents=True)
        shot = folder / "01-before.png"
        shot.write_bytes(PNG + f"old {seq}".encode())
        body = {
            "schema": 1,
            "id": f"old-{seq}",
            "seq": seq,
            "prev_hash": previous,
            "started_at": f"2026-11-2{seq}T14:00:00.000001Z",
            "ended_at": f"2026-11-2{seq}T14:00:09.000001Z",
            "tool_version": "0.0.9",
            "flow": {"id": "linkedin-ai-training", "version": "1", "sha256": "", "path": ""},
            "platform": "desktop",
            "mode": "run",
            "session": "profile",
            "state_before": "on",
            "state_after": "off",
            "wanted": "off",
            "changed": True,
            "persisted": True,
            "status": "ok",
            "exit_code": 0,
            "reason": "",
            "final_url": "",
            "switch": None,
            "evidence_dir": str(folder),
            "screenshots": [
                {
                    "name": shot.name,
                    "path": str(shot),
                    "sha256": hashlib.sha256(shot.read_bytes()).hexdigest(),
                }
            ],
            "from_a_future_version": {"kept": True},
        }
        text = canonical_json(body)
        digest = hashlib.sha256(text.encode()).hexdigest()
        conn.execute(
            "INSERT INTO records (seq, id, hash, body) VALUES (?, ?, ?, ?)",
            (seq, body["id"], digest, text),
        )
        (folder / RECORD_JSON).write_bytes(render_record_json({**body, "hash": digest}))
        bodies.append({**body, "hash": digest})
        previous = digest
    conn.commit()
    conn.close()
    return bodies


def _stored_text(db: Path) -> list[tuple[int, str, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT seq, hash, body FROM records ORDER BY seq").fetchall()
    finally:
        conn.close()


def test_an_old_store_with_absolute_paths_verifies_after_the_move_unchanged(
    home, tmp_path, monkeypatch, capsys
):
    """Absolute paths to a place that is gone are found by their tail under the new data
    folder; not one stored record or record.json is rewritten."""
    old = _old_store(home)
    code, out = _verified(capsys)
    assert code == 0, out  # as it was before the move
    new = _move(home, tmp_path, monkeypatch)
    before = _stored_text(default_store_path())
    json_before = sorted(p.read_bytes() for p in new.rglob(RECORD_JSON))

    code, out = _verified(capsys)
    assert code == 0, out
    assert out.splitlines()[0] == "evidence OK: 2 records, chain intact, 2 screenshots checked"
    assert _stored_text(default_store_path()) == before
    assert sorted(p.read_bytes() for p in new.rglob(RECORD_JSON)) == json_before

    with EvidenceStore() as store:
        records = store.read()
        assert store.records() == old
    assert [r.extra for r in records] == [{"from_a_future_version": {"kept": True}}] * 2
    assert [r.site for r in records] == ["", ""]  # older records lack it; read as empty
    assert _report_integrity(records, default_store_path()) == ["ok", "ok"]


def test_an_old_absolute_path_still_in_place_is_used_as_it_is(home, capsys):
    """Nothing moved: an absolute path that exists is read there, and verify is green."""
    _old_store(home)
    code, out = _verified(capsys)
    assert code == 0, out


def test_a_screenshot_gone_from_both_places_is_named_missing_at_its_recorded_path(
    home, tmp_path, monkeypatch, capsys
):
    """A file neither where it was recorded nor under the new folder is reported missing."""
    old = _old_store(home)
    new = _move(home, tmp_path, monkeypatch)
    recorded = old[1]["screenshots"][0]["path"]
    (new / Path(recorded).relative_to(home)).unlink()

    code, out = _verified(capsys)
    assert code == 1
    assert f"screenshot 01-before.png is missing ({recorded})" in out
