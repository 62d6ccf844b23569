"""The ChatGPT flow, end to end: the CLI drives a real headless Chromium through the replica of
chatgpt.com (replicas/chatgpt.py), whose server-side state says what really happened; and the
replica itself, as a person would see it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Playwright

from optout_bot.engine.session import QUIET_ARGS
from optout_bot.replicas import Replica
from optout_bot.replicas.chatgpt import ChatGPT
from tests.conftest import ACCOUNT, REPO, CliResult

FLOW = REPO / "flows" / "chatgpt-model-training.yaml"
SAVE = "/backend-api/settings/account_user_setting"


def _site(replica: Replica) -> ChatGPT:
    site = replica.site("chatgpt")
    assert isinstance(site, ChatGPT)
    return site


@pytest.fixture
def chatgpt(flow_cli):
    """`chatgpt("run", "--yes", ...)`: the ChatGPT flow against the replica, signed in,
    headless, JSON out, evidence in a temp folder."""
    return flow_cli("chatgpt-model-training")


def _variant(tmp_path: Path, old: str, new: str) -> str:
    text = FLOW.read_text()
    assert text.count(old) == 1, old
    flow = tmp_path / "variant.yaml"
    flow.write_text(text.replace(old, new))
    return str(flow)


def _names(result: CliResult) -> list[str]:
    shots = [Path(p) for p in result.json["screenshots"]]
    for shot in shots:
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", shot
    return [shot.name for shot in shots]


# -- the flow -----------------------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["desktop", "mobile"])
def test_run_switches_it_off_through_the_menus_and_proves_it_after_a_reload(
    chatgpt, replica, platform
):
    """Profile menu, Settings, Data controls, the row's dialog: the switch goes off, saved at
    once, and reads off again after a reload that reopens the dialogs (exit 0)."""
    result = chatgpt("run", "--yes", "--platform", platform)

    assert result.code == 0, result.json["reason"]
    data = result.json
    assert data["status"] == "ok" and data["route"] == "navigation"
    assert (data["state_before"], data["state_after"]) == ("on", "off")
    assert data["changed"] is True and data["persisted"] is True
    assert data["final_url"] == "https://chatgpt.com/#settings/DataControls"
    assert _names(result) == ["01-before.png", "02-after-change.png", "03-after-reload.png"]
    site = _site(replica)
    assert site.get_setting(ACCOUNT) is False
    assert [(w["feature"], w["value"], w["status"]) for w in site.writes] == [
        ("training_allowed", False, 200)
    ]


def test_run_when_already_off_clicks_nothing(chatgpt, replica):
    """A switch that already reads off is confirmed after a reload and never clicked."""
    _site(replica).set_setting(False, ACCOUNT)

    result = chatgpt("run", "--yes")

    assert result.code == 0, result.json["reason"]
    assert result.json["changed"] is False
    assert _site(replica).writes == []


def test_verify_reads_through_the_deep_link_and_writes_nothing(chatgpt, replica):
    """verify opens #settings/DataControls, clicks the row's button (after_setting_url), reads
    off before and after a reload (exit 0), and saves nothing."""
    _site(replica).set_setting(False, ACCOUNT)

    result = chatgpt("verify")

    assert result.code == 0, result.json["reason"]
    assert result.json["route"] == "direct-url"
    assert result.json["state_before"] == result.json["state_after"] == "off"
    assert "walking the menus instead" not in result.err
    assert _names(result) == ["01-before.png", "02-after-reload.png"]
    site = _site(replica)
    assert site.writes == [] and not any(path == SAVE for _, path in site.requests)


def test_verify_reports_drift_with_exit_3_and_clicks_nothing(chatgpt, replica):
    """verify on a switch that is on exits 3, says how to fix it, and never touches it."""
    result = chatgpt("verify")

    assert result.code == 3
    assert result.json["status"] == "drift"
    assert result.json["state_after"] == "on"
    assert "optout-bot run chatgpt-model-training" in result.json["reason"]
    assert _site(replica).writes == []
    assert _site(replica).get_setting(ACCOUNT) is True


@pytest.mark.parametrize("mode", ["run", "verify"])
def test_logged_out_stops_with_exit_4_without_clicking(flow_cli, replica, mode):
    """Signed out, the app stays at chatgpt.com and shows "Log in": the run ends as not
    signed in (exit 4; headless, so nobody can sign in), having clicked nothing."""
    extra = ["--yes"] if mode == "run" else []
    signed_out = flow_cli("chatgpt-model-training", signed_in=False)
    result = signed_out(mode, *extra, "--timeout", "3")

    assert result.code == 4, result.json["reason"]
    assert result.json["status"] == "login_required"
    assert result.json["login_reason"] == "logged_out"
    assert result.json["state_before"] == "unknown"
    assert "not signed in to ChatGPT" in result.json["reason"]
    assert _names(result) == ["01-login-required.png"]
    site = _site(replica)
    assert site.writes == []
    # "Log in" and "Sign up" both lead to /auth/login: neither was clicked.
    assert [p for _, p in site.requests if p.startswith(("/auth/", "/backend-api/"))] == []


def test_a_signed_out_page_where_the_switch_should_be_is_exit_4_too(flow_cli, tmp_path):
    """Menus that end without a failed step on the signed-out app (only a goto): the missing
    switch is then the page's sign-in to ask for, exit 4, not an error escaping the run."""
    text = FLOW.read_text()
    start = text.index("  desktop:\n    - goto: https://chatgpt.com/\n")
    end = text.index("  mobile:\n    - goto")
    flow = tmp_path / "goto-only.yaml"
    flow.write_text(text[:start] + "  desktop:\n    - goto: https://chatgpt.com/\n" + text[end:])

    signed_out = flow_cli("chatgpt-model-training", signed_in=False)
    result = signed_out("verify", "--route", "menus", "--timeout", "2", flow=str(flow))

    assert result.code == 4, result.json["reason"]
    assert result.json["login_reason"] == "logged_out"


