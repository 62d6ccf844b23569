"""The LinkedIn flow, end to end: the CLI drives a real headless Chromium through the bundled
replica of LinkedIn, and the replica's server-side state says what really happened."""

from __future__ import annotations

from pathlib import Path

import pytest

from optout_bot.engine.session import QUIET_ARGS
from tests.conftest import ACCOUNT, AI_KEY, LINKEDIN_FLOW


def _pngs(result) -> list[Path]:
    shots = [Path(p) for p in result.json["screenshots"]]
    for shot in shots:
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", shot
    return shots


@pytest.mark.parametrize("platform", ["desktop", "mobile"])
def test_run_switches_it_off_through_the_menus_and_proves_it_after_a_reload(
    linkedin, replica, platform
):
    """A member opted in by default is opted out via the navigation path; exit 0 only after
    the reload re-read, with before / after / after-reload screenshots."""
    result = linkedin("run", "--yes", "--platform", platform)

    assert result.code == 0, result.err
    data = result.json
    assert data["status"] == "ok"
    assert (data["state_before"], data["state_after"]) == ("on", "off")
    assert data["changed"] is True and data["persisted"] is True
    assert data["platform"] == platform and data["mode"] == "run"
    names = [p.name for p in _pngs(result)]
    assert names == ["01-before.png", "02-after-change.png", "03-after-reload.png"]
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False
    assert [(w["key"], w["value"]) for w in replica.writes] == [(AI_KEY, False)]
    expected = "/mypreferences/m/" if platform == "mobile" else "/mypreferences/d/"
    assert expected in data["final_url"]


def test_run_when_already_off_clicks_nothing(linkedin, replica):
    """If the switch already reads off, run confirms it after a reload and never clicks."""
    replica.set_setting(AI_KEY, False, account=ACCOUNT)

    result = linkedin("run", "--yes")

    assert result.code == 0
    assert result.json["changed"] is False
    assert result.json["state_before"] == result.json["state_after"] == "off"
    assert replica.writes == []


def test_verify_reports_ok_when_off(linkedin, replica):
    """verify exits 0 when the setting reads off before and after a reload."""
    replica.set_setting(AI_KEY, False, account=ACCOUNT)

    result = linkedin("verify")

    assert result.code == 0
    assert result.json["mode"] == "verify" and result.json["persisted"] is True
    assert [Path(p).name for p in result.json["screenshots"]] == [
        "01-before.png",
        "02-after-reload.png",
    ]


def test_verify_reports_drift_with_exit_3_and_clicks_nothing(linkedin, replica):
    """verify on a switch that is on exits 3, says how to fix it, and never touches it."""
    result = linkedin("verify")

    assert result.code == 3
    assert result.json["status"] == "drift"
    assert result.json["state_after"] == "on"
    assert "optout-bot run linkedin-ai-training" in result.json["reason"]
    assert replica.writes == []
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is True


@pytest.mark.parametrize("redirect", ["authwall", "uas", "login"])
def test_logged_out_stops_with_exit_4_without_clicking(run_cli, replica, home, tmp_path, redirect):
    """A profile that is not signed in (headless, so nobody can sign in) ends with exit 4."""
    replica.scenario.logged_out_redirect = redirect

    result = run_cli(
        "run",
        "linkedin-ai-training",
        "--yes",
        "--headless",
        "--json",
        "--replica",
        f"127.0.0.1:{replica.port}",
        "--evidence-dir",
        str(tmp_path / "ev"),
    )

    assert result.code == 4, result.err
    assert result.json["status"] == "login_required"
    assert result.json["login_reason"] == "logged_out"
    assert result.json["state_before"] == "unknown"
    assert "without --headless" in result.json["reason"]
    assert [p.name for p in _pngs(result)] == ["01-login-required.png"]
    assert replica.writes == []


def test_security_check_stops_with_exit_4_without_clicking(linkedin, replica):
    """A security-check page (/checkpoint/challenge) is never clicked through."""
    replica.scenario.security_check = True

    result = linkedin("run", "--yes")

    assert result.code == 4
    assert result.json["login_reason"] == "security_check"
    assert "security check" in result.json["reason"]
    assert replica.writes == []


