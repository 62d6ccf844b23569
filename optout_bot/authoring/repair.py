"""Repair from a run: a flow that would not have needed the run's fallbacks, or that gets
past where the run broke.

When a run reached the switch only through a fallback (a target's later alternative, the
switch's, or a page found at an address the flow does not expect), or broke because an
element was not found where the page had a likely replacement for it (the diagnosis's
`engine.replacement`), the app hands what happened to `propose`, which writes beside the
run's evidence:

- ``proposed-flow.yaml``: the flow as one setting (`flow.writer`), with each alternative
  that worked moved to the front of its target (nothing removed: the others stay, in their
  order, after it); for a moved page, its new address as the setting's URL and in the
  `expect_url` checks of that platform; for a broken run, the replacement's verified
  locators added at the front of the target that found nothing (before its old
  alternatives, all kept: why first, see `engine/replacement.py`);
- ``proposed-flow.diff``: a unified diff from the flow as it is (written the same way) to
  the proposal.

The proposal is made only of what the run saw (an added locator was checked on the live
page to find exactly the element the run saw, by the runner's own locator code), and is
loaded before it is kept: a proposal the flow language refuses is not written.
`optout-bot flows repair ID` checks the newest one read-only and installs it as the
person's own flow (see `cli/flows_cmd.py`).
"""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from optout_bot.flow import model as m
from optout_bot.flow.patterns import literal
from optout_bot.flow.writer import dump_data, dump_flow, flow_data

PROPOSAL = "proposed-flow.yaml"
DIFF = "proposed-flow.diff"
#: A proposal once `flows repair` installed it.
INSTALLED = "proposed-flow.installed.yaml"


@dataclass(frozen=True)
class Fallbacks:
    """What a run did that the flow as written did not foresee."""

    platform: str
    #: (section, position, index): in `navigate[platform]` or `after_setting_url`, the step
    #: at `position` matched by the alternative at `index` (> 0)
    promotions: tuple[tuple[str, int, int], ...] = ()
    #: the switch target's alternative that matched
    switch_index: int = 0
    #: where the setting's page was, when not where the flow expects it
    moved_url: str = ""
    #: (section, position, locators): new alternatives for a target, put before its own:
    #: the step at `position` of `navigate[platform]`, `after_setting_url` or `verify`, or
    #: the switch's target (section "switch")
    additions: tuple[tuple[str, int, tuple[dict[str, str], ...]], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.promotions or self.switch_index or self.moved_url or self.additions)


def propose(flow: m.Flow, found: Fallbacks, folder: Path) -> Path | None:
    """Write the proposal and its diff into `folder`; its path, or None when there is
    nothing to propose (or the result would not load)."""
    from optout_bot.flow.loader import FlowErrors, load_flow

    before = dump_flow(flow)
    data = flow_data(flow)
    _apply(data, found)
    after = dump_data(data)
    if after == before:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / PROPOSAL
    path.write_text(after, encoding="utf-8")
    try:
        load_flow(path)
    except FlowErrors:
        path.unlink()
        return None
    diff = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"{flow.id} (as it is)",
        tofile=f"{flow.id} (proposed)",
    )
    (folder / DIFF).write_text("".join(diff), encoding="utf-8")
    return path


def _apply(data: dict[str, Any], found: Fallbacks) -> None:
    for section, position, index in found.promotions:
        alternatives = _target(data, section, position, found.platform)
        if alternatives is not None:
            _promote(alternatives, index)
    if found.switch_index:
        _promote(data["switch"]["target"], found.switch_index)
    for section, position, new in found.additions:
        alternatives = _target(data, section, position, found.platform)
        if alternatives is not None:
            alternatives[:0] = [dict(loc) for loc in new if loc not in alternatives]
    if found.moved_url:
        url = found.moved_url
        data.setdefault("setting_url", {})[found.platform] = url
        pattern = literal(urlsplit(url).path)
        for section in ("navigate", "after_setting_url"):
            for step in _steps(data, section, found.platform):
                if isinstance(step, dict) and "expect_url" in step:
                    step["expect_url"] = pattern


def _target(data: dict[str, Any], section: str, position: int, platform: str) -> list[Any] | None:
    """The alternatives of the switch's target (section "switch") or of the step's at
    `position` of `section`, as a list to edit in place; None when there is none."""
    if section == "switch":
        return data["switch"]["target"]
    steps = _steps(data, section, platform)
    step = steps[position] if 0 <= position < len(steps) else None
    if isinstance(step, dict):
        for key in ("click", "wait_for", "dismiss_if_present"):
            if isinstance(step.get(key), list):
                return step[key]
    return None


def _steps(data: dict[str, Any], section: str, platform: str) -> list[Any]:
    """The steps of `section` on `platform` (navigate is per platform), or none."""
    steps = data.get(section)
    if isinstance(steps, dict):
        steps = steps.get(platform)
    return steps if isinstance(steps, list) else []


def _promote(alternatives: list[Any], index: int) -> None:
    if 0 < index < len(alternatives):
        alternatives.insert(0, alternatives.pop(index))


def bumped(flow_text: str, today: datetime.date | None = None) -> str:
    """The proposal as the person's own flow: its version's last number one up, and
    `last_verified` today."""
    data = yaml.safe_load(flow_text)
    parts = str(data.get("version", "1.0.0")).split(".")
    if parts and parts[-1].isdigit():
        parts[-1] = str(int(parts[-1]) + 1)
    data["version"] = ".".join(parts)
    data["last_verified"] = (today or datetime.date.today()).isoformat()
    return dump_data(data)
