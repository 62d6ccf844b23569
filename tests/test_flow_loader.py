"""Tests for the flow loader: untrusted YAML in, a validated `Flow` or exact errors out."""

from __future__ import annotations

import datetime
import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optout_bot.flow import (
    FlowError,
    FlowErrors,
    load_flow,
    load_flow_text,
    load_flows,
    validate_paths,
)
from optout_bot.flow.loader import MAX_FILE_BYTES
from optout_bot.flow.model import (
    FORMAT_VERSION,
    LOCATOR_STRATEGIES,
    MAX_ALTERNATIVES,
    MAX_TITLE,
    STEP_TYPES,
    Click,
    ExpectUrl,
    Flow,
    Goto,
    GotoSetting,
    Mark,
    Reload,
    Screenshot,
    WaitFor,
)
from optout_bot.flow.safe_yaml import MAX_DEPTH
from optout_bot.flow.values import MAX_ITEMS

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "tests" / "flows" / "linkedin-ai-training.yaml"
SITE = ROOT / "flows" / "linkedin.yaml"
INVALID = Path(__file__).resolve().parent / "flows" / "invalid"

# A small valid flow. Tests change one thing in it and assert the exact place of the error,
# so the line numbers in the comments matter.
BASE = r"""format: 1
id: example-setting
site: Example
setting: Example AI setting
description: Stops Example from training on your data.
version: 1.0.0
last_verified: 2026-11-22
platforms: [desktop]
allowed_origins: [https://www.example.com]
setting_url:
  desktop: https://www.example.com/settings/ai
login:
  url: https://www.example.com/login
  logged_out_urls: ['^https://www\.example\.com/login']
  security_check_urls: []
  signed_in: {css: '#nav'}
switch:
  label: Use my data for AI
  target:
    - css: '#ai-switch'
    - role: switch
      name: Use my data for AI
  wanted: off
navigate:
  desktop:
    - goto: https://www.example.com/home
    - click: {role: link, name: Settings}
    - reload
    - screenshot: before
"""
#  line 14: logged_out_urls      line 20: css '#ai-switch'   line 26: goto
#  line 21: role: switch         line 23: wanted: off        line 27: click
#  line 22: name (of the role)   line 25: desktop:           line 28: reload, 29: screenshot


def changed(old: str, new: str, text: str = BASE) -> str:
    """`text` with the one occurrence of `old` replaced by `new`."""
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def errors_of(text: str) -> list[str]:
    """The rendered errors for a flow text that must fail to load."""
    with pytest.raises(FlowErrors) as info:
        load_flow_text(text, "f.yaml")
    return [str(e) for e in info.value.errors]


def the_error(text: str) -> str:
    """The single rendered error for a flow text with exactly one problem."""
    errors = errors_of(text)
    assert len(errors) == 1, "\n".join(errors)
    return errors[0]


# --------------------------------------------------------------------------------------------
# Valid flows
# --------------------------------------------------------------------------------------------


def test_bundled_linkedin_flow_loads_into_the_model() -> None:
    """The bundled LinkedIn flow loads with every field read as written."""
    flow = load_flow(BUNDLED)

    assert flow.format == 1
    assert flow.id == "linkedin-ai-training"
    assert flow.site == "LinkedIn"
    assert flow.version == "1.0.0"
    assert flow.last_verified == datetime.date(2026, 11, 22)
    assert flow.platforms == ("desktop", "mobile")
    assert flow.allowed_origins == ("https://www.linkedin.com",)
    assert flow.setting_url["mobile"].endswith("/mypreferences/m/settings/data-for-ai-improvement")
    assert flow.description.startswith("Stops LinkedIn") and not flow.description.endswith("\n")

    first = flow.switch.target.alternatives[0]
    assert first.strategy == "css"
    assert first.value == 'input[role="switch"][aria-labelledby="allowDataForGenerativeAI"]'
    by_role = [a for a in flow.switch.target.alternatives if a.strategy == "role"]
    assert by_role and by_role[-1].value == "switch"  # the English name comes after the id
    label = "Use my data for training content creation AI models"
    assert by_role[-1].name == label or (
        by_role[-1].pattern is not None and by_role[-1].pattern.search(label)
    )
    assert flow.switch.wanted == "off"

    desktop = flow.navigate["desktop"]
    assert [type(s) for s in desktop] == [Goto, Click, Click, Click, Click, ExpectUrl]
    row_click = desktop[4]
    assert isinstance(row_click, Click)
    assert row_click.missing_means == "not_offered"
    row_names = [a.pattern for a in row_click.target.alternatives if a.strategy == "role"]
    assert row_names and row_names[0] is not None
    assert row_names[0].search("Data for Generative AI Improvement On")
    assert desktop[0].missing_means == "broken"
    lines = BUNDLED.read_text().splitlines()
    row_line = [n for n, text in enumerate(lines, 1) if text.strip() == "- click:"][3]
    assert row_click.mark == Mark(str(BUNDLED), row_line, 7)

    assert flow.login.logged_out_urls[0].search("https://www.linkedin.com/authwall?x=1")
    assert flow.not_offered[0].alternatives[0].strategy == "text"
    dismiss = [a for a in flow.overlays[0].dismiss.alternatives if a.strategy == "role"]
    assert dismiss and (dismiss[0].name == "Dismiss" or dismiss[0].pattern.search("Dismiss"))
    assert flow.verify == ()


