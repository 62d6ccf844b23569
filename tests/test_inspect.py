"""`optout-bot inspect`: the controls it lists, the locators it suggests (each verified), and
the flow skeleton it writes -- on small local pages, and end to end on the LinkedIn replica,
where a flow made from the skeleton runs unchanged."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Page, Route

from optout_bot.authoring.inspect import (
    Control,
    Inspection,
    css_string,
    inspect_page,
    looks_generated,
    render_text,
)
from optout_bot.authoring.skeleton import flow_id_for, skeleton, yaml_str
from optout_bot.flow import load_flow_text
from optout_bot.flow.loader import locator_problem

ORIGIN = "https://inspect.test"
SETTING_URL = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"
AI_CSS = 'input[role="switch"][aria-labelledby="allowDataForGenerativeAI"]'
TODAY = datetime.date(2026, 11, 22)

#: Test pages by path, served from ORIGIN (and one from another origin, for an iframe).
PAGES = {
    "/shadow.html": """<!doctype html><title>Privacy</title><h1>Privacy</h1>
<x-setting></x-setting>
<script>
  customElements.define("x-setting", class extends HTMLElement {
    constructor() {
      super();
      this.attachShadow({mode: "open"}).innerHTML = `
        <div class="row"><input type="checkbox" id="share" name="share-data" checked>
        <label for="share">Share my data with partners</label></div>`;
    }
  });
</script>""",
    "/radios.html": """<!doctype html><title>Ads</title><h1>Ad preferences</h1>
<fieldset><legend>Ads</legend>
  <label><input type="radio" name="ads" id="ads-personal" checked> Personalised ads</label>
  <label><input type="radio" name="ads" id="ads-generic"> Generic ads</label>
</fieldset>""",
    "/beside-text.html": """<!doctype html><title>Data | Example</title><h1>Your data</h1>
<div class="row"><span>Personalised ads</span><button class="toggle" role="switch"
  aria-checked="false"></button></div>
<div class="row"><span>Use my data to train AI models</span><button class="toggle"
  role="switch" aria-checked="true"></button></div>""",
    "/generated-id.html": """<!doctype html><title>Settings</title><h1>Generative AI</h1>
<input type="checkbox" role="switch" id="ember123" class="artdeco-toggle"
  aria-label="Use my data for generative AI">""",
    "/frames.html": """<!doctype html><title>Frames</title><h1>Settings</h1>
<input type="checkbox" id="newsletter" aria-label="Newsletter">
<iframe src="/inner.html"></iframe>
<iframe src="https://elsewhere.test/inner.html"></iframe>""",
    "/inner.html": """<!doctype html><title>Inner</title>
<input type="checkbox" role="switch" id="train" aria-label="Allow AI training" checked>""",
    "/unflowable.html": """<!doctype html><title>Odd</title><h1>Odd</h1>
<input type="checkbox" id="odd\u2028one" data-testid="x\u202ey" aria-label="ODD_LABEL">
<input type="checkbox" id="plain" aria-label="Plain">""".replace("ODD_LABEL", "Odd " * 130),
    "/clicks.html": """<!doctype html><title>Clicks</title><h1>Clicks</h1>
<input type="checkbox" role="switch" id="ai" aria-label="AI training" checked>
<script>
  window.events = 0;
  for (const type of ["click", "change", "input", "pointerdown", "keydown", "focus"]) {
    document.addEventListener(type, () => { window.events++; }, true);
  }
