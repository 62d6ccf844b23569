"""Alerts: what each status says, when to alert, and real delivery over HTTP with Apprise."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from optout_bot.evidence.record import FlowRef, Record
from optout_bot.unattended import alerts
from optout_bot.unattended.alerts import compose, desktop_command, notify, record_of, should_alert

EVIDENCE = (
    "/home/me/.local/share/optout-bot/evidence/linkedin-ai-training/20261122T140005Z-desktop-verify"
)
SETTING = "Data for Generative AI Improvement"
#: The run's evidence record: it names the site and the setting.
RECORD = Record(
    started_at="2026-11-22T14:00:05.000001Z",
    flow=FlowRef("linkedin-ai-training", "1.0.0"),
    site="LinkedIn",
    setting=SETTING,
    mode="verify",
    platform="desktop",
)


def compose_run(run: dict) -> tuple[str, str]:
    """compose() for a LinkedIn run whose evidence record names the site and setting."""
    return compose(run, record=RECORD)


def result(status: str, **changes: object) -> dict:
    """A `--json` result of a scheduled verify of the LinkedIn flow."""
    base: dict = {
        "flow": "linkedin-ai-training",
        "platform": "desktop",
        "mode": "verify",
        "status": status,
        "reason": "",
        "state_before": "off",
        "state_after": "off",
        "wanted": "off",
        "changed": False,
        "persisted": True,
        "evidence_dir": EVIDENCE,
        "screenshots": [],
        "login_reason": "",
        "exit_code": 0,
    }
    base.update(changes)
    return base


# -- should_alert -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [
        "drift",
        "not_persisted",
        "login_required",
        "not_offered",
        "flow_broken",
        "error",
        "interrupted",
        "timed_out",
        "invalid",
        "some-future-status",
    ],
)
def test_everything_but_ok_alerts(status: str):
    """Anything a scheduled check cannot call fine alerts, even a status not known yet."""
    assert should_alert(result(status)) is True


@pytest.mark.parametrize("status", ["ok", "declined"])
def test_ok_does_not_alert(status: str):
    """All is well (or a person said no at the prompt): no alert."""
    assert should_alert(result(status)) is False


# -- compose ----------------------------------------------------------------------------------


def test_drift_says_it_is_on_again_and_how_to_switch_it_off():
    """drift: the setting's name, when and where, the command that fixes it, the evidence."""
    title, body = compose_run(result("drift", state_before="on", state_after="on", exit_code=3))
    assert title == f"LinkedIn: {SETTING} is ON again"
    assert body == (
        f"optout-bot found '{SETTING}' switched on (verify, desktop, 2026-11-22 14:00 UTC). "
        "Run `optout-bot run linkedin-ai-training` to switch it off again. "
        f"Evidence: {EVIDENCE}"
    )


def test_drift_on_mobile_with_a_profile_repeats_them_in_the_command():
    """The fixing command carries the run's --platform and --profile."""
    _, body = compose_run(
        result("drift", state_after="on", platform="mobile", profile="work", evidence_dir="")
    )
    assert "(verify, mobile, " in body
    assert "Run `optout-bot run linkedin-ai-training --platform mobile --profile work`" in body
    assert "Evidence" not in body


def test_not_persisted_says_the_change_did_not_stick():
    """not_persisted: it was switched, the reload showed it back; retry or do it by hand."""
    title, body = compose_run(
        result("not_persisted", mode="run", state_before="on", state_after="on", changed=True)
    )
    assert title == f"LinkedIn: {SETTING} did not stay off"
    assert body == (
        f"optout-bot switched '{SETTING}' off, but after a reload it was on "
        "(run, desktop, 2026-11-22 14:00 UTC). LinkedIn may not have saved the change: try "
        "again later with `optout-bot run linkedin-ai-training`, or switch it off by hand in "
        f"LinkedIn's settings. Evidence: {EVIDENCE}"
    )


def test_login_required_says_to_sign_in_again_without_headless():
    """login_required: nothing changed; sign in with a window (no --headless)."""
    title, body = compose_run(
        result("login_required", state_after="unknown", login_reason="logged_out")
    )
    assert title == "LinkedIn: optout-bot needs you to sign in again"
    assert body == (
        f"optout-bot could not check '{SETTING}' (verify, desktop, 2026-11-22 14:00 UTC): "
        "LinkedIn asked to sign in. Nothing was changed. Sign in again: run "
        "`optout-bot run linkedin-ai-training` (without --headless) and sign in in the window "
        "that opens; the scheduled checks work again after that. "
        f"Evidence: {EVIDENCE}"
    )


