"""The LinkedIn flow survives a redesign: the CLI reaches exit 0 on every UI variant of the
replica (`Scenario`'s language, switch markup, renamed classes, reordered menus, a promotion
at one step), one at a time and all at once."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from optout_bot.replicas import Scenario
from tests.conftest import ACCOUNT, AI_KEY

#: Every variant at once, but the promotion: desktop gets it late on the setting's page (while
#: the flow reads, clicks or re-reads the switch), a phone at once on the settings home.
EVERYTHING: dict[str, Any] = {
    "language": "de",
    "switch_markup": "aria-button",
    "renamed_classes": True,
    "reordered_menus": True,
}

#: id -> (Scenario fields, platform). A promotion "at once" (delay 0) is on screen before the
#: flow's first action on that page, so the flow has to close it there.
VARIANTS: dict[str, tuple[dict[str, Any], str]] = {
    "german-desktop": ({"language": "de"}, "desktop"),
    "german-mobile": ({"language": "de"}, "mobile"),
    "aria-button-switch": ({"switch_markup": "aria-button"}, "desktop"),
    "renamed-classes": ({"renamed_classes": True}, "desktop"),
    "reordered-menus": ({"reordered_menus": True}, "desktop"),
    "promo-at-feed": ({"promo_at": "feed", "promo_delay_ms": 0}, "desktop"),
    "promo-at-hub": ({"promo_at": "hub", "promo_delay_ms": 0}, "desktop"),
    "promo-at-privacy": ({"promo_at": "privacy", "promo_delay_ms": 0}, "desktop"),
    "promo-at-setting": ({"promo_at": "setting", "promo_delay_ms": 0}, "desktop"),
    # Late enough to land while the Me menu is open: its close button closes the menu too.
    "promo-over-open-menu": ({"promo_at": "feed", "promo_delay_ms": 200}, "desktop"),
    "everything-desktop": (
        {**EVERYTHING, "promo_at": "setting", "promo_delay_ms": 1200},
        "desktop",
    ),
    "everything-mobile": ({**EVERYTHING, "promo_at": "hub", "promo_delay_ms": 0}, "mobile"),
}


def use_variant(replica, fields: dict[str, Any]) -> None:
    replica.scenario = dataclasses.replace(Scenario(), **fields)


@pytest.mark.parametrize(("fields", "platform"), VARIANTS.values(), ids=VARIANTS.keys())
def test_run_switches_it_off_on_a_variant(linkedin, replica, fields, platform):
    """On each redesign the flow still switches the setting off and proves it after a reload."""
    use_variant(replica, fields)

    result = linkedin("run", "--yes", "--platform", platform)

    assert result.code == 0, result.json["reason"]
    data = result.json
    assert (data["state_before"], data["state_after"]) == ("on", "off")
    assert data["persisted"] is True
    assert f"/mypreferences/{platform[0]}/settings/data-for-ai-improvement" in data["final_url"]
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False
    assert [(w["key"], w["value"]) for w in replica.writes] == [(AI_KEY, False)]
    expected_tag = "button" if fields.get("switch_markup") == "aria-button" else "input"
    assert data["switch_attributes"]["tag"] == expected_tag
    if fields.get("promo_delay_ms") == 0:
        assert "dismissing a pop-up" in result.err


def test_verify_finds_drift_on_the_aria_button_switch(linkedin, replica):
    """verify reads a <button role="switch"> that is on as drift (exit 3) and clicks nothing."""
    use_variant(replica, {"switch_markup": "aria-button"})

    result = linkedin("verify")

    assert result.code == 3, result.json["reason"]
    assert result.json["status"] == "drift"
    assert result.json["state_after"] == "on"
    assert result.json["switch_attributes"]["tag"] == "button"
    assert replica.writes == []
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is True
