"""`optout-bot check`, the scheduled job: verify, fix drift when asked, and alert."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator

import pytest

from tests.conftest import ACCOUNT, AI_KEY


class Receiver:
    """A local notification endpoint (Apprise's json:// posts here)."""

    def __init__(self) -> None:
        self.posts: list[dict] = []
        received = self.posts

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received.append(json.loads(body or b"{}"))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"json://127.0.0.1:{self.server.server_port}/alerts"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(tmp_path) -> Iterator[Receiver]:
    server = Receiver()
    (tmp_path / "config.toml").write_text(
        f'notify = ["{server.url}"]\ndesktop_notifications = false\n'
    )
    yield server
    server.close()


def test_drift_found_by_a_scheduled_check_reaches_the_notification_receiver(
    linkedin, replica, receiver
):
    """A check that finds the switch back on exits 3, changes nothing, and alerts."""
    result = linkedin("check")

    assert result.code == 3
    assert result.json["status"] == "drift"
    assert replica.writes == []
    assert len(receiver.posts) == 1
    post = receiver.posts[0]
    assert "ON again" in post["title"]
    assert "optout-bot run linkedin-ai-training" in post["message"]
    assert any(line.endswith("sent") for line in result.json["alerts"])
    # The chain head, in the summary and the alert: a witness outside the machine.
    head = result.json["chain_head"]
    assert head == {"seq": result.json["record"]["seq"], "hash": result.json["record"]["hash"]}
    assert f"Evidence chain head: #{head['seq']} {head['hash']}" in post["message"]
    assert f"evidence verify --head {head['seq']}:{head['hash']}" in post["message"]


def test_a_check_prints_the_chain_head(linkedin, replica, receiver, run_cli, tmp_path):
    """Without --json, the check's summary ends with the chain head and how to prove it."""
    replica.set_setting(AI_KEY, False, account=ACCOUNT)
    result = run_cli(
        "check", "linkedin-ai-training", "--headless", "--replica",
        f"127.0.0.1:{replica.port}", "--evidence-dir", str(tmp_path / "ev"),
    )  # fmt: skip
    assert result.code == 0, result.out
    [line] = [line for line in result.out.splitlines() if line.startswith("chain head: ")]
    seq, digest = line.split()[2].lstrip("#"), line.split()[3]
    assert line.endswith(
        f"`optout-bot evidence verify --head {seq}:{digest}` proves nothing up to it changed)"
    )
    assert run_cli("evidence", "verify", "--head", f"{seq}:{digest}").code == 0


def test_check_fix_switches_drift_back_off(linkedin, replica, receiver):
    """With --fix the drift is switched back off (exit 0), and the fixed run is not an alert."""
    result = linkedin("check", "--fix")

    assert result.code == 0, result.json["reason"]
    assert result.json["mode"] == "run"
    assert result.json["checked"]["status"] == "drift"
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False
    assert receiver.posts == []


def test_a_healthy_check_sends_nothing(linkedin, replica, receiver):
    """Off and confirmed: exit 0, no alert."""
    replica.set_setting(AI_KEY, False, account=ACCOUNT)
    result = linkedin("check")
    assert result.code == 0
    assert receiver.posts == []


def test_login_needed_in_a_check_is_an_alert(run_cli, replica, receiver, home, tmp_path):
    """A signed-out profile at check time exits 4 and tells the member to sign in again."""
    result = run_cli(
        "check", "linkedin-ai-training", "--headless", "--json", "--replica",
        f"127.0.0.1:{replica.port}", "--evidence-dir", str(tmp_path / "ev"),
    )  # fmt: skip
    assert result.code == 4
    assert len(receiver.posts) == 1
    assert "sign in" in receiver.posts[0]["message"].lower()


def test_a_bad_settings_file_is_exit_2_naming_the_key(linkedin, tmp_path):
    """A wrong type in config.toml stops the run before any browser, naming the key."""
    (tmp_path / "config.toml").write_text('timeout = "soon"\n')
    result = linkedin("verify")
    assert result.code == 2
    assert "timeout" in result.json["reason"]


SITES = ["linkedin-ai-training", "chatgpt-model-training", "x-grok-training"]


def _check_many(run_cli, replica, tmp_path, *args: str):
    return run_cli(
        "check", *args, "--headless", "--json", "--replica", f"127.0.0.1:{replica.port}",
        "--evidence-dir", str(tmp_path / "ev"), "--timeout", "10",
    )  # fmt: skip


def test_a_check_of_several_settings_sends_one_alert_naming_each(
    run_cli, replica, receiver, sign_in_profile, tmp_path
):
    """Two of three settings back on: one alert that counts them and says what to do for
    each; exit 3 (the first that did not end 0); nothing changed."""
    sign_in_profile()
    replica.set_setting(AI_KEY, False, account=ACCOUNT)

    result = _check_many(run_cli, replica, tmp_path, *SITES)

    assert result.code == 3, result.out
    assert [r["status"] for r in result.json["results"]] == ["ok", "drift", "drift"]
    (post,) = receiver.posts
    assert post["title"] == "optout-bot: 2 settings need you"
    head = result.json["chain_head"]
    assert head["seq"] == max(r["record"]["seq"] for r in result.json["results"])
    assert post["message"].count(f"Evidence chain head: #{head['seq']} {head['hash']}") == 1
    assert "optout-bot run chatgpt-model-training" in post["message"]
    assert "optout-bot run x-grok-training" in post["message"]
    assert "linkedin" not in post["message"].lower()
    assert replica.writes == [] and replica.site("x").writes == []


def test_check_all_fix_switches_every_drifted_setting_back(
    run_cli, replica, receiver, sign_in_profile, tmp_path
):
    """--all --fix: each setting looked after that drifted is switched back in one run;
    exit 0, no alert."""
    sign_in_profile()

    result = _check_many(run_cli, replica, tmp_path, "--all", "--fix")

    assert result.code == 0, result.out
    assert [r["flow"] for r in result.json["results"]] == sorted(SITES)
    assert all(r["mode"] == "run" and r["state_after"] == "off" for r in result.json["results"])
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False
    assert replica.site("chatgpt").get_setting(ACCOUNT) is False
    assert replica.site("x").get_setting(ACCOUNT) is False
    assert receiver.posts == []