def test_load_flow_records_source_and_sha256() -> None:
    """`load_flow` records the resolved path and the SHA-256 of the file's bytes."""
    flow = load_flow(BUNDLED)
    assert flow.source == BUNDLED.resolve()
    assert flow.sha256 == hashlib.sha256(BUNDLED.read_bytes()).hexdigest()


def test_unquoted_off_is_the_string_off() -> None:
    """An unquoted `wanted: off` means "off", not YAML 1.1's False; `on` likewise."""
    assert load_flow_text(BASE).switch.wanted == "off"
    assert load_flow_text(changed("wanted: off", "wanted: on")).switch.wanted == "on"


def test_scalars_are_read_from_their_text() -> None:
    """Versions keep their text, quoted dates are dates, and `text: no` stays a string."""
    flow = load_flow_text(
        changed("version: 1.0.0", "version: 2")
        .replace("2026-11-22", "'2026-11-22'")
        .replace("{css: '#nav'}", "{text: no}")
    )
    assert flow.version == "2"
    assert flow.last_verified == datetime.date(2026, 11, 22)
    assert flow.login.signed_in.alternatives[0].value == "no"
    assert load_flow_text(changed("version: 1.0.0", "version: 1.10")).version == "1.10"


def test_steps_take_modifiers_and_bare_names() -> None:
    """Bare step names, `true`/empty values and the modifiers all reach the model."""
    text = changed(
        "    - reload\n",
        "    - reload: true\n"
        "      optional: true\n"
        "      timeout: 15000\n"
        "    - goto_setting:\n"
        "    - reload\n",
    )
    steps = load_flow_text(text).navigate["desktop"]
    assert [type(s) for s in steps] == [Goto, Click, Reload, GotoSetting, Reload, Screenshot]
    assert steps[2].optional is True and steps[2].timeout_ms == 15000
    assert steps[3].optional is False and steps[3].timeout_ms is None
    assert isinstance(steps[5], Screenshot) and steps[5].name == "before"
    assert steps[4].mark == Mark("<flow>", 32, 7)


@pytest.mark.parametrize("key", sorted(STEP_TYPES))
def test_every_registered_step_type_loads(key: str) -> None:
    """Each step in the registry loads from its documented form into its own class."""
    value = {
        "a target (a locator mapping or a list of them)": "{css: '#x'}",
        "an https URL": "https://www.example.com/x",
        "a regular expression": "'^https://www\\.example\\.com/'",
        "a screenshot name": "shot-1",
        "": "",
    }[STEP_TYPES[key].NEEDS]
    flow = load_flow_text(changed("    - reload\n", f"    - {key}: {value}\n"))
    assert type(flow.navigate["desktop"][2]) is STEP_TYPES[key]


@pytest.mark.parametrize(
    ("locator", "strategy", "value", "pattern"),
    [
        ("{css: 'a[href]'}", "css", "a[href]", None),
        ("{test_id: nav}", "test_id", "nav", None),
        ("{role: navigation}", "role", "navigation", None),
        ("{label: Search}", "label", "Search", None),
        ("{label_regex: '^Sea'}", "label", None, "^Sea"),
        ("{text: Settings}", "text", "Settings", None),
        ("{text_regex: 'Sett?ings'}", "text", None, "Sett?ings"),
    ],
)
def test_locator_forms(locator: str, strategy: str, value: str | None, pattern: str | None) -> None:
    """Each locator form maps onto the model's strategy with `value` or `pattern`."""
    flow = load_flow_text(changed("{css: '#nav'}", locator))
    loc = flow.login.signed_in.alternatives[0]
    assert (loc.strategy, loc.value) == (strategy, value)
    assert (loc.pattern.pattern if loc.pattern else None) == pattern
    assert loc.mark == Mark("<flow>", 16, 14)


def test_every_model_strategy_has_a_flow_form() -> None:
    """Every strategy of the model can be written in a flow (the two cannot drift apart)."""
    forms = ["{css: a}", "{test_id: a}", "{role: link}", "{label: a}", "{text: a}"]
    loaded = {
        load_flow_text(changed("{css: '#nav'}", f)).login.signed_in.alternatives[0].strategy
        for f in forms
    }
    assert loaded == set(LOCATOR_STRATEGIES)


def test_optional_keys_and_schema_key() -> None:
    """`$schema`, verify, not_offered, overlays and ui_variant are accepted when given."""
    text = (
        "$schema: https://example.com/flow.schema.json\n"
        + BASE
        + (
            "verify:\n"
            "  - wait_for: {role: switch}\n"
            "not_offered:\n"
            "  - {text: Not available}\n"
            "  - [{test_id: gone}, {text_regex: 'gone$'}]\n"
            "overlays:\n"
            "  - appears: {role: dialog}\n"
            "    dismiss: {role: button, name: Close}\n"
            "ui_variant: 2026 hub\n"
        )
    )
    flow = load_flow_text(text)
    assert len(flow.verify) == 1
    assert [len(t.alternatives) for t in flow.not_offered] == [1, 2]
    assert flow.overlays[0].dismiss.alternatives[0].name == "Close"
    assert flow.ui_variant == "2026 hub"


