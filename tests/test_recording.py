"""`optout-bot record`: a person clicks their way to the switch once, and the flow is written.

The person is played by the test: it clicks through a second DevTools connection to the same
browser while `optout-bot record` (its own process) watches, as someone at the window would.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.conftest import ACCOUNT, AI_KEY
from tests.test_sessions import _devtools_port, start_debuggable
from tests.test_variants import use_variant

FEED = "https://www.linkedin.com/feed/"


@dataclass
class Browser:
    """The person's browser, debugging allowed on `port`, signed in to the replica."""

    proc: subprocess.Popen[str]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def browser(chromium_path: str, replica, tmp_path: Path, playwright) -> Iterator[Browser]:
    proc = start_debuggable(chromium_path, tmp_path / "person", replica)
    try:
        port = _devtools_port(proc)
        cdp = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
        cdp.contexts[0].add_cookies([replica.sign_in_cookie(ACCOUNT)])
        cdp.close()
        yield Browser(proc, port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


@dataclass
class Recorder:
    """`optout-bot record` running in its own process, its output read as it comes."""

    proc: subprocess.Popen[str]
    lines: queue.Queue[str | None]
    seen: list[str]

    def wait_for(self, text: str, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while not any(text in line for line in self.seen):
            left = deadline - time.monotonic()
            assert left > 0 and self.proc.poll() is None, (
                f"no {text!r} from record: {''.join(self.seen)}"
            )
            try:
                line = self.lines.get(timeout=min(left, 1))
            except queue.Empty:
                continue
            if line is not None:
                self.seen.append(line)

    def finish(self, timeout_s: float = 60) -> tuple[int, str]:
        try:
            code = self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=20)
            raise AssertionError(f"record did not end: {''.join(self.seen)}") from None
        # The reader thread hands over the last lines, then the end of the stream.
        while (line := self.lines.get(timeout=10)) is not None:
            self.seen.append(line)
        return code, "".join(self.seen)


@pytest.fixture
def start_recording(
    browser: Browser, tmp_path: Path, chromium_path: str
) -> Iterator[Callable[..., Recorder]]:
    started: list[Recorder] = []

    def start(*extra: str, url: str = FEED) -> Recorder:
        env = {**os.environ, "OPTOUT_BOT_HOME": str(tmp_path / "data"),
               "OPTOUT_BOT_CONFIG": str(tmp_path / "config.toml"),
               "OPTOUT_BOT_BROWSER": chromium_path}  # fmt: skip
        proc = subprocess.Popen(
            [sys.executable, "-m", "optout_bot", "record", url, "--cdp", browser.url, *extra],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        lines: queue.Queue[str | None] = queue.Queue()
        assert proc.stdout is not None
        stream = proc.stdout

        def read() -> None:
            for line in stream:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=read, daemon=True).start()
        recorder = Recorder(proc, lines, [])
        started.append(recorder)
        return recorder

    yield start
    for recorder in started:
        if recorder.proc.poll() is None:
            recorder.proc.kill()
            recorder.proc.wait(timeout=20)


def person_at(playwright, browser: Browser, url_part: str):
    """The person's view of the recorder's window: a second connection to the browser (the
    recorder says it is recording once its window shows the start page)."""
    cdp = playwright.chromium.connect_over_cdp(browser.url)
    pages = [p for c in cdp.contexts for p in c.pages if url_part in p.url]
    assert pages, [p.url for c in cdp.contexts for p in c.pages]
    return cdp, pages[0]


def test_a_flow_recorded_by_clicking_switches_it_off_on_the_replica_and_its_redesign(
    start_recording, playwright, browser, replica, tmp_path: Path, run_cli, sign_in_profile
):
    """Clicks through the menus to the switch, recorded; the switch click is held back (the
    setting stays on, nothing is saved); the flow then switches it off, on the replica and on
    its redesign with renamed classes and reordered menus."""
    out = tmp_path / "recorded.yaml"
    recorder = start_recording("--out", str(out), "--id", "my-linkedin", "--timeout", "10")
    recorder.wait_for("Recording in the browser window")

    cdp, page = person_at(playwright, browser, "/feed")
    page.get_by_role("button", name="Me").click()
    page.get_by_role("link", name="Settings & Privacy").click()
    page.get_by_role("link", name="Data privacy", exact=True).click()
    page.get_by_role("link", name="Data for Generative AI Improvement").click()
    page.get_by_role("switch").click()
    code, output = recorder.finish()
    cdp.close()

    assert code == 0, output
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is True
    assert replica.writes == []
    data = yaml.safe_load(out.read_text())
    steps = data["navigate"]["desktop"]
    assert [s.get("title") for s in steps] == [
        "Open www.linkedin.com/feed/",
        'Open the "Me" menu',
        'Open "Settings & Privacy"',
        'Open "Data privacy"',
        'Open "Data for Generative AI Improvement"',
        "Check that the setting's page opened",
    ]
    # Hooks the same in every language first: the links' paths, the switch's labelledby.
    assert steps[2]["click"][0] == {"css": 'a[href$="/mypreferences/d/categories/account"]'}
    assert data["switch"]["target"][0]["css"].endswith(
        '[aria-labelledby="allowDataForGenerativeAI"]'
    )
    assert data["switch"]["wanted"] == "off"
    assert data["setting_url"]["desktop"].endswith("/settings/data-for-ai-improvement")
    # The Me button's name holds the member's name (their photo's alt text): never kept.
    assert "Jane Doe" not in out.read_text()
    assert data["site"] == "LinkedIn" and data["setting"] == "Data for Generative AI Improvement"
    assert "the plan. Nothing is opened." in output

    sign_in_profile()

    def run() -> dict:
        result = _run(run_cli, replica, tmp_path, out)
        assert result.code == 0, result.json["reason"]
        return result.json

    first = run()
    assert (first["state_before"], first["state_after"]) == ("on", "off")
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False

    replica.set_setting(AI_KEY, True, account=ACCOUNT)
    use_variant(replica, {"renamed_classes": True, "reordered_menus": True})
    again = run()
    assert (again["state_before"], again["state_after"]) == ("on", "off")
    assert again["route"] == "navigation"


def _run(run_cli, replica, tmp_path: Path, flow: Path, *extra: str):
    return run_cli(
        "run", str(flow), "--yes", "--headless", "--json", "--route", "menus",
        "--replica", f"127.0.0.1:{replica.port}",
        "--evidence-dir", str(tmp_path / "evidence"), "--timeout", "10", *extra,
    )  # fmt: skip


def test_recording_on_mobile_uses_the_phone_pages_and_the_flow_runs_there(
    start_recording, playwright, browser, replica, tmp_path: Path, run_cli, sign_in_profile
):
    """--platform mobile records in the phone's emulation: the drawer, the /m/ pages, a flow
    for mobile only, which switches the setting off as a phone would."""
    out = tmp_path / "phone.yaml"
    recorder = start_recording("--out", str(out), "--platform", "mobile", "--wanted", "off")
    recorder.wait_for("Recording in the browser window")

    cdp, page = person_at(playwright, browser, "/feed")
    assert page.evaluate("() => navigator.maxTouchPoints > 0 && innerWidth < 500")
    page.get_by_role("button", name="Open navigation menu").click()
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_role("link", name="Data privacy", exact=True).click()
    page.get_by_role("link", name="Data for Generative AI Improvement").click()
    page.get_by_role("switch").click()
    code, output = recorder.finish()
    cdp.close()

    assert code == 0, output
    assert replica.writes == []
    data = yaml.safe_load(out.read_text())
    assert data["platforms"] == ["mobile"]
    assert data["setting_url"]["mobile"].endswith(
        "/mypreferences/m/settings/data-for-ai-improvement"
    )
    assert data["navigate"]["mobile"][2]["click"][0] == {"css": 'a[href$="/mypreferences/m/home"]'}

    sign_in_profile()
    result = _run(run_cli, replica, tmp_path, out, "--platform", "mobile")
    assert result.code == 0, result.json["reason"]
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False


def test_a_pop_up_closed_while_recording_becomes_an_overlay_and_space_on_the_switch_is_held(
    start_recording, playwright, browser, replica, tmp_path: Path, run_cli, sign_in_profile
):
    """The promotion the person closed is the flow's overlay (found again and closed on the
    next run); the switch chosen with the keyboard (Space) is not toggled either."""
    use_variant(replica, {"promo_at": "feed", "promo_delay_ms": 0})
    out = tmp_path / "promo.yaml"
    recorder = start_recording("--out", str(out))
    recorder.wait_for("Recording in the browser window")

    cdp, page = person_at(playwright, browser, "/feed")
    page.get_by_role("dialog").get_by_role("button", name="Dismiss").click()
    page.get_by_role("button", name="Me").click()
    page.get_by_role("link", name="Settings & Privacy").click()
    page.get_by_role("link", name="Data privacy", exact=True).click()
    page.get_by_role("link", name="Data for Generative AI Improvement").click()
    page.get_by_role("switch").focus()
    page.keyboard.press("Space")
    code, output = recorder.finish()
    cdp.close()

    assert code == 0, output
    # Read by the recorder after the key press: still on, and nothing was saved.
    assert "the switch is on; the flow keeps it off" in output
    assert replica.writes == []
    data = yaml.safe_load(out.read_text())
    [overlay] = data["overlays"]
    assert overlay["appears"][0] == {"css": 'div[role="dialog"][aria-labelledby="promo-title"]'}
    # The close button is looked for inside the pop-up only.
    assert overlay["dismiss"] == [
        {"role": "button", "name": "Dismiss"},
        {"css": '[role="dialog"] button[aria-label="Dismiss"]'},
    ]
    assert "Dismiss" not in [s.get("title", "") for s in data["navigate"]["desktop"]]

    sign_in_profile()
    result = _run(run_cli, replica, tmp_path, out)
    assert result.code == 0, result.json["reason"]
    assert "dismissing a pop-up" in result.err


def test_closing_the_window_before_a_switch_writes_nothing(
    start_recording, playwright, browser, tmp_path: Path
):
    """No switch clicked: exit 1, saying so, and no file."""
    out = tmp_path / "never.yaml"
    recorder = start_recording("--out", str(out))
    recorder.wait_for("Recording in the browser window")
    cdp, page = person_at(playwright, browser, "/feed")
    page.get_by_role("button", name="Me").click()
    page.close()
    code, output = recorder.finish()
    cdp.close()

    assert code == 1, output
    assert "the window was closed before a switch was clicked; nothing was written" in output
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["http://www.linkedin.com/"], "flows open https:// pages only"),
        (["https://www.linkedin.com/", "--out", "EXISTS"], "exists; choose another --out"),
    ],
)
def test_bad_usage_is_exit_2_before_any_browser_opens(run_cli, tmp_path: Path, args, says):
    existing = tmp_path / "mine.yaml"
    existing.write_text("# my own flow\n")
    args = [str(existing) if a == "EXISTS" else a for a in args]
    result = run_cli("record", *args, "--cdp", "http://127.0.0.1:9")
    assert result.code == 2
    assert says in result.err
    assert existing.read_text() == "# my own flow\n"


