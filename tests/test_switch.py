"""The switch engine on small local pages: three-way reads and clicks, in a real Chromium."""

from __future__ import annotations

import pytest

from optout_bot import switch

SHAPES = {
    "native checkbox": '<input type="checkbox" role="switch" id="s" {on}>',
    "aria switch button": '<button role="switch" id="s" aria-checked="{aria}" '
    "onclick=\"this.setAttribute('aria-checked', this.getAttribute('aria-checked') === 'true'"
    " ? 'false' : 'true')\">AI</button>",
    "data-state button": '<button id="s" data-state="{ds}" '
    "onclick=\"this.dataset.state = this.dataset.state === 'checked' ? 'unchecked' : 'checked'\""
    ">AI</button>",
}


def _render(page, shape: str, on: bool) -> None:
    html = SHAPES[shape].format(
        on="checked" if on else "",
        aria="true" if on else "false",
        ds="checked" if on else "unchecked",
    )
    page.set_content(html)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("start", [True, False])
def test_read_then_flip_in_both_directions(page, shape, start):
    """Each switch shape reads its state and flips to the other one with a single click."""
    _render(page, shape, start)
    loc = page.locator("#s")
    assert switch.read_state(loc) == ("on" if start else "off")

    wanted = "off" if start else "on"
    assert switch.flip(page, loc, wanted, timeout_ms=3000) is True
    assert switch.read_state(loc) == wanted


def test_native_checkbox_is_read_from_its_live_property_not_the_stale_attribute(page):
    """After a script unchecks a checkbox its `checked` attribute still says on; we read off."""
    page.set_content('<input type="checkbox" id="s" checked aria-checked="true">')
    page.eval_on_selector("#s", "el => { el.checked = false; }")
    assert page.get_attribute("#s", "checked") is not None
    assert switch.read_state(page.locator("#s")) == "off"


@pytest.mark.parametrize(
    "html",
    [
        '<div id="other">no switch here</div>',
        '<button id="s">no state at all</button>',
        '<button id="s" aria-checked="mixed">half</button>',
        '<input type="checkbox" id="s">'
        '<script>document.getElementById("s").indeterminate = true</script>',
    ],
    ids=["missing", "no state", "aria mixed", "indeterminate"],
)
def test_missing_or_unreadable_switch_reads_unknown(page, html):
    """A missing switch, or one whose state cannot be told, reads unknown, never off."""
    page.set_content(html)
    assert switch.read_state(page.locator("#s"), timeout_ms=500) == "unknown"


def test_a_switch_that_refuses_to_change_is_reported(page):
    """When a click does not change the state, flip says so instead of pretending."""
    page.set_content('<input type="checkbox" id="s" checked onclick="return false">')
    assert switch.flip(page, page.locator("#s"), "off", timeout_ms=500) is False
    assert switch.read_state(page.locator("#s")) == "on"


def test_describe_records_what_identifies_the_switch(page):
    """The evidence gets the switch's id hooks, its live state and its label text."""
    page.set_content(
        '<span id="lbl">Use my data</span>'
        '<input type="checkbox" role="switch" aria-labelledby="lbl" checked>'
    )
    page.eval_on_selector("input", "el => { el.checked = false; }")
    attrs = switch.describe(page.locator("input"))
    assert attrs["aria-labelledby"] == "lbl" and attrs["role"] == "switch"
    assert attrs["checked"] == "false" and attrs["label"] == "Use my data"