def test_after_setting_url_and_login_logged_out() -> None:
    """`after_setting_url` is a list of steps and `login.logged_out` a list of targets, both
    optional (empty when absent), both checked like their kin."""
    assert load_flow_text(BASE).after_setting_url == ()
    assert load_flow_text(BASE).login.logged_out == ()
    text = changed(
        "  signed_in: {css: '#nav'}\n",
        "  signed_in: {css: '#nav'}\n  logged_out:\n    - {css: '#log-in'}\n"
        "    - [{test_id: login-button}, {role: button, name: Log in}]\n",
    )
    text += (
        "after_setting_url:\n  - click: {role: button, name: Open}\n  - wait_for: {role: switch}\n"
    )
    flow = load_flow_text(text)
    assert [type(s) for s in flow.after_setting_url] == [Click, WaitFor]
    assert [len(t.alternatives) for t in flow.login.logged_out] == [1, 2]
    assert the_error(text.replace("  - wait_for:", "  - wiat_for:")) == (
        "f.yaml:35:5: after_setting_url[1].wiat_for: unknown step 'wiat_for'; "
        "did you mean 'wait_for'?"
    )


# --------------------------------------------------------------------------------------------
# Errors, each at its exact place
# --------------------------------------------------------------------------------------------


def test_yaml_syntax_error_points_at_the_problem() -> None:
    """A YAML syntax error becomes one error at PyYAML's problem mark, 1-based."""
    assert the_error(changed("site: Example", "site: Example: x")) == (
        "f.yaml:3:14: YAML syntax error: mapping values are not allowed here"
    )
    assert the_error(changed("site: Example", "site: [Example")) == (
        "f.yaml:4:8: YAML syntax error: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence at line 3)"
    )


def test_unknown_top_level_key_suggests_the_right_one() -> None:
    """A misspelt top-level key is refused with a suggestion."""
    assert the_error(BASE + "platfroms: [desktop]\n") == (
        "f.yaml:30:1: platfroms: unknown key 'platfroms'; did you mean 'platforms'?"
    )


def test_unknown_key_without_a_close_match_lists_the_keys() -> None:
    """An unknown key with no near miss lists the valid keys instead."""
    assert the_error(BASE + "zzz: 1\n") == (
        "f.yaml:30:1: zzz: unknown key 'zzz'; expected one of: format, id, site, setting, "
        "category, description, version, last_verified, ui_variant, platforms, allowed_origins, "
        "setting_url, login, switch, navigate, after_setting_url, verify, not_offered, "
        "overlays, mask"
    )


def test_unknown_step_suggests_the_right_one() -> None:
    """A misspelt step name gets "did you mean"."""
    assert the_error(changed("- click: {role", "- clik: {role")) == (
        "f.yaml:27:7: navigate.desktop[1].clik: unknown step 'clik'; did you mean 'click'?"
    )


def test_unknown_step_without_a_close_match_lists_the_steps() -> None:
    """An unknown bare step name lists every step of the registry."""
    assert the_error(changed("    - reload", "    - frobnicate")) == (
        "f.yaml:28:7: navigate.desktop[2]: unknown step 'frobnicate'; expected one of: "
        + ", ".join(STEP_TYPES)
    )


def test_unknown_step_modifier_suggests_the_right_one() -> None:
    """A misspelt modifier next to a valid action is called a modifier, with a suggestion."""
    assert the_error(changed("    - reload", "    - reload:\n      timout: 5")) == (
        "f.yaml:29:7: navigate.desktop[2].timout: unknown step modifier 'timout'; "
        "did you mean 'timeout'?"
    )


def test_unknown_locator_strategy() -> None:
    """A locator keyed by something other than a strategy is refused with the strategies."""
    assert the_error(changed("- css: '#ai-switch'", "- xpath: '//input'")) == (
        "f.yaml:20:7: switch.target[0].xpath: unknown locator strategy 'xpath'; "
        "expected one of: css, test_id, role, label, label_regex, text, text_regex"
    )


def test_wrong_type() -> None:
    """A mapping where a list is expected names both."""
    assert the_error(changed("['^https://www\\.example\\.com/login']", "{a: b}")) == (
        "f.yaml:14:20: login.logged_out_urls: expected a list of regular expressions, got a mapping"
    )


def test_wrong_scalar_type_shows_the_value() -> None:
    """A scalar of the wrong kind is quoted as written."""
    assert the_error(changed("signed_in: {css: '#nav'}", "signed_in: '#nav'")) == (
        "f.yaml:16:14: login.signed_in: expected a locator mapping or a list of them, "
        "got the string '#nav' (e.g. {css: '#id'} or {role: button, name: Save})"
    )
    assert the_error(changed("    - reload", "    - reload:\n      optional: yes")) == (
        "f.yaml:29:17: navigate.desktop[2].optional: expected true or false, got 'yes'"
    )


def test_bad_regex_reports_the_re_error() -> None:
    """A regex that Python cannot compile is refused with `re`'s own message."""
    assert the_error(changed("'^https://www\\.example\\.com/login'", "'(unclosed'")) == (
        "f.yaml:14:21: login.logged_out_urls[0]: invalid regular expression: "
        "missing ), unterminated subpattern at position 0"
    )


@pytest.mark.parametrize(
    ("regex", "message"),
    [
        (
            "(?i)login",
            "inline flags such as (?i) do not work in browser regular expressions "
            "(spell out the cases instead, e.g. [Dd]ata for Data or data)",
        ),
        (
            "(?P<page>login)",
            "named groups (?P<name>...) do not work in browser regular "
            "expressions (use a plain group (...))",
        ),
        ("\\Alogin", "'\\A' does not work in browser regular expressions (use ^ and $ instead)"),
        ("x" * 501, "too long (501 characters; at most 500)"),
    ],
)
def test_python_only_regex_syntax_is_refused(regex: str, message: str) -> None:
    """Regex syntax that JavaScript would reject or read differently is refused."""
    text = changed("'^https://www\\.example\\.com/login'", f"'{regex}'")
    assert the_error(text) == f"f.yaml:14:21: login.logged_out_urls[0]: {message}"


