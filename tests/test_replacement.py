"""Repair from a broken run (issue 13, item 3): when the element a flow looks for is gone and
the page has a likely replacement, the run still ends broken (exit 1) with its diagnosis, and
leaves a proposal with the replacement as a new alternative, which `flows repair` checks
read-only and installs; never a proposal to click what reads as a denied action, nor a
guess."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import yaml

from optout_bot.authoring.repair import DIFF, PROPOSAL
from optout_bot.replicas import Scenario
from optout_bot.replicas.state import RENAMED_SWITCH_LABEL_ID
from tests.conftest import ACCOUNT, AI_KEY, LINKEDIN_FLOW

FLOW_ID = "linkedin-ai-training"
RENAMED_LABEL = "Use my data for training content creation AI models at LinkedIn and its affiliates"
#: The switch's alternatives in the flow as it is, in its order.
OLD_SWITCH = [
    {"css": 'input[role="switch"][aria-labelledby="allowDataForGenerativeAI"]'},
    {"css": '[role="switch"][aria-labelledby="allowDataForGenerativeAI"]'},
    {
        "role": "switch",
        "name_regex": "^(Use my data for training content creation AI models|Meine Daten für "
        "das Training von KI-Modellen zur Erstellung von Inhalten verwenden)$",
    },
]


def _repair(run_cli, replica, tmp_path: Path, *extra: str):
    return run_cli(
        "flows", "repair", FLOW_ID, "--yes", "--headless", "--replica",
        f"127.0.0.1:{replica.port}", "--timeout", "10",
        "--evidence-dir", str(tmp_path / "repair-evidence"), *extra,
    )  # fmt: skip


def _diagnosis(result) -> dict:
    return json.loads((Path(result.json["diagnosis"]) / "diagnosis.json").read_text())


def test_a_renamed_switch_breaks_the_run_and_flows_repair_installs_the_proposed_fix(
    linkedin, run_cli, replica, tmp_path
):
    """The site gave the switch a new label id and longer wording: the run breaks (exit 1,
    nothing clicked) and proposes the flow with the renamed switch's verified locators first
    and every old alternative kept in order; `flows repair --yes` verifies it read-only and
    installs it, and the next run switches the setting off through the first alternative."""
    from optout_bot.flow.catalog import available

    replica.scenario = dataclasses.replace(Scenario(), renamed_switch=True)

    broken = linkedin("run", "--yes", "--timeout", "2")

    assert broken.code == 1, broken.json["reason"]
    assert broken.json["state_before"] == "unknown"
    assert f"`optout-bot flows repair {FLOW_ID}` checks it" in broken.json["reason"]
    assert f"flows repair {FLOW_ID}" in broken.err
    new = [
        {"css": f'input[role="switch"][aria-labelledby="{RENAMED_SWITCH_LABEL_ID}"]'},
        {"role": "switch", "name": RENAMED_LABEL},
    ]
    assert broken.json["replacement"]["locators"] == new
    assert _diagnosis(broken)["replacement"]["section"] == "switch"
    folder = Path(broken.json["evidence_dir"])
    proposal = yaml.safe_load((folder / PROPOSAL).read_text())
    assert proposal["switch"]["target"] == new + OLD_SWITCH
    assert f'+  - css: input[role="switch"][aria-labelledby="{RENAMED_SWITCH_LABEL_ID}"]' in (
        (folder / DIFF).read_text()
    )
    assert replica.writes == []

    repaired = _repair(run_cli, replica, tmp_path)

    assert repaired.code == 0, repaired.err
    assert "installed linkedin-ai-training" in repaired.out
    assert available()[FLOW_ID].origin == "user"
    assert replica.writes == []  # the repair's check clicked nothing

    again = linkedin("run", "--yes")

    assert again.code == 0, again.json["reason"]
    assert (again.json["state_before"], again.json["state_after"]) == ("on", "off")
    assert again.json["switch_alternative"] == 0
    assert "needs an update" not in again.err
    assert not (Path(again.json["evidence_dir"]) / PROPOSAL).exists()
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False


def _variant(tmp_path: Path, link_css: str, link_name: str) -> str:
    """The LinkedIn flow with "Settings & Privacy" looked for by another address and name,
    and a setting URL that shows no switch (so the direct route cannot take over and the run
    breaks at that step)."""
    text = LINKEDIN_FLOW.read_text()
    for old, new in (
        ('a[href$="/mypreferences/d/categories/account"]', link_css),
        ("name_regex: '^(Settings & Privacy|Einstellungen & Datenschutz)$'", link_name),
        (
            "  desktop: https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
            "  desktop: https://www.linkedin.com/mypreferences/d/categories/privacy",
        ),
    ):
        assert old in text, old
        text = text.replace(old, new)
    flow = tmp_path / "variant.yaml"
    flow.write_text(text)
    return str(flow)


def test_a_broken_menu_step_gets_the_renamed_link_as_a_new_first_alternative(
    linkedin, run_cli, replica, tmp_path
):
    """The flow looks for "Settings and Privacy" at an address the menu no longer has: the
    run breaks at that step, and the proposal puts the menu's "Settings & Privacy" link
    (its address and its name, both checked on the page) before the step's old
    alternatives; `flows repair` installs it and the next run needs no fallback."""
    old_css = 'a[href$="/mypreferences/d/categories/account-preferences"]'
    flow = _variant(tmp_path, old_css, "name: Settings and Privacy")

    broken = linkedin("run", "--yes", "--route", "direct", "--timeout", "2", flow=flow)

    assert broken.code == 1, broken.json["reason"]
    assert "step 3/6" in broken.json["reason"]
    assert "with link 'Settings & Privacy' as a new alternative" in broken.json["reason"]
    proposal = yaml.safe_load((Path(broken.json["evidence_dir"]) / PROPOSAL).read_text())
    assert proposal["navigate"]["desktop"][2]["click"] == [
        {"css": 'a[href$="/mypreferences/d/categories/account"]'},
        {"role": "link", "name": "Settings & Privacy"},
        {"css": old_css},
        {"role": "link", "name": "Settings and Privacy"},
    ]
    assert (
        proposal["navigate"]["mobile"]
        == yaml.safe_load(LINKEDIN_FLOW.read_text())["navigate"]["mobile"]
    )

    assert _repair(run_cli, replica, tmp_path, "--route", "menus").code == 0

    again = linkedin("run", "--yes")

    assert again.code == 0, again.json["reason"]
    assert again.json["route"] == "navigation"
    assert "needs an update" not in again.err
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False


@pytest.mark.parametrize(
    ("link_css", "link_name", "why"),
    [
        # The closest element is the menu's "Sign Out": a proposal never suggests that click.
        (
            'a[href$="/m/log-out/"]',
            "name: Sign out",
            "refused to click link 'Sign Out': 'sign out' reads as signing out",
        ),
        # Nothing on the page is like what the flow names: no guess.
        ('a[href$="/qwertz/zzz"]', "name: Xylophone quartet", "no candidate is like"),
        # The closest element is a link, and the flow wants a button.
        (
            'button[data-control-name="settings_and_privacy"]',
            "name: Settings and Privacy",
            "link 'Settings & Privacy', is not a button",
        ),
    ],
    ids=["sign-out", "nothing-alike", "wrong-role"],
)
def test_a_broken_run_without_a_safe_likely_replacement_proposes_nothing(
    linkedin, replica, tmp_path, link_css, link_name, why
):
    """The run breaks (exit 1) with its diagnosis, which says why no element of the page is
    proposed, and leaves no proposal."""
    flow = _variant(tmp_path, link_css, link_name)
    if "button" in link_css:
        flow_path = Path(flow)
        flow_path.write_text(
            flow_path.read_text().replace(
                "        - role: link\n          name: Settings and Privacy",
                "        - role: button\n          name: Settings and Privacy",
            )
        )

    broken = linkedin("run", "--yes", "--route", "direct", "--timeout", "2", flow=flow)

    assert broken.code == 1, broken.json["reason"]
    assert "step 3/6" in broken.json["reason"]
    assert broken.json["replacement"] == {}
    assert why in _diagnosis(broken)["no_replacement"]
    assert "flows repair" not in broken.json["reason"] + broken.err
    assert not (Path(broken.json["evidence_dir"]) / PROPOSAL).exists()
    assert replica.writes == []


def test_an_element_that_was_only_late_is_no_replacement(playwright, chromium_path, replica):
    """When the flow's own target finds its element by the time the page is diagnosed (the
    page was slow, not changed), that element, though the closest candidate, is not
    proposed."""
    from optout_bot.engine import pagejs
    from optout_bot.engine.diagnose import Failure, rank
    from optout_bot.engine.replacement import likely
    from optout_bot.engine.session import QUIET_ARGS
    from optout_bot.flow import load_flow

    flow = load_flow(LINKEDIN_FLOW)
    failure = Failure(
        "read the switch before",
        flow.switch.target,
        "not found within the step timeout",
        where=("switch", 0),
        switch=flow.switch,
    )
    browser = playwright.chromium.launch(
        executable_path=chromium_path, args=QUIET_ARGS + replica.chromium_args()
    )
    try:
        page = browser.new_page()
        page.context.add_cookies([replica.sign_in_cookie(ACCOUNT)])
        page.goto(flow.setting_url["desktop"])
        candidates = page.evaluate(pagejs.load("optout_bot.engine", "diagnose-candidates.js"))
        ranked = rank(candidates, flow.switch.target)

        assert ranked[0]["attributes"]["aria-labelledby"] == AI_KEY
        assert "the page was slow, not changed" in likely(page, failure, ranked)
    finally:
        browser.close()