</script>""",
}


@pytest.fixture
def served(page: Page) -> Callable[[str], Page]:
    """`served("/radios.html")`: the page open at ORIGIN, with the test pages routed."""

    def serve(route: Route) -> None:
        body = PAGES.get(urlsplit(route.request.url).path)
        if body is None:
            route.fulfill(status=404)
        else:
            route.fulfill(body=body, headers={"content-type": "text/html; charset=utf-8"})

    page.context.route(f"{ORIGIN}/**", serve)
    page.context.route("https://elsewhere.test/**", serve)

    def go(path: str) -> Page:
        page.goto(ORIGIN + path)
        return page

    return go


def inspect(page: Page) -> Inspection:
    """`inspect_page`, checking on the way that the loader takes every suggestion."""
    result = inspect_page(page, timeout_ms=5_000, today=TODAY)
    for control in result.controls:
        assert [locator_problem(s) for s in control.suggestions] == [None] * len(
            control.suggestions
        )
    return result


def by_name(result: Inspection, name: str) -> Control:
    matches = [c for c in result.controls if c.name == name]
    assert len(matches) == 1, [c.name for c in result.controls]
    return matches[0]


# -- local pages ---------------------------------------------------------------------------------


def test_checkbox_in_shadow_dom(served) -> None:
    """A checkbox in an open shadow root is listed with its label and state, and the suggested
    locators (which pierce the shadow root) find it."""
    result = inspect(served("/shadow.html"))
    control = by_name(result, "Share my data with partners")
    assert (control.role, control.state, control.tag, control.type) == (
        "checkbox",
        "on",
        "input",
        "checkbox",
    )
    assert control.name_from == "label"
    assert control.attributes == {"id": "share", "name": "share-data", "type": "checkbox"}
    assert control.suggestions == [
        {"css": "#share"},
        {"css": 'input[type="checkbox"][name="share-data"]'},
        {"role": "checkbox", "name": "Share my data with partners"},
        {"label": "Share my data with partners"},
    ]


def test_radio_group(served) -> None:
    """Each radio of a group is listed with its own state; the group's shared `name` is not
    suggested (it finds both), the ids and role + name are."""
    result = inspect(served("/radios.html"))
    personal = by_name(result, "Personalised ads")
    generic = by_name(result, "Generic ads")
    assert (personal.role, personal.state) == ("radio", "on")
    assert (generic.role, generic.state) == ("radio", "off")
    assert generic.suggestions == [
        {"css": "#ads-generic"},
        {"role": "radio", "name": "Generic ads"},
        {"label": "Generic ads"},
    ]
    assert not any("name=" in s.get("css", "") for s in personal.suggestions)


def test_unnamed_switch_beside_its_text(served) -> None:
    """A switch with no name of its own is named by the text before it in its row and is the
    one chosen (its text speaks of training AI), but nothing is suggested for it: plain CSS
    cannot reach an element by the text beside it (Playwright's :text-is() could, and a
    flow's css is plain CSS), so the skeleton leaves its target to the author."""
    result = inspect(served("/beside-text.html"))
    control = by_name(result, "Use my data to train AI models")
    assert control.name_from == "nearby text"
    assert control.state == "on"
    assert any("no accessible name of its own" in w for w in control.warnings)
    assert control.suggestions == []
    assert any("no locator finds exactly this control" in w for w in control.warnings)
    assert result.chosen == control.index
    flow = load_flow_text(result.skeleton)
    assert "TODO: no locator found this control on its own" in result.skeleton
    assert flow.switch.target.alternatives[0].value == '[role="switch"]'
    assert flow.switch.label == "Use my data to train AI models"
    assert flow.id == "inspect-ai-training"


def test_inspect_never_suggests_what_the_loader_refuses(served) -> None:
    """Attributes and names a flow may not hold (a hidden line separator, a bidirectional
    control, a name past the loader's limit) are not suggested; what is suggested passes the
    loader's own check and finds the control."""
    result = inspect(served("/unflowable.html"))
    odd, plain = result.controls
    assert odd.suggestions == []
    assert plain.suggestions == [
        {"css": "#plain"},
        {"role": "checkbox", "name": "Plain"},
        {"label": "Plain"},
    ]
    load_flow_text(result.skeleton)


def test_locator_problem_is_the_loaders_own_check() -> None:
    """`locator_problem` refuses what a flow's target refuses, in the loader's words."""
    assert locator_problem({"css": "#ai"}) is None
    assert locator_problem({"role": "switch", "name": "AI"}) is None
    assert locator_problem({"css": 'span:text-is("AI") + button'}) == (
        "':text-is()' is Playwright's own selector syntax, not CSS"
    )
    assert locator_problem({"css": "(//input)"}) == (
        "XPath is not allowed, only plain CSS: '(//input)'"
    )
    assert locator_problem({"label": "x" * 501}) == "too long (501 characters; at most 500)"


def test_generated_id_is_not_suggested(served) -> None:
    """An id like ember123 is left out of the attributes and suggestions, with a warning, and
    so are class names."""
    result = inspect(served("/generated-id.html"))
    control = by_name(result, "Use my data for generative AI")
    assert "id" not in control.attributes
    assert not any("ember123" in str(s) for s in control.suggestions)
    assert any('id="ember123" looks generated' in w for w in control.warnings)
    assert any("class names change" in w for w in control.warnings)
    assert control.suggestions == [
        {"role": "switch", "name": "Use my data for generative AI"},
        {"label": "Use my data for generative AI"},
    ]
    assert control.name_from == "aria-label"


def test_same_origin_iframe_is_inspected_cross_origin_is_not(served) -> None:
    """A same-origin iframe's controls are listed (with a warning: flows do not reach into
    frames), a cross-origin one is only mentioned; the skeleton opens the frame's URL."""
    result = inspect(served("/frames.html"))
    assert [c.name for c in result.controls] == ["Newsletter", "Allow AI training"]
    inner = by_name(result, "Allow AI training")
    assert inner.frame == f"{ORIGIN}/inner.html"
    assert inner.state == "on"
    assert {"css": "#train"} in inner.suggestions
    assert any("inside an iframe" in w for w in inner.warnings)
    assert any("cross-origin iframe(s) not inspected" in n for n in result.notes)
    assert result.chosen == inner.index
    flow = load_flow_text(result.skeleton)
    assert flow.setting_url == {"desktop": f"{ORIGIN}/inner.html"}


def test_inspect_never_touches_the_page(served) -> None:
    """Inspecting clicks, types and focuses nothing: the page sees no event at all."""
    page = served("/clicks.html")
    result = inspect(page)
    assert result.controls[0].state == "on"
    assert page.evaluate("window.events") == 0
    assert page.locator("#ai").is_checked()


def test_skeleton_of_a_page_without_controls_still_loads(served) -> None:
    """With nothing to inspect the skeleton has a placeholder target and still validates."""
    page = served("/inner.html")
    page.set_content("<title>Empty</title><h1>Nothing here</h1>")
    result = inspect(page)
    assert result.controls == [] and result.chosen is None
    assert any("no switch, checkbox or radio" in n for n in result.notes)
    flow = load_flow_text(result.skeleton)
    assert flow.setting == "Nothing here"


def test_text_report_lists_the_table_and_the_skeleton(served) -> None:
    """The human report has a row per control, its warnings and locators, then the skeleton."""
    result = inspect(served("/generated-id.html"))
    text = render_text(result)
    assert "ROLE" in text and "STATE" in text
    assert re.search(
        r"\* +1 +switch +off +input\[type=checkbox\] +Use my data for generative AI", text
    )
    assert 'warning: id="ember123" looks generated' in text
    assert text.rstrip().endswith("verify: []")
    assert "# ---- flow skeleton" in text


# -- helpers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "generated"),
    [
        ("ember123", True),
        ("ember-4567", True),
        (":r1:", True),
        ("«r5»", True),
        ("_r_3_", True),
        ("radix-:R1:", True),
        ("mui-12", True),
        ("toggle-9f8e7d6c5b4a", True),
        ("3f2b8c1e-4d5a-4b6c-9e7f-1a2b3c4d5e6f", True),
        ("allowDataForGenerativeAI", False),
        ("share", False),
        ("ads-personal", False),
        ("option2", False),
        ("data-for-ai-improvement", False),
        ("deadline", False),
    ],
)
def test_looks_generated(value: str, generated: bool) -> None:
    """Framework-made ids are told apart from hand-written ones."""
    assert looks_generated(value) is generated


