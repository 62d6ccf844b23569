"""The LinkedIn flow survives a redesign: the CLI reaches exit 0 on every UI variant of the
replica (`Scenario`'s language, switch markup, renamed classes, reordered menus, a promotion
at one step), one at a time and all at once."""

from __future__ import annotations

import dataclasses
from pathlib import Path
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
    # The evidence shows the setting: a pop-up over it is closed for each screenshot, and
    # none is lost to it.
    assert "screenshot failed" not in result.err
    shots = [Path(p).stem for p in data["screenshots"]]
    assert {"01-before", "03-after-reload"} <= set(shots), shots


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


# -- a setting's page moved to a new address (issue 13, item 1) ----------------------------------

MOVED = "/mypreferences/{}/settings/generative-ai-data"


@pytest.mark.parametrize("platform", ["desktop", "mobile"])
def test_run_on_a_moved_page_goes_on_warns_and_records_the_new_address(linkedin, replica, platform):
    """The menus lead to the setting at an address the flow does not expect: the switch on
    the page is the ground truth, so the run switches it off (exit 0), warns that the flow
    needs an update, and records where the page is now."""
    use_variant(replica, {"moved_setting": True})
    moved = MOVED.format(platform[0])

    result = linkedin("run", "--yes", "--platform", platform)

    assert result.code == 0, result.json["reason"]
    assert result.json["moved_url"] == f"https://www.linkedin.com{moved}"
    assert "the setting's page has moved" in result.err
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False
    record = result.json["record"]
    assert record["seq"] >= 1
    from optout_bot.evidence.store import EvidenceStore

    with EvidenceStore() as store:
        (body,) = [r for r in store.records() if r["seq"] == record["seq"]]
    assert body["moved_url"].endswith(moved)


def test_verify_on_a_moved_page_walks_the_menus_from_the_old_address(linkedin, replica):
    """The old address now redirects to the settings list, where no switch is: verify walks
    the menus, as it does when a direct URL breaks, and finds the switch at its new address."""
    use_variant(replica, {"moved_setting": True})
    replica.set_setting(AI_KEY, False, account=ACCOUNT)

    result = linkedin("verify")

    assert result.code == 0, result.json["reason"]
    assert result.json["route"] == "navigation-fallback"
    assert result.json["moved_url"].endswith(MOVED.format("d"))
    assert replica.writes == []


def test_an_unexpected_address_without_the_switch_is_still_a_broken_flow(
    linkedin, replica, tmp_path
):
    """When the page at the unexpected address does not show the flow's switch either, the
    flow is broken (exit 1) with the address check as the reason, and nothing is clicked."""
    from tests.conftest import REPO

    use_variant(replica, {"moved_setting": True})
    text = (REPO / "tests" / "flows" / "linkedin-ai-training.yaml").read_text()
    start = text.index("switch:\n")
    end = text.index("  wanted:", start)
    other = tmp_path / "other-switch.yaml"
    other.write_text(
        text[:start]
        + "switch:\n  label: Some other switch\n  target:\n"
        + '    - css: \'[role="switch"][aria-labelledby="someOtherSetting"]\'\n'
        + text[end:]
    )

    result = linkedin("run", "--yes", "--route", "menus", "--timeout", "3", flow=str(other))

    assert result.code == 1, result.json["reason"]
    assert "expected a URL matching" in result.json["reason"]
    assert result.json["moved_url"] == ""
    assert replica.writes == []


def test_a_run_on_a_moved_page_proposes_a_flow_with_the_new_address(linkedin, replica):
    """Beside the evidence: a proposal whose setting URL and address check are the new
    address, with the alternative that found the setting's link first (the others kept), and
    a diff from the flow as it is."""
    import yaml

    from optout_bot.authoring.repair import DIFF, PROPOSAL

    use_variant(replica, {"moved_setting": True})

    result = linkedin("run", "--yes")

    assert result.code == 0, result.json["reason"]
    folder = Path(result.json["evidence_dir"])
    proposal = yaml.safe_load((folder / PROPOSAL).read_text())
    moved = f"https://www.linkedin.com{MOVED.format('d')}"
    assert proposal["setting_url"]["desktop"] == moved
    steps = proposal["navigate"]["desktop"]
    assert steps[-1]["expect_url"] == MOVED.format("d")
    link = steps[-2]["click"]
    assert link[0]["role"] == "link" and link[1]["css"].startswith('a[href$="')
    diff = (folder / DIFF).read_text()
    assert f"+  desktop: {moved}" in diff
    assert "flows repair linkedin-ai-training" in result.err


def test_flows_repair_installs_the_proposal_and_the_next_run_needs_no_fallback(
    linkedin, run_cli, replica, tmp_path
):
    """`flows repair ID --yes` verifies the newest proposal read-only, shows its diff and
    installs it as the person's own flow (version one up): the next run goes straight
    through the menus, the first alternative of every target, at the expected address."""
    from optout_bot.flow.catalog import available

    use_variant(replica, {"moved_setting": True})
    assert linkedin("run", "--yes").code == 0
    replica_args = ["--headless", "--replica", f"127.0.0.1:{replica.port}", "--timeout", "10"]

    repaired = run_cli(
        "flows", "repair", "linkedin-ai-training", "--yes", *replica_args,
        "--evidence-dir", str(tmp_path / "repair-evidence"),
    )  # fmt: skip

    assert repaired.code == 0, repaired.err
    assert "+  desktop: https://www.linkedin.com/mypreferences/d/settings/generative-ai-data" in (
        repaired.out
    )
    entry = available()["linkedin-ai-training"]
    assert entry.origin == "user"
    assert "version: 2.0.1" in entry.path.read_text()
    assert len(replica.writes) == 1  # the first run's change; the repair's check wrote nothing

    again = linkedin("run", "--yes")

    assert again.code == 0, again.json["reason"]
    assert (again.json["route"], again.json["moved_url"]) == ("navigation", "")
    assert again.json["switch_alternative"] == 0
    assert not (Path(again.json["evidence_dir"]) / "proposed-flow.yaml").exists()
    assert "needs an update" not in again.err
    assert run_cli("flows", "repair", "linkedin-ai-training", "--yes", *replica_args).code == 1
