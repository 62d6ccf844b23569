"""The X flow (x-grok-training), end to end: the CLI drives a real headless Chromium through
the replica's X pages, and the replica's server-side state says what really happened."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest

from optout_bot.replicas import Replica
from optout_bot.replicas.x import GROK_SETTING, X
from tests.conftest import ACCOUNT, CliResult

FLOW = "x-grok-training"


@pytest.fixture
def site(replica: Replica) -> X:
    """The replica's X, to set and read its state."""
    return cast(X, replica.site("x"))


@pytest.fixture
def x(flow_cli):
    """`x("run", "--yes", ...)`: the X flow against the replica, signed in, headless, JSON
    out, evidence in a temp folder."""
    return flow_cli(FLOW)


def _shots(result: CliResult) -> list[str]:
    shots = [Path(p) for p in result.json["screenshots"]]
    for shot in shots:
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", shot
    return [shot.name for shot in shots]


def _writes(site: X) -> list[tuple[object, object, int]]:
    return [(w["key"], w["value"], w["status"]) for w in site.writes]


@pytest.mark.parametrize("platform", ["desktop", "mobile"])
def test_run_switches_it_off_through_the_menus_and_proves_it_after_a_reload(x, site, platform):
    """A member opted in by default is opted out through the menus; exit 0 only after the
    reload re-read, with before / after / after-reload screenshots."""
    assert site.get_setting(ACCOUNT) is True

    result = x("run", "--yes", "--platform", platform)

    assert result.code == 0, result.err
    data = result.json
    assert data["status"] == "ok" and data["platform"] == platform
    assert (data["state_before"], data["state_after"]) == ("on", "off")
    assert data["changed"] is True and data["persisted"] is True
    assert _shots(result) == ["01-before.png", "02-after-change.png", "03-after-reload.png"]
    assert data["final_url"] == "https://x.com/settings/grok_settings"
    assert site.get_setting(ACCOUNT) is False
    assert _writes(site) == [(GROK_SETTING, False, 200)]


def test_verify_when_off_is_ok_and_writes_nothing(x, site):
    """verify reads the switch off before and after a reload, exits 0, and saves nothing."""
    site.set_setting(False, ACCOUNT)

    result = x("verify")

    assert result.code == 0, result.err
    assert result.json["mode"] == "verify" and result.json["persisted"] is True
    assert _shots(result) == ["01-before.png", "02-after-reload.png"]
    assert site.writes == []


def test_verify_reports_drift_with_exit_3_and_clicks_nothing(x, site):
    """verify on a switch that is on exits 3, says how to fix it, and never touches it."""
    result = x("verify", "--platform", "mobile")

    assert result.code == 3, result.err
    assert result.json["status"] == "drift"
    assert result.json["state_after"] == "on"
    assert f"optout-bot run {FLOW}" in result.json["reason"]
    assert site.writes == []
    assert site.get_setting(ACCOUNT) is True


def test_logged_out_stops_with_exit_4_without_clicking(flow_cli, site):
    """A profile not signed in lands on /i/flow/login: exit 4, nothing clicked or saved."""
    result = flow_cli(FLOW, signed_in=False)("run", "--yes")

    assert result.code == 4, result.err
    assert result.json["status"] == "login_required"
    assert result.json["login_reason"] == "logged_out"
    assert result.json["state_before"] == "unknown"
    assert "/i/flow/login" in result.json["reason"]
    assert _shots(result) == ["01-login-required.png"]
    assert site.writes == []


def test_a_failed_save_is_never_reported_as_success(x, site):
    """The save answers 500 and the page puts the checkbox back: not exit 0, still on."""
    site.scenario.save_fails = True

    result = x("run", "--yes")

    assert result.code == 3, result.err
    assert result.json["status"] == "not_persisted"
    assert result.json["persisted"] is False
    assert result.json["state_after"] == "on"
    assert site.get_setting(ACCOUNT) is True
    assert _writes(site)[:1] == [(GROK_SETTING, False, 500)]


def test_slow_pages_are_waited_for(x, replica, site):
    """With every answer of the server late (X's pages and its saves alike) the run still
    ends in exit 0, the change kept."""
    replica.scenario.slow_ms = 400

    result = x("run", "--yes")

    assert result.code == 0, result.json["reason"]
    assert site.get_setting(ACCOUNT) is False