def test_js_compatible_regex_constructs_are_accepted() -> None:
    """Non-capturing groups, an escaped `(?` and `(?` in a class are fine."""
    pattern = r"(?:a|b)c\(?e[(?]"
    flow = load_flow_text(changed("'^https://www\\.example\\.com/login'", f"'{pattern}'"))
    assert flow.login.logged_out_urls[0].pattern == pattern


def test_missing_required_key_points_at_the_parent_mapping() -> None:
    """A missing key is reported at the mapping that lacks it, saying what it is for."""
    assert the_error(changed("site: Example\n", "")) == (
        "f.yaml:1:1: site: missing required key 'site' (the site's name, e.g. LinkedIn)"
    )
    assert the_error(changed("  wanted: off\n", "")) == (
        "f.yaml:18:3: switch.wanted: missing required key 'wanted' (the state wanted: on or off)"
    )
    # A key whose help runs on for a paragraph (the switch's label) gives its first sentence.
    assert the_error(changed("  label: Use my data for AI\n", "")) == (
        "f.yaml:18:3: switch.label: missing required key 'label' (the switch's label as the "
        "site shows it)"
    )


def test_url_outside_allowed_origins() -> None:
    """A URL on another origin is refused, naming the allowed ones."""
    assert the_error(
        changed("goto: https://www.example.com/home", "goto: https://evil.example/")
    ) == (
        "f.yaml:26:13: navigate.desktop[0].goto: URL 'https://evil.example/' is outside "
        "allowed_origins (https://www.example.com) "
        "(add https://evil.example to allowed_origins if the flow really needs it)"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.com.evil.example/",
        "https://www.example.com:8443/",
        "https://www.example.com@evil.example/",
    ],
)
def test_look_alike_urls_are_refused(url: str) -> None:
    """Suffix tricks, other ports and user-info tricks do not pass as the allowed origin."""
    error = the_error(changed("goto: https://www.example.com/home", f"goto: {url}"))
    assert error.startswith("f.yaml:26:13: navigate.desktop[0].goto: ")


def test_http_url_is_refused() -> None:
    """Plain http:// is refused with the fix."""
    assert the_error(
        changed(
            "desktop: https://www.example.com/settings/ai",
            "desktop: http://www.example.com/settings/ai",
        )
    ) == (
        "f.yaml:11:12: setting_url.desktop: only https:// URLs are allowed, got "
        "'http://www.example.com/settings/ai' (write https:// instead of http://)"
    )


def test_allowed_origin_with_a_path_is_refused() -> None:
    """An allowed origin is scheme and host only."""
    assert the_error(changed("[https://www.example.com]", "[https://www.example.com/x]")) == (
        "f.yaml:9:19: allowed_origins[0]: an origin has no path or query, got "
        "'https://www.example.com/x' (write just https://www.example.com)"
    )


def test_screenshot_name_cannot_leave_the_evidence_folder() -> None:
    """A screenshot name with `../` is refused: it becomes a file name."""
    assert the_error(changed("screenshot: before", "screenshot: ../before")) == (
        "f.yaml:29:19: navigate.desktop[3].screenshot: screenshot name '../before' is not "
        "allowed (use up to 64 letters, digits, '-' and '_', no dots or slashes: it becomes a "
        "file name)"
    )


def test_duplicate_key_points_at_the_second_one() -> None:
    """A repeated key is refused at its second occurrence (PyYAML would keep the last)."""
    assert the_error(changed("site: Example\n", "site: Example\nsite: Other\n")) == (
        "f.yaml:4:1: site: duplicate key 'site' (first given at line 3) (remove one of them)"
    )


def test_anchors_and_aliases_are_refused() -> None:
    """Both the anchor and the alias are reported."""
    text = changed("  label: Use my data for AI\n", "  label: &lbl Use my data for AI\n")
    text = changed("      name: Use my data for AI", "      name: *lbl", text)
    assert errors_of(text) == [
        "f.yaml:18:10: switch.label: anchors and aliases are not allowed in flow files "
        "(remove '&lbl' and write repeated values out in full)",
        "f.yaml:22:13: switch.target[1].name: anchors and aliases are not allowed in flow "
        "files (write the value out in full)",
    ]


def test_billion_laughs_is_refused_without_expanding() -> None:
    """The billion-laughs file is refused with every anchor and alias reported, none expanded."""
    with pytest.raises(FlowErrors) as info:
        load_flow(INVALID / "billion-laughs.yaml")
    refused = [
        (e.line, e.col, e.path)
        for e in info.value.errors
        if e.message == "anchors and aliases are not allowed in flow files"
    ]
    assert len(refused) == 9 + 8 * 9  # nine anchors, nine aliases on each of eight lines
    assert refused[:3] == [(3, 4, "a"), (4, 4, "b"), (4, 8, "b[0]")]


def test_python_tag_is_refused() -> None:
    """A `!!python/object/apply` tag is refused, and nothing is constructed from it."""
    path = INVALID / "python-tag.yaml"
    with pytest.raises(FlowErrors) as info:
        load_flow(path)
    tag_errors = [str(e) for e in info.value.errors if "tag" in e.message]
    assert tag_errors == [
        f"{path}:3:5: id: YAML tag '!!python/object/apply:os.system' is not allowed in flow "
        "files (flows hold plain values only; remove the tag)"
    ]
    # The tagged node is not judged again ("expected a flow id, got a list").
    assert [e.path for e in info.value.errors].count("id") == 1
    assert not Path("/tmp/optout-bot-pwned").exists()


