"""Evidence end to end: real runs against the replica land in the hash-chained store, history
lists them, `evidence verify` catches tampering, the report renders offline, and a run killed
half-way leaves a readable store with every earlier record intact."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from optout_bot.evidence.store import EvidenceStore, default_store_path
from tests.conftest import ACCOUNT, AI_KEY, REPO


@pytest.fixture
def four_runs(linkedin, replica):
    """A run, a verify, a verify that finds drift, and a final verify (after a re-run)."""
    codes = [linkedin("run", "--yes").code, linkedin("verify").code]
    replica.set_setting(AI_KEY, True, account=ACCOUNT)  # LinkedIn flipped it back on
    codes.append(linkedin("verify").code)
    replica.set_setting(AI_KEY, False, account=ACCOUNT)
    codes.append(linkedin("verify").code)
    assert codes == [0, 0, 3, 0]
    return default_store_path()


@pytest.fixture
def one_run(linkedin):
    """A run that switches the setting off: one record, for what one record shows."""
    assert linkedin("run", "--yes").code == 0
    return default_store_path()


def test_history_lists_every_run_and_the_chain_verifies(four_runs, run_cli):
    """Four runs make four records in order; history shows them; evidence verify passes."""
    history = run_cli("history", "--json")
    records = json.loads(history.out)
    assert [(r["mode"], r["status"]) for r in records] == [
        ("run", "ok"),
        ("verify", "ok"),
        ("verify", "drift"),
        ("verify", "ok"),
    ]
    assert records[0]["switch"]["attributes"]["aria-labelledby"] == "allowDataForGenerativeAI"
    assert records[0]["switch"]["alternative"] == 0
    assert [s["name"] for s in records[0]["screenshots"]] == [
        "01-before.png",
        "02-after-change.png",
        "03-after-reload.png",
    ]
    table = run_cli("history")
    assert table.code == 0 and "drift" in table.out and "on -> on" in table.out
    verified = run_cli("evidence", "verify")
    assert verified.code == 0, verified.out
    assert "evidence OK: 4 records" in verified.out


def test_editing_one_byte_of_a_screenshot_is_caught_and_named(four_runs, run_cli):
    """One changed byte in a screenshot of record #3 fails verify, naming record #3."""
    with EvidenceStore(four_runs) as store:
        shot = Path(store.records()[2]["screenshots"][0]["path"])
    data = bytearray(shot.read_bytes())
    data[100] ^= 1
    shot.write_bytes(bytes(data))

    result = run_cli("evidence", "verify")
    assert result.code == 1
    assert "record #3" in result.out and shot.name in result.out


def test_editing_one_byte_of_a_record_is_caught_and_named(four_runs, run_cli):
    """One changed byte in record #2's record.json fails verify, naming record #2."""
    with EvidenceStore(four_runs) as store:
        folder = Path(store.records()[1]["evidence_dir"])
    record = folder / "record.json"
    record.write_text(record.read_text().replace('"verify"', '"verifx"', 1))

    result = run_cli("evidence", "verify")
    assert result.code == 1
    assert "record #2" in result.out


def test_the_page_after_the_reload_is_kept_as_one_file_hashed_like_a_screenshot(one_run, run_cli):
    """What the page said, beside what it looked like: each run keeps the setting's page after
    the reload as MHTML (private, in the record with its sha256); one changed byte in it
    fails verify, naming the record and the file."""
    with EvidenceStore(one_run) as store:
        [record] = store.read()
    [page] = record.pages
    folder = Path(record.evidence_dir)
    path = folder / page.name
    assert page.name == "page-after-reload.mhtml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("From: <Saved by Blink>") and "allowDataForGenerativeAI" in text
    assert path.stat().st_mode & 0o077 == 0
    path.write_text(text.replace("allowDataForGenerativeAI", "allowDataForGenerativeAJ", 1))

    result = run_cli("evidence", "verify")
    assert result.code == 1
    assert "record #1" in result.out and "page snapshot page-after-reload.mhtml was altered" in (
        result.out
    )


