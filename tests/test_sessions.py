"""The user's own browser: attaching over CDP, and the kept profile's first sign-in and lock."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

from optout_bot.engine.session import QUIET_ARGS
from tests.conftest import ACCOUNT, AI_KEY, REPO, have_xvfb


class UsersBrowser:
    """A Chromium the "user" started with --remote-debugging-port, signed in to the replica."""

    def __init__(self, proc: subprocess.Popen[str], port: int) -> None:
        self.proc = proc
        self.url = f"http://127.0.0.1:{port}"

    def tabs(self) -> list[str]:
        with urllib.request.urlopen(f"{self.url}/json/list", timeout=10) as resp:
            return [t["url"] for t in json.load(resp) if t["type"] == "page"]


def _devtools_port(proc: subprocess.Popen[str], timeout_s: float = 30) -> int:
    """Read 'DevTools listening on ws://127.0.0.1:PORT/...' from the browser's stderr."""
    found: list[int] = []
    done = threading.Event()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            match = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if match:
                found.append(int(match.group(1)))
                done.set()
                return
        done.set()

    threading.Thread(target=read, daemon=True).start()
    assert done.wait(timeout_s) and found, "the browser did not open a DevTools port"
    return found[0]


def start_debuggable(chromium_path: str, data: Path, replica) -> subprocess.Popen[str]:
    """A headless Chromium on `data` that allows debugging (on a port it chooses, read with
    `_devtools_port`), sending the sites to `replica`: the person's own browser in tests."""
    args = [
        chromium_path, "--headless", f"--user-data-dir={data}", "--remote-debugging-port=0",
        *QUIET_ARGS, *replica.chromium_args(),
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    return subprocess.Popen([*args, "about:blank"], stderr=subprocess.PIPE, text=True)


@pytest.fixture
def users_browser(chromium_path, replica, tmp_path, playwright) -> Iterator[UsersBrowser]:
    proc = start_debuggable(chromium_path, tmp_path / "users-profile", replica)
    try:
        browser = UsersBrowser(proc, _devtools_port(proc))
        # The user is signed in and has a tab of their own open.
        cdp = playwright.chromium.connect_over_cdp(browser.url)
        cdp.contexts[0].add_cookies([replica.sign_in_cookie(ACCOUNT)])
        cdp.contexts[0].pages[0].goto("https://www.linkedin.com/feed/")
        cdp.close()  # disconnects; the browser keeps running
        yield browser
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.parametrize("platform", ["desktop", "mobile"])
def test_cdp_attach_works_in_a_new_tab_and_leaves_the_users_browser_as_it_was(
    run_cli, replica, users_browser, tmp_path, platform
):
    """--cdp opts out in the user's signed-in browser and leaves it and its tabs open."""
    before = users_browser.tabs()

    result = run_cli(
        "run",
        "linkedin-ai-training",
        "--yes",
        "--json",
        "--cdp",
        users_browser.url,
        "--platform",
        platform,
        "--evidence-dir",
        str(tmp_path / "ev"),
    )

    assert result.code == 0, result.out
    assert result.json["session"] == "cdp"
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False
    assert users_browser.proc.poll() is None, "the user's browser must keep running"
    assert users_browser.tabs() == before
    if platform == "mobile":
        assert "/mypreferences/m/" in result.json["final_url"]


def test_cdp_to_nothing_is_a_clear_error(run_cli, tmp_path):
    """--cdp to a port where no browser listens ends with exit 1 and the fix."""
    result = run_cli(
        "verify",
        "linkedin-ai-training",
        "--json",
        "--cdp",
        "http://127.0.0.1:9",
        "--timeout",
        "3",
        "--evidence-dir",
        str(tmp_path),
    )
    assert result.code == 1
    assert "--remote-debugging-port" in result.json["reason"]


def test_logged_out_over_cdp_is_exit_4(run_cli, replica, playwright, chromium_path, tmp_path):
    """Attached to a browser that is not signed in: exit 4, told to sign in in the browser."""
    proc = subprocess.Popen(
        [
            chromium_path,
            "--headless",
            f"--user-data-dir={tmp_path / 'p'}",
            "--remote-debugging-port=0",
            "--no-sandbox",
            *QUIET_ARGS,
            *replica.chromium_args(),
            "about:blank",  # a window to work in, as a person's browser has
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{_devtools_port(proc)}"
        result = run_cli(
            "run",
            "linkedin-ai-training",
            "--yes",
            "--json",
            "--cdp",
            url,
            "--evidence-dir",
            str(tmp_path / "ev"),
        )
        assert result.code == 4
        assert "sign in in your browser" in result.json["reason"]
        assert replica.writes == []
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_a_second_run_on_a_busy_profile_gets_a_clear_message(linkedin, home):
    """While one run holds the profile, another is refused without touching the profile."""
    lock = FileLock(str(home / "profiles" / "default.lock"))
    with lock.acquire(timeout=5):
        result = linkedin("verify")
    assert result.code == 1
    assert "in use by another optout-bot run" in result.json["reason"]


@pytest.fixture
def display(tmp_path) -> Iterator[str]:
    """A virtual screen (Xvfb) for the one test that needs a real window."""
    if not have_xvfb():
        pytest.skip("Xvfb is not installed (./dev test installs it)")
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        number = proc.stdout.readline().strip()
        assert number.isdigit(), "Xvfb did not report a display"
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_first_use_waits_for_the_member_to_sign_in_by_hand(replica, home, display, tmp_path):
    """A new profile opens a window at the login page, waits while the member signs in (here:
    approves on their phone), then continues to exit 0 -- no password ever passes through."""
    env = {**os.environ, "DISPLAY": display, "OPTOUT_BOT_HOME": str(home)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "optout_bot",
            "run",
            "linkedin-ai-training",
            "--yes",
            "--json",
            "--replica",
            f"127.0.0.1:{replica.port}",
            "--login-timeout",
            "60",
            "--evidence-dir",
            str(tmp_path / "ev"),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        approved = replica.approve_pending_logins(ACCOUNT, wait=60)
        assert approved >= 1, "the login page never opened"
        out, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Sign in to LinkedIn in the browser window" in err
    assert json.loads(out)["status"] == "ok"
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False
    assert (home / "profiles" / "default").is_dir()


def test_no_display_and_no_headless_is_a_usage_error(run_cli, monkeypatch, tmp_path):
    """On Linux without a display, a visible window cannot open: exit 2 with the way out."""
    if not sys.platform.startswith("linux"):
        pytest.skip("display detection is for Linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    result = run_cli("verify", "linkedin-ai-training", "--json", "--evidence-dir", str(tmp_path))
    assert result.code == 2
    assert "--headless" in result.json["reason"] and "--cdp" in result.json["reason"]


def test_profile_folders_are_private(linkedin, home):
    """The kept profile holds a signed-in session: its folder is the user's alone."""
    linkedin("verify")
    if os.name == "posix":
        assert (Path(home) / "profiles").stat().st_mode & 0o777 == 0o700


def test_several_flows_in_the_users_browser_leave_its_tabs_as_they_were(
    run_cli, replica, users_browser, tmp_path
):
    """Three settings in one run over --cdp: each works in a tab of its own, and every tab
    the run opened is closed at the end, not only the last one."""
    before = users_browser.tabs()

    result = run_cli(
        "verify", "linkedin-ai-training", "linkedin-research", "linkedin-ads-age",
        "--json", "--cdp", users_browser.url, "--evidence-dir", str(tmp_path / "ev"),
    )  # fmt: skip

    assert [r["session"] for r in result.json["results"]] == ["cdp"] * 3, result.out
    assert users_browser.tabs() == before


def test_flows_of_one_run_on_the_kept_profile_each_get_a_window(
    playwright, chromium_path, replica, home
):
    """Asked for at the same moment (as the flows of one run ask), each page is a window of
    its own: Chromium draws only the tab in front of a window, and a flow in a tab behind
    another waited on every click and screenshot. The address bar's pop-up pages, which kept
    a renderer busy, are not made."""
    from optout_bot.app.together import run_together
    from optout_bot.engine.browsers import BrowserChoice
    from optout_bot.engine.session import ProfileSession, SessionOptions

    options = SessionOptions(
        headless=True,
        browser=BrowserChoice(chromium_path, "test"),
        extra_args=replica.chromium_args(),
        ignore_https_errors=True,
    )
    with ProfileSession(playwright, "default", options) as session:
        pages = run_together(playwright, [session.new_page] * 3)
        devtools = [session.context.new_cdp_session(page) for page in pages]
        windows = {d.send("Browser.getWindowForTarget")["windowId"] for d in devtools}
        targets = devtools[0].send("Target.getTargets")["targetInfos"]

    assert len({id(page) for page in pages}) == 3
    assert len(windows) == 3
    assert [t["url"] for t in targets if "omnibox" in t["url"]] == []


def test_playwrights_own_disabled_features_are_kept_beside_ours():
    """Chromium keeps only the last --disable-features: the one optout-bot adds repeats
    Playwright's list (read from its driver), then turns off the address bar's pop-ups."""
    from optout_bot.engine.features import (
        QUIET_FEATURES,
        playwright_disabled_features,
        quiet_features_args,
    )

    theirs = playwright_disabled_features()
    (arg,) = quiet_features_args()
    names = arg.removeprefix("--disable-features=").split(",")

    assert theirs, "Playwright's list of disabled features was not found in its driver"
    assert names == [*theirs, *QUIET_FEATURES]


def test_without_playwrights_list_no_features_are_touched(monkeypatch):
    """When Playwright's list cannot be read, nothing is added: the browser keeps every
    feature Playwright turns off (slower with several windows, nothing missing)."""
    from optout_bot.engine import features

    monkeypatch.setattr(features, "_SOURCES", ("no/such/file.js",))
    features.playwright_disabled_features.cache_clear()
    try:
        assert features.quiet_features_args() == []
    finally:
        features.playwright_disabled_features.cache_clear()


def test_first_use_of_two_sites_signs_in_one_at_a_time(replica, home, display, tmp_path):
    """A new profile, two sites signed out: LinkedIn's sign-in page opens first and ChatGPT's
    only after it (never two at once), though ChatGPT found itself signed out while the
    member was still signing in to LinkedIn. The member signs in to LinkedIn (approves on
    their phone) and leaves ChatGPT signed out: ChatGPT alone ends as "login needed" (exit 4,
    nothing clicked), LinkedIn's setting is read and proved as usual."""
    replica.set_setting(AI_KEY, False, account=ACCOUNT)
    chatgpt = replica.site("chatgpt")
    env = {**os.environ, "DISPLAY": display, "OPTOUT_BOT_HOME": str(home)}
    command = [
        sys.executable, "-m", "optout_bot", "verify", "linkedin-ai-training",
        "chatgpt-model-training", "--json", "--replica", f"127.0.0.1:{replica.port}",
        "--login-timeout", "10", "--timeout", "3", "--evidence-dir", str(tmp_path / "ev"),
    ]  # fmt: skip
    proc = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=(tmp_path / "out.json").open("w"),
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    chatgpt_signed_out = threading.Event()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if "the page shows it is signed out" in line:
                chatgpt_signed_out.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert chatgpt_signed_out.wait(60), "ChatGPT never showed it was signed out"
        assert replica.approve_pending_logins(ACCOUNT, wait=60) >= 1, "no LinkedIn sign-in"
        proc.wait(timeout=120)
        reader.join(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()

    err = "".join(lines)
    assert proc.returncode == 4, err
    results = json.loads((tmp_path / "out.json").read_text())["results"]
    assert [(r["flow"], r["status"]) for r in results] == [
        ("linkedin-ai-training", "ok"),
        ("chatgpt-model-training", "login_required"),
    ]
    assert "gave up waiting for the sign-in to ChatGPT after 10 s" in results[1]["reason"]
    # ChatGPT's turn came when LinkedIn's sign-in was done, not when it found itself signed out.
    linkedin_done = err.index("signed in; continuing")
    assert err.index("the page shows it is signed out") < linkedin_done
    assert err.index("Sign in to ChatGPT") > linkedin_done > err.index("Sign in to LinkedIn")
    assert ("GET", "/auth/login") in chatgpt.requests
    assert chatgpt.writes == []


@pytest.mark.parametrize(
    ("site", "flow"),
    [("linkedin", "linkedin-ai-training"), ("chatgpt", "chatgpt-model-training"),
     ("x", "x-grok-training")],
)  # fmt: skip
def test_an_expired_session_is_login_needed_though_its_cookies_are_kept(
    flow_cli, replica, site, flow
):
    """The browser still holds the site's cookies, but the site has ended the session and
    shows itself signed out: judged by what the page shows, the run is "login needed"
    (exit 4), and nothing was clicked."""
    signed_in = flow_cli(flow)
    replica.expire_sessions(site)

    result = signed_in("run", "--yes", "--timeout", "5")

    assert result.code == 4, result.json["reason"]
    assert result.json["status"] == "login_required"
    writes = replica.writes if site == "linkedin" else replica.site(site).writes
    assert writes == []
