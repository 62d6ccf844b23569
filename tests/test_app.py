"""The application layer: requests built from the command line and the settings file, and
the replica's host mapping taken from the flow rather than hard-coded."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from optout_bot.app.browsing import hosts_of, replica_args
from optout_bot.app.config import Config
from optout_bot.app.request import BrowserRequest, RunRequest
from optout_bot.engine.outcome import RunStop, Status
from optout_bot.flow import load_flow

REPO = Path(__file__).resolve().parent.parent
SETTINGS = Config(
    profile="work",
    evidence_dir=Path("/evidence"),
    platform="mobile",
    timeout=20.0,
    login_timeout=60.0,
)


def test_the_settings_file_fills_only_what_was_not_given():
    """Options given on the command line win; the settings file supplies the rest."""
    given = BrowserRequest.merged(SETTINGS, platform="desktop", timeout=5.0)
    assert (given.platform, given.timeout, given.profile) == ("desktop", 5.0, "work")
    defaulted = BrowserRequest.merged(SETTINGS)
    assert (defaulted.platform, defaulted.timeout_ms) == ("mobile", 20_000)

    run = RunRequest.merged(SETTINGS, flow="x", mode="verify", browser=defaulted)
    assert (run.evidence_dir, run.login_timeout) == (Path("/evidence"), 60.0)
    mine = RunRequest.merged(
        SETTINGS, flow="x", mode="run", browser=defaulted, evidence_dir=Path("/mine")
    )
    assert mine.evidence_dir == Path("/mine")


def test_attaching_to_a_browser_uses_no_kept_profile():
    """With --cdp the kept profile (given or from the settings file) is not used."""
    attached = BrowserRequest.merged(SETTINGS, cdp="http://127.0.0.1:9222", profile="other")
    assert attached.profile is None and attached.cdp == "http://127.0.0.1:9222"


def test_check_fixes_with_the_same_options_in_run_mode():
    """`check --fix` runs with the verify request's options, as `run --yes`."""
    verify = RunRequest.merged(
        SETTINGS, flow="x", mode="verify", browser=BrowserRequest.merged(SETTINGS)
    )
    fix = verify.as_mode("run", yes=True)
    assert (fix.mode, fix.yes) == ("run", True)
    assert dataclasses.replace(fix, mode="verify", yes=False) == verify


def test_the_replica_answers_for_every_host_of_the_flow():
    """--replica sends each host of the flow's allowed_origins to the replica, in order."""
    flow = load_flow(REPO / "flows" / "linkedin.yaml", "linkedin-ai-training")
    assert hosts_of(flow.allowed_origins) == ["www.linkedin.com"]
    hosts = hosts_of(["https://chatgpt.com", "https://auth.openai.com:443", "https://chatgpt.com"])
    assert hosts == ["chatgpt.com", "auth.openai.com"]
    assert replica_args("127.0.0.1:8443", hosts) == [
        "--host-resolver-rules=MAP chatgpt.com 127.0.0.1:8443, MAP auth.openai.com 127.0.0.1:8443"
    ]


@pytest.mark.parametrize("spec", ["example.com:443", "127.0.0.1", "127.0.0.1:port", "10.0.0.1:1"])
def test_a_replica_must_be_on_this_machine(spec):
    """--replica takes a loopback HOST:PORT only: the site's traffic never goes elsewhere."""
    with pytest.raises(RunStop) as stop:
        replica_args(spec, ["www.linkedin.com"])
    assert stop.value.status is Status.INVALID
    assert stop.value.reason == f"--replica {spec!r}: expected 127.0.0.1:PORT"


def test_each_mode_has_its_own_route_unless_one_is_given() -> None:
    """verify (and check) go straight to the setting's URL, run walks the menus; a fix run
    after a check walks the menus too, and --route wins in every mode."""
    settings = Config()
    browser = BrowserRequest.merged(settings)
    verify = RunRequest.merged(settings, flow="f", mode="verify", browser=browser)
    assert verify.chosen_route == "direct"
    assert verify.as_mode("run").chosen_route == "menus"
    given = RunRequest.merged(settings, flow="f", mode="verify", browser=browser, route="menus")
    assert given.chosen_route == "menus" and given.as_mode("run").chosen_route == "menus"