def test_the_report_renders_offline_with_every_screenshot(four_runs, run_cli, browser, tmp_path):
    """`report` writes one page that loads with no network and decodes every image."""
    out = tmp_path / "report.html"
    assert run_cli("report", "--out", str(out)).code == 0

    context = browser.new_context()
    requested: list[str] = []

    def offline(route) -> None:
        if route.request.url == out.as_uri():
            route.continue_()
        else:
            requested.append(route.request.url)
            route.abort()

    context.route("**/*", offline)
    page = context.new_page()
    page.goto(out.as_uri())
    images = page.locator("img")
    assert images.count() >= 2 + 2 + 2 + 3  # two verifies x2, drift x2, the run x3
    decoded = images.evaluate_all("imgs => imgs.every(i => i.complete && i.naturalWidth > 0)")
    assert decoded
    assert page.locator(".timeline-point").count() == 4
    assert [u for u in requested if not u.startswith("data:")] == []
    context.close()


def test_a_moved_data_folder_verifies_and_reports_its_screenshots(
    run_cli, replica, sign_in_profile, home, tmp_path, monkeypatch, browser
):
    """A real run with evidence in the data folder; the whole folder moved elsewhere:
    `evidence verify` stays green and the report still embeds every screenshot."""
    sign_in_profile()
    args = ["--headless", "--json", "--replica", f"127.0.0.1:{replica.port}", "--timeout", "10"]
    assert run_cli("run", "linkedin-ai-training", "--yes", *args).code == 0
    moved = tmp_path / "moved" / "optout-bot"
    moved.parent.mkdir()
    shutil.move(str(home), str(moved))
    monkeypatch.setenv("OPTOUT_BOT_HOME", str(moved))

    verified = run_cli("evidence", "verify")
    assert verified.code == 0, verified.out
    assert "1 record, chain intact, 3 screenshots and 1 page snapshot checked" in verified.out
    out = tmp_path / "report.html"
    assert run_cli("report", "--out", str(out)).code == 0
    html = out.read_text(encoding="utf-8")
    assert html.count('data-integrity="ok"') == 3
    assert 'data-integrity="missing"' not in html


@pytest.mark.parametrize("victim", ["optout-bot", "browser"])
def test_a_run_killed_half_way_leaves_the_store_readable(
    one_run, replica, home, tmp_path, run_cli, victim
):
    """SIGKILL of optout-bot or of its browser mid-flow: the earlier record stays intact, the
    killed run is recorded (interrupted or error), and the store verifies."""
    replica.scenario.late_switch_ms = 60_000  # the run sits waiting for the switch
    proc = subprocess.Popen(
        [sys.executable, "-m", "optout_bot", "verify", "linkedin-ai-training", "--headless",
         "--json", "--timeout", "90", "--replica", f"127.0.0.1:{replica.port}",
         "--evidence-dir", str(tmp_path / "ev")],
        cwd=REPO, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert proc.stderr is not None
        for line in proc.stderr:  # wait until the run is on the setting page
            if "[1/1]" in line:  # verify opens the setting's page directly
                break
        if victim == "optout-bot":
            proc.send_signal(signal.SIGKILL)
        else:
            for pid in _chromium_children(proc.pid):
                os.kill(pid, signal.SIGKILL)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()

    history = json.loads(run_cli("history", "--json").out)  # opening recovers a killed run
    assert [r["status"] for r in history] == [
        "ok",
        "interrupted" if victim == "optout-bot" else "error",
    ]
    assert history[1]["flow"]["id"] == "linkedin-ai-training"
    verified = run_cli("evidence", "verify")
    assert verified.code == 0, verified.out
    with sqlite3.connect(one_run) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _chromium_children(root: int) -> list[int]:
    """Every Chromium process below `root` (Playwright's driver starts the browser)."""
    found: list[int] = []
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            todo.append(child)
            try:
                if "chrom" in Path(f"/proc/{child}/comm").read_text():
                    found.append(child)
            except OSError:
                pass
    assert found, "no browser process found under optout-bot"
    return found