def test_setting_not_offered_ends_with_exit_5_never_off(linkedin, replica):
    """An account without the setting ends as not offered; its state is unknown, not off."""
    replica.scenario.not_offered = True

    result = linkedin("run", "--yes", "--timeout", "3")

    assert result.code == 5
    assert result.json["status"] == "not_offered"
    assert result.json["state_before"] == result.json["state_after"] == "unknown"
    assert [p.name for p in _pngs(result)] == ["01-not-offered.png"]
    assert replica.writes == []


def test_setting_not_offered_via_the_direct_url(linkedin, replica, tmp_path):
    """The direct URL of a setting the account lacks (a 404 page) also ends as not offered."""
    replica.scenario.not_offered = True
    flow = tmp_path / "direct.yaml"
    text = LINKEDIN_FLOW.read_text()
    desktop = text.index("  desktop:\n    - goto")
    mobile = text.index("  mobile:\n    - goto")
    flow.write_text(text[:desktop] + "  desktop:\n    - goto_setting\n" + text[mobile:])

    result = linkedin("run", "--yes", "--timeout", "3", flow=str(flow))

    assert result.code == 5, result.err
    assert result.json["state_after"] == "unknown"


def test_a_failed_save_is_never_reported_as_success(linkedin, replica):
    """The server answers 500 and the page reverts the switch: exit 3, not persisted."""
    replica.scenario.save_fails = True

    result = linkedin("run", "--yes")

    assert result.code == 3
    assert result.json["status"] == "not_persisted"
    assert result.json["state_after"] == "on"
    assert result.json["persisted"] is False
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is True


def test_a_silently_lost_save_is_caught_by_the_reload(linkedin, replica):
    """The server says 200 but keeps nothing: the page shows off, the reload shows on: exit 3."""
    replica.scenario.save_lost = True

    result = linkedin("run", "--yes")

    assert result.code == 3
    assert result.json["changed"] is True
    assert result.json["state_after"] == "on"
    assert "did not keep the change" in result.json["reason"]


def test_slow_pages_and_a_late_switch_are_waited_for(linkedin, replica):
    """Slow responses and a switch rendered late by JavaScript still end in exit 0."""
    replica.scenario.slow_ms = 600
    replica.scenario.late_switch_ms = 1500

    result = linkedin("run", "--yes")

    assert result.code == 0, result.json["reason"]
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False


def test_a_promotional_dialog_over_the_page_is_dismissed(linkedin, replica):
    """A "Try Premium" modal that covers the pages is closed by the flow's overlay handler."""
    replica.scenario.promo_dialog = True

    result = linkedin("run", "--yes")

    assert result.code == 0, result.json["reason"]
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False


def test_a_step_that_times_out_ends_as_a_broken_flow(linkedin, replica):
    """When the page is too slow for the step timeout the flow breaks (exit 1), state unknown."""
    replica.scenario.late_switch_ms = 5000

    result = linkedin("verify", "--timeout", "1")

    assert result.code == 1
    assert result.json["status"] == "flow_broken"
    assert result.json["state_before"] == "unknown"
    assert "not found" in result.json["reason"]


def _pixel(page, png: Path, x: float, y: float) -> list[int]:
    """The RGB of one pixel of a PNG, decoded by the browser itself."""
    import base64

    data = base64.b64encode(png.read_bytes()).decode()
    return page.evaluate(
        """async ([data, x, y]) => {
            const img = new Image();
            img.src = 'data:image/png;base64,' + data;
            await img.decode();
            const c = document.createElement('canvas');
            c.width = img.width; c.height = img.height;
            const g = c.getContext('2d');
            g.drawImage(img, 0, 0);
            return Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3));
        }""",
        [data, x, y],
    )


@pytest.mark.parametrize("mask", [True, False])
def test_the_members_photo_is_masked_in_screenshots_unless_no_mask(
    linkedin, replica, playwright, chromium_path, mask
):
    """Evidence hides the member's photo in grey by default; --no-mask keeps it."""
    result = linkedin("verify", *([] if mask else ["--no-mask"]))
    before = Path(result.json["screenshots"][0])

    browser = playwright.chromium.launch(
        executable_path=chromium_path, args=QUIET_ARGS + replica.chromium_args()
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.context.add_cookies([replica.sign_in_cookie(ACCOUNT)])
    page.goto("https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement")
    box = page.locator("#global-nav img").first.bounding_box()
    assert box is not None
    rgb = _pixel(page, before, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    browser.close()

    assert (rgb == [127, 127, 127]) is mask
