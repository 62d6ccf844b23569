"""The fault suite: every way a browser, a network or a person can fail ends with its
documented exit code, a one-line reason (no traceback), the user's own browser still running
when attached with --cdp, and a readable evidence store that recorded the failure and kept
every earlier record."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from optout_bot.evidence.store import EvidenceStore, default_store_path
from tests.conftest import REPO
from tests.test_sessions import users_browser  # noqa: F401 - the fixture


def _store_ok(run_cli, records: int) -> list[dict]:
    """The store verifies and holds `records` records; returns them."""
    verified = run_cli("evidence", "verify")
    assert verified.code == 0, verified.out
    with EvidenceStore(default_store_path()) as store:
        bodies = store.records()
    assert len(bodies) == records
    return bodies


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text, text


def _cli_process(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "optout_bot", *args],
        cwd=REPO, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _wait_for_line(proc: subprocess.Popen[str], marker: str) -> str:
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError(f"never saw {marker!r}: {''.join(seen)}")


def test_every_page_answering_500_is_a_broken_flow_with_the_status(linkedin, replica, run_cli):
    """An outage (HTTP 500 everywhere) ends with exit 1, saying the page answered 500."""
    assert linkedin("verify").code == 3  # an earlier record
    replica.scenario.outage_status = 500

    result = linkedin("verify", "--timeout", "2")

    assert result.code == 1
    assert "HTTP 500" in result.json["reason"]
    _no_traceback(result.err)
    bodies = _store_ok(run_cli, 2)
    assert bodies[-1]["status"] == "flow_broken"


def test_a_step_that_times_out_is_exit_1_with_the_step_named(linkedin, replica, run_cli):
    """A page too slow for the step timeout: exit 1, naming the step that waited."""
    replica.scenario.slow_ms = 3000
    result = linkedin("verify", "--timeout", "1")
    assert result.code == 1
    assert "step 1/6" in result.json["reason"] or "step 2/6" in result.json["reason"]
    _no_traceback(result.err)
    assert _store_ok(run_cli, 1)[0]["status"] == "flow_broken"


def test_the_network_going_away_mid_run_is_exit_1(linkedin, replica, run_cli, tmp_path):
    """The site stops answering half-way (the replica is shut down): exit 1, one line."""
    assert linkedin("verify").code == 3
    proc = _cli_process(
        "verify", "linkedin-ai-training", "--headless", "--json", "--timeout", "3",
        "--route", "menus", "--replica", f"127.0.0.1:{replica.port}",
        "--evidence-dir", str(tmp_path / "ev"),
    )  # fmt: skip
    try:
        _wait_for_line(proc, "[2/6]")
        replica.stop()
        out, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, err
    assert json.loads(out)["status"] in ("flow_broken", "error")
    _no_traceback(err)
    assert _store_ok(run_cli, 2)[-1]["status"] in ("flow_broken", "error")


def test_the_cdp_endpoint_going_away_is_exit_1(replica, users_browser, run_cli, home, tmp_path):  # noqa: F811
    """The attached browser disappears mid-run: exit 1, a one-line reason, store intact."""
    replica.scenario.late_switch_ms = 60_000
    proc = _cli_process(
        "verify", "linkedin-ai-training", "--json", "--cdp", users_browser.url,
        "--timeout", "60", "--evidence-dir", str(tmp_path / "ev"),
    )  # fmt: skip
    try:
        _wait_for_line(proc, "[1/1]")  # verify opens the setting's page directly
        users_browser.proc.kill()
        out, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, err
    reason = json.loads(out)["reason"]
    assert "\n" not in reason
    _no_traceback(err)
    assert _store_ok(run_cli, 1)[0]["status"] in ("error", "flow_broken")


def test_a_failed_run_over_cdp_leaves_the_users_browser_running(
    replica,
    users_browser,  # noqa: F811
    run_cli,
    tmp_path,
):
    """Even when the flow breaks, attaching never closes the user's browser or tabs."""
    before = users_browser.tabs()
    replica.scenario.outage_status = 503
    result = run_cli("verify", "linkedin-ai-training", "--json", "--cdp", users_browser.url,
                     "--timeout", "2", "--evidence-dir", str(tmp_path / "ev"))  # fmt: skip
    assert result.code == 1
    assert users_browser.proc.poll() is None
    assert users_browser.tabs() == before


def test_an_unwritable_evidence_folder_stops_before_any_browser(
    linkedin, replica, run_cli, tmp_path
):
    """Evidence that cannot be saved means nothing is done: exit 1, the folder named."""
    assert linkedin("verify").code == 3
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")

    result = linkedin("run", "--yes", "--evidence-dir", str(blocker / "evidence"))

    assert result.code == 1
    assert "cannot write evidence" in result.json["reason"]
    assert replica.writes == []
    _no_traceback(result.err)
    assert len(_store_ok(run_cli, 1)) == 1


@pytest.mark.parametrize("kind", ["interrupt"])
def test_ctrl_c_is_recorded_as_interrupted(linkedin, replica, run_cli, tmp_path, kind):
    """SIGINT mid-run: exit 130, and the evidence store holds an 'interrupted' record."""
    import signal

    replica.scenario.slow_ms = 2000
    proc = _cli_process(
        "verify", "linkedin-ai-training", "--headless", "--json", "--replica",
        f"127.0.0.1:{replica.port}", "--evidence-dir", str(tmp_path / "ev"),
    )  # fmt: skip
    try:
        _wait_for_line(proc, "[1/1]")
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    _no_traceback(err)
    assert _store_ok(run_cli, 1)[0]["status"] == "interrupted"


def _failing_driver():
    import contextlib

    @contextlib.contextmanager
    def start():
        raise RuntimeError("Playwright's driver would not start")
        yield  # pragma: no cover

    return start()


def test_a_driver_that_will_not_start_is_exit_1_and_recorded(
    linkedin, replica, run_cli, monkeypatch
):
    """The evidence record is begun while Playwright starts; when it cannot, the record says
    why, and no browser was touched."""
    from optout_bot.app import browsing

    assert linkedin("verify").code == 3
    monkeypatch.setattr(browsing, "playwright_factory", _failing_driver)

    result = linkedin("verify")

    assert result.code == 1
    assert "driver would not start" in result.json["reason"]
    _no_traceback(result.err)
    records = _store_ok(run_cli, 2)
    assert records[-1]["status"] == "error"
    assert "driver would not start" in records[-1]["reason"]


def test_a_bad_flow_is_reported_even_when_the_driver_fails_too(run_cli, monkeypatch, tmp_path):
    """Both go wrong at once: the flow file is what the member can fix, so that is the error."""
    from optout_bot.app import browsing

    monkeypatch.setattr(browsing, "playwright_factory", _failing_driver)
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversion: 1\nnavigate: {desktop: [{clik: a}]}\n")

    result = run_cli("verify", str(bad), "--json")

    assert result.code == 2
    assert "not a valid flow" in result.json["reason"]
    _no_traceback(result.err)