def test_flow_id_for_host() -> None:
    """The skeleton's id is the host's name without www. and the top-level domain."""
    assert flow_id_for("www.linkedin.com") == "linkedin-ai-training"
    assert flow_id_for("m.facebook.com") == "facebook-ai-training"
    assert flow_id_for("accounts.example.co.uk") == "accounts-example-co-ai-training"
    assert flow_id_for("localhost") == "localhost-ai-training"


def test_css_string_escapes() -> None:
    """Attribute values are quoted as CSS strings."""
    assert css_string('a"b\\c') == '"a\\"b\\\\c"'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("switch", "switch"),
        ("off", "'off'"),
        ("Yes", "'Yes'"),
        ("", "''"),
        ("it's", "'it''s'"),
        ('input[role="switch"]', "'input[role=\"switch\"]'"),
        ("^https://x\\.test/(login)", "'^https://x\\.test/(login)'"),
        ("a: b # c", "'a: b # c'"),
        ("line\nbreak", '"line\\nbreak"'),
        ("para\u2029graph", '"para\\Pgraph"'),
        ("tab\tbed", '"tab\\tbed"'),
    ],
)
def test_yaml_str_reads_back_as_the_same_string(value: str, written: str) -> None:
    """A value from the page is written as one YAML scalar on one line (plain only for a
    simple word) that reads back as exactly that string."""
    assert yaml_str(value) == written
    assert yaml.safe_load(f"key: {written}") == {"key": value}


def test_skeleton_values_from_the_page_cannot_add_keys() -> None:
    """A heading and a site name built to look like YAML stay the setting's and the site's
    names: the skeleton still loads, with those strings (a line separator made a space)."""
    heading = "Data'\nverify: [x]\n# done"
    site = "Evil: site\u2028id: other"
    text = skeleton(
        "https://example.test/settings/ai",
        None,
        heading=heading,
        site_name=site,
        platform="desktop",
        signed_in=[{"css": "a[href*='logout']"}],
        today=TODAY,
    )
    flow = load_flow_text(text)
    assert flow.setting == heading
    # A line separator is a line break to YAML: the loader refuses one, so it becomes a space.
    assert flow.site == "Evil: site id: other"
    assert flow.id == "example-ai-training"
    assert flow.login.signed_in.alternatives[0].value == "a[href*='logout']"


