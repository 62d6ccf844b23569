"""A flow written back in the flow language (flow/writer.py): what optout-bot writes itself
(a repair's proposal, a recording) must load as the same flow."""

from __future__ import annotations

import pytest
import yaml

from optout_bot.flow import catalog
from optout_bot.flow.loader import load_flow, load_flows
from optout_bot.flow.writer import dump_flow

BUNDLED = [f for path in sorted(set(catalog.bundled_flows().values())) for f in load_flows(path)]


@pytest.mark.parametrize("flow", BUNDLED, ids=[f.id for f in BUNDLED])
def test_every_bundled_flow_written_back_loads_as_the_same_flow(flow, tmp_path):
    """Written as a one-setting file and loaded again: the same steps, targets, patterns and
    switch (written again, the same text), and a file the validator accepts."""
    path = tmp_path / f"{flow.id}.yaml"
    path.write_text(dump_flow(flow), encoding="utf-8")

    again = load_flow(path)

    assert dump_flow(again) == path.read_text(encoding="utf-8")
    assert (again.id, again.site, again.setting, again.category) == (
        flow.id, flow.site, flow.setting, flow.category
    )  # fmt: skip
    assert again.switch.target == flow.switch.target or [
        a.describe() for a in again.switch.target.alternatives
    ] == [a.describe() for a in flow.switch.target.alternatives]
    for platform in flow.platforms:
        assert [
            s.describe() if hasattr(s, "describe") else type(s) for s in again.navigate[platform]
        ] == [s.describe() if hasattr(s, "describe") else type(s) for s in flow.navigate[platform]]


def test_a_written_flow_reads_as_people_write_them(tmp_path):
    """One setting per file, the action first in each step, its title after, the wanted
    state quoted (an unquoted off is a boolean to YAML 1.1)."""
    (flow,) = [f for f in BUNDLED if f.id == "linkedin-ai-training"]
    text = dump_flow(flow)
    data = yaml.safe_load(text)

    assert data["format"] == 1 and data["id"] == "linkedin-ai-training"
    first = data["navigate"]["desktop"][0]
    assert list(first) == ["goto", "title"]
    assert "wanted: 'off'" in text


def test_steps_without_a_value_are_written_bare_or_with_their_modifiers(tmp_path):
    """goto_setting and reload take no value: bare, or as a mapping when they carry a
    title; either way they load again."""
    source = (catalog.bundled_dir() / "chatgpt-model-training.yaml").read_text()
    steps = (
        "verify:\n  - goto_setting\n  - reload:\n    title: Load it again\n  - click:\n"
        "      - css: 'button[data-testid=\"improve-model-open-modal-button\"]'\n"
    )
    start = source.index("verify:\n")
    path = tmp_path / "bare.yaml"
    path.write_text(source[:start] + steps, encoding="utf-8")
    flow = load_flow(path)

    written = yaml.safe_load(dump_flow(flow))["verify"]

    assert written[0] == "goto_setting"
    assert written[1] == {"reload": None, "title": "Load it again"}
    path.write_text(dump_flow(flow), encoding="utf-8")
    assert [type(s).__name__ for s in load_flow(path).verify] == ["GotoSetting", "Reload", "Click"]
