"""The step registry: every step type of the flow language has help, an example that loads,
an executor in the engine and a description a person can read."""

from __future__ import annotations

import pytest

from optout_bot.engine import steps
from optout_bot.flow import load_flow_text
from optout_bot.flow.model import STEP_MODIFIERS, STEP_TYPES, StepBase
from tests.test_flow_loader import BASE, changed


@pytest.mark.parametrize("key", list(STEP_TYPES))
def test_every_step_type_has_help_an_executor_and_a_description(key: str) -> None:
    """A registered step type without help, an executor or a readable description fails here."""
    cls = STEP_TYPES[key]
    assert key == cls.KEY and cls.HELP, f"{key}: no docstring to serve as its help"
    assert cls in steps.EXECUTORS, f"{key}: no executor in optout_bot.engine.steps.EXECUTORS"
    flow = load_flow_text(changed("    - reload\n", f"    - {cls.EXAMPLE}\n", BASE))
    step = flow.navigate["desktop"][2]
    assert type(step) is cls, f"{key}: its EXAMPLE does not load into it"
    assert steps.describe(step).strip()


def test_executors_run_only_registered_step_types() -> None:
    """No executor is left behind for a step type the language no longer has."""
    assert set(steps.EXECUTORS) == set(STEP_TYPES.values())


def test_registry_and_modifiers_come_from_the_classes() -> None:
    """The registry holds each step class under its action key, in definition order, and the
    modifiers are the base class's keys (a step class adds exactly one key, its action)."""
    assert list(STEP_TYPES) == [
        "goto",
        "goto_setting",
        "click",
        "wait_for",
        "expect_url",
        "dismiss_if_present",
        "screenshot",
        "reload",
    ]
    assert STEP_MODIFIERS == ("title", "optional", "timeout", "missing_means", "because")
    for cls in STEP_TYPES.values():
        assert set(cls.yaml_keys()) - set(StepBase.yaml_keys()) == {cls.KEY}


def test_a_new_step_class_registers_itself() -> None:
    """Defining a step class is what registers it (the registry is not a second list)."""
    from typing import Annotated

    from optout_bot.flow import values as v

    try:

        class Hover(StepBase):
            """move the pointer over an element"""

            EXAMPLE = "hover: {css: '#x'}"
            hover: Annotated[str, v.css]

        assert STEP_TYPES["hover"] is Hover and Hover.NEEDS == "a CSS selector"
    finally:
        STEP_TYPES.pop("hover", None)


@pytest.mark.parametrize(
    ("own", "default", "expected"),
    [(None, None, 10_000), (2_000, None, 2_000), (120_000, None, 10_000), (None, 1_500, 1_500)],
)
def test_run_timeout_caps_every_steps_own_timeout(own, default, expected) -> None:
    """A step waits its own timeout (or its kind's default) but never longer than --timeout."""
    written = "    - reload\n" if own is None else f"    - reload:\n      timeout: {own}\n"
    step = load_flow_text(changed("    - reload\n", written)).navigate["desktop"][2]
    assert step.timeout_ms == own
    context = steps.StepContext(
        page=None,  # type: ignore[arg-type]
        flow=None,  # type: ignore[arg-type]
        platform="desktop",
        timeout_ms=10_000,
        remaining_ms=lambda: 60_000,
        net=None,  # type: ignore[arg-type]
        shoot=print,
    )
    assert context.timeout(step, default) == expected


def test_no_step_waits_past_the_whole_runs_limit() -> None:
    """Near the end of `run_timeout` a step gets what is left, never 0 (Playwright's 'no limit')."""
    step = load_flow_text(changed("    - reload\n", "    - reload\n")).navigate["desktop"][2]
    left = [2_500]
    context = steps.StepContext(
        page=None,  # type: ignore[arg-type]
        flow=None,  # type: ignore[arg-type]
        platform="desktop",
        timeout_ms=10_000,
        remaining_ms=lambda: left[0],
        net=None,  # type: ignore[arg-type]
        shoot=print,
    )
    assert context.timeout(step) == 2_500
    left[0] = 0
    assert context.timeout(step) == 1


def _step(text: str) -> StepBase:
    flow = load_flow_text(changed("    - reload\n", f"    - {text}\n", BASE))
    return flow.navigate["desktop"][2]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{click: {role: link, name: Settings & Privacy}, title: Open Settings}", "Open Settings"),
        ("click: {role: link, name: Settings & Privacy}", 'click "Settings & Privacy"'),
        ("click: {text: Data privacy}", 'click "Data privacy"'),
        ("click: {label: Use my data}", 'click "Use my data"'),
        ("wait_for: {role: switch}", "wait for a switch"),
        ("click: {role: menuitem, name_regex: '^Settings'}", "click a menu item"),
        (
            "click: {css: 'header nav button[aria-expanded]:has(img)'}",
            "click something on the page",
        ),
        ("click: {test_id: profile-button}", "click something on the page"),
        ("click: [{css: '#me'}, {role: button, name: Me}]", 'click "Me"'),
        ("dismiss_if_present: {role: button, name: Dismiss}", 'close "Dismiss" if it is there'),
        ("goto: https://www.example.com/settings", "open https://www.example.com/settings"),
        ("goto_setting", "open the setting's page"),
        ("expect_url: '/settings/ai$'", "check the page's address"),
        ("screenshot: before-change", "take a screenshot"),
        ("reload", "reload the page"),
    ],
)
def test_a_step_in_words(text: str, words: str) -> None:
    """Progress shows a step's title, else words made from its target's name, text or label
    (a role says what kind of thing; a CSS selector or test id says nothing to a person)."""
    step = _step(text)
    assert steps.in_words(step) == words
    assert "css=" not in steps.in_words(step) and "role=" not in steps.in_words(step)


def test_the_selector_description_stays_for_the_evidence() -> None:
    """A titled step still describes its selector exactly as before (for -v, the evidence and
    the diagnosis of a broken flow)."""
    step = _step("{click: {css: '#me'}, title: Open the Me menu}")
    assert steps.in_words(step) == "Open the Me menu"
    assert steps.describe(step) == "click css='#me'"


def test_words_from_a_flow_stay_on_one_line() -> None:
    """A name with line breaks or tabs cannot draw a line of its own (the loader refuses
    control and format characters), and a long one is cut."""
    step = _step('click: {role: link, name: "Data\\n\\t privacy"}')
    assert steps.in_words(step) == 'click "Data privacy"'
    step = _step(f"click: {{text: {'x' * 200}}}")
    assert steps.in_words(step) == 'click "' + "x" * 59 + '…"'