def test_other_tags_are_refused_and_standard_ones_allowed() -> None:
    """Local and non-core tags are refused; `!!str` keeps a value a string."""
    assert the_error(changed("site: Example", "site: !secret Example")) == (
        "f.yaml:3:7: site: YAML tag '!secret' is not allowed in flow files "
        "(flows hold plain values only; remove the tag)"
    )
    assert the_error(changed("site: Example", "site: !!binary RXhhbXBsZQ==")).startswith(
        "f.yaml:3:7: site: YAML tag '!!binary' is not allowed"
    )
    assert load_flow_text(changed("wanted: off", "wanted: !!str off")).switch.wanted == "off"


def test_format_too_new_asks_for_an_upgrade() -> None:
    """A flow for a newer engine gets one error telling the user to upgrade."""
    text = changed("format: 1", f"format: {FORMAT_VERSION + 1}") + "new_fancy_key: 1\n"
    assert the_error(text) == (
        f"f.yaml:1:9: format: this flow needs a newer optout-bot (flow format "
        f"{FORMAT_VERSION + 1}, this engine understands up to {FORMAT_VERSION}); "
        "upgrade with `pip install -U optout-bot`"
    )


def test_platforms_and_navigate_must_match() -> None:
    """Every declared platform needs steps and a URL; undeclared platforms are refused."""
    assert errors_of(changed("platforms: [desktop]", "platforms: [desktop, mobile]")) == [
        "f.yaml:11:3: setting_url.mobile: missing a URL for platform 'mobile', which platforms "
        "lists (add `mobile:` under setting_url)",
        "f.yaml:25:3: navigate.mobile: missing steps for platform 'mobile', which platforms "
        "lists (add `mobile:` under navigate)",
    ]
    assert the_error(changed("navigate:\n", "navigate:\n  mobile: [reload]\n")) == (
        "f.yaml:25:3: navigate.mobile: platform 'mobile' is not in platforms (desktop) "
        "(add it to platforms or remove it from navigate)"
    )


def test_name_and_name_regex_together_are_refused() -> None:
    """A role locator takes `name` or `name_regex`, not both."""
    text = changed(
        "      name: Use my data for AI",
        "      name: Use my data for AI\n      name_regex: 'Use my'",
    )
    assert the_error(text) == (
        "f.yaml:23:7: switch.target[1].name_regex: give either 'name' or 'name_regex', not both"
    )


def test_bad_role_suggests_the_right_one() -> None:
    """An unknown ARIA role gets "did you mean"."""
    assert the_error(changed("role: switch", "role: swich")) == (
        "f.yaml:21:13: switch.target[1].role: unknown role 'swich'; did you mean 'switch'?"
    )


def test_two_strategies_in_one_locator_are_refused() -> None:
    """A locator with two strategies is refused with the list-of-alternatives fix."""
    text = changed("- css: '#ai-switch'", "- css: '#ai-switch'\n      text: Use my data")
    assert the_error(text) == (
        "f.yaml:21:7: switch.target[0].text: a locator has exactly one strategy, found 'css' "
        "and 'text' (to give alternatives, make the target a list with one locator per item)"
    )


@pytest.mark.parametrize(
    "selector",
    [
        "xpath=//input",
        "js=document.body",
        "internal:role=switch",
        "text=Use my data",
        "_react=Switch",
        "#ai-switch >> nth=0",
        "//input[@role='switch']",
        "",
    ],
)
def test_playwright_selector_engines_are_refused_in_css(selector: str) -> None:
    """Only plain CSS passes as `css`: engine prefixes, `>>` chains and XPath are refused."""
    error = the_error(changed("css: '#ai-switch'", f'css: "{selector}"'))
    assert error.startswith("f.yaml:20:12: switch.target[0].css: ")


def test_plain_css_with_attribute_values_is_accepted() -> None:
    """Attribute selectors with `=` inside brackets are ordinary CSS."""
    css = 'input[role="switch"][aria-labelledby=x] , a[href$="/y"]:not([hidden])'
    flow = load_flow_text(changed("css: '#ai-switch'", f"css: '{css}'"))
    assert flow.switch.target.alternatives[0].value == css


def test_multiple_errors_are_collected_in_one_pass() -> None:
    """Every independent problem in a file is reported, in file order."""
    with pytest.raises(FlowErrors) as info:
        load_flow(INVALID / "many-problems.yaml")
    rel = str(INVALID / "many-problems.yaml")
    assert str(info.value).splitlines() == [
        f"{rel}:12:12: setting_url.desktop: only https:// URLs are allowed, got "
        "'http://www.example.com/settings/ai' (write https:// instead of http://)",
        f"{rel}:15:21: login.logged_out_urls[0]: inline flags such as (?i) do not work in "
        "browser regular expressions (spell out the cases instead, e.g. [Dd]ata for Data or "
        "data)",
        f"{rel}:20:18: switch.target.role: unknown role 'buton'; did you mean 'button'?",
        f"{rel}:21:11: switch.wanted: unknown state 'disabled'; expected one of: on, off",
        f"{rel}:25:7: navigate.desktop[1].clik: unknown step 'clik'; did you mean 'click'?",
        f"{rel}:26:19: navigate.desktop[2].screenshot: screenshot name '../../etc/passwd' is "
        "not allowed (use up to 64 letters, digits, '-' and '_', no dots or slashes: it "
        "becomes a file name)",
    ]