# The 2024 name says "posts": read as a social action by the guard's words, but switched
# off it is an opt-out (the switch guard), and the row that leads to it is a link to a page
# (the click guard judges it as a navigation): both wordings work.
@pytest.mark.parametrize("platform", ["desktop", "mobile"])
def test_the_2024_wording_still_verifies_and_runs(x, site, platform):
    """With the 2024 wording the switch is found, named and read: verify of a switch that is
    on is drift (exit 3); run through the menus switches it off and proves it."""
    site.scenario.wording_2024 = True

    assert x("verify", "--platform", platform).code == 3
    assert site.writes == []
    result = x("run", "--yes", "--platform", platform)

    assert result.code == 0, result.json["reason"]
    assert result.json["state_after"] == "off"
    assert site.get_setting(ACCOUNT) is False


def _request(path: str, *, method: str = "GET", cookies=None, headers=None, body=b"", host="x.com"):
    from urllib.parse import parse_qs, urlsplit

    from optout_bot.replicas.site import Request

    parts = urlsplit(path)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    return Request(method, host, parts.path, query, cookies or {}, headers or {}, body)


def test_a_logged_out_visit_goes_to_the_login_flow_and_back():
    """A member page without a session redirects to /i/flow/login, naming the page to return
    to; www.x.com sends everything to x.com."""
    site = X()

    answer = site.handle(_request("/settings/grok_settings?x=1"))
    assert answer.status == 302
    assert answer.headers == [
        (
            "Location",
            "https://x.com/i/flow/login?redirect_after_login=%2Fsettings%2Fgrok_settings%3Fx%3D1",
        )
    ]
    login = site.handle(_request("/i/flow/login?redirect_after_login=%2Fsettings%2Fgrok_settings"))
    assert login.status == 200 and b'value="/settings/grok_settings"' in login.body
    www = site.handle(_request("/home", host="www.x.com"))
    assert (www.status, www.headers) == (301, [("Location", "https://x.com/home")])


def test_a_save_needs_the_session_and_the_ct0_token():
    """The save endpoint refuses a request without a session (401) or without the ct0 value
    in x-csrf-token (403), stores nothing then, and records every attempt."""
    site = X()
    cookies = {c["name"]: c["value"] for c in site.sign_in_cookies(ACCOUNT)}
    save = "/i/api/1.1/account/settings.json"
    body = b"grok_training=false"

    assert site.handle(_request(save, method="POST", body=body)).status == 401
    assert site.handle(_request(save, method="POST", body=body, cookies=cookies)).status == 403
    token = {"x-csrf-token": cookies["ct0"]}
    bad = site.handle(_request(save, method="POST", body=b"nope=1", cookies=cookies, headers=token))
    assert bad.status == 400
    assert site.get_setting(ACCOUNT) is True
    ok = site.handle(_request(save, method="POST", body=body, cookies=cookies, headers=token))
    assert ok.status == 200 and site.get_setting(ACCOUNT) is False
    assert [w["status"] for w in site.writes] == [401, 403, 400, 200]


@pytest.mark.parametrize("mask", [True, False])
def test_the_members_photo_and_name_are_masked_unless_no_mask(
    x, replica, playwright, chromium_path, mask
):
    """Evidence hides the side bar's account button (photo, name, @handle) in grey by
    default; --no-mask keeps it."""
    from optout_bot.engine.session import QUIET_ARGS
    from tests.test_linkedin_flow import _pixel

    result = x("verify", *([] if mask else ["--no-mask"]))
    before = Path(result.json["screenshots"][0])

    browser = playwright.chromium.launch(
        executable_path=chromium_path, args=QUIET_ARGS + replica.chromium_args()
    )
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.context.add_cookies(replica.sign_in_cookies(ACCOUNT))
        page.goto("https://x.com/settings/grok_settings")
        box = page.locator("header button:has(img) img").first.bounding_box()
        assert box is not None
        rgb = _pixel(page, before, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    finally:
        browser.close()

    assert (rgb == [127, 127, 127]) is mask


@pytest.mark.parametrize("platform", ["desktop", "mobile"])
def test_a_cookie_banner_in_the_way_gets_the_most_private_answer(x, site, platform):
    """X's cookie banner covers the page: the flow's overlay refuses non-essential cookies,
    never accepts all, and the switch is set and proved."""
    site.scenario.cookie_banner = True

    result = x("run", "--yes", "--platform", platform)

    assert result.code == 0, result.json["reason"]
    assert site.cookie_choices == ["refuse"]
    assert site.get_setting(ACCOUNT) is False
