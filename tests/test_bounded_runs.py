"""A run ends in bounded time whatever a shared flow asks for: each step waits at most
`--timeout`, and the whole run at most `--run-timeout` (the wait for a sign-in by hand not
counted); past that it stops as timed out (exit 1), with a record that says so."""

from __future__ import annotations

import time

from optout_bot.evidence.store import EvidenceStore, default_store_path
from tests.conftest import ACCOUNT, AI_KEY, LINKEDIN_FLOW

GOTO_FEED = "    - goto: https://www.linkedin.com/feed/\n"


def _flow_waiting(tmp_path, waits: int):
    """The LinkedIn flow with `waits` optional two-minute waits for something never there."""
    wait = "    - wait_for: {css: '#never-there'}\n      optional: true\n      timeout: 120000\n"
    text = LINKEDIN_FLOW.read_text()
    assert GOTO_FEED in text
    slow = tmp_path / "slow.yaml"
    slow.write_text(text.replace(GOTO_FEED, GOTO_FEED + wait * waits, 1))
    return str(slow)


def test_a_flow_of_long_optional_waits_stops_at_the_runs_limit(linkedin, replica, tmp_path):
    """34 optional 120 s waits would take over an hour; the run stops after its 3 s limit,
    exit 1, timed out, nothing clicked, and the evidence record says so."""
    began = time.monotonic()
    result = linkedin(
        "run", "--yes", "--timeout", "2", "--run-timeout", "3", flow=_flow_waiting(tmp_path, 34)
    )
    took = time.monotonic() - began
    assert result.code == 1
    assert result.json["status"] == "timed_out"
    assert "longer than its limit of 3 s" in result.json["reason"]
    assert took < 30  # the limit and one step's timeout, plus start-up and the record
    assert replica.writes == []
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is True
    with EvidenceStore(default_store_path()) as store:
        assert store.records()[-1]["status"] == "timed_out"


def test_the_run_timeout_comes_from_the_settings_file(linkedin, home, tmp_path, monkeypatch):
    """`run_timeout = 3` in the settings file bounds a run given no --run-timeout."""
    settings = tmp_path / "config.toml"
    settings.write_text("run_timeout = 3\ntimeout = 2\n")
    monkeypatch.setenv("OPTOUT_BOT_CONFIG", str(settings))
    result = linkedin("verify", "--route", "menus", flow=_flow_waiting(tmp_path, 34))
    assert (result.code, result.json["status"]) == (1, "timed_out")


def test_a_normal_run_is_well_inside_the_default_limit(linkedin):
    """The default (300 s) leaves a run as it was."""
    assert linkedin("run", "--yes").code == 0
