"""When a flow breaks: a diagnosis folder that points at the renamed element, and a fallback
to the setting's direct URL when only the menus changed."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import ACCOUNT, AI_KEY, LINKEDIN_FLOW


def _variant(tmp_path: Path, replace: str, by: str) -> str:
    text = LINKEDIN_FLOW.read_text()
    assert replace in text, replace
    flow = tmp_path / "variant.yaml"
    flow.write_text(text.replace(replace, by))
    return str(flow)


def test_a_gone_switch_ends_with_exit_1_and_a_diagnosis_naming_the_renamed_element(
    linkedin, replica, tmp_path
):
    """The flow looks for an id the page no longer has: exit 1, state unknown, and the
    diagnosis lists the real switch among its closest candidates."""
    flow = _variant(tmp_path, "allowDataForGenerativeAI", "allowDataForGenAITraining")
    flow_text = (
        Path(flow)
        .read_text()
        .replace(
            "Use my data for training content creation AI models|", "Use my data for AI training|"
        )
    )
    Path(flow).write_text(flow_text)

    result = linkedin("verify", "--timeout", "2", flow=flow)

    assert result.code == 1
    data = result.json
    assert data["state_before"] == "unknown"
    assert "What to do" in data["reason"] and "optout-bot inspect" in data["reason"]
    folder = Path(data["diagnosis"])
    info = json.loads((folder / "diagnosis.json").read_text())
    assert info["url"].endswith("/mypreferences/d/settings/data-for-ai-improvement")
    assert info["step"].startswith("read the switch")
    top = info["candidates"][:3]
    assert any(c["attributes"].get("aria-labelledby") == "allowDataForGenerativeAI" for c in top), (
        top
    )
    assert "switch" in (folder / "aria-snapshot.yaml").read_text()
    assert any(Path(p).name.endswith("flow-broken.png") for p in data["screenshots"])


def test_a_broken_menu_falls_back_to_the_direct_url_and_says_so(linkedin, replica, tmp_path):
    """The Data privacy link was renamed: the run opens the setting's URL instead (exit 0),
    records the route, and warns that the flow needs an update."""
    flow = _variant(
        tmp_path,
        'nav a[href$="/mypreferences/d/categories/privacy"]',
        'nav a[href$="/mypreferences/d/categories/data-privacy-renamed"]',
    )
    text = (
        Path(flow)
        .read_text()
        .replace("name_regex: '^(Data privacy|Datenschutz)$'", "name: Privacy centre")
    )
    Path(flow).write_text(text)

    result = linkedin("run", "--yes", "--timeout", "2", flow=flow)

    assert result.code == 0, result.json["reason"]
    assert result.json["route"] == "direct-url"
    assert "opening the setting's direct URL instead" in result.err
    assert "needs an update" in result.err
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False


def test_run_walks_the_menus_and_verify_goes_straight_to_the_setting(linkedin):
    """By default run walks the menus as a person would, verify opens the setting's URL;
    each records the route it took, and `--route menus` makes verify walk too."""
    assert linkedin("run", "--yes").json["route"] == "navigation"
    direct = linkedin("verify")
    assert direct.json["route"] == "direct-url" and "[1/6]" not in direct.err
    assert linkedin("verify", "--route", "menus").json["route"] == "navigation"


def test_route_direct_opens_the_setting_url_without_the_menus(linkedin, replica):
    """--route direct goes straight to the setting (no menu clicks) and says so."""
    result = linkedin("run", "--yes", "--route", "direct")
    assert result.code == 0, result.json["reason"]
    assert result.json["route"] == "direct-url"
    assert "[1/6]" not in result.err
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False


def test_a_moved_setting_url_falls_back_to_the_menus(linkedin, replica, tmp_path):
    """The direct URL no longer shows the switch: the run walks the menus instead (exit 0),
    records the route, and warns that the flow needs an update."""
    flow = _variant(
        tmp_path,
        "  desktop: https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
        "  desktop: https://www.linkedin.com/mypreferences/d/categories/privacy",
    )
    result = linkedin("run", "--yes", "--route", "direct", "--timeout", "2", flow=flow)
    assert result.code == 0, result.json["reason"]
    assert result.json["route"] == "navigation-fallback"
    assert "walking the menus instead" in result.err
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False


def test_after_setting_url_steps_lead_from_the_direct_url_to_the_switch(
    linkedin, replica, tmp_path
):
    """A setting URL that shows a row, not the switch, is followed by the flow's
    `after_setting_url` steps (numbered after the URL), and no fallback is needed; the same
    steps bring a run round broken menus."""
    flow = _variant(
        tmp_path,
        "  desktop: https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
        "  desktop: https://www.linkedin.com/mypreferences/d/categories/privacy",
    )
    text = Path(flow).read_text() + (
        "after_setting_url:\n"
        "  - click: {css: 'a[href$=\"/mypreferences/d/settings/data-for-ai-improvement\"]'}\n"
    )
    Path(flow).write_text(text)
    result = linkedin("verify", "--timeout", "5", flow=flow)
    assert result.code == 3, result.json["reason"]
    assert result.json["route"] == "direct-url"
    assert "walking the menus instead" not in result.err
    assert "[2/2]" in result.err

    broken = (
        Path(flow)
        .read_text()
        .replace('categories/privacy"]', 'categories/renamed"]')
        .replace("name_regex: '^(Data privacy|Datenschutz)$'", "name: Privacy centre")
    )
    Path(flow).write_text(broken)
    result = linkedin("run", "--yes", "--timeout", "3", flow=flow)
    assert result.code == 0, result.json["reason"]
    assert result.json["route"] == "direct-url"
    assert replica.get_setting(AI_KEY, account=ACCOUNT) is False


def test_a_diagnosis_looks_for_the_flows_names_and_hooks_not_its_roles():
    """What a broken target wanted, as words to find on the page: each alternative of a name
    pattern, the attribute values and ids its CSS names, but no role (a link target would
    make every "LinkedIn" look like it) and no type."""
    import re

    from optout_bot.engine.diagnose import rank, wanted_words
    from optout_bot.flow.model import Locator, Target

    target = Target(
        (
            Locator("css", value='input[role="switch"][type=checkbox][aria-labelledby="allowX"]'),
            Locator("css", value="#me-menu a[href$='/categories/privacy']"),
            Locator("role", value="link", pattern=re.compile(r"^(Data privacy|Datenschutz)$")),
        )
    )

    assert wanted_words(target) == [
        "allowX",
        "/categories/privacy",
        "me-menu",
        "Data privacy",
        "Datenschutz",
    ]
    home = {"role": "link", "name": "LinkedIn", "attributes": {"href": "/feed/"}}
    privacy = {
        "role": "link",
        "name": "Privacy",
        "attributes": {"href": "/mypreferences/d/categories/privacy"},
    }
    assert [c["name"] for c in rank([home, privacy], target)] == ["Privacy", "LinkedIn"]
    assert rank([home], target)[0]["score"] < 1