# -- the command, against the replica --------------------------------------------------------------


def test_cli_refuses_a_non_https_url(run_cli) -> None:
    """A page a flow could not open is refused before any browser starts."""
    result = run_cli("inspect", "http://www.linkedin.com/", "--headless")
    assert result.code == 2
    assert "flows open https:// pages only" in result.err


def test_inspect_the_replica_and_run_its_skeleton(
    run_cli, replica, sign_in_profile, tmp_path: Path
) -> None:
    """On LinkedIn's setting page (the replica), inspect finds the switch on, suggests the
    language-independent aria-labelledby selector first, and a flow made from its skeleton
    runs `verify` unchanged: exit 3, because the switch is on."""
    sign_in_profile()
    replica_arg = f"127.0.0.1:{replica.port}"
    result = run_cli("inspect", SETTING_URL, "--headless", "--json", "--replica", replica_arg)
    assert result.code == 0, result.err
    data = result.json
    assert data["url"] == SETTING_URL
    switches = [c for c in data["controls"] if c["role"] == "switch"]
    assert len(switches) == 1
    control = switches[0]
    assert control["state"] == "on"
    assert control["name"] == "Use my data for training content creation AI models"
    assert control["suggestions"][0] == {"css": AI_CSS}
    assert {"role": "switch", "name": control["name"]} in control["suggestions"]
    assert "id" not in control["attributes"]  # ember-NNNN: generated
    assert control["attributes"]["aria-labelledby"] == "allowDataForGenerativeAI"
    assert data["chosen"] == control["index"]

    skeleton = data["skeleton"]
    flow = load_flow_text(skeleton)
    assert flow.id == "linkedin-ai-training"
    assert flow.allowed_origins == ("https://www.linkedin.com",)
    assert flow.setting_url == {"desktop": SETTING_URL}
    assert flow.switch.wanted == "off"
    assert flow.setting == "Data for Generative AI Improvement"
    assert "TODO" in skeleton

    path = tmp_path / "linkedin-from-skeleton.yaml"
    path.write_text(skeleton, encoding="utf-8")
    verify = run_cli(
        "verify",
        str(path),
        "--headless",
        "--json",
        "--replica",
        replica_arg,
        "--evidence-dir",
        str(tmp_path / "evidence"),
        "--timeout",
        "10",
    )
    assert verify.code == 3, verify.out + verify.err
    outcome = verify.json
    assert outcome["status"] == "drift"
    assert outcome["state_before"] == "on"
    assert outcome["switch_locator"] == f"css={AI_CSS!r}"


def test_replica_skeleton_validates_against_the_json_schema(
    run_cli, replica, sign_in_profile
) -> None:
    """The skeleton is valid against the generated JSON Schema too, as an editor reads it."""
    pytest.importorskip("jsonschema")
    from tests.test_schema import as_editors_read, schema_errors

    sign_in_profile()
    result = run_cli(
        "inspect", SETTING_URL, "--headless", "--json", "--replica", f"127.0.0.1:{replica.port}"
    )
    assert result.code == 0, result.err
    assert schema_errors(as_editors_read(result.json["skeleton"])) == []


def test_human_output_on_the_replica(run_cli, replica, sign_in_profile) -> None:
    """Without --json: the table, the chosen switch marked, then the skeleton."""
    sign_in_profile()
    result = run_cli("inspect", SETTING_URL, "--headless", "--replica", f"127.0.0.1:{replica.port}")
    assert result.code == 0, result.err
    assert "* the likeliest AI-training switch" in result.out
    assert f"- css: '{AI_CSS}'" in result.out
    assert "cookie" not in result.out.lower()


def test_signed_out_profile_is_told_to_sign_in(run_cli, replica) -> None:
    """A profile that is not signed in lands on the authwall: no control, exit 1, a note to
    sign in first, and the skeleton keeps the URL asked for (not the authwall's)."""
    result = run_cli(
        "inspect",
        SETTING_URL,
        "--headless",
        "--json",
        "--replica",
        f"127.0.0.1:{replica.port}",
        "--profile",
        "never-signed-in",
    )
    assert result.code == 1
    data = result.json
    assert data["controls"] == []
    assert "/authwall" in data["final_url"]
    assert any("looks like a sign-in page" in note for note in data["notes"])
    assert load_flow_text(data["skeleton"]).setting_url == {"desktop": SETTING_URL}