def test_other_yaml_level_problems() -> None:
    """Second documents, non-string keys, control characters and deep nesting are refused."""
    assert the_error(BASE + "---\nfoo: bar\n") == (
        "f.yaml:30:1: a flow file holds one YAML document; found a second one "
        "(remove the '---' line and what follows it, or move it to its own file)"
    )
    assert the_error(changed("site: Example", "? [a]\n: b\nsite: Example")) == (
        "f.yaml:3:3: mapping keys must be strings, got a list"
    )
    assert the_error(changed("site: Example", 'site: "Ex\\e[31mample"')) == (
        "f.yaml:3:7: site: control character U+001B is not allowed here"
    )
    deep = changed("site: Example", "site: " + "[" * 1000 + "]" * 1000)
    assert the_error(deep).startswith(f"f.yaml:3:{7 + MAX_DEPTH - 1}: site")


def test_name_belongs_to_role_locators() -> None:
    """`name` next to another strategy is refused with the role form as the fix."""
    text = changed("- css: '#ai-switch'", "- css: '#ai-switch'\n      name: Use my data")
    assert the_error(text) == (
        "f.yaml:21:7: switch.target[0].name: 'name' only goes with 'role' "
        "(to match by accessible name, write {role: ..., name: ...})"
    )


def test_characters_yaml_refuses_are_located() -> None:
    """A character PyYAML's reader refuses is reported at its line and column."""
    assert the_error(changed("site: Example", "site: Ex\x07ample")) == (
        "f.yaml:3:9: YAML error: special characters are not allowed"
    )


def test_windows_line_endings_and_bom_are_fine() -> None:
    """CRLF line endings and a UTF-8 byte-order mark load, with the same error places."""
    assert load_flow_text("\ufeff" + BASE.replace("\n", "\r\n")).id == "example-setting"
    crlf = changed("- click: {role", "- clik: {role").replace("\n", "\r\n")
    assert the_error(crlf).startswith("f.yaml:27:7: navigate.desktop[1].clik: ")


def test_empty_file_and_non_mapping() -> None:
    """An empty file and a top-level list are refused at 1:1."""
    assert the_error("") == (
        "f.yaml:1:1: the file is empty (a flow is a mapping starting with `format: 1` "
        "(one setting) or `format: 2`)"
    )
    assert the_error("- a\n") == (
        "f.yaml:1:1: expected a mapping of flow keys (format, id, site, ...), got a list"
    )


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def test_missing_file() -> None:
    """A file that cannot be read is one error at 1:1."""
    with pytest.raises(FlowErrors) as info:
        load_flow("no/such/flow.yaml")
    assert str(info.value) == "no/such/flow.yaml:1:1: cannot read file: No such file or directory"


def test_non_utf8_file_points_at_the_bad_byte(tmp_path: Path) -> None:
    """A file that is not UTF-8 is refused at the first bad byte."""
    path = tmp_path / "flow.yaml"
    path.write_bytes(BASE.replace("site: Example", "site: Ex\xffample").encode("latin-1"))
    with pytest.raises(FlowErrors) as info:
        load_flow(path)
    assert str(info.value) == (f"{path}:3:9: file is not UTF-8 text (byte 0xff) (save it as UTF-8)")


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    """A file over the size limit is refused before it is parsed."""
    path = tmp_path / "big.yaml"
    path.write_text(BASE + "#" * MAX_FILE_BYTES)
    with pytest.raises(FlowErrors) as info:
        load_flow(path)
    assert str(info.value) == f"{path}:1:1: file is larger than 256 KiB"


def test_validate_paths_reports_every_file(tmp_path: Path) -> None:
    """`validate_paths` gives each file's problems, an empty list for a valid file."""
    bad = INVALID / "many-problems.yaml"
    results = validate_paths([BUNDLED, bad])
    assert results[str(BUNDLED)] == []
    assert len(results[str(bad)]) == 6
    assert all(isinstance(e, FlowError) for e in results[str(bad)])


def test_flow_error_rendering() -> None:
    """A FlowError renders as file:line:col: path: message (hint); no path for file errors."""
    assert str(FlowError("f.yaml", 2, 3, "a.b[0]", "bad", "fix it")) == (
        "f.yaml:2:3: a.b[0]: bad (fix it)"
    )
    assert str(FlowError("f.yaml", 1, 1, "", "cannot read file: x")) == (
        "f.yaml:1:1: cannot read file: x"
    )
    errors = FlowErrors([FlowError("f", 1, 1, "a", "x"), FlowError("f", 2, 1, "b", "y")])
    assert str(errors) == "f:1:1: a: x\nf:2:1: b: y"
    assert len(errors) == 2 and [e.path for e in errors] == ["a", "b"]


# --------------------------------------------------------------------------------------------
# Property: no input crashes the loader
# --------------------------------------------------------------------------------------------


#: A few hundred in the normal run; the long run (>= 10,000) is
#: `OPTOUT_BOT_FUZZ_EXAMPLES=10000 python -m pytest tests/test_flow_loader.py -k mutated`.
FUZZ_EXAMPLES = int(os.environ.get("OPTOUT_BOT_FUZZ_EXAMPLES", "300"))


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    position=st.integers(min_value=0, max_value=len(BASE)),
    cut=st.integers(min_value=0, max_value=20),
    insert=st.text(
        alphabet=st.sampled_from(list(" -:[]{}&*!'\"#\n\tabc|>?%@`,~0()+/\\")), max_size=8
    ),
)
def test_mutated_flows_load_or_fail_cleanly(position: int, cut: int, insert: str) -> None:
    """Any edit of a valid flow loads or raises FlowErrors with 1-based places, never crashes."""
    text = BASE[:position] + insert + BASE[position + cut :]
    try:
        flow = load_flow_text(text, "f.yaml")
    except FlowErrors as exc:
        assert exc.errors
        for error in exc.errors:
            assert error.line >= 1 and error.col >= 1 and error.file == "f.yaml"
            assert error.message
    else:
        assert isinstance(flow, Flow)