def test_login_required_by_a_security_check_says_so():
    """A security check (2FA, captcha) is named as such."""
    _, body = compose_run(result("login_required", login_reason="security_check"))
    assert ": LinkedIn showed a security check. Nothing was changed." in body


def test_not_offered_says_nothing_was_changed_and_when_to_report():
    """not_offered: not offered for this account; a report only if the user does see it."""
    title, body = compose_run(result("not_offered", state_after="unknown"))
    assert title == f"LinkedIn: {SETTING} is not offered"
    assert body == (
        f"optout-bot did not find '{SETTING}' (verify, desktop, 2026-11-22 14:00 UTC); "
        "LinkedIn may not offer it in your region or for your account type. Nothing was "
        "changed. If you do see the setting in LinkedIn's settings, the flow is out of date: "
        "update optout-bot (pip install -U optout-bot) or report it. "
        f"Evidence: {EVIDENCE}"
    )


def test_flow_broken_says_the_page_changed_and_to_update_or_report():
    """flow_broken: the reason, update optout-bot or the flow, or report it."""
    title, body = compose_run(
        result("flow_broken", reason="step 3/6 click 'Data privacy': not found within 15 s.")
    )
    assert title == "LinkedIn: the page changed, optout-bot could not check it"
    assert body == (
        "The page has changed (verify, desktop, 2026-11-22 14:00 UTC): step 3/6 click "
        "'Data privacy': not found within 15 s. Update optout-bot (pip install -U optout-bot) "
        "or the flow (`optout-bot flows` lists them), or report it with the screenshots. "
        f"Until then, check the setting by hand. Evidence: {EVIDENCE}"
    )


def test_error_gives_the_reason_and_the_command_to_see_it_again():
    """error: the one-line reason and `optout-bot verify` to reproduce it."""
    title, body = compose_run(result("error", reason="cannot write evidence to /x: disk full"))
    assert title == "LinkedIn: optout-bot's check failed"
    assert body == (
        "cannot write evidence to /x: disk full (verify, desktop, 2026-11-22 14:00 UTC). Run "
        "`optout-bot verify linkedin-ai-training` to see it again; if it keeps failing, "
        f"please report it. Evidence: {EVIDENCE}"
    )


def test_interrupted_says_the_next_check_retries():
    """interrupted: stopped part-way; the next scheduled check tries again."""
    title, body = compose_run(result("interrupted", reason="interrupted (Ctrl-C)"))
    assert title == "LinkedIn: optout-bot's check was interrupted"
    assert body == (
        f"The check of '{SETTING}' (verify, desktop, 2026-11-22 14:00 UTC) stopped before it "
        "finished (was the computer going to sleep or shutting down?). The next scheduled "
        "check tries again; to check now, run `optout-bot verify linkedin-ai-training`. "
        f"Evidence: {EVIDENCE}"
    )


def test_timed_out_says_nothing_changed_and_the_next_check_retries():
    """timed_out: past run_timeout; nothing was changed, the next scheduled check retries."""
    reason = "the run took longer than its limit of 300 s"
    title, body = compose_run(result("timed_out", reason=reason))
    assert title == "LinkedIn: optout-bot's check took too long"
    assert body == (
        f"The check of '{SETTING}' (verify, desktop, 2026-11-22 14:00 UTC) went past its time "
        f"limit and stopped without changing anything: {reason}. LinkedIn may be slow right "
        "now; the next scheduled check tries again. To check now, run `optout-bot verify "
        f"linkedin-ai-training`. Evidence: {EVIDENCE}"
    )


def test_invalid_says_the_schedule_cannot_start():
    """invalid: a scheduled check that cannot even start points at the schedule."""
    title, body = compose(
        result("invalid", flow="gone-flow", reason="unknown flow 'gone-flow'", evidence_dir="")
    )
    assert title == "gone-flow: optout-bot's scheduled check cannot start"
    assert "unknown flow 'gone-flow' (verify, desktop, " in body
    assert body.endswith(
        "the schedule: `optout-bot schedule list`), then run `optout-bot verify gone-flow`."
    )


def test_ok_says_confirmed():
    """ok (never alerted, but composable): confirmed after a reload."""
    title, body = compose_run(result("ok"))
    assert title == f"LinkedIn: {SETTING} is off"
    assert body.startswith(f"optout-bot confirmed '{SETTING}' is off after a reload (verify")


def test_names_come_from_the_result_when_it_has_them():
    """A result carrying site and setting is used as is (no flow file needed)."""
    title, _ = compose(result("drift", flow="x-flow", site="X", setting="Grok", state_after="on"))
    assert title == "X: Grok is ON again"


