"""Finding a browser: the override first, then Playwright's Chromium, then installed ones."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from optout_bot.engine.browsers import ENV_BROWSER, BrowserNotFound, find_browser


def _exe(path: Path) -> str:
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_browser_path_beats_everything(tmp_path):
    """--browser-path wins over the environment variable and installed browsers."""
    mine, env = _exe(tmp_path / "mine"), _exe(tmp_path / "env")
    choice = find_browser(mine, None, env={ENV_BROWSER: env}, candidates=[env])
    assert (choice.path, choice.source) == (mine, "--browser-path")


def test_environment_variable_beats_discovery(tmp_path):
    """$OPTOUT_BOT_BROWSER is used when no --browser-path is given."""
    env, pw = _exe(tmp_path / "env"), _exe(tmp_path / "pw")
    assert find_browser(None, pw, env={ENV_BROWSER: env}, candidates=[]).path == env


def test_playwrights_own_chromium_comes_before_installed_browsers(tmp_path):
    """With no override, Playwright's Chromium is preferred when it is installed."""
    pw, chrome = _exe(tmp_path / "pw"), _exe(tmp_path / "chrome")
    choice = find_browser(None, pw, env={}, candidates=[chrome])
    assert choice.source == "Playwright's Chromium"


def test_an_installed_browser_is_found_when_playwright_has_none(tmp_path):
    """A missing Playwright download falls through to the first installed candidate."""
    chrome = _exe(tmp_path / "chrome")
    missing = str(tmp_path / "nope")
    assert find_browser(None, missing, env={}, candidates=[missing, chrome]).path == chrome


def test_no_browser_says_what_to_do(tmp_path):
    """With nothing found, the error names the three ways to fix it."""
    with pytest.raises(BrowserNotFound) as info:
        find_browser(None, None, env={}, candidates=[str(tmp_path / "nope")])
    message = str(info.value)
    assert "playwright install chromium" in message
    assert "--browser-path" in message and ENV_BROWSER in message


@pytest.mark.skipif(os.name != "posix", reason="executable bit is POSIX")
def test_a_bad_override_is_reported_not_silently_skipped(tmp_path):
    """An override that is not an executable file is an error, not a silent fallback."""
    not_exe = tmp_path / "plain"
    not_exe.write_text("")
    with pytest.raises(BrowserNotFound, match="--browser-path points at"):
        find_browser(str(not_exe), None, env={}, candidates=[])