def test_regex_warnings_stay_off_the_terminal() -> None:
    """A regex Python warns about (a "possible nested set") loads without printing a warning."""
    import warnings

    text = changed("'^https://www\\.example\\.com/login'", "'[[a]x'")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        flow = load_flow_text(text)
    assert flow.login.logged_out_urls[0].search("[x")


# --------------------------------------------------------------------------------------------
# Text that is what it looks like: no hidden line breaks, bidi controls or lone surrogates
# --------------------------------------------------------------------------------------------

#: A click on line 28 that a hidden line break would pull out of the comment before it.
HIDDEN_STEP = "    - reload  # nothing to see here{}    - click: {{css: '#delete-account'}}\n"


@pytest.mark.parametrize(
    ("char", "named"),
    [
        ("\u2028", "line separator U+2028"),
        ("\u2029", "line separator U+2029"),
        ("\x85", "line separator U+0085"),
    ],
)
def test_a_hidden_line_break_cannot_smuggle_a_step_out_of_a_comment(char: str, named: str) -> None:
    """YAML would end the comment at the separator and run the click; the file is refused at
    the separator's place as grep -n and editors count lines."""
    text = changed("    - reload\n", HIDDEN_STEP.format(char))
    index = text.index(char)
    assert text.count("\n", 0, index) + 1 == 28
    assert the_error(text) == (
        f"f.yaml:28:{index - text.rfind(chr(10), 0, index)}: {named} is not allowed in a flow "
        "file (YAML reads it as a line break where editors and grep -n show none; delete it)"
    )


def test_a_carriage_return_without_a_line_feed_is_refused() -> None:
    """A lone CR is a line break to YAML and not to grep; CRLF endings stay fine."""
    text = changed("    - reload\n", HIDDEN_STEP.format("\r"))
    assert the_error(text).startswith(
        "f.yaml:28:36: a carriage return (U+000D) without a line feed is not allowed in a flow file"
    )
    assert load_flow_text(BASE.replace("\n", "\r\n")).id == "example-setting"


@pytest.mark.parametrize(
    ("char", "named"),
    [("\u202e", "bidirectional control U+202E"), ("\u2067", "bidirectional control U+2067")],
)
def test_bidirectional_controls_are_refused_even_in_comments(char: str, named: str) -> None:
    """A right-to-left override can make a reviewer read a comment or value other than it is."""
    text = changed("format: 1\n", f"format: 1  # {char}safe{char}\n")
    why = "(it changes the order in which the text around it is shown; delete it)"
    assert errors_of(text) == [
        f"f.yaml:1:14: {named} is not allowed in a flow file {why}",
        f"f.yaml:1:19: {named} is not allowed in a flow file {why}",
    ]


@pytest.mark.parametrize(
    ("escape", "named"),
    [
        ("\\ud800", "lone surrogate U+D800"),
        ("\\u2028", "line separator U+2028"),
        ("\\u202e", "bidirectional control U+202E"),
        ("\\x85", "line separator U+0085"),
    ],
)
def test_escapes_cannot_put_hidden_characters_into_values(escape: str, named: str) -> None:
    """A double-quoted escape is refused at the value, as the raw character is in the file."""
    text = changed("site: Example", f'site: "Ex{escape}ample"')
    assert the_error(text) == f"f.yaml:3:7: site: {named} is not allowed here"


def test_a_lone_surrogate_in_the_text_is_refused_not_a_crash() -> None:
    """A flow given as text with a lone surrogate is refused at its place."""
    text = changed("site: Example", "site: Ex\ud800ample")
    assert the_error(text) == (
        "f.yaml:3:9: lone surrogate U+D800 is not allowed in a flow file (it is not a "
        "character at all; delete it)"
    )


def test_many_hidden_characters_are_listed_then_counted() -> None:
    """Ten are listed at their places; the rest are counted on one more line."""
    text = BASE + "".join(f"# note {i}\u2028\n" for i in range(12))
    errors = errors_of(text)
    assert len(errors) == 11
    assert [e.split(":")[1] for e in errors[:10]] == [str(30 + i) for i in range(10)]
    assert errors[10] == "f.yaml:39:9: and 2 more such characters after this one"


#: Every kind of character a flow could hide something with.
_HIDDEN_KINDS = st.one_of(
    st.characters(categories=["Zl", "Zp", "Cc", "Cf", "Cs"]),
    st.sampled_from(["\r", "\x85", "\u2028", "\u2029", "\u202e", "\ud800", "\udfff", "\ufeff"]),
)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    position=st.integers(min_value=0, max_value=len(BASE)),
    inserted=st.lists(_HIDDEN_KINDS, min_size=1, max_size=3),
    escaped=st.booleans(),
)
def test_hidden_characters_anywhere_give_a_flow_or_located_errors(
    position: int, inserted: list[str], escaped: bool
) -> None:
    """Separators, controls, format characters and surrogates, raw or as YAML escapes: a
    validated flow or errors inside the file, never a crash."""
    chars = "".join(f"\\u{ord(c):04x}" for c in inserted) if escaped else "".join(inserted)
    text = BASE[:position] + chars + BASE[position:]
    lines = text.count("\n") + 1
    try:
        load_flow_text(text, "f.yaml")
    except FlowErrors as exc:
        assert exc.errors
        for error in exc.errors:
            assert 1 <= error.line <= lines and error.col >= 1 and error.message
            str(error).encode("utf-8")  # printable on any terminal: no lone surrogate in it