def test_logged_out_without_login_logged_out_is_a_broken_flow(flow_cli, replica, tmp_path):
    """Without `login.logged_out` the same signed-out app reads as a broken flow (exit 1): the
    URL alone cannot tell (why the flow language has the key)."""
    flow = _variant(
        tmp_path,
        "  logged_out:\n    - css: '[data-testid=\"login-button\"]'\n"
        "    - role: button\n      name: Log in\n",
        "",
    )
    signed_out = flow_cli("chatgpt-model-training", signed_in=False)
    result = signed_out("verify", "--timeout", "2", flow=flow)

    assert result.code == 1
    assert result.json["status"] == "flow_broken"
    assert _site(replica).writes == []


def test_without_after_setting_url_the_deep_link_falls_back_to_the_menus(chatgpt, tmp_path):
    """Without `after_setting_url` the deep link shows no switch: verify waits for it, warns
    that the flow needs an update and walks the menus instead (why the key exists)."""
    flow = _variant(
        tmp_path,
        "after_setting_url:\n  - click:\n"
        "      - css: 'button[data-testid=\"improve-model-open-modal-button\"]'\n"
        "    title: 'Open \"Improve the model for everyone\"'\n",
        "",
    )
    result = chatgpt("verify", "--timeout", "2", flow=flow)

    assert result.code == 3, result.json["reason"]
    assert result.json["route"] == "navigation-fallback"
    assert "walking the menus instead" in result.err


def test_a_failed_save_is_never_reported_as_success(chatgpt, replica):
    """The save answers 500 and the page puts the switch back: exit 3, not persisted."""
    site = _site(replica)
    site.scenario.save_fails = True

    result = chatgpt("run", "--yes")

    assert result.code == 3
    assert result.json["status"] == "not_persisted"
    assert result.json["state_after"] == "on"
    assert site.get_setting(ACCOUNT) is True
    assert site.writes and {w["status"] for w in site.writes} == {500}


def test_a_silently_lost_save_is_caught_by_the_reload(chatgpt, replica):
    """The save says 200 but keeps nothing: the page shows off, the reload on: exit 3."""
    _site(replica).scenario.save_lost = True

    result = chatgpt("run", "--yes")

    assert result.code == 3
    assert result.json["changed"] is True
    assert result.json["state_after"] == "on"
    assert "did not keep the change" in result.json["reason"]