def test_without_a_record_the_names_are_the_flow_id_and_no_flow_file_is_read(
    monkeypatch: pytest.MonkeyPatch,
):
    """No record and no names in the result: the flow id names both; flows are not loaded."""
    import optout_bot.flow

    monkeypatch.setattr(optout_bot.flow, "load_flow", lambda *a: pytest.fail("flow loaded"))
    title, body = compose(result("drift", state_after="on"))
    assert title == "linkedin-ai-training: linkedin-ai-training is ON again"
    assert "found 'linkedin-ai-training' switched on" in body


def test_the_record_beside_the_screenshots_names_the_run(tmp_path: Path):
    """record_of() reads record.json from the result's evidence folder; notify() uses it."""
    folder = tmp_path / "20261122T140005Z-desktop-verify"
    folder.mkdir()
    (folder / "record.json").write_text(json.dumps({**RECORD.to_json(), "future_key": 1}))
    found = record_of(result("drift", evidence_dir=str(folder)))
    assert found is not None and (found.site, found.setting) == ("LinkedIn", SETTING)
    assert found.extra == {"future_key": 1}
    assert record_of(result("drift", evidence_dir=str(tmp_path / "gone"))) is None
    assert record_of(result("invalid", evidence_dir="")) is None


def test_the_time_comes_from_the_record_when_the_result_has_none():
    """The record's start time is used before the folder's name and before now."""
    started = Record(site="LinkedIn", setting=SETTING, started_at="2027-03-04T05:06:07Z")
    _, body = compose(result("drift", state_after="on", evidence_dir=""), record=started)
    assert "(verify, desktop, 2027-03-04 05:06 UTC)" in body


def test_the_time_comes_from_the_result_or_now():
    """finished_at wins over the evidence folder's name; with neither, now (UTC)."""
    _, body = compose(result("drift", state_after="on", finished_at="2027-01-02T03:04:05Z"))
    assert "(verify, desktop, 2027-01-02 03:04 UTC)" in body
    import datetime

    now = datetime.datetime(2030, 5, 6, 7, 8, tzinfo=datetime.timezone.utc)
    _, body = compose(result("drift", state_after="on", evidence_dir=""), now=now)
    assert "(verify, desktop, 2030-05-06 07:08 UTC)" in body


# -- delivery ---------------------------------------------------------------------------------


class Receiver:
    """A local HTTP endpoint that records what it was sent (Apprise's json:// posts here)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict]] = []
        self.received = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                outer.requests.append((self.path, json.loads(self.rfile.read(length))))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                outer.received.set()

            def log_message(self, *args: object) -> None:  # quiet test output
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as server:
        yield server


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_alert_reaches_an_apprise_url(receiver: Receiver):
    """End to end: Apprise posts the composed title and body to the json:// URL."""
    drift = result("drift", state_after="on")
    outcome = notify(
        drift, urls=[f"json://127.0.0.1:{receiver.port}/hook"], desktop=False, record=RECORD
    )
    assert outcome == ["json://127.0.0.1/…: sent"]
    assert receiver.received.wait(5)
    path, payload = receiver.requests[0]
    title, body = compose(drift, record=RECORD)
    assert path == "/hook"
    assert payload["title"] == title == f"LinkedIn: {SETTING} is ON again"
    assert payload["message"] == body
    assert "optout-bot run linkedin-ai-training" in payload["message"]


def test_a_dead_url_is_reported_not_raised(receiver: Receiver):
    """A refused connection is one line in the outcome; the other URL is still sent."""
    dead = f"json://127.0.0.1:{_closed_port()}/secret-path-token"
    started = time.monotonic()
    outcome = notify(
        result("drift", state_after="on"),
        urls=[dead, f"json://127.0.0.1:{receiver.port}/ok"],
        desktop=False,
    )
    assert time.monotonic() - started < 15
    assert outcome[0].startswith("json://127.0.0.1/…: not sent: ")
    assert "secret-path-token" not in outcome[0]
    assert outcome[1] == "json://127.0.0.1/…: sent"
    assert receiver.requests[0][0] == "/ok"


def test_a_url_apprise_does_not_know_is_reported_redacted():
    """An unsupported or malformed URL: a clear line, and its token does not leak."""
    outcome = notify(
        result("drift"), urls=["nosuchservice://host.example/tok", "tgram://1234567"], desktop=False
    )
    assert outcome == [
        "nosuchservice://host.example/…: not sent: not a notification URL Apprise understands "
        "(see https://github.com/caronc/apprise/wiki)",
        "tgram://…: not sent: not a notification URL Apprise understands "
        "(see https://github.com/caronc/apprise/wiki)",
    ]