def test_on_the_kept_profile_a_recording_whose_time_runs_out_writes_nothing(
    run_cli, replica, sign_in_profile, tmp_path: Path
):
    """The kept profile's own window is watched the same way; nobody clicks a switch before
    --max-minutes: exit 1, saying so, nothing written."""
    sign_in_profile()
    out = tmp_path / "late.yaml"
    result = run_cli(
        "record", FEED, "--headless", "--out", str(out), "--max-minutes", "0.02",
        "--replica", f"127.0.0.1:{replica.port}",
    )  # fmt: skip
    assert result.code == 1, result.err
    assert "Recording in the browser window" in result.err
    assert "the recording's time ran out before a switch was clicked" in result.err
    assert not out.exists()


def test_a_click_a_run_would_refuse_is_left_out_and_a_close_button_is_an_overlay():
    """What the guard never does (sign out, delete, pay) is not written as a step; a pop-up's
    close button (named as one, or nameless) is an overlay, any other click in it a step."""
    from optout_bot.authoring.recording import Click, Recording

    def click(name: str, role: str = "button", dialog: bool = False) -> Click:
        box = {"alternatives": [{"css": "#promo"}], "role": "dialog", "name": "Premium"}
        return Click(
            [{"css": f"#{role}"}], role, name, "button", FEED, dialog=box if dialog else None
        )

    assert "sign out" in click("Sign out").refusal().lower()
    assert click("Delete account", role="link").refusal()
    assert click("Data privacy", role="link").refusal() == ""
    recording = Recording(FEED, "desktop")
    recording.clicks = [click("Dismiss", dialog=True), click("", dialog=True),
                        click("Try it", dialog=True), click("Me")]  # fmt: skip
    assert [c.name for c in recording.steps()] == ["Try it", "Me"]
    assert [o["dismiss"] for o in recording.overlays()] == [[{"css": "#button"}]]