# --------------------------------------------------------------------------------------------
# Bounded flows
# --------------------------------------------------------------------------------------------


def test_a_flow_cannot_queue_thousands_of_steps() -> None:
    """A route of more than MAX_ITEMS steps is refused by validate, before anything runs."""
    steps = "".join(
        f"    - wait_for: {{css: '#x{i}'}}\n      optional: true\n" for i in range(3000)
    )
    text = changed("    - screenshot: before\n", "    - screenshot: before\n" + steps)
    assert the_error(text) == (
        f"f.yaml:26:5: navigate.desktop: too many items (3004; at most {MAX_ITEMS}) "
        "(a flow walks a few menus to one switch; shorten the list)"
    )


#: The switch target's alternatives in BASE.
SWITCH_ALTERNATIVES = (
    "    - css: '#ai-switch'\n    - role: switch\n      name: Use my data for AI\n"
)


def test_a_target_has_a_bounded_number_of_alternatives() -> None:
    """A target may list at most MAX_ALTERNATIVES locators: each is tried while a step waits."""
    many = "".join(f"    - css: '#s{i}'\n" for i in range(MAX_ALTERNATIVES + 1))
    text = changed(
        "    - css: '#ai-switch'\n    - role: switch\n      name: Use my data for AI\n", many
    )
    assert the_error(text) == (
        f"f.yaml:20:5: switch.target: too many items ({MAX_ALTERNATIVES + 1}; at most "
        f"{MAX_ALTERNATIVES}) (a flow walks a few menus to one switch; shorten the list)"
    )
    fine = "".join(f"    - css: '#s{i}'\n" for i in range(MAX_ALTERNATIVES))
    text = changed(
        "    - css: '#ai-switch'\n    - role: switch\n      name: Use my data for AI\n", fine
    )
    assert len(load_flow_text(text).switch.target.alternatives) == MAX_ALTERNATIVES


@pytest.mark.parametrize(
    ("where", "url", "word"),
    [
        ("goto", "https://www.example.com/m/logout/", "logout"),
        ("goto", "https://www.example.com/uas/logout?session_full_logout=true", "logout"),
        ("setting_url", "https://www.example.com/settings/deleteAccount", "delete"),
        ("goto", "https://www.example.com/premium/checkout/", "checkout"),
    ],
)
def test_a_url_that_reads_as_sign_out_delete_or_pay_is_refused_at_its_place(where, url, word):
    """goto and setting_url are held to the guard's vocabulary when the flow loads."""
    old = (
        "goto: https://www.example.com/home"
        if where == "goto"
        else "desktop: https://www.example.com/settings/ai"
    )
    new = old.split("https://")[0] + url
    with pytest.raises(FlowErrors) as info:
        load_flow_text(changed(old, new))
    assert f"reads as '{word}'" in str(info.value)


# --------------------------------------------------------------------------------------------
# Step titles (issue 12: words a person understands)
# --------------------------------------------------------------------------------------------


def test_a_step_takes_a_title() -> None:
    """`title` is a modifier of every step: plain text, read as written (surrounding spaces
    dropped)."""
    flow = load_flow_text(
        changed("    - reload", "    - reload:\n      title: '  Reload the settings page '")
    )
    assert flow.navigate["desktop"][2].title == "Reload the settings page"
    assert flow.navigate["desktop"][0].title is None


def test_a_title_that_is_not_text_is_refused_at_its_place() -> None:
    """A title that is a mapping, not a string, is refused at file:line:col."""
    assert the_error(changed("    - reload", "    - reload:\n      title: {a: b}")) == (
        "f.yaml:29:14: navigate.desktop[2].title: expected a title, got a mapping"
    )


def test_an_overlong_or_empty_title_is_refused_at_its_place() -> None:
    """A title longer than one short line, or empty, is refused at file:line:col."""
    long = "Open " + "the menu " * 10
    assert the_error(changed("    - reload", f"    - reload:\n      title: {long}")) == (
        f"f.yaml:29:14: navigate.desktop[2].title: too long ({len(long.strip())} characters; "
        f"at most {MAX_TITLE})"
    )
    assert the_error(changed("    - reload", "    - reload:\n      title: ''")) == (
        "f.yaml:29:14: navigate.desktop[2].title: expected a title, got an empty string"
    )


def test_a_title_with_a_control_character_is_refused() -> None:
    """A title gets the checks of every other human string: no control characters (an
    escape sequence could redraw a terminal)."""
    error = the_error(changed("    - reload", '    - reload:\n      title: "Open\\e[2J"'))
    assert error.startswith("f.yaml:29:14: navigate.desktop[2].title: ")
    assert "is not allowed here" in error


def test_every_step_of_the_bundled_flows_has_a_title() -> None:
    """The bundled flows title every step (navigation, after_setting_url, verify, on every
    platform), so a run shows words, never a selector, without -v."""
    paths = sorted((ROOT / "flows").glob("*.yaml"))
    flows = [f for p in [*paths, BUNDLED] for f in load_flows(p)]
    assert len(flows) == 12 + 2 + 1
    for flow in flows:
        steps = [
            *(s for route in flow.navigate.values() for s in route),
            *flow.after_setting_url,
            *flow.verify,
        ]
        untitled = [f"{s.KEY} at {s.mark}" for s in steps if not s.title]
        assert steps and untitled == [], flow.id