def test_slow_answers_and_late_settings_are_waited_for(chatgpt, replica):
    """Slow responses, and settings that load a while after the dialog opens, still end in
    exit 0."""
    replica.scenario.slow_ms = 300
    _site(replica).scenario.settings_slow_ms = 1500

    result = chatgpt("run", "--yes")

    assert result.code == 0, result.json["reason"]
    assert _site(replica).get_setting(ACCOUNT) is False


def test_the_plan_shows_the_steps_after_the_setting_url():
    """--dry-run's plan says what follows the direct URL (after_setting_url), before the
    switch is read, and what follows the reload (verify)."""
    from optout_bot.engine.runner import plan
    from optout_bot.flow import load_flow

    lines = plan(load_flow(FLOW), "desktop", "verify")
    after = next(i for i, line in enumerate(lines) if line.startswith("whenever the setting's"))
    assert lines[after] == (
        "whenever the setting's direct URL is opened, then: click "
        "css='button[data-testid=\"improve-model-open-modal-button\"]'"
    )
    assert lines[after + 1].startswith("read the switch 'Improve the model for everyone'")
    assert "then: click css='button[data-testid=\"improve-model-open-modal-button\"]'" in lines


# -- the replica, as a person sees it -----------------------------------------------------------


def _browser(playwright: Playwright, chromium_path: str, replica: Replica):
    return playwright.chromium.launch(
        executable_path=chromium_path, args=QUIET_ARGS + replica.chromium_args()
    )


@pytest.mark.parametrize(("device", "corner"), [(None, "bottom-left"), ("Pixel 7", "top-right")])
def test_the_profile_button_sits_where_the_layout_puts_it(
    playwright: Playwright, chromium_path: str, replica: Replica, device, corner
):
    """Signed in, the profile button shows the member's name bottom-left in the sidebar on a
    desktop, and sits top-right in the header on a phone."""
    browser = _browser(playwright, chromium_path, replica)
    try:
        options = dict(playwright.devices[device]) if device else {}
        options.pop("default_browser_type", None)
        context = browser.new_context(**options)
        context.add_cookies(replica.sign_in_cookies(ACCOUNT))
        page = context.new_page()
        page.goto("https://chatgpt.com/")
        button = page.locator('[data-testid="accounts-profile-button"]')
        box = button.bounding_box(timeout=5_000)
        viewport = page.viewport_size
        assert box is not None and viewport is not None
        if corner == "bottom-left":
            assert "Jane Doe" in button.inner_text()
            assert box["x"] < viewport["width"] / 4 and box["y"] > viewport["height"] / 2
        else:
            assert box["x"] > viewport["width"] / 2 and box["y"] < 100
        assert page.get_by_role("button", name="Log in").count() == 0
    finally:
        browser.close()


def test_signing_in_on_the_login_page_turns_the_app_signed_in(
    playwright: Playwright, chromium_path: str, replica: Replica
):
    """Signed out, the app offers "Log in", which leads to /auth/login; signing in there
    comes back to the app with the profile button and the deep link's dialog."""
    browser = _browser(playwright, chromium_path, replica)
    try:
        page = browser.new_page()
        page.goto("https://chatgpt.com/#settings/DataControls")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("https://chatgpt.com/auth/login")
        page.get_by_label("Email address").fill("someone@example.com")
        page.get_by_label("Password").fill("not a real password")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("https://chatgpt.com/")
        button = page.locator('[data-testid="accounts-profile-button"]')
        assert "Someone" in button.inner_text(timeout=5_000)
        page.goto("https://chatgpt.com/#settings/DataControls")
        tab = page.locator('[data-testid="data-controls-tab"]')
        assert tab.get_attribute("aria-selected", timeout=5_000) == "true"
        page.locator('[data-testid="improve-model-open-modal-button"]').click()
        switch = page.get_by_role("switch", name="Improve the model for everyone")
        assert switch.get_attribute("aria-checked") == "true"
        # Done closes the second dialog only; the setting was not touched.
        page.get_by_role("button", name="Done").click()
        assert switch.count() == 0
        assert tab.get_attribute("aria-selected") == "true"
    finally:
        browser.close()
    assert _site(replica).get_setting("someone@example.com") is True