def test_a_hanging_service_does_not_hold_the_check(monkeypatch: pytest.MonkeyPatch):
    """Past the time limit, notify() returns and says which delivery had no answer."""
    hang = threading.Event()
    monkeypatch.setattr(alerts, "_send_urls", lambda *args: hang.wait(10))
    started = time.monotonic()
    outcome = notify(result("drift"), urls=["ntfy://ntfy.sh/topic"], desktop=False, timeout=0.5)
    hang.set()
    assert time.monotonic() - started < 3
    assert outcome == ["ntfy://ntfy.sh/…: not sent: no answer within 0.5 s"]


def test_no_urls_and_no_desktop_sends_nothing():
    """Nothing configured: nothing sent, nothing reported."""
    assert notify(result("drift"), urls=[], desktop=False) == []


# -- desktop notifications --------------------------------------------------------------------


def _which(*present: str):
    return lambda name: f"/usr/bin/{name}" if name in present else None


def test_desktop_on_linux_uses_notify_send_with_list_arguments():
    """Linux with a session bus: notify-send, title and body as separate arguments."""
    command = desktop_command(
        "T 'x'",
        "B; rm -rf ~",
        platform="linux",
        which=_which("notify-send"),
        environ={"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"},
    )
    assert command is not None
    assert command.argv == [
        "/usr/bin/notify-send",
        "--app-name=optout-bot",
        "--urgency=normal",
        "T 'x'",
        "B; rm -rf ~",
    ]
    assert command.env == {}


def test_desktop_under_cron_finds_the_users_session_bus(tmp_path: Path):
    """No bus address in the environment (cron): the user's /run/user/UID/bus is used."""
    bus = tmp_path / "4242" / "bus"
    bus.parent.mkdir()
    bus.touch()
    command = desktop_command(
        "T",
        "B",
        platform="linux",
        which=_which("notify-send"),
        environ={},
        uid=4242,
        run_user=tmp_path,
    )
    assert command is not None
    assert command.env == {"DBUS_SESSION_BUS_ADDRESS": f"unix:path={bus}"}


def test_desktop_without_a_session_is_not_available():
    """No bus, no display (a server): no desktop notification."""
    assert (
        desktop_command(
            "T",
            "B",
            platform="linux",
            which=_which("notify-send"),
            environ={},
            run_user=Path("/nonexistent"),
        )
        is None
    )
    assert (
        desktop_command("T", "B", platform="linux", which=_which(), environ={"DISPLAY": ":0"})
        is None
    )


def test_desktop_on_macos_passes_text_as_osascript_arguments():
    """macOS: the text reaches AppleScript as argv, so quotes in it cannot break the script."""
    command = desktop_command('Say "hi"', "B", platform="darwin", which=_which("osascript"))
    assert command is not None
    assert command.argv == [
        "/usr/bin/osascript",
        "-e",
        "on run argv",
        "-e",
        "display notification (item 2 of argv) with title (item 1 of argv)",
        "-e",
        "end run",
        'Say "hi"',
        "B",
    ]


def test_desktop_on_windows_passes_text_through_the_environment():
    """Windows: a PowerShell toast; the text goes in environment variables, not the script."""
    command = desktop_command("T", "B", platform="win32", which=_which("powershell"))
    assert command is not None
    assert command.argv[:4] == ["/usr/bin/powershell", "-NoProfile", "-NonInteractive", "-Command"]
    assert "$env:OPTOUT_BOT_TITLE" in command.argv[4]
    assert command.env == {"OPTOUT_BOT_TITLE": "T", "OPTOUT_BOT_BODY": "B"}
    assert desktop_command("T", "B", platform="win32", which=_which()) is None


def test_desktop_not_available_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch, tmp_path):
    """No notify-send on PATH: "desktop: not available", and the URLs still go."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert notify(result("drift"), urls=[], desktop=True) == ["desktop: not available"]


def test_desktop_notification_runs_the_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A working notifier is run with the title and body (a stand-in notify-send here)."""
    seen = tmp_path / "seen.txt"
    fake = tmp_path / "notify-send"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {seen}\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
    drift = result("drift", state_after="on")
    assert notify(drift, urls=[], desktop=True) == ["desktop: shown (notify-send)"]
    title, body = compose(drift)  # no record beside the result: the same words either way
    assert seen.read_text().splitlines() == [
        "--app-name=optout-bot",
        "--urgency=normal",
        title,
        body,
    ]


def test_a_failing_desktop_notifier_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A notifier that fails: its first line of stderr, not an exception."""
    fake = tmp_path / "notify-send"
    fake.write_text("#!/bin/sh\necho 'Cannot connect to bus' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
    assert notify(result("drift"), urls=[], desktop=True) == [
        "desktop: not shown: notify-send: Cannot connect to bus"
    ]
